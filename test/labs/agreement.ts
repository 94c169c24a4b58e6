/**
 * Checks that simulated means agree with closed forms inside confidence intervals.
 *
 * An experiment's table carries 95% Student-t intervals from R replications. A test checks many
 * points at once, so each interval is widened to a family-wise level by Bonferroni: for m checks
 * at overall false-alarm rate 1%, each uses level 1 - 0.01/m, i.e. the half-width times
 * t(1 - 0.005/m, R-1) / t(0.975, R-1). The widening is derived from the theory of the interval,
 * not tuned until green. A sketched quantile also carries the sketch's 1% relative error.
 */
import { studentTQuantile } from '../../lib/random/special';
import { confidenceInterval } from '../../lib/sim/confidence';

export interface Check {
  label: string;
  mean: number;
  lo: number;
  hi: number;
  theory: number;
  replications: number;
  /** Relative error of the estimator itself (e.g. 0.01 for a sketched quantile). */
  relativeError?: number;
}

/** A check of one metric's replications (their Student-t 95 % interval) against its theory value. */
export function replicationsCheck(label: string, xs: number[], theory: number): Check {
  const ci = confidenceInterval(xs);
  return { label, mean: ci.mean, lo: ci.lower, hi: ci.upper, theory, replications: xs.length };
}

/** Returns the checks whose theory value lies outside the family-wise interval (empty when all agree). */
export function disagreements(checks: readonly Check[], familyAlpha = 0.01): string[] {
  const m = checks.length;
  const out: string[] = [];
  for (const c of checks) {
    const widen =
      studentTQuantile(1 - familyAlpha / (2 * m), c.replications - 1) /
      studentTQuantile(0.975, c.replications - 1);
    const half = ((c.hi - c.lo) / 2) * widen;
    // plus float rounding, for metrics pinned at a bound (a saturated server's utilisation is 1
    // in every replication, so its interval has zero width)
    const slack = (c.relativeError ?? 0) * Math.abs(c.mean) + 1e-9 * Math.abs(c.theory);
    if (Math.abs(c.mean - c.theory) > half + slack) {
      out.push(
        `${c.label}: simulated ${c.mean.toPrecision(4)} ± ${half.toPrecision(3)}, theory ${c.theory.toPrecision(4)}`,
      );
    }
  }
  return out;
}

/** Checks for metric `y` of every row that has a theory value. */
export function checksFor(
  rows: Array<Record<string, unknown>>,
  y: string,
  label: (r: Record<string, unknown>) => string,
  relativeError = 0,
): Check[] {
  return rows
    .filter((r) => typeof r[`${y}_theory`] === 'number')
    .map((r) => ({
      label: `${label(r)} ${y}`,
      mean: r[y] as number,
      lo: r[`${y}_lo`] as number,
      hi: r[`${y}_hi`] as number,
      theory: r[`${y}_theory`] as number,
      replications: r.replications as number,
      relativeError,
    }));
}

/** Relative half-width of the 95% interval: checks that a test has power (intervals are tight). */
export function relativeHalfWidth(r: Record<string, unknown>, y: string): number {
  return ((r[`${y}_hi`] as number) - (r[`${y}_lo`] as number)) / 2 / Math.abs(r[y] as number);
}
