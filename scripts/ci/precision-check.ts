/**
 * CI check (issue 17 point 1): the headline numbers of every lab's default run are within the
 * precision the lab states, and hold the theory where the theory is exact. It reads the default
 * outputs that `npm run main` (`scalelab run --all`) wrote to data/results/ and, for every catalog
 * experiment:
 *
 * - `statedPrecision` (lib/experiment/experiment.ts): per metric, the largest relative half-width
 *   of its 95% interval at any row, max(hi − m, m − lo)/|m| (as `--precision` measures it), must be
 *   at most the stated one;
 * - `exactTheory`: each listed metric's `<metric>_theory`, where a row has one, must lie inside its
 *   interval widened to a family-wise level over all such checks of the experiment (Bonferroni,
 *   family-wise false-alarm rate 1 %, as test/labs/agreement.ts does). The widening is done on the
 *   scale the interval was built on: the log scale for the log-normal intervals of 'nonNegative',
 *   'count' and 'quantile' metrics (ln C times t(1 − 0.005/k, R − 1)/t(0.975, R − 1)), the logit
 *   scale for proportions, the plain scale for Student t; a sketched quantile also gets the sketch's
 *   1 % relative error.
 *
 * Rows in `precisionExcludes` are left out of both checks and listed with their half-widths. A
 * metric exclusion (`{ where, metrics, why, atMost? }`, lib/experiment/experiment.ts) leaves out
 * only its metrics at the rows it matches, lists their half-widths, and is itself checked, so it
 * cannot hide an imprecision: without `atMost` each such row's mean must be 0 (zero by
 * construction: every replication observed 0), with it the interval's upper end must be at most
 * `atMost`; an exclusion that matches no row of the default output is also a problem (stale).
 * Every experiment with `precisionMetrics` is listed with its worst half-width per metric, stated
 * or not, so the CI log shows where each lab's defaults stand.
 *
 * It also lists, without failing (issue 17 point 3), each experiment's warm-up verdict from its
 * provenance `warmup` entries: at how many points MSER-5's median truncation is beyond the fixed
 * deletion actually applied (the warm-up too short by MSER-5's rule), and the worst such point.
 * MSER-5 is a diagnostic there: the fixed rule was kept because lab 01's study
 * (test/experiment/warmup-study.ts) measured MSER-5's own deletion biased low at these run lengths.
 *
 *   node -r ts-node/register/transpile-only scripts/ci/precision-check.ts [DIR]
 */
import * as fs from 'fs';
import * as path from 'path';
import { studentTQuantile } from '../../lib/random/special';
import { isMetricExclusion } from '../../lib/experiment/experiment';
import type { MetricExclusion, RowExclusion } from '../../lib/experiment/experiment';

type Row = Record<string, unknown>;
interface WarmupEntry {
  point: Record<string, unknown>;
  median: number;
  max: number;
  deleted?: number;
  measured?: number;
  unit?: string;
  beyond?: number;
  capped?: number;
}
interface Result {
  provenance?: {
    intervals?: Record<string, { kind: string }>;
    replications?: number;
    warmup?: WarmupEntry[];
  };
  rows?: Row[];
}

/**
 * One experiment's warm-up line: points whose MSER-5 median truncation is beyond the deletion
 * applied, and the worst (largest excess, as a share of the measured run where stated).
 */
