/**
 * The read-after-write probe's lag bracketed by PostgreSQL 15's replication path (issue 22): a
 * floor the lag cannot go below and a ceiling it cannot exceed, both from what the same run
 * measured, so that the band judges the mechanism (the replica's fsync and replay are on the
 * path; nothing grows with the write rate beyond the flush) without the point model's unresolved
 * wake-ups (postgres-model.ts lagModel: max(R_1, flush_lag + a + R_h), right to a wake-up or so).
 *
 * Per probe i, with v_i the instant its row becomes visible on the replica (the walreceiver's write
 * and fsync F_r, the startup process's replay a; postgres-model.ts lagModel) and R_1 its first
 * SELECT's round trip:
 *  - floor: lag_i ≥ max(R_1,i, F_r,i + a) − w, were the probe's clock started at the walsender's
 *    send: it includes its first SELECT (by construction), and no snapshot sees the row before the
 *    replica flushed and replayed it; w, half the median write_lag (one hop and one wake-up as
 *    PostgreSQL timed them), is the head start of the send over PostgreSQL's side of the reply. The median of a
 *    maximum is at least the maximum of the medians, so
 *      floor = max(R_1⁻, F_r⁻ + a) − w,
 *    X⁻ the one-sided 95 % lower confidence bound of X's median (quantile-bound.ts).
 *  - ceiling: lag_i ≤ max(R_1,i, v_i + 2R_h,i) with v_i ≤ flush_lag_i + a + w: the SELECT in
 *    flight when the row turns visible may have taken its snapshot just before, and the next one
 *    answers within its own round trip, R_h on an awake backend; flush_lag (PostgreSQL's timing of
 *    send → write → fsync → flush reply) covers the path up to the fsync, queueing behind the
 *    previous fsync included. The median of a maximum is NOT bounded by the medians; the three
 *    times are positively associated (a busy core slows the backend's wake-up, the walreceiver and
 *    the SELECTs alike), so P(all three ≤ their p-quantiles) ≥ p³ (Esary, Proschan and Walkup 1967,
 *    associated random variables), and with p = 2^(−1/3) ≈ 0.794 that is 1/2:
 *      ceiling = max(R_1⁺, flush_lag⁺ + a + 2R_h⁺) + w,
 *    X⁺ the one-sided 95 % upper confidence bound of X's p-quantile.
 * The band passes when the visible lag's median interval reaches below the ceiling: one-sided. The
 * floor is reported, not judged: the probe's clock starts when its client reads the commit's reply,
 * which trails the walsender's send by the client's own wake-up, and on a loaded VM that exceeds
 * the replica's fsync. Measured (seventh session, load average 5.5 on 2 cores): a median visible lag
 * of 0.85 ms [0.78, 2.55] at 25 writes/s against F_r = 3.65 ms [2.01, 3.87], which a clock started at
 * the send could not show, since the startup process replays only WAL below the walreceiver's
 * flushedUpto (xlogrecovery.c WaitForWALToBecomeAvailable). The lag's lower side is the probe's own
 * first round trip, by construction.
 * When the mechanism holds, the ceiling side holds with probability at least 1 − (1 − c_V)/2 −
 * Σ(1 − c_i) over its three bounds (Bonferroni), reported per point, as is the floor's.
 * With too few samples for a bound at 95 % (quantile-bound.ts: 1 − p^n below the level) the sample's
 * extreme is used and the smaller coverage counted in.
 */
import type { MedianInterval } from './median-interval';
import { quantileLowerBound, quantileUpperBound } from './quantile-bound';

/** The quantile whose product over three associated times is the median: 2^(−1/3). */
export const ceilingQuantile = Math.pow(2, -1 / 3);

export interface LagBandSamples {
  /** flush_lag − write_lag per new flush reply (the replica's fsync F_r), s. */
  fsync: readonly number[];
  /** flush_lag of the same replies, s. */
  flushLag: readonly number[];
  /** The median write_lag of those replies, s (w = half of it). */
  writeLagMedian: number;
  /** The probes' first-SELECT round trips R_1 and later round trips R_h, s. */
  firstRoundTrip: readonly number[];
  hotRoundTrip: readonly number[];
}

export interface LagBand {
  floor: number;
  ceiling: number;
  /** Lower bounds on P(the side holds | the mechanism), Bonferroni over its bounds, before the visible lag's own interval. */
  floorCoverage: number;
  ceilingCoverage: number;
}

/** The band from a rate's samples; `replay` is the startup process's replay of one record (a). */
export function lagBandOf(s: LagBandSamples, replay: number): LagBand {
  const w = Number.isFinite(s.writeLagMedian) ? s.writeLagMedian / 2 : 0;
  const r1Low = quantileLowerBound(s.firstRoundTrip, 0.5);
  const fsyncLow = quantileLowerBound(s.fsync, 0.5);
  const r1High = quantileUpperBound(s.firstRoundTrip, ceilingQuantile);
  const flushHigh = quantileUpperBound(s.flushLag, ceilingQuantile);
  // without later SELECTs (every probe saw its row at once) no R_h was measured: R_1 bounds it
  const hot = s.hotRoundTrip.length > 0 ? s.hotRoundTrip : s.firstRoundTrip;
  const hotHigh = quantileUpperBound(hot, ceilingQuantile);
  const miss = (...c: number[]) => c.reduce((sum, x) => sum + (1 - x), 0);
  return {
    floor: Math.max(r1Low.value, fsyncLow.value + replay) - w,
    ceiling: Math.max(r1High.value, flushHigh.value + replay + 2 * hotHigh.value) + w,
    floorCoverage: Math.max(0, 1 - miss(r1Low.coverage, fsyncLow.coverage)),
    ceilingCoverage: Math.max(0, 1 - miss(r1High.coverage, flushHigh.coverage, hotHigh.coverage)),
  };
}

/** Whether the visible lag's median interval reaches below the ceiling (what CI gates on). */
export function belowLagCeiling(visible: MedianInterval, band: LagBand): boolean {
  return visible.lo !== null && visible.lo <= band.ceiling;
}

/** Whether the visible lag's median interval lies wholly below the floor (reported: the probe's clock starts late). */
export function belowLagFloor(visible: MedianInterval, band: LagBand): boolean {
  return visible.hi !== null && visible.hi < band.floor;
}
