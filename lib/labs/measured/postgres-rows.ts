/**
 * postgres-measured's row builders, split from postgres-measured.ts (no behaviour change): the column
 * groups every row shares (interval triples, the row's head, the null lag columns of the parts that
 * have none), the lag model's per-rate inputs, and the measured rows of the 'lag' and 'commit' parts.
 * Every row keeps the column order of the CSV: head, replayLag, writeLag, flushLag, visibleLag,
 * commitLatency, counts, roundTrip, theory and calibration columns, component and machine.
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

/** The lag model at one rate, with its band against the paired per-probe differences. */
export interface LagPoint {
  model: number;
  commit: number;
  roundTrip: number;
  delta: Cell;
  deltaLo: Cell;
  deltaHi: Cell;
  coverage: Cell;
}

export interface LagInput {
  commit: MedianInterval;
  roundTrip: MedianInterval;
  difference: MedianInterval;
}

/**
 * The lag model's two machine figures per rate, from the same run (lagModel), as medians with
 * order-statistic intervals (median-interval.ts, Conover 1999 §3.2): the probe's ~16 commits are
 * heavy-tailed (one stalled on the primary's disk took C's mean from 3 to 10-15 ms in two
 * fresh-clone runs, a stall that lies before the WAL is sent and so never reaches the replica);
 * one such commit moves a median by one order statistic, not by (stall)/16.
 */
export function lagInputsOf(measured: PostgresMeasurement | null): Map<number, LagInput> {
  const lagInputs = new Map<number, LagInput>();
  for (const r of measured?.lag ?? [])
    lagInputs.set(r.rate, {
      // C: the probe's own commits, each paired with its row's visibility on the replica
      commit: medianInterval(r.probeCommit),
      roundTrip: medianInterval(r.roundTrip),
      // visible − C per probe: what the model predicts as R + a; its median with the sign test's interval
      difference: medianInterval(r.visible.map((v, k) => v - r.probeCommit[k])),
    });
  return lagInputs;
}

/** lagOf(rate): the model from the rate's measured medians, or from the calibration without them. */
export function lagOfFactory(
  lagInputs: Map<number, LagInput>,
  cal: PgCalibration,
): (rate: number) => LagPoint {
  return (rate: number) => {
    const i = lagInputs.get(rate);
    const commit = i ? i.commit.median : cal.commit;
    const roundTrip = i ? i.roundTrip.median : cal.roundTrip;
    const model = lagModel(rate, commit, roundTrip);
    // the band's quantity: median(visible − C) − (model − median C), the model's R + a against the
    // paired differences; its interval from the two order-statistic intervals (D's and R's)
    const excess = model - commit - roundTrip; // the replay's M/M/1 sojourn (≈ a)
    const d = i?.difference;
    const rt = i?.roundTrip;
    return {
      model: model,
      commit: commit,
      roundTrip: roundTrip,
      delta: d ? d.median - roundTrip - excess : null,
      deltaLo: d && d.lo !== null && rt && rt.hi !== null ? d.lo - rt.hi - excess : null,
      deltaHi: d && d.hi !== null && rt && rt.lo !== null ? d.hi - rt.lo - excess : null,
      coverage:
        d && d.coverage !== null && rt && rt.coverage !== null
          ? d.coverage + rt.coverage - 1
          : null,
    };
  };
}

/** The calibration columns of every row. */
export function calColumns(cal: PgCalibration): Record<string, number> {
  return {
    commitCal: cal.commit,
    linkCal: cal.link,
    flushCal: cal.flush,
    applyCal: cal.apply,
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
      // median(visible − C) − (model − median C) and its interval (Bonferroni coverage ≥ lagDeltaCoverage)
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
