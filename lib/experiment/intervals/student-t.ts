/**
 * Student-t interval of a mean over R independent replications:
 * mean ± t(1 − α/2, R − 1) · s/√R (Law, Simulation Modeling and Analysis, 5th ed., §9.4.1).
 * For metrics of kind 'real', whose values may be negative.
 */
import { studentTQuantile } from '../../random/special';
import type { Interval } from './interval';

/** Sample mean and standard error s/√n of the values (n ≥ 1; se 0 for n = 1). */
export function meanAndStandardError(values: readonly number[]): { mean: number; se: number } {
  const n = values.length;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    mean += d / (i + 1);
    m2 += d * (values[i] - mean);
  }
  return { mean: mean, se: n > 1 ? Math.sqrt(m2 / (n - 1) / n) : 0 };
}

export const studentTMethod = 'Student t over replications';

export function studentTInterval(values: readonly number[], level: number): Interval {
  const { mean, se } = meanAndStandardError(values);
  const h = studentTQuantile((1 + level) / 2, values.length - 1) * se;
  return { mean: mean, lo: mean - h, hi: mean + h, method: studentTMethod };
}
