/**
 * Anything a job can be sent to: a station, a delay, a router, a sink, a population. Blocks
 * compose by pointing one's `to` at another's `accept`:
 * `source -> router -> [station A, station B] -> sink`, or `population -> station -> population`.
 * A later subsystem (a load balancer with health checks, a Kafka partition) is one more
 * `JobTarget` that decides where each job goes.
 */
export interface JobTarget {
  /** Takes ownership of job `job` at the current simulation time. */
  accept(job: number): void;
}

/** Returns a JobTarget that calls `fn(job)`; handy for glue code and tests. */
export function target(fn: (job: number) => void): JobTarget {
  return { accept: fn };
}
