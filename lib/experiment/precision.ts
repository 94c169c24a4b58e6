/**
 * Runs that stop at a precision (sequential replications; Law 2015, §9.4.1, "obtaining a
 * specified precision"; JMT's simulator stops a measure the same way, NewDynamicDataAnalyzer):
 * every point starts with its usual replications; after each round, a point whose named metrics
 * all have a relative half-width ≤ `precision` at every row stops, the others get more
 * replications, until the budget `maxReplications` (default {@link DEFAULT_MAX_REPLICATIONS}) is
 * spent. The relative half-width of an interval [lo, hi] around a mean m is the larger half over
 * |m|, max(hi − m, m − lo)/|m| (the intervals of skewed kinds are asymmetric; the larger side
 * decides); an interval [0, 0] around 0 has width 0.
 *
 * A round adds replications up to n' = min(max, 2n, ⌈n · (h/precision)²⌉) (at least n + 1), with
 * h the worst relative half-width of the point: the standard n·(h/ε)² estimate of the need, capped
 * at doubling so a noisy first estimate cannot overshoot far. Replication r of a point always has
 * the seed `taskSeed(seed, point, r)`, and the rounds depend only on the results, so a run with a
 * precision gives the same numbers for any thread count.
 */
import { ParameterError } from '../errors';
import type { Observation, Point } from './experiment';
import { metricInterval, metricSpecs } from './intervals';
import type { MetricsDeclaration } from './intervals';
import { confidenceLevel } from './aggregate';

/** Most replications a point gets when the run has a precision and no stated budget. */
export const DEFAULT_MAX_REPLICATIONS = 64;

export interface PrecisionRequest {
  /** Target relative half-width of the 95% interval, in (0, 1]. */
  precision: number;
  /** The metrics it applies to; default: the experiment's `precisionMetrics`, else all. */
  precisionMetrics?: readonly string[];
  /** Most replications per point (default 64). */
  maxReplications?: number;
}

/** Per point: whether every named metric reached the precision, and with how many replications. */
export interface PointPrecision {
  point: Point;
  replications: number;
  reached: boolean;
  /** The worst relative half-width over the named metrics and the point's rows, and its metric. */
  worstMetric: string | null;
  relativeHalfWidth: number;
}

/** The provenance's summary of a run with a precision. */
export interface PrecisionProvenance {
  precision: number;
  metrics: string[];
  maxReplications: number;
  /** True when every point reached it. */
  reached: boolean;
  points: PointPrecision[];
}

/** Checks a precision request against the experiment's metrics; names the bad option. */
export function checkPrecision(
  request: PrecisionRequest,
  metrics: MetricsDeclaration,
  defaults: readonly string[] | undefined,
  initial: number,
): { precision: number; metrics: string[]; maxReplications: number } {
  const { precision } = request;
  if (typeof precision !== 'number' || !(precision > 0 && precision <= 1))
    throw new ParameterError(
      'precision',
      precision,
      'must be a relative half-width in (0, 1], e.g. 0.05',
    );
  const names = metricSpecs(metrics).map((m) => m.name);
  const chosen = [...(request.precisionMetrics ?? defaults ?? names)];
  if (chosen.length === 0)
    throw new ParameterError(
      'precision-metrics',
      chosen,
      `must name at least one of ${names.join(', ')}`,
    );
  for (const m of chosen)
    if (!names.includes(m))
      throw new ParameterError('precision-metrics', m, `must be one of ${names.join(', ')}`);
  const maxReplications = request.maxReplications ?? Math.max(DEFAULT_MAX_REPLICATIONS, initial);
  if (
    !Number.isInteger(maxReplications) ||
    maxReplications < Math.max(2, initial) ||
    maxReplications > 10000
  ) {
    throw new ParameterError(
      'max-reps',
      maxReplications,
      `must be an integer in [${Math.max(2, initial)}, 10000] (at least the replications a point starts with)`,
    );
  }
  return { precision: precision, metrics: chosen, maxReplications: maxReplications };
}

/** The worst relative half-width of `targets` over a point's rows (Infinity where an interval is missing). */
export function worstRelativeHalfWidth(
  replications: Observation[][],
  metrics: MetricsDeclaration,
  targets: readonly string[],
): { metric: string | null; value: number } {
  const specs = metricSpecs(metrics).filter((s) => targets.includes(s.name));
  let worst: { metric: string | null; value: number } = { metric: null, value: 0 };
  const rows = replications[0].length;
  for (let j = 0; j < rows; j++) {
    for (const { name, kind } of specs) {
      const values = replications.map((obs) => {
        const v = obs[j][name];
        return typeof v === 'number' && Number.isFinite(v) ? v : null;
      });
      if (values.every((v) => v === null)) continue; // a metric this row does not measure
      const ci = metricInterval(name, kind, values, confidenceLevel);
      let h: number;
      if (ci.mean === null || ci.lo === null || ci.hi === null) h = Infinity;
      else if (ci.mean === 0) h = ci.hi === 0 && ci.lo === 0 ? 0 : Infinity;
      else h = Math.max(ci.hi - ci.mean, ci.mean - ci.lo) / Math.abs(ci.mean);
      if (h > worst.value || worst.metric === null) worst = { metric: name, value: h };
    }
  }
  return worst;
}

/**
 * Replications of every point until the precision holds or the budget is spent. `execute` runs a
 * list of (point index, replication index) tasks and returns their observations in order.
 */
export async function replicateToPrecision(args: {
  points: readonly Point[];
  initial: number;
  metrics: MetricsDeclaration;
  precision: number;
  targets: readonly string[];
  maxReplications: number;
  execute: (tasks: Array<{ point: number; replication: number }>) => Promise<Observation[][]>;
}): Promise<{ perPoint: Observation[][][]; status: PointPrecision[] }> {
  const { points, metrics, precision, targets, maxReplications } = args;
  const initial = Math.min(maxReplications, Math.max(2, args.initial));
  const perPoint: Observation[][][] = points.map(() => []);
  const want = points.map(() => initial);
  const status: PointPrecision[] = points.map((point) => ({
    point: point,
    replications: 0,
    reached: false,
    worstMetric: null,
    relativeHalfWidth: Infinity,
  }));
  for (;;) {
    const tasks: Array<{ point: number; replication: number }> = [];
    points.forEach((_, i) => {
      for (let r = perPoint[i].length; r < want[i]; r++) tasks.push({ point: i, replication: r });
    });
    if (tasks.length === 0) break;
    const results = await args.execute(tasks);
    tasks.forEach((t, k) => (perPoint[t.point][t.replication] = results[k]));
    points.forEach((_, i) => {
      const n = perPoint[i].length;
      if (status[i].reached || n !== want[i] || (status[i].replications === n && n > 0)) return;
      const worst = worstRelativeHalfWidth(perPoint[i], metrics, targets);
      status[i] = {
        point: points[i],
        replications: n,
        reached: worst.value <= precision,
        worstMetric: worst.metric,
        relativeHalfWidth: worst.value,
      };
      if (status[i].reached || n >= maxReplications) return;
      const estimate = Number.isFinite(worst.value)
        ? Math.ceil(n * (worst.value / precision) ** 2)
        : 2 * n;
      want[i] = Math.min(maxReplications, Math.max(n + 1, Math.min(2 * n, estimate)));
    });
  }
  return { perPoint: perPoint, status: status };
}
