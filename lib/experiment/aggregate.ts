/**
 * Replications to one table row per observation: each metric's mean over the replications and
 * its 95% interval, by the metric's kind (lib/experiment/intervals: Student t for 'real', a
 * log-normal interval for non-negative means, counts and quantiles, a logit interval for
 * proportions), so no interval leaves its metric's range. The methods used are collected per
 * metric for the provenance, and an observation's `warmupTruncated` field (observations deleted
 * by MSER-5, see lib/sim/warmup.ts `mser5`) is summarised per point instead of being a key; so are
 * the warm-up fields {@link withWarmupReport} puts on a replication that ran through
 * `common.measure` (its fixed warm-up and MSER-5's truncation point, in simulated seconds).
 */
import { studentTInterval } from './intervals/student-t';
import { metricInterval, metricSpecs, noIntervalMethod } from './intervals';
import type { MetricKind, MetricsDeclaration } from './intervals';
import type { Observation, Point } from './experiment';
import type { WarmupReport } from '../sim/warmup-report';

export type Row = Record<string, number | string | boolean | null>;

/** Confidence level of the interval columns. */
export const confidenceLevel = 0.95;

/** The observation field a simulate function sets to the count MSER-5 deleted (not a key, not a metric). */
export const warmupField = 'warmupTruncated';
/**
 * Observation fields beside it, also summarised in the provenance (first replication's value) and
 * not keys: the observations the run itself deleted as its warm-up (e.g. a fixed first tenth) and
 * the observations it measured after that, so the provenance states each point's run length.
 */
export const warmupDeletedField = 'warmupDeleted';
export const measuredField = 'measured';
/**
 * The fields {@link withWarmupReport} sets on a replication's first observation from its
 * `common.measure` runs: MSER-5's truncation point, the fixed warm-up deleted and the seconds
 * measured (simulated seconds), the series MSER-5 read, its samples and the count of runs.
 */
export const warmupSecondsFields = {
  mser5: 'warmupMser5Seconds',
  deleted: 'warmupDeletedSeconds',
  measured: 'measuredSeconds',
  series: 'warmupSeries',
  samples: 'warmupSamples',
  runs: 'warmupRuns',
  capped: 'warmupMser5Capped',
} as const;
const provenanceFields: string[] = [
  warmupField,
  warmupDeletedField,
  measuredField,
  ...Object.values(warmupSecondsFields),
];

export interface MeanInterval {
  mean: number | null;
  lo: number | null;
  hi: number | null;
}

/** Mean and Student-t interval of the values; null where a value is missing or non-finite. */
export function meanInterval(
  values: ReadonlyArray<number | null>,
  level = confidenceLevel,
): MeanInterval {
  const n = values.length;
  if (n === 0 || values.some((v) => v === null || !Number.isFinite(v)))
    return { mean: null, lo: null, hi: null };
  if (n < 2) return { mean: values[0] as number, lo: null, hi: null };
  const ci = studentTInterval(values as number[], level);
  return { mean: ci.mean, lo: ci.lo, hi: ci.hi };
}

/** Per metric: its kind and every interval method its rows used, most used first. */
export type IntervalMethods = Record<string, { kind: MetricKind; methods: string[] }>;

/**
 * The MSER-5 truncation of one point: median and range over its replications, in observations
 * deleted (labs 01-02's own check) or, with `unit: 'seconds'`, in simulated seconds (the
 * `common.measure` check of every other simulated experiment).
 */
export interface WarmupSummary {
  method: 'MSER-5';
  median: number;
  min: number;
  max: number;
  /** Observations (or seconds) the run deleted as its warm-up (its own rule), where reported. */
  deleted?: number;
  /** Observations (or seconds) measured after the warm-up, where reported. */
  measured?: number;
  /** 'seconds' where median, min, max, deleted and measured are simulated seconds. */
  unit?: 'seconds';
  /** The deletion actually applied, e.g. 'fixed: warmup seconds'. */
  deletion?: string;
  /** The series MSER-5 read and its samples per run. */
  series?: string;
  samples?: number;
  /** Replications whose MSER-5 point is beyond the deletion (warm-up too short by MSER-5's rule). */
  beyond?: number;
  /**
   * Replications where MSER-5 took its largest truncation, half the run: no stationary stretch
   * (an overloaded point, or a transient by design); its point then says nothing of the warm-up.
   */
  capped?: number;
  /** `common.measure` runs per replication, where more than one (the one reported is the worst). */
  runs?: number;
}

/**
 * A replication's observations with its `common.measure` warm-up reports on the first one (see
 * {@link warmupSecondsFields}); unchanged without reports or when an observation carries its own
 * check (`warmupTruncated`/`warmupDeleted`, labs 01-02). Of several runs (a replication that
 * calls `measure` more than once) the one with MSER-5's point furthest beyond its deletion is
 * kept, and the count of runs.
 */
