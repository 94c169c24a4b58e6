/**
 * postgres-measured's row builders, split from postgres-measured.ts (no behaviour change): the column
 * groups every row shares (interval triples, the row's head, the null lag columns of the parts that
 * have none), the lag model's per-rate inputs, and the measured rows of the 'lag' and 'commit' parts.
 * Every row keeps the column order of the CSV: head, replayLag, writeLag, flushLag, visibleLag,
 * commitLatency, counts, roundTrip, theory, replica fsync and calibration columns, component and
 * machine.
 *
 * The replica fsync columns (issue 22), in the measured lag rows and commit rows (null in simulated
 * rows), each from that row's own run:
 *  - replicaFsync, replicaFsync_lo, replicaFsync_hi: the median of flush_lag − write_lag over the
 *    run's new flush replies (lib/measure/postgres-lag-pairs.ts) and its distribution-free
 *    order-statistic interval; replicaFsyncCoverage its exact coverage; replicaFsyncPairs how many;
 *  - replicaFsyncMean, replicaFsyncMean_lo, replicaFsyncMean_hi: their mean and 95 % t interval (the
 *    commit part's model gap on − remote_write is the `on` row's replicaFsyncMean);
 *  - lagModelFsync (lag rows): the F_r the lag model used (= replicaFsync);
 *  - commitMinusRoundTrip: median C − median R, the fifth session's estimate of F_r, for comparison;
 *  - replicaFlushCal (every row): the calibration's F_r.
 * lagDelta, lagDelta_lo, lagDelta_hi, lagDeltaCoverage (lag rows): median(visible) − the lag model
 * and its interval from the visible lag's and F_r's order-statistic intervals (lagOfFactory).
 */
import * as os from 'os';
import type { Observation } from '../../experiment/experiment';
import { synchronousCommitLevels } from '../../measure/postgres';
import type { PostgresMeasurement, SynchronousCommitLevel } from '../../measure/postgres';
import { quantileOf } from '../../measure/open-loop';
import { batchStatistics, intervalOf } from './batches';
import type { Interval } from './batches';
import { medianInterval } from './median-interval';
import type { MedianInterval } from './median-interval';
import { lagModel, levelTheory } from './postgres-model';
import type { PgCalibration } from './postgres-model';

type Cell = number | null;

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** `prefix`, `prefix_lo`, `prefix_hi` from an interval. */
export function withInterval(prefix: string, i: Interval): Record<string, Cell> {
  return { [prefix]: i.mean, [`${prefix}_lo`]: i.lo, [`${prefix}_hi`]: i.hi };
}

/** `prefix` = value with no interval (`prefix_lo`, `prefix_hi` null). */
export function pointInterval(prefix: string, value: Cell): Record<string, Cell> {
  return { [prefix]: value, [`${prefix}_lo`]: null, [`${prefix}_hi`]: null };
}

/** `prefix`, `prefix_lo`, `prefix_hi` all null. */
export function nullInterval(prefix: string): Record<string, Cell> {
  return pointInterval(prefix, null);
}

/** The writeLag and flushLag triples (after replayLag's), null. */
export function noWriteFlushLag(): Record<string, Cell> {
  return { ...nullInterval('writeLag'), ...nullInterval('flushLag') };
}

export const levelOrder = (l: string): number =>
  synchronousCommitLevels.indexOf(l as SynchronousCommitLevel);

/** The first five columns of every row. */
export function rowHead(
  source: 'measured' | 'simulation',
  part: 'lag' | 'commit',
  writeRate: number,
  level: string,
  order: number | null,
): Observation {
  return { source, part, writeRate, level, levelOrder: order };
}

/** The lag model at one rate, with its band against the measured medians. */
export interface LagPoint {
  model: number;
  /** The replica's fsync F_r the model used (the median of flush_lag − write_lag), s. */
  fsync: number;
  /** The probe's median commit round trip C on the primary (reported: C − R was F's old estimate). */
  commit: number;
  roundTrip: number;
  delta: Cell;
  deltaLo: Cell;
  deltaHi: Cell;
  coverage: Cell;
}

