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
 *  - lagModelFsync (lag rows): the median F_r (= replicaFsync), a part of lagModelFlushLag;
 *  - lagModelFlushLag, _lo, _hi (lag rows): the median flush_lag over the same flush replies
 *    (write_lag + F_r per reply) with its order-statistic interval, what the lag model uses;
 *    lagModelWriteLag: their median write_lag (two hops and two wake-ups);
 *  - firstRoundTripMedian, _lo, _hi and hotRoundTripMedian (lag rows): the probes' first SELECT's
 *    round trip R_1 (a backend woken) with its interval, and the later SELECTs' R_h (awake);
 *  - commitMinusRoundTrip: median C − median R, the fifth session's estimate of F_r, for comparison;
 *  - replicaFlushCal (every row): the calibration's F_r.
 * The commit rows' own medians (issue 22; null elsewhere): commitLatencyMedian, _lo, _hi and
 * commitLatencyMedianCoverage, the level's per-transaction latencies (pgbench -l) as a median with its
 * order-statistic interval; firstRoundTripMedian (_lo, _hi) that level run's probes' R_1 and
 * hotRoundTripMedian the whole run's R_h; commitGapMax_hi (remote_apply) applyWait(R1_hi, R_h), the
 * top of remote_apply − on's range with R_1's interval; replicaApply, _lo, _hi and
 * replicaApplyReplies (remote_apply, reported): the median of replay_lag − flush_lag over the run's
 * new replay replies (postgres-lag-pairs.ts replicaApplySamples), PostgreSQL's own timing of A.
 * primaryFsyncMean, primaryFsyncs (measured rows, reported, not judged): the run's mean primary WAL
 * fsync from pg_stat_wal (wal_sync_time / wal_sync over the sub-run, track_wal_io_timing = on) and
 * how many: the sub-runs are seconds apart and the virtual disk moves between them.
 * lagDelta, lagDelta_lo, lagDelta_hi, lagDeltaCoverage (lag rows): median(visible) − the lag model
 * and its interval from the visible lag's, flush_lag's and R_1's order-statistic intervals
 * (lagOfFactory);
 * visibleLagCeiling, visibleLagFloor and their coverages (lag rows): the replication path's bounds of
 * the visible lag's median from the same run's samples (postgres-lag-band.ts), and
 * visibleLagMedianCoverage, its median interval's own; CI's lag band is the ceiling.
 */
import * as os from 'os';
import type { Observation } from '../../experiment/experiment';
import { synchronousCommitLevels } from '../../measure/postgres';
import type { PostgresMeasurement, SynchronousCommitLevel } from '../../measure/postgres';
import { quantileOf } from '../../measure/open-loop';
import { batchStatistics, intervalOf } from './batches';
import type { Interval } from './batches';
import { newFlushSamples, replicaApplySamples } from '../../measure/postgres-lag-pairs';
import { medianInterval } from './median-interval';
import type { MedianInterval } from './median-interval';
import { lagBandOf } from './postgres-lag-band';
import type { LagBand } from './postgres-lag-band';
import { applyWait, lagModel, levelTheory, replayCost } from './postgres-model';
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
  /** The replica's fsync F_r (the median of flush_lag − write_lag), s: reported, a part of flushLag. */
  fsync: number;
  /** The median flush_lag over the run's flush replies (write_lag + F_r per reply), s. */
  flushLag: number;
  /** The median write_lag over the same replies (two hops, two wake-ups), s. */
  writeLag: number;
  /** The probes' median first-SELECT round trip R_1 and later round trip R_h, s. */
  firstRoundTrip: number;
  hotRoundTrip: number;
  /** The probe's median commit round trip C on the primary (reported: C − R was F's old estimate). */
  commit: number;
  /** The median of all the probe's round trips (reported). */
  roundTrip: number;
  delta: Cell;
  deltaLo: Cell;
  deltaHi: Cell;
  coverage: Cell;
}