export function warmupVerdict(
  name: string,
  entries: readonly WarmupEntry[],
  replications: number,
): string | null {
  if (entries.length === 0) return null;
  const unit = entries[0].unit === 'seconds' ? ' s' : ' obs';
  // a point where most replications found no stationary stretch is listed apart, not as too short
  const unsettled = entries.filter((w) => 2 * (w.capped ?? 0) > replications);
  const beyond = entries.filter(
    (w) => num(w.deleted) && w.median > w.deleted && !unsettled.includes(w),
  );
  const reps = entries.reduce((n, w) => n + (w.beyond ?? 0), 0);
  let text = `${name}: ${beyond.length}/${entries.length} points with MSER-5's median beyond the fixed warm-up`;
  if (entries[0].unit === 'seconds') text += ` (${reps} replications beyond at any point)`;
  if (unsettled.length > 0)
    text += `; ${unsettled.length} points never settle (MSER-5 at its cap, half the run, in most replications: overloaded or a transient by design)`;
  if (beyond.length > 0) {
    const worst = beyond.reduce((a, b) => (b.median - b.deleted! > a.median - a.deleted! ? b : a));
    const at = Object.entries(worst.point)
      .map(([k, v]) => `${k}=${Array.isArray(v) || typeof v === 'object' ? JSON.stringify(v) : v}`)
      .join(' ');
    const share = num(worst.measured)
      ? `, ${((100 * (worst.median - worst.deleted!)) / worst.measured).toFixed(1)}% of the measured ${worst.measured}${unit}`
      : '';
    text += `; worst at ${at || 'the one point'}: median ${+worst.median.toPrecision(4)}${unit} vs ${worst.deleted}${unit} deleted${share}`;
  }
  return text;
}

const dir = path.resolve(process.argv[2] ?? 'data/results');
const familyAlpha = 0.01;
/** Relative error of the kernel's quantile sketch (lib/sim/quantile-sketch.ts). */
const sketchError = 0.01;

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The worst relative half-width of `metric` over the rows (0 for an interval [0, 0] around 0). */
export function worstHalfWidth(rows: readonly Row[], metric: string): number {
  let worst = 0;
  for (const r of rows) {
    const [m, lo, hi] = [r[metric], r[`${metric}_lo`], r[`${metric}_hi`]];
    if (!num(m) || !num(lo) || !num(hi)) continue;
    const h =
      m === 0 ? (lo === 0 && hi === 0 ? 0 : Infinity) : Math.max(hi - m, m - lo) / Math.abs(m);
    worst = Math.max(worst, h);
  }
  return worst;
}

const matches = (r: Row, where: RowExclusion) =>
  Object.entries(where).every(([k, v]) => r[k] === v);

/** The rows left whole by the row exclusions (the others are not judged at all). */
export function rowsKept(
  rows: readonly Row[],
  excludes: ReadonlyArray<RowExclusion | MetricExclusion>,
) {
  const whole = excludes.filter((x): x is RowExclusion => !isMetricExclusion(x));
  return rows.filter((r) => !whole.some((x) => matches(r, x)));
}

/** The metric exclusions of `metric` that match `r`. */
function metricExclusionsOf(
  r: Row,
  metric: string,
  excludes: ReadonlyArray<RowExclusion | MetricExclusion>,
): MetricExclusion[] {
  return excludes.filter(
    (x): x is MetricExclusion =>
      isMetricExclusion(x) && x.metrics.includes(metric) && matches(r, x.where),
  );
}

/** The rows at which `metric` is judged: those no metric exclusion of `metric` matches. */
export function rowsJudged(
  rows: readonly Row[],
  metric: string,
  excludes: ReadonlyArray<RowExclusion | MetricExclusion>,
): Row[] {
  return rows.filter((r) => metricExclusionsOf(r, metric, excludes).length === 0);
}

/**
 * What is wrong with the metric exclusions on these rows (the rows the row exclusions kept): a row
 * declared zero by construction whose mean is not 0 (or missing), a row whose interval's upper end
 * exceeds the exclusion's `atMost` (or is missing), an exclusion that matches no row.
 */
