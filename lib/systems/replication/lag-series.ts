/**
 * The sampled lag of every replica over time, through the kernel's {@link TimeSeries} (one
 * series per replica and unit, sampled every `sampleInterval` seconds from the start, after the
 * model's own events at the same instant), both ways (state.ts): `seconds`, the true lag
 * t − (commit time of the oldest write it has not applied, on the wire or in its relay log), and
 * `transactions` behind; and `secondsBehindSource`, what MySQL's SHOW REPLICA STATUS reports
 * (whole seconds, 0 whenever the applier has caught up with its relay log, NaN for NULL). NaN
 * while the node is the primary or retired. A timeline: it does not restart on `sim.resetStatistics()`.
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
  secondsBehindSource: number[][];
}

export class LagSampler {
  private readonly nodes: number[] = [];
  private readonly seconds: TimeSeries[] = [];
  private readonly transactions: TimeSeries[] = [];
  private readonly sbs: TimeSeries[] = [];

  constructor(state: ClusterState) {
    const sim = state.sim;
    const options = { interval: state.config.sampleInterval };
    const serving = (r: number): boolean => r !== state.primary && state.retired[r] === 0;
    for (let r = 1; r < state.nodeCount; r++) {
      this.nodes.push(r);
      this.seconds.push(
        new TimeSeries(sim, () => (serving(r) ? state.lagSeconds(r) : NaN), options),
      );
      this.transactions.push(
        new TimeSeries(sim, () => (serving(r) ? state.lagTransactions(r) : NaN), options),
      );
      this.sbs.push(new TimeSeries(sim, () => state.secondsBehindSource(r), options));
    }
  }

  /** The series so far (replica nodes 1..R; no points without replicas). */
  get series(): LagSeries {
    return {
      t: this.seconds.length > 0 ? this.seconds[0].times : [],
      nodes: this.nodes,
      seconds: this.seconds.map((s) => s.values),
      transactions: this.transactions.map((s) => s.values),
      secondsBehindSource: this.sbs.map((s) => s.values),
    };
  }
}
