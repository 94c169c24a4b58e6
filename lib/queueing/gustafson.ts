/**
 * Gustafson's law: scaled speedup when the problem grows with the machine, parallel fraction p
 * measured on the n-processor run.
 *
 *   S(n) = (1 - p) + p n = n - (1 - p)(n - 1)
 *
 * Source: J. L. Gustafson, "Reevaluating Amdahl's law", Communications of the ACM 31(5), 1988.
 */
import { requireProbability, requirePositive } from '../errors';
import type { ScalingResult } from './amdahl';

/** Gustafson scaled speedup for parallel fraction p in [0, 1] on n > 0 processors (unbounded). */
export function gustafson(p: number, n: number): ScalingResult {
  requireProbability('p', p);
  requirePositive('n', n);
  const speedup = 1 - p + p * n;
  return { n, speedup, efficiency: speedup / n, limit: p > 0 ? null : 1 };
}
