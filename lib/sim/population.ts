import { ParameterError, requireInteger } from '../errors';
import type { Distribution } from '../random/distribution';
import type { Rng } from '../random/xoshiro128';
import { OBSERVATION_BUFFER, Observations } from './observations';
import type { QuantileSketch } from './quantile-sketch';
import type { Simulation } from './simulation';
import { Tally } from './tally';
import type { JobTarget } from './target';
import { requireDelayDistribution } from './delays';
import { TimeWeighted } from './time-weighted';

export interface PopulationOptions {
  /** Names the think-time stream (`<name>.think`). */
  name: string;
  /** Number of users N (each is one job id for the whole run; `jobs.origin` = user index). */
  size: number;
  /** Think time Z between a response and the next request. */
  think: Distribution;
  /** Where requests go (connect the last station's `to` back to this population). */
  to?: JobTarget;
  /** Stop the run after this many completed requests. */
  stopAfter?: number;
  /** Start with every user thinking (default) or with every user's request sent at time now. */
  startThinking?: boolean;
  stream?: Rng;
  quantiles?: boolean;
}

/**
 * A closed population of N users (a terminal system): each user thinks for a time Z drawn from
 * `think`, sends a request (the job, `born` = now) to `to`, and when the job comes back
 * (`accept`) the response time now - born is recorded and the user thinks again. While a user
 * thinks, its job's `arrived` holds the start of the think.
 *
 * Interactive response time law (Little's law on the whole loop): N = X (R + Z), with X the
 * completion rate and R the mean response time; `summary()` reports both sides.
 */
export class Population implements JobTarget {
  readonly name: string;
  readonly size: number;
  to: JobTarget | null;
  /** Completed requests (since the last reset). */
  completions = 0;
  stopAfter: number;
  private readonly obs: Observations;
  /** Time-weighted number of users thinking. */
  readonly thinking: TimeWeighted;
  private readonly think_ = new Observations(false);
  private readonly sim: Simulation;
  private readonly think: Distribution;
  private readonly rng: Rng;
  private readonly thinkEndH: number;
  private readonly ids: Int32Array;
  private nThinking = 0;

  constructor(sim: Simulation, options: PopulationOptions) {
    if (options == null || typeof options.name !== 'string' || !options.name)
      throw new ParameterError('name', options?.name, 'must be a non-empty string');
    this.sim = sim;
    this.name = options.name;
    this.size = requireInteger('size', options.size, 1, 1e8);
    this.think = requireDelayDistribution(`${options.name}.think`, options.think, {
      positive: false,
    });
    this.to = options.to ?? null;
    this.stopAfter =
      options.stopAfter === undefined
        ? Infinity
        : requireInteger('stopAfter', options.stopAfter, 1);
    this.rng = options.stream ?? sim.streams.get(`${options.name}.think`);
    this.obs = new Observations(options.quantiles !== false);
    this.thinkEndH = sim.handler((job) => this.thinkEnd(job), `${this.name}.thinkEnd`);
    this.thinking = new TimeWeighted(sim, 0);
    sim.onReset(() => {
      this.completions = 0;
      this.obs.reset();
      this.think_.reset();
    });
    this.ids = new Int32Array(this.size);
    const jobs = sim.jobs;
    for (let u = 0; u < this.size; u++) {
      const job = jobs.alloc();
      this.ids[u] = job;
      jobs.origin[job] = u;
    }
    if (options.startThinking === false || !(this.think.mean > 0))
      sim.allowEventsPerInstant(4 * this.size);
    for (let u = 0; u < this.size; u++) {
      if (options.startThinking === false) sim.schedule(0, this.thinkEndH, this.ids[u]);
      else this.startThink(this.ids[u]);
    }
    this.thinking.set(this.nThinking);
  }

  /** Welford tally of response times (request sent to response back). */
  get responseTime(): Tally {
    return this.obs.tallied();
  }

  /** 1 % quantile sketch of response times (null if `quantiles: false`). */
  get responseQuantiles(): QuantileSketch | null {
    return this.obs.sketched();
  }

  /** Welford tally of completed think periods. */
  get thinkTime(): Tally {
    return this.think_.tallied();
  }

  /** Job id of user u. */
  jobOf(user: number): number {
    return this.ids[user];
  }

  /** A request came back: record its response time and start thinking. */
  accept(job: number): void {
    const sim = this.sim;
    const r = sim.now - sim.jobs.born[job];
    const o = this.obs;
    o.values[o.n++] = r;
    if (o.n === OBSERVATION_BUFFER) o.flush();
    this.startThink(job);
    this.thinking.set(this.nThinking);
    if (++this.completions >= this.stopAfter) sim.stop();
  }

  /**
   * Throughput X, response R, and Little's law on the loop, N = X (R + Z) (`littleN`, with Z the
   * measured mean think time; it differs from N only by end effects).
   */
  summary(): {
    completions: number;
    throughput: number;
    meanResponse: number;
    meanThinking: number;
    littleN: number;
    p50: number;
    p95: number;
    p99: number;
    p999: number;
  } {
    const elapsed = this.thinking.elapsed;
    const X = elapsed > 0 ? this.completions / elapsed : NaN;
    const R = this.responseTime.meanOrNaN;
    const q = (p: number) => this.obs.quantile(p);
    return {
      completions: this.completions,
      throughput: X,
      meanResponse: R,
      meanThinking: this.thinking.mean,
      littleN: X * (R + this.thinkTime.meanOrNaN),
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
      p999: q(0.999),
    };
  }

  private startThink(job: number): void {
    this.nThinking++;
    // the think start in the job's own `arrived` (the population is where the job is now): read
    // back at the think's end from the line a station writes next, not from a per-user table
    // (two more cache lines per request with 100,000 users)
    this.sim.jobs.arrived[job] = this.sim.now;
    this.sim.scheduleSample(this.think, this.rng, this.thinkEndH, job);
  }

  private thinkEnd(job: number): void {
    const sim = this.sim;
    this.nThinking--;
    this.thinking.set(this.nThinking);
    const o = this.think_;
    o.values[o.n++] = sim.now - sim.jobs.arrived[job];
    if (o.n === OBSERVATION_BUFFER) o.flush();
    sim.jobs.born[job] = sim.now;
    if (this.to === null)
      throw new ParameterError(`${this.name}.to`, null, 'must be connected to a JobTarget');
    this.to.accept(job);
  }
}
