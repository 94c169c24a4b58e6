import type { Rng } from './xoshiro128';

/**
 * A probability distribution you can sample from a named stream.
 *
 * `mean`, `variance` and `scv` (squared coefficient of variation, variance / mean^2) are the
 * exact moments of the distribution as parameterised (Infinity when a moment does not exist,
 * e.g. a Pareto with shape <= 2 has infinite variance). `sample(rng)` draws one value using only
 * the generator passed in, so draws are reproducible per stream.
 */
export interface Distribution {
  /** Short description, e.g. `Exponential(rate=2)`. */
  readonly label: string;
  readonly mean: number;
  readonly variance: number;
  /** Squared coefficient of variation: variance / mean^2 (0 for deterministic, 1 for exponential). */
  readonly scv: number;
  sample(rng: Rng): number;
  /**
   * Optional: the smallest value a draw can take (e.g. the least observation of an Empirical).
   * Blocks that need durations refuse a distribution whose `min` is negative.
   */
  readonly min?: number;
  /**
   * Optional: writes one draw to `out[index]` (same value as `sample`). Hot paths use it when
   * present, because a double returned from a call the JIT does not inline is heap-allocated.
   */
  sampleInto?(rng: Rng, out: Float64Array, index: number): void;
}

/** scv = variance / mean^2, with the conventions 0/0 = 0 and x/0 = Infinity. */
export function scvOf(mean: number, variance: number): number {
  if (variance === 0) return 0;
  if (!Number.isFinite(variance)) return Infinity;
  return variance / (mean * mean);
}
