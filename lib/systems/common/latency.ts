/**
 * The one shape every system reports latencies in (response times, replication lag, produce
 * latency, end-to-end latency): a count, the mean and standard deviation of a Welford tally, and
 * percentiles from the kernel's 1 % relative-error quantile sketch (lib/sim/quantile-sketch.ts),
 * with the same field names everywhere. An empty stream has count 0 and NaN elsewhere.
 */
import { Observations } from '../../sim/observations';

export interface LatencySummary {
  /** Observations since start or the last statistics reset. */
  count: number;
  mean: number;
  stdDev: number;
  /** Smallest and largest observation (NaN when empty). */
  min: number;
  max: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
}

/** The percentiles every summary carries, as [field, q]. */
export const LATENCY_PERCENTILES = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
  ['p999', 0.999],
] as const;

/** The summary of an {@link Observations} stream (tally plus sketch). */
export function summarizeLatency(observations: Observations): LatencySummary {
  const t = observations.tallied();
  const n = t.count;
  const q = (p: number): number => (n > 0 ? observations.quantile(p) : NaN);
  return {
    count: n,
    mean: t.meanOrNaN,
    stdDev: n > 1 ? t.stdDev : NaN,
    min: n > 0 ? t.min : NaN,
    max: n > 0 ? t.max : NaN,
    p50: q(0.5),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    p999: q(0.999),
  };
}

/** The summary of no observations. */
export function emptyLatency(): LatencySummary {
  return {
    count: 0,
    mean: NaN,
    stdDev: NaN,
    min: NaN,
    max: NaN,
    p50: NaN,
    p90: NaN,
    p95: NaN,
    p99: NaN,
    p999: NaN,
  };
}

/**
 * A latency stream a system owns: observations (tally and sketch) that restart on the
 * simulation's `resetStatistics()`. `record(x)` in the hot path; `summary()` to report.
 */
export class Latency {
  readonly observations: Observations;

  constructor(sim: { onReset(fn: () => void): void }, quantiles: boolean = true) {
    this.observations = new Observations(quantiles);
    sim.onReset(() => this.observations.reset());
  }

  record(x: number): void {
    const o = this.observations;
    o.values[o.n++] = x;
    if (o.n === o.values.length) o.flush();
  }

  get count(): number {
    return this.observations.tallied().count;
  }

  summary(): LatencySummary {
    return summarizeLatency(this.observations);
  }
}
