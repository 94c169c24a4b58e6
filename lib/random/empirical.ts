import { ParameterError } from '../errors';
import { scvOf, type Distribution } from './distribution';
import type { Rng } from './xoshiro128';

/**
 * The empirical distribution of observed data: each draw is one of the n observations, chosen
 * uniformly (bootstrap resampling). Mean and variance are those of the data (population variance,
 * divisor n), so they are the exact moments of what is sampled.
 */
export class Empirical implements Distribution {
  readonly data: Float64Array;
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  /** The smallest observation. */
  readonly min: number;
  constructor(data: ArrayLike<number>) {
    if (data == null || typeof data.length !== 'number' || data.length === 0) {
      throw new ParameterError('data', data, 'must be a non-empty array of finite numbers');
    }
    // each entry must be a number as given: Float64Array.from would turn '7' into 7 and null into 0
    for (let i = 0; i < data.length; i++) {
      const x = data[i] as unknown;
      if (typeof x !== 'number' || !Number.isFinite(x))
        throw new ParameterError(`data[${i}]`, x, 'must be a finite number');
    }
    this.data = Float64Array.from(data);
    let min = Infinity;
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < this.data.length; i++) {
      const x = this.data[i];
      if (!Number.isFinite(x)) throw new ParameterError(`data[${i}]`, x, 'must be a finite number');
      if (x < min) min = x;
      const d = x - mean;
      mean += d / (i + 1);
      m2 += d * (x - mean);
    }
    this.min = min;
    this.mean = mean;
    this.variance = m2 / this.data.length;
    this.scv = scvOf(mean, this.variance);
  }
  get label(): string {
    return `Empirical(n=${this.data.length})`;
  }
  sample(rng: Rng): number {
    return this.data[rng.nextInt(this.data.length)];
  }
}
