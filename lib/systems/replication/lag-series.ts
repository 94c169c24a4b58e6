/**
 * The sampled lag of every replica over time, through the kernel's {@link TimeSeries} (one
 * series per replica and unit, sampled every `sampleInterval` seconds from the start, after the
 * model's own events at the same instant): seconds behind, t − (commit time of the oldest
 * unapplied write) as MySQL's `Seconds_Behind_Source`, and transactions behind. NaN while the
 * node is the primary or retired. A timeline: it does not restart on `sim.resetStatistics()`.
 * Memory is bounded as TimeSeries bounds it (beyond 10,000 points every second one is dropped).
 */
import { TimeSeries } from '../../sim/time-series';
import type { ClusterState } from './state';

/** The sampled lag time series: times and, per replica node, lag in seconds and in transactions. */
export interface LagSeries {
  t: number[];
  nodes: number[];
  seconds: number[][];
  transactions: number[][];
}

export class LagSampler {
  private readonly nodes: number[] = [];
  private readonly seconds: TimeSeries[] = [];
  private readonly transactions: TimeSeries[] = [];

  constructor(state: ClusterState) {
    const sim = state.sim;
    const options = { interval: state.config.sampleInterval };
    const serving = (r: number): boolean => r !== state.primary && state.retired[r] === 0;
    for (let r = 1; r < state.nodeCount; r++) {
      this.nodes.push(r);
      this.seconds.push(new TimeSeries(sim, () => (serving(r) ? state.lagSeconds(r) : NaN), options));
      this.transactions.push(new TimeSeries(sim, () => (serving(r) ? state.lagTransactions(r) : NaN), options));
    }
  }

  /** The series so far (replica nodes 1..R; no points without replicas). */
  get series(): LagSeries {
    return {
      t: this.seconds.length > 0 ? this.seconds[0].times : [],
      nodes: this.nodes,
      seconds: this.seconds.map((s) => s.values),
      transactions: this.transactions.map((s) => s.values),
    };
  }
}