export function exclusionProblems(
  rows: readonly Row[],
  excludes: ReadonlyArray<RowExclusion | MetricExclusion>,
): string[] {
  const problems: string[] = [];
  for (const x of excludes) {
    if (!isMetricExclusion(x)) continue;
    const at = rows.filter((r) => matches(r, x.where));
    if (at.length === 0) {
      problems.push(`metric exclusion ${JSON.stringify(x.where)} matches no row`);
      continue;
    }
    const where = JSON.stringify(x.where);
    for (const m of x.metrics) {
      // one problem per exclusion and metric: how many of its rows break it, and the worst value
      const bad = at.filter((r) => {
        const [v, hi] = [r[m], r[`${m}_hi`]];
        return x.atMost === undefined ? v !== 0 : !num(hi) || !num(v) || hi > x.atMost;
      });
      if (bad.length === 0) continue;
      const of = bad.length < at.length ? ` at ${bad.length} of its ${at.length} rows` : '';
      if (x.atMost === undefined) {
        const worst = bad.map((r) => r[m]).sort((a, b) => Number(b) - Number(a))[0];
        problems.push(
          `${m} at ${where} is declared zero by construction (${x.why}) but its mean is ${String(worst)}${of}`,
        );
      } else {
        const worst = bad.map((r) => r[`${m}_hi`]).sort((a, b) => Number(b) - Number(a))[0];
        problems.push(
          `${m} at ${where} is stated at most ${x.atMost} (${x.why}) but its interval reaches ${String(worst)}${of}`,
        );
      }
    }
  }
  return problems;
}

/** The note on the rows a metric exclusion of `m` left out of `judged`: its claims and their half-width. */
function notJudgedNote(
  m: string,
  rows: readonly Row[],
  judged: readonly Row[],
  excludes: ReadonlyArray<RowExclusion | MetricExclusion>,
): string {
  const judgedSet = new Set(judged);
  const aside = rows.filter((r) => !judgedSet.has(r));
  if (aside.length === 0) return '';
  const claims = excludes
    .filter((x): x is MetricExclusion => isMetricExclusion(x) && x.metrics.includes(m))
    .map((x) => (x.atMost === undefined ? 'zero by construction' : `at most ${x.atMost}`));
  return ` [not judged at ${aside.length} rows: ${[...new Set(claims)].join(', ')}; ±${(100 * worstHalfWidth(aside, m)).toFixed(1)}% there]`;
}

/** Whether `theory` lies in the interval [lo, hi] around m widened by `widen` on the kind's scale. */
export function holds(
  kind: string,
  m: number,
  lo: number,
  hi: number,
  theory: number,
  widen: number,
): boolean {
  const tol = 1e-9 * Math.max(1, Math.abs(theory));
  if (hi - lo <= tol)
    return Math.abs(theory - m) <= tol + (kind === 'quantile' ? sketchError * m : 0);
  if (kind === 'proportion' || kind === 'percent') {
    const scale = kind === 'percent' ? 100 : 1;
    const logit = (x: number) => Math.log(x / scale / (1 - x / scale));
    if (theory <= 0 || theory >= scale) return false;
    const c = logit(m);
    const h = Math.max(logit(hi) - c, c - logit(lo)) * widen;
    return Math.abs(logit(theory) - c) <= h + tol;
  }
  if (kind === 'real') {
    const h = Math.max(hi - m, m - lo) * widen;
    return Math.abs(theory - m) <= h + tol;
  }
  // log-normal: [m / C, m · C]
  if (!(m > 0) || !(theory > 0)) return false;
  const lnC = Math.log(hi / m) * widen + (kind === 'quantile' ? Math.log1p(sketchError) : 0);
  return Math.abs(Math.log(theory / m)) <= lnC + tol;
}

