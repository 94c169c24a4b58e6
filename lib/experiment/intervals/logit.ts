/**
 * Logit-transformed t interval of a proportion over R replications: with p the mean of the
 * replications' proportions and se = s/√R, the delta method on logit p gives
 *
 *   logit p ± t(1 − α/2, R − 1) · se / (p (1 − p)),   mapped back by the logistic function,
 *
 * which stays inside (0, 1) and is asymmetric near the bounds (the logit interval of Brown, Cai &
 * DasGupta 2001, "Interval Estimation for a Binomial Proportion", Statist. Sci. 16, §4.1, applied
 * to the replication means as in Law 2015 §9.4.1).
 *
 * Why not Wilson on the pooled counts: Wilson (and Clopper-Pearson) assume independent trials,
 * but the requests of one simulated run are not independent (drops and errors come in bursts: a
 * busy period, a crash), so a pooled-count interval is too narrow. The replications are the
 * independent units; their spread is the honest measure, and the logit keeps the interval in range.
 * Every replication 0 (or every one 1): the degenerate interval at that value, so stated.
 * `scale` 100 handles percentages.
 */
import { studentTQuantile } from '../../random/special';
import type { Interval } from './interval';
import { meanAndStandardError } from './student-t';

export const logitMethod = 'logit-transformed t over replications';

export function logitInterval(
  values: readonly number[],
  level: number,
  scale: number = 1,
): Interval {
  const { mean, se } = meanAndStandardError(values.map((v) => v / scale));
  if (se === 0 || mean <= 0 || mean >= 1) {
    const p = Math.min(1, Math.max(0, mean));
    return {
      mean: mean * scale,
      lo: p * scale,
      hi: p * scale,
      method: `${logitMethod}; no variation across replications`,
    };
  }
  const l = Math.log(mean / (1 - mean));
  const h = (studentTQuantile((1 + level) / 2, values.length - 1) * se) / (mean * (1 - mean));
  const expit = (x: number) => 1 / (1 + Math.exp(-x));
  return {
    mean: mean * scale,
    lo: expit(l - h) * scale,
    hi: expit(l + h) * scale,
    method: logitMethod,
  };
}