export interface LagInput {
  /** flush_lag − write_lag per new flush reply (the replica's fsync F_r). */
  fsync: MedianInterval;
  commit: MedianInterval;
  roundTrip: MedianInterval;
  visible: MedianInterval;
}

/**
 * The lag model's two machine figures per rate, from the same run (lagModel), as medians with
 * order-statistic intervals (median-interval.ts, Conover 1999 §3.2): F_r from the flush replies'
 * flush_lag − write_lag (20-30 pairs a run), R from the probe's SELECT round trips; and the probes'
 * visible lag (~16 a run), heavy-tailed: one stalled fsync moves a median by one order statistic,
 * not by (stall)/16.
 */
export function lagInputsOf(measured: PostgresMeasurement | null): Map<number, LagInput> {
  const lagInputs = new Map<number, LagInput>();
  for (const r of measured?.lag ?? [])
    lagInputs.set(r.rate, {
      fsync: medianInterval(r.replicaFsync),
      commit: medianInterval(r.probeCommit),
      roundTrip: medianInterval(r.roundTrip),
      visible: medianInterval(r.visible),
    });
  return lagInputs;
}

/**
 * lagOf(rate): the model from the rate's measured medians, or from the calibration without them.
 * The band's quantity is δ = median(visible) − model(median F_r, median R): the model's F_r + 2R + a
 * against the probes' lag, a location shift (F_r dominates the sum; R and a are tens of µs here).
 * Its interval [V_lo − F_hi, V_hi − F_lo] − (2R + a) comes from the two independent order-statistic
 * intervals (the probes' lags and the flush replies are different transactions), so it covers
 * δ = 0, when the model is right, with probability at least cV + cF − 1 (Bonferroni; cV · cF under
 * independence). R enters as its median (its interval is a few µs wide).
 */
export function lagOfFactory(
  lagInputs: Map<number, LagInput>,
  cal: PgCalibration,
): (rate: number) => LagPoint {
  return (rate: number) => {
    const i = lagInputs.get(rate);
    const usable = i !== undefined && Number.isFinite(i.fsync.median);
    const fsync = usable ? i.fsync.median : cal.replicaFlush;
    const commit = i && Number.isFinite(i.commit.median) ? i.commit.median : cal.commit;
    const roundTrip = i && Number.isFinite(i.roundTrip.median) ? i.roundTrip.median : cal.roundTrip;
    const model = lagModel(rate, fsync, roundTrip);
    const rest = model - fsync; // 2R + the replay's M/M/1 sojourn (≈ a)
    const v = usable ? i.visible : undefined;
    const f = usable ? i.fsync : undefined;
    const both = v && f && v.lo !== null && v.hi !== null && f.lo !== null && f.hi !== null;
    return {
      model: model,
      fsync: fsync,
      commit: commit,
      roundTrip: roundTrip,
      delta: v && Number.isFinite(v.median) ? v.median - model : null,
      deltaLo: both ? v.lo! - f.hi! - rest : null,
      deltaHi: both ? v.hi! - f.lo! - rest : null,
      coverage:
        both && v.coverage !== null && f.coverage !== null ? v.coverage + f.coverage - 1 : null,
    };
  };
}

/**
 * The replica's fsync columns of a measured row: `replicaFsync` (the median of flush_lag − write_lag
 * over the run's new flush replies) with its order-statistic interval and exact coverage,
 * `replicaFsyncPairs` (how many), and `replicaFsyncMean` with a 95 % Student-t interval (what a
 * difference of mean commit latencies estimates).
 */
export function fsyncColumns(samples: readonly number[]): Record<string, Cell> {
  const m = medianInterval(samples);
  return {
    replicaFsync: Number.isFinite(m.median) ? m.median : null,
    replicaFsync_lo: m.lo,
    replicaFsync_hi: m.hi,
    replicaFsyncCoverage: m.coverage,
    replicaFsyncPairs: m.n,
    ...withInterval('replicaFsyncMean', intervalOf(samples)),
  };
}

/** The calibration columns of every row. */
export function calColumns(cal: PgCalibration): Record<string, number> {
  return {
    commitCal: cal.commit,
    linkCal: cal.link,
    flushCal: cal.flush,
    applyCal: cal.apply,
    replicaFlushCal: cal.replicaFlush,
    roundTripCal: cal.roundTrip,
  };
}

