/**
 * The median with its distribution-free confidence interval from order statistics (Conover,
 * Practical Nonparametric Statistics, 3rd ed. 1999, §3.2, the sign test's interval for a quantile):
 * for n independent samples of a continuous distribution, the number below the median is
 * Binomial(n, 1/2), so [x_(l), x_(n+1-l)] (1-based order statistics) covers the median with
 * probability 1 − 2·P(B ≤ l − 1), B ~ Bin(n, 1/2); l is the largest with that at least `level`.
 * One outlier (a stalled commit) moves the median by at most one order statistic, and the interval
 * by at most one on each side, however far out it lies, where it moves a mean by (outlier)/n.
 * Below n = 6 no pair of order statistics reaches 95 %: the interval is then [min, max] and
 * `coverage` says what it holds (1 − 2^(1−n)).
 */
import { binomialCdf } from './quantile-bound';

export interface MedianInterval {
  median: number;
  lo: number | null;
  hi: number | null;
  /** The interval's exact coverage under the binomial (Conover §3.2), or null for fewer than 2 samples. */
  coverage: number | null;
  n: number;
}

const binomialHalfCdf = (n: number, k: number) => binomialCdf(n, 0.5, k);

export function medianInterval(values: readonly number[], level = 0.95): MedianInterval {
  const x = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = x.length;
  if (n === 0) return { median: NaN, lo: null, hi: null, coverage: null, n: 0 };
  const median = n % 2 === 1 ? x[(n - 1) / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
  if (n < 2) return { median, lo: null, hi: null, coverage: null, n };
  // the largest l (1-based) with 1 − 2 P(B ≤ l − 1) ≥ level; at least 1 ([min, max])
  let l = 1;
  while (l + 1 <= Math.floor(n / 2) && 1 - 2 * binomialHalfCdf(n, l) >= level) l++;
  return {
    median,
    lo: x[l - 1],
    hi: x[n - l],
    coverage: 1 - 2 * binomialHalfCdf(n, l - 1),
    n,
  };
}