export interface LagInput {
  /** flush_lag − write_lag per new flush reply (the replica's fsync F_r). */
  fsync: MedianInterval;
  /** flush_lag and write_lag of the same replies. */
  flushLag: MedianInterval;
  writeLag: MedianInterval;
  commit: MedianInterval;
  roundTrip: MedianInterval;
  firstRoundTrip: MedianInterval;
  hotRoundTrip: MedianInterval;
  visible: MedianInterval;
  /** The replication path's floor (reported) and ceiling (what CI gates on) of the visible lag (postgres-lag-band.ts). */
  band: LagBand;
}

/**
 * The lag model's machine figures per rate, from the same run (lagModel), as medians with
 * order-statistic intervals (median-interval.ts, Conover 1999 §3.2): flush_lag, write_lag and F_r
 * from the run's flush replies (8-31 a run here), R_1 and R_h from the probe's SELECTs, and the probes'
 * visible lag (~16 a run), heavy-tailed: one stalled fsync moves a median by one order statistic,
 * not by (stall)/16.
 */
export function lagInputsOf(measured: PostgresMeasurement | null): Map<number, LagInput> {
  const lagInputs = new Map<number, LagInput>();
  for (const r of measured?.lag ?? []) {
    const pairs = newFlushSamples(r.lagSamples).pairs;
    const writeLag = medianInterval(pairs.map((p) => p.write!));
    lagInputs.set(r.rate, {
      fsync: medianInterval(r.replicaFsync),
      flushLag: medianInterval(pairs.map((p) => p.flush!)),
      writeLag: writeLag,
      commit: medianInterval(r.probeCommit),
      roundTrip: medianInterval(r.roundTrip),
      firstRoundTrip: medianInterval(r.firstRoundTrip),
      hotRoundTrip: medianInterval(r.hotRoundTrip),
      visible: medianInterval(r.visible),
      band: lagBandOf(
        {
          fsync: r.replicaFsync,
          flushLag: pairs.map((p) => p.flush!),
          writeLagMedian: writeLag.median,
          firstRoundTrip: r.firstRoundTrip,
          hotRoundTrip: r.hotRoundTrip,
        },
        replayCost,
      ),
    });
  }
  return lagInputs;
}

const finite = (x: number | null | undefined): x is number =>
  typeof x === 'number' && Number.isFinite(x);

/**
 * lagOf(rate): the model from the rate's measured medians, or from the calibration without them.
 * The band's quantity is δ = median(visible) − max(R_1, flush_lag + a + R_h) (lagModel). The model
 * is increasing in R_1 and in flush_lag, so their order-statistic intervals bound it:
 * [max(R1_lo, FL_lo + a + R_h), max(R1_hi, FL_hi + a + R_h)], and δ's interval is the visible lag's
 * minus that. The three intervals are from different transactions or SELECTs, so it covers δ = 0,
 * when the model is right, with probability at least cV + cFL + cR1 − 2 (Bonferroni). R_h enters as
 * its median (its interval is a few µs wide); without hot SELECTs (every probe saw its row at once)
 * R_h is the median of all round trips.
 */