export function withWarmupReport(
  observations: Observation[],
  reports: readonly WarmupReport[],
): Observation[] {
  if (reports.length === 0 || observations.length === 0) return observations;
  if (observations.some((o) => warmupField in o || warmupDeletedField in o)) return observations;
  let worst = reports[0];
  for (const r of reports)
    if (r.mser5Seconds - r.deletedSeconds > worst.mser5Seconds - worst.deletedSeconds) worst = r;
  const f = warmupSecondsFields;
  const first: Observation = {
    ...observations[0],
    [f.mser5]: worst.mser5Seconds,
    [f.deleted]: worst.deletedSeconds,
    [f.measured]: worst.measuredSeconds,
    [f.series]: worst.series,
    [f.samples]: worst.samples,
    [f.runs]: reports.length,
    [f.capped]: worst.capped,
  };
  return [first, ...observations.slice(1)];
}

/** What aggregation collects for the provenance (pass one to {@link aggregatePoint}). */
export class AggregateNotes {
  private readonly counts = new Map<string, { kind: MetricKind; methods: Map<string, number> }>();
  /** Per point index: the MSER-5 truncation, where the experiment reported one. */
  readonly warmup: Array<WarmupSummary | null> = [];

  note(metric: string, kind: MetricKind, method: string): void {
    let m = this.counts.get(metric);
    if (!m) this.counts.set(metric, (m = { kind: kind, methods: new Map() }));
    m.methods.set(method, (m.methods.get(method) ?? 0) + 1);
  }

  methods(): IntervalMethods {
    const out: IntervalMethods = {};
    for (const [metric, { kind, methods }] of this.counts) {
      out[metric] = {
        kind: kind,
        methods: [...methods.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name),
      };
    }
    return out;
  }
}

function asNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The `common.measure` check's summary: MSER-5's points over the replications, in seconds. */
function warmupSecondsOf(replications: Observation[][]): WarmupSummary | null {
  const f = warmupSecondsFields;
  const firsts = replications.map((obs) => obs[0] ?? {});
  if (!firsts.every((o) => typeof o[f.mser5] === 'number')) return null;
  const values = firsts.map((o) => o[f.mser5] as number).sort((a, b) => a - b);
  const first = firsts[0];
  const deleted = first[f.deleted] as number;
  const runs = Math.max(...firsts.map((o) => o[f.runs] as number));
  return {
    method: 'MSER-5',
    median: median(values),
    min: values[0],
    max: values[values.length - 1],
    deleted: deleted,
    measured: first[f.measured] as number,
    unit: 'seconds',
    deletion: 'fixed: warmup seconds',
    series: first[f.series] as string,
    samples: first[f.samples] as number,
    beyond: firsts.filter((o) => (o[f.mser5] as number) > (o[f.deleted] as number)).length,
    capped: firsts.filter((o) => o[f.capped] === true).length,
    ...(runs > 1 ? { runs: runs } : {}),
  };
}

function warmupOf(replications: Observation[][]): WarmupSummary | null {
  const seconds = warmupSecondsOf(replications);
  if (seconds) return seconds;
  const values: number[] = [];
  for (const obs of replications)
    for (const o of obs)
      if (typeof o[warmupField] === 'number') values.push(o[warmupField] as number);
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const first = replications[0][0] ?? {};
  return {
    method: 'MSER-5',
    median: median(values),
    min: values[0],
    max: values[values.length - 1],
    ...(typeof first[warmupDeletedField] === 'number'
      ? { deleted: first[warmupDeletedField] as number }
      : {}),
    ...(typeof first[measuredField] === 'number'
      ? { measured: first[measuredField] as number }
      : {}),
  };
}

/**
 * One point's replications (each a list of observations) to rows: observation j of every
 * replication is averaged with observation j of the others; key fields come from the first.
 * With one replication the `_lo`/`_hi` columns are kept, null.
 */
export function aggregatePoint(
  point: Point,
  replications: Observation[][],
  metrics: MetricsDeclaration,
  theory: Row | null,
  notes?: AggregateNotes,
): Row[] {
  const specs = metricSpecs(metrics);
  const names = specs.map((s) => s.name);
  const count = replications[0].length;
  replications.forEach((obs, r) => {
    if (obs.length !== count) {
      throw new Error(
        `replication ${r} of point ${JSON.stringify(point)} returned ${obs.length} observations, replication 0 returned ${count}`,
      );
    }
  });
  notes?.warmup.push(warmupOf(replications));
  const rows: Row[] = [];
  for (let j = 0; j < count; j++) {
    const first = replications[0][j];
    const row: Row = { ...point };
    for (const [k, v] of Object.entries(first))
      if (!names.includes(k) && !provenanceFields.includes(k)) row[k] = v;
    row.replications = replications.length;
    for (const { name, kind } of specs) {
      const ci = metricInterval(
        name,
        kind,
        replications.map((obs) => asNumber(obs[j][name])),
        confidenceLevel,
      );
      row[name] = ci.mean;
      row[`${name}_lo`] = ci.lo;
      row[`${name}_hi`] = ci.hi;
      notes?.note(name, kind, replications.length < 2 ? noIntervalMethod : ci.method);
    }
    if (theory) Object.assign(row, theory);
    rows.push(row);
  }
  return rows;
}
