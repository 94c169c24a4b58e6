/**
 * Result shapes shared by the single-queue models. Keys follow queueing notation in camelCase:
 * rho (per-server utilisation), L (mean number in system), Lq (mean number waiting), W (mean time in
 * system), Wq (mean wait before service), X (throughput), P0 (probability the system is empty).
 */

/** Quantiles of a time distribution at the levels most capacity targets use. */
export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
}

/** Percentiles of the response time W and of the wait in queue Wq, where a closed form exists. */
export interface TimePercentiles {
  readonly W: Percentiles;
  readonly Wq: Percentiles;
}

/** The metrics every single-station model reports. Times are in the unit of 1/lambda. */
export interface QueueMetrics {
  /** Model name, e.g. "M/M/c". */
  readonly model: string;
  /** Per-server utilisation (busy fraction of one server). */
  readonly rho: number;
  /** Mean number in system. */
  readonly L: number;
  /** Mean number waiting (not in service). */
  readonly Lq: number;
  /** Mean time in system (response time). */
  readonly W: number;
  /** Mean wait before service starts. */
  readonly Wq: number;
  /** Throughput: completions per unit time. */
  readonly X: number;
}

/** Builds the four standard percentiles from a quantile function q(p). */
export function percentilesOf(quantile: (p: number) => number): Percentiles {
  return { p50: quantile(0.5), p90: quantile(0.9), p95: quantile(0.95), p99: quantile(0.99) };
}
