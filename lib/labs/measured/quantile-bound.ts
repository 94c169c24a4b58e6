/**
 * One-sided distribution-free confidence bounds for a quantile from order statistics (Conover,
 * Practical Nonparametric Statistics, 3rd ed. 1999, §3.2, the interval for a quantile, one side of
 * it): for n independent samples of a continuous distribution with p-quantile q_p, the number of
 * samples below q_p is B ~ Binomial(n, p), so the u-th smallest x_(u) lies at or above q_p unless
 * B ≥ u: P(x_(u) ≥ q_p) = P(B ≤ u − 1). The upper bound is the smallest x_(u) with that at least
 * `level`; the lower bound, by symmetry, the largest x_(l) with P(B ≥ l) ≥ level. Where no order
 * statistic reaches the level (too few samples for so extreme a quantile), the bound is the sample's
 * extreme with the smaller coverage it has (1 − p^n above, 1 − (1 − p)^n below) and `reached` false,
 * so that a caller prints what the bound holds instead of claiming the level.
 */
export interface QuantileBound {
  /** The bound (an order statistic of the samples); NaN without samples. */
  value: number;
  /** P(the bound lies on its side of the quantile) under the binomial; 0 without samples. */
  coverage: number;
  /** Whether `coverage` reaches the level asked for. */
  reached: boolean;
  n: number;
}

/** P(B ≤ k) for B ~ Binomial(n, p), 0 < p < 1, summed term by term in log space (n up to many thousands). */
export function binomialCdf(n: number, p: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let logTerm = n * lq; // j = 0
  let sum = Math.exp(logTerm);
  for (let j = 1; j <= k; j++) {
    logTerm += Math.log((n - j + 1) / j) + lp - lq;
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

function sortedFinite(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
}

function checkArguments(p: number, level: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile p = ${p}: must lie in (0, 1)`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level = ${level}: must lie in (0, 1)`);
}

/** The smallest order statistic that lies at or above the p-quantile with probability ≥ level. */
export function quantileUpperBound(
  values: readonly number[],
  p: number,
  level = 0.95,
): QuantileBound {
  checkArguments(p, level);
  const x = sortedFinite(values);
  const n = x.length;
  for (let u = 1; u <= n; u++) {
    const c = binomialCdf(n, p, u - 1);
    if (c >= level || u === n) return { value: x[u - 1], coverage: c, reached: c >= level, n };
  }
  return { value: NaN, coverage: 0, reached: false, n };
}

/**
 * The largest order statistic that lies at or below the p-quantile with probability ≥ level: by
 * symmetry, minus the upper bound of the (1 − p)-quantile of the negated samples.
 */
export function quantileLowerBound(
  values: readonly number[],
  p: number,
  level = 0.95,
): QuantileBound {
  checkArguments(p, level);
  const up = quantileUpperBound(
    values.map((v) => -v),
    1 - p,
    level,
  );
  return { ...up, value: -up.value };
}
