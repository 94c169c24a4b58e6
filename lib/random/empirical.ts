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
  constructor(data: ArrayLike<number>) {
    if (data == null || typeof data.length !== 'number' || data.length === 0) {
      throw new ParameterError('data', data, 'must be a non-empty array of finite numbers');
    }
    this.data = Float64Array.from(data);
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < this.data.length; i++) {
      const x = this.data[i];
      if (!Number.isFinite(x)) throw new ParameterError(`data[${i}]`, x, 'must be a finite number');
      const d = x - mean;
      mean += d / (i + 1);
      m2 += d * (x - mean);
    }
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
