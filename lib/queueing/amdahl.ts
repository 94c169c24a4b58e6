/**
 * Amdahl's law: speedup of a fixed-size job on n processors when a fraction p of it parallelises.
 *
 *   S(n) = 1 / ((1 - p) + p / n),   limit 1 / (1 - p) as n -> infinity
 *
 * (The USL with beta = 0 and alpha = 1 - p.) Source: G. M. Amdahl, "Validity of the single processor
 * approach to achieving large scale computing capabilities", AFIPS 1967.
 */
import { requireProbability, requirePositive } from '../errors';

export interface ScalingResult {
  /** Processors (or nodes, threads). */
  readonly n: number;
  /** Speedup relative to one processor. */
  readonly speedup: number;
  /** Speedup per processor, S(n) / n. */
  readonly efficiency: number;
  /** Speedup as n grows without bound (null when unbounded). */
  readonly limit: number | null;
}

/** Amdahl speedup for parallel fraction p in [0, 1] on n > 0 processors. */
export function amdahl(p: number, n: number): ScalingResult {
  requireProbability('p', p);
  requirePositive('n', n);
  const speedup = 1 / (1 - p + p / n);
  return { n, speedup, efficiency: speedup / n, limit: p < 1 ? 1 / (1 - p) : null };
}