function main(): number {
  // loaded here rather than at the top, so a test of the judgements above does not load every lab
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { catalog } = require('../../lib/labs/catalog') as typeof import('../../lib/labs/catalog');
  const problems: string[] = [];
  const lines: string[] = [];
  const warmups: string[] = [];
  let stated = 0;
  for (const e of catalog) {
    if (e.requires) continue;
    const file = path.join(dir, `${e.name}.json`);
    const data = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Result) : null;
    if (data) {
      const prov = data.provenance;
      const line = warmupVerdict(e.name, prov?.warmup ?? [], prov?.replications ?? 1);
      if (line) warmups.push(line);
    }
    const targets = e.precisionMetrics ?? [];
    if (targets.length === 0 && !e.statedPrecision && !e.exactTheory) continue;
    if (!data) {
      problems.push(`${e.name}: no default output ${path.relative(process.cwd(), file)}`);
      continue;
    }
    const all = data.rows ?? [];
    const excludes = e.precisionExcludes ?? [];
    const rows = rowsKept(all, excludes);
    const kept = new Set(rows);
    const excluded = (r: Row) => !kept.has(r);
    const kinds = data.provenance?.intervals ?? {};
    const parts: string[] = [];
    for (const p of exclusionProblems(rows, excludes)) problems.push(`${e.name}: ${p}`);
    for (const m of new Set([...targets, ...Object.keys(e.statedPrecision ?? {})])) {
      const judged = rowsJudged(rows, m, excludes);
      const worst = worstHalfWidth(judged, m);
      const want = e.statedPrecision?.[m];
      parts.push(
        `${m} ±${(100 * worst).toFixed(1)}%` +
          (want !== undefined ? ` (stated ${+(100 * want).toPrecision(6)}%)` : '') +
          notJudgedNote(m, rows, judged, excludes),
      );
      if (want !== undefined) {
        stated++;
        if (!(worst <= want))
          problems.push(
            `${e.name}: ${m}'s worst relative half-width ${(100 * worst).toFixed(1)}% exceeds the stated ${+(100 * want).toPrecision(6)}%`,
          );
      }
    }
    const checks: Array<{ row: number; metric: string }> = [];
    for (const m of e.exactTheory ?? [])
      rows.forEach((r, i) => {
        if (metricExclusionsOf(r, m, excludes).length > 0) return;
        if (num(r[`${m}_theory`]) && num(r[m]) && num(r[`${m}_lo`]))
          checks.push({ row: i, metric: m });
      });
    let missed = 0;
    for (const { row, metric } of checks) {
      const r = rows[row];
      const reps = (r.replications as number) ?? data.provenance?.replications ?? 2;
      const widen =
        studentTQuantile(1 - familyAlpha / (2 * checks.length), reps - 1) /
        studentTQuantile(0.975, reps - 1);
      const kind = kinds[metric]?.kind ?? 'real';
      const [m, lo, hi, th] = [
        r[metric],
        r[`${metric}_lo`],
        r[`${metric}_hi`],
        r[`${metric}_theory`],
      ] as number[];
      if (!holds(kind, m, lo, hi, th, widen)) {
        missed++;
        const key = Object.entries(r)
          .filter(([, v]) => typeof v === 'string')
          .map(([k, v]) => `${k}=${v}`)
          .concat(
            Object.entries(r)
              .filter(([k]) => k === 'rho' || k === 'servers' || k === 'N')
              .map(([k, v]) => `${k}=${v}`),
          )
          .join(' ');
        problems.push(
          `${e.name} row ${row} (${key}): ${metric} ${m.toPrecision(4)} [${lo.toPrecision(4)}, ${hi.toPrecision(4)}] does not hold the exact theory ${th.toPrecision(4)} even family-wise (${checks.length} checks)`,
        );
      }
    }
    if (rows.length < all.length)
      parts.push(
        `not stated for ${all.length - rows.length} rows (${excludes
          .filter((x) => !isMetricExclusion(x))
          .map((x) => JSON.stringify(x))
          .join(', ')}): ` +
          targets
            .map((m) => `${m} ±${(100 * worstHalfWidth(all.filter(excluded), m)).toFixed(1)}%`)
            .join(', '),
      );
    const exact =
      checks.length > 0 ? `; exact theory held at ${checks.length - missed}/${checks.length}` : '';
    lines.push(`${e.name}: ${parts.join(', ')}${exact}`);
  }
  for (const l of lines) console.log(l);
  console.log(`${stated} stated precisions checked: ${problems.length} problem(s)`);
  for (const p of problems) console.log(`  ${p}`);
  console.log(
    `warm-up (not a failure: MSER-5 on each point's replications vs the deletion applied; seconds where the run went through common.measure):`,
  );
  for (const l of warmups) console.log(`  ${l}`);
  return problems.length > 0 ? 1 : 0;
}

if (require.main === module) process.exit(main());
