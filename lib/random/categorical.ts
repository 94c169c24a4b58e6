import { ParameterError } from '../errors';
import { scvOf, type Distribution } from './distribution';
import type { Rng } from './xoshiro128';

/**
 * A weighted choice among k outcomes in O(1) per draw by Walker's alias method, built in O(k) with
 * Vose's stable construction (Vose, IEEE TSE 17(9), 1991).
 *
 * `sample` returns the outcome's value: `values[i]` when values are given, else the index i.
 * `sampleIndex` always returns the index. Mean and variance are those of the values (or indices).
 */
export class Categorical implements Distribution {
  readonly probabilities: Float64Array;
  readonly values: Float64Array;
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>, values?: ArrayLike<number>) {
    if (weights == null || typeof weights.length !== 'number' || weights.length === 0) {
      throw new ParameterError(
        'weights',
        weights,
        'must be a non-empty array of non-negative numbers',
      );
    }
    const k = weights.length;
    if (values !== undefined && (values == null || values.length !== k)) {
      throw new ParameterError('values', values, `must have one value per weight (${k})`);
    }
    let total = 0;
    for (let i = 0; i < k; i++) {
      const w = weights[i];
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
        throw new ParameterError(`weights[${i}]`, w, 'must be a finite number >= 0');
      }
      total += w;
    }
    if (!(total > 0)) throw new ParameterError('weights', weights, 'must have a positive sum');
    this.probabilities = new Float64Array(k);
    this.values = new Float64Array(k);
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < k; i++) {
      const p = weights[i] / total;
      const v = values ? values[i] : i;
      if (!Number.isFinite(v))
        throw new ParameterError(`values[${i}]`, v, 'must be a finite number');
      this.probabilities[i] = p;
      this.values[i] = v;
      mean += p * v;
    }
    for (let i = 0; i < k; i++) m2 += this.probabilities[i] * (this.values[i] - mean) ** 2;
    this.mean = mean;
    this.variance = m2;
    this.scv = scvOf(mean, m2);

    // Vose's alias construction
    this.prob = new Float64Array(k);
    this.alias = new Int32Array(k);
    const scaled = new Float64Array(k);
    const small = new Int32Array(k);
    const large = new Int32Array(k);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < k; i++) {
      scaled[i] = this.probabilities[i] * k;
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const l = small[--ns];
      const g = large[--nl];
      this.prob[l] = scaled[l];
      this.alias[l] = g;
      scaled[g] = scaled[g] + scaled[l] - 1;
      if (scaled[g] < 1) small[ns++] = g;
      else large[nl++] = g;
    }
    while (nl > 0) this.prob[large[--nl]] = 1;
    while (ns > 0) this.prob[small[--ns]] = 1;
  }

  get label(): string {
    return `Categorical(k=${this.probabilities.length})`;
  }

  /** Index of the chosen outcome, in [0, k). */
  sampleIndex(rng: Rng): number {
    const x = rng.next() * this.prob.length;
    const i = Math.floor(x);
    return x - i < this.prob[i] ? i : this.alias[i];
  }

  sample(rng: Rng): number {
    return this.values[this.sampleIndex(rng)];
  }
}