export function lagOfFactory(
  lagInputs: Map<number, LagInput>,
  cal: PgCalibration,
): (rate: number) => LagPoint {
  return (rate: number) => {
    const i = lagInputs.get(rate);
    const usable = i !== undefined && finite(i.flushLag.median) && finite(i.firstRoundTrip.median);
    const hot =
      i && finite(i.hotRoundTrip.median)
        ? i.hotRoundTrip.median
        : i && finite(i.roundTrip.median)
          ? i.roundTrip.median
          : cal.roundTrip;
    const first = usable ? i.firstRoundTrip.median : cal.roundTrip;
    // without flush replies: the calibration's path, F_r plus two wake-ups taken as one round trip
    const flushLag = usable ? i.flushLag.median : cal.replicaFlush + cal.roundTrip;
    const model = lagModel(rate, { flushLag: flushLag, hotRoundTrip: hot, firstRoundTrip: first });
    const modelOf = (fl: number, r1: number) =>
      lagModel(rate, { flushLag: fl, hotRoundTrip: hot, firstRoundTrip: r1 });
    const v = usable ? i.visible : undefined;
    const fl = usable ? i.flushLag : undefined;
    const r1 = usable ? i.firstRoundTrip : undefined;
    const all = v && fl && r1 && [v.lo, v.hi, fl.lo, fl.hi, r1.lo, r1.hi].every((x) => x !== null);
    return {
      model: model,
      fsync: i && finite(i.fsync.median) ? i.fsync.median : cal.replicaFlush,
      flushLag: flushLag,
      writeLag: i && finite(i.writeLag.median) ? i.writeLag.median : NaN,
      firstRoundTrip: first,
      hotRoundTrip: hot,
      commit: i && finite(i.commit.median) ? i.commit.median : cal.commit,
      roundTrip: i && finite(i.roundTrip.median) ? i.roundTrip.median : cal.roundTrip,
      delta: v && finite(v.median) ? v.median - model : null,
      deltaLo: all ? v.lo! - modelOf(fl.hi!, r1.hi!) : null,
      deltaHi: all ? v.hi! - modelOf(fl.lo!, r1.lo!) : null,
      coverage:
        all && v.coverage !== null && fl.coverage !== null && r1.coverage !== null
          ? v.coverage + fl.coverage + r1.coverage - 2
          : null,
    };
  };
}

/**
 * The replica's fsync columns of a measured row: `replicaFsync` (the median of flush_lag − write_lag
 * over the run's new flush replies) with its order-statistic interval and exact coverage,
 * `replicaFsyncPairs` (how many), and `replicaFsyncMean` with a 95 % Student-t interval (what a
 * difference of mean commit latencies estimates).
 */
export function fsyncColumns(
  samples: readonly number[],
  primary?: { count: number; seconds: number },
): Record<string, Cell> {
  const m = medianInterval(samples);
  return {
    replicaFsync: Number.isFinite(m.median) ? m.median : null,
    replicaFsync_lo: m.lo,
    replicaFsync_hi: m.hi,
    replicaFsyncCoverage: m.coverage,
    replicaFsyncPairs: m.n,
    ...withInterval('replicaFsyncMean', intervalOf(samples)),
    // the run's mean primary WAL fsync (pg_stat_wal: wal_sync_time / wal_sync), reported
    primaryFsyncMean: primary && primary.count > 0 ? primary.seconds / primary.count : null,
    primaryFsyncs: primary ? primary.count : null,
  };
}

/**
 * The commit part's median columns after commitGapMax: commitGapMax_hi, the model's range top for
 * remote_apply − on with the upper end of the run's R_1 interval (applyWait(R1_hi, R_h)), and
 * commitLatencyMedian, _lo, _hi with commitLatencyMedianCoverage: the median of the level's
 * per-transaction latencies (pgbench -l) with its order-statistic interval (median-interval.ts).
 * Null in the lag rows and the simulated rows.
 */