/** What the row builders of both sources share. */
export interface RowContext {
  cal: PgCalibration;
  lagOf: (rate: number) => LagPoint;
  lagInputs: Map<number, LagInput>;
  component: { machine: string };
}

/** The measured rows: part 'lag' per write rate, then part 'commit' per level. */
export function measuredRows(
  m: PostgresMeasurement,
  run: { warmup: number; duration: number },
  ctx: RowContext,
): Observation[] {
  const { cal, lagOf, lagInputs, component } = ctx;
  const calCols = calColumns(cal);
  const comp = `PostgreSQL ${m.version}`;
  const out: Observation[] = [];
  for (const r of m.lag) {
    out.push({
      ...rowHead('measured', 'lag', r.rate, 'on (async)', null),
      ...withInterval('replayLag', intervalOf(r.replayLag)),
      ...withInterval('writeLag', intervalOf(r.writeLag)),
      ...withInterval('flushLag', intervalOf(r.flushLag)),
      ...withInterval('visibleLag', intervalOf(r.visible)),
      ...withInterval('commitLatency', intervalOf(r.latency)),
      commitP99: quantileOf(r.latency, 0.99),
      writes: r.latency.length,
      samples: r.replayLag.length,
      probes: r.visible.length,
      ...withInterval('roundTrip', intervalOf(r.roundTrip)),
      visibleLag_theory: lagOf(r.rate).model,
      visibleLagMedian: medianInterval(r.visible).median,
      visibleLagMedian_lo: medianInterval(r.visible).lo,
      visibleLagMedian_hi: medianInterval(r.visible).hi,
      roundTripMedian: lagOf(r.rate).roundTrip,
      lagModelCommit: lagOf(r.rate).commit,
      lagModelFsync: lagOf(r.rate).fsync,
      ...fsyncColumns(r.replicaFsync),
      // the fifth session's estimate of F_r, reported beside the measured one: median C − median R
      commitMinusRoundTrip: lagOf(r.rate).commit - lagOf(r.rate).roundTrip,
      // median(visible) − model and its interval (Bonferroni coverage ≥ lagDeltaCoverage)
      lagDelta: lagOf(r.rate).delta,
      lagDelta_lo: lagOf(r.rate).deltaLo,
      lagDelta_hi: lagOf(r.rate).deltaHi,
      lagDeltaCoverage: lagOf(r.rate).coverage,
      lagRobust: lagInputs.has(r.rate),
      commitLatency_theory: cal.commit,
      commitGapMax: null,
      ...calCols,
      component: comp,
      setupSeconds: m.setupSeconds,
      loadAverage: r.loadAverage,
      cpus: os.cpus().length,
      ...component,
    });
  }
  for (const r of m.levels) {
    const b = batchStatistics(
      r.latency,
      r.at.map((t) => t - run.warmup),
      Math.max(0.5, run.duration - run.warmup),
      5,
    );
    out.push({
      ...rowHead('measured', 'commit', r.rate, r.level, levelOrder(r.level)),
      ...nullInterval('replayLag'),
      ...noWriteFlushLag(),
      ...withInterval('visibleLag', intervalOf(r.visible)),
      ...withInterval('commitLatency', b.W),
      commitP99: quantileOf(r.latency, 0.99),
      writes: r.latency.length,
      samples: r.replayLag.length,
      probes: r.visible.length,
      ...withInterval('roundTrip', intervalOf(r.roundTrip)),
      visibleLag_theory: null,
      lagModelCommit: null,
      lagModelFsync: null,
      ...fsyncColumns(r.replicaFsync),
      commitMinusRoundTrip:
        medianInterval(r.probeCommit).median - medianInterval(r.roundTrip).median,
      commitLatency_theory: levelTheory(r.level, cal),
      // the model's range for (this level − the one before): remote_apply − on in [0, a + R]
      commitGapMax: r.level === 'remote_apply' ? cal.apply : null,
      ...calCols,
      component: comp,
      setupSeconds: m.setupSeconds,
      loadAverage: r.loadAverage,
      cpus: os.cpus().length,
      ...component,
    });
  }
  return out;
}
