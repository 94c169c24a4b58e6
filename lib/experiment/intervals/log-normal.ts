/**
 * Log-normal interval of a non-negative mean (Burnham, Anderson, White, Brownie & Pollock 1987,
 * Design and Analysis Methods for Fish Survival Experiments Based on Release-Recapture, §1.3;
 * Buckland et al. 2001, Introduction to Distance Sampling, §3.6.1): with m the mean of R
 * replications and cv = (s/√R)/m its coefficient of variation,
 *
 *   C = exp(t(1 − α/2, R − 1) · √ln(1 + cv²)),   interval [m / C, m · C].
 *
 * It treats the estimator as log-normal (the delta method on ln m), so it is asymmetric the way a
 * right-skewed non-negative estimate is, agrees with Student t to first order when cv is small,
 * and cannot leave (0, ∞). Replications that observed 0 are fine as long as the mean is positive;
 * a mean of exactly 0 (every replication 0) has the degenerate interval [0, 0], or for a count the
 * exact Poisson bound below.
 *
 * Counts (integer events per replication) that are 0 in all R replications: the exact (Garwood
 * 1936) 97.5 % upper bound on a Poisson mean after a total of 0 is −ln(0.025) = 3.689, so the
 * per-replication mean lies in [0, 3.689/R].
 */
import { studentTQuantile } from '../../random/special';
import type { Interval } from './interval';
import { meanAndStandardError } from './student-t';

export const logNormalMethod = 'log-normal (Burnham et al. 1987) over replications';
export const quantileMethod =
  'replications as batches of the quantile, log-normal (Burnham et al. 1987)';

export function logNormalInterval(
  values: readonly number[],
  level: number,
  options: { count?: boolean; method?: string } = {},
): Interval {
  const method = options.method ?? logNormalMethod;
  const { mean, se } = meanAndStandardError(values);
  if (mean === 0) {
    if (options.count) {
      const upper = -Math.log((1 - level) / 2) / values.length;
      return {
        mean: 0,
        lo: 0,
        hi: upper,
        method: 'exact Poisson (Garwood 1936) upper bound, all replications 0',
      };
    }
    return { mean: 0, lo: 0, hi: 0, method: `${method}; every replication 0` };
  }
  const cv = se / mean;
  const c = Math.exp(
    studentTQuantile((1 + level) / 2, values.length - 1) * Math.sqrt(Math.log1p(cv * cv)),
  );
  return { mean: mean, lo: mean / c, hi: mean * c, method: method };
}