export function commitMedianNull(): Record<string, Cell> {
  return {
    commitGapMax_hi: null,
    ...nullInterval('commitLatencyMedian'),
    commitLatencyMedianCoverage: null,
    ...nullInterval('replicaApply'),
    replicaApplyReplies: null,
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
    // the rate's model and its inputs, once per row (lagOf recomputes the model on every call)
    const p = lagOf(r.rate);
    const inp = lagInputs.get(r.rate);
    const vis = medianInterval(r.visible);
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
      visibleLag_theory: p.model,
      visibleLagMedian: vis.median,
      visibleLagMedian_lo: vis.lo,
      visibleLagMedian_hi: vis.hi,
      visibleLagMedianCoverage: vis.coverage,
      roundTripMedian: p.roundTrip,
      lagModelCommit: p.commit,
      lagModelFsync: p.fsync,
      lagModelFlushLag: p.flushLag,
      lagModelFlushLag_lo: inp?.flushLag.lo ?? null,
      lagModelFlushLag_hi: inp?.flushLag.hi ?? null,
      lagModelWriteLag: finite(p.writeLag) ? p.writeLag : null,
      firstRoundTripMedian: p.firstRoundTrip,
      firstRoundTripMedian_lo: inp?.firstRoundTrip.lo ?? null,
      firstRoundTripMedian_hi: inp?.firstRoundTrip.hi ?? null,
      hotRoundTripMedian: p.hotRoundTrip,
      ...fsyncColumns(r.replicaFsync, r.primaryWalSync),
      // the fifth session's estimate of F_r, reported beside the measured one: median C − median R
      commitMinusRoundTrip: p.commit - p.roundTrip,
      // median(visible) − model and its interval (Bonferroni coverage ≥ lagDeltaCoverage)
      lagDelta: p.delta,
      lagDelta_lo: p.deltaLo,
      lagDelta_hi: p.deltaHi,
      lagDeltaCoverage: p.coverage,
      // the replication path's floor (reported) and ceiling (CI's lag band) of the visible lag's median
      visibleLagFloor: inp?.band.floor ?? null,
      visibleLagCeiling: inp?.band.ceiling ?? null,
      visibleLagFloorCoverage: inp?.band.floorCoverage ?? null,
      visibleLagCeilingCoverage: inp?.band.ceilingCoverage ?? null,
      lagRobust: lagInputs.has(r.rate),
      commitLatency_theory: cal.commit,
      commitGapMax: null,
      ...commitMedianNull(),
      ...calCols,
      component: comp,
      setupSeconds: m.setupSeconds,
      loadAverage: r.loadAverage,
      cpus: os.cpus().length,
      ...component,
    });
  }
  // R_h: the median of every later SELECT of the run (a remote_apply probe sees its row at once)
  const hot = medianInterval([...m.lag, ...m.levels].flatMap((r) => r.hotRoundTrip)).median;
  for (const r of m.levels) {
    const r1 = medianInterval(r.firstRoundTrip);
    const med = medianInterval(r.latency);
    const app = medianInterval(replicaApplySamples(r.lagSamples));
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
      lagModelFlushLag: null,
      lagModelFlushLag_lo: null,
      lagModelFlushLag_hi: null,
      lagModelWriteLag: null,
      // the level run's own probes: R_1 (for remote_apply, applyWait's cold wake-ups) and the run's R_h
      firstRoundTripMedian: Number.isFinite(r1.median) ? r1.median : null,
      firstRoundTripMedian_lo: r1.lo,
      firstRoundTripMedian_hi: r1.hi,
      hotRoundTripMedian: Number.isFinite(hot) ? hot : null,
      ...fsyncColumns(r.replicaFsync, r.primaryWalSync),
      commitMinusRoundTrip:
        medianInterval(r.probeCommit).median - medianInterval(r.roundTrip).median,
      commitLatency_theory: levelTheory(r.level, cal),
      // the model's range for (this level − the one before): remote_apply − on in [0, a + R]
      commitGapMax: r.level === 'remote_apply' ? cal.apply : null,
      commitGapMax_hi:
        r.level === 'remote_apply' && r1.hi !== null
          ? applyWait(r1.hi, Number.isFinite(hot) ? hot : r1.hi)
          : null,
      commitLatencyMedian: Number.isFinite(med.median) ? med.median : null,
      commitLatencyMedian_lo: med.lo,
      commitLatencyMedian_hi: med.hi,
      commitLatencyMedianCoverage: med.coverage,
      // remote_apply only: replay_lag − flush_lag per new replay reply, PostgreSQL's own A (reported)
      replicaApply: r.level === 'remote_apply' && Number.isFinite(app.median) ? app.median : null,
      replicaApply_lo: r.level === 'remote_apply' ? app.lo : null,
      replicaApply_hi: r.level === 'remote_apply' ? app.hi : null,
      replicaApplyReplies: r.level === 'remote_apply' ? app.n : null,
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
