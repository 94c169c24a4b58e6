import { requireInteger, requirePositive } from '../errors';
import type { Distribution } from './distribution';
import type { Rng } from './xoshiro128';

/**
 * Erlang-k: the sum of k independent exponentials of rate lambda. Mean k/lambda, variance
 * k/lambda^2, scv 1/k. Sampled as -ln(U1 ... Uk)/lambda (products taken in blocks to avoid underflow).
 */
export class Erlang implements Distribution {
  readonly k: number;
  readonly rate: number;
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  constructor(k: number, rate: number) {
    this.k = requireInteger('k', k, 1, 1e6);
    this.rate = requirePositive('rate', rate);
    this.mean = k / rate;
    this.variance = k / (rate * rate);
    this.scv = 1 / k;
  }
  /** Erlang-k with the given mean (each phase has rate k/mean). */
  static withMean(k: number, mean: number): Erlang {
    requireInteger('k', k, 1, 1e6);
    return new Erlang(k, k / requirePositive('mean', mean));
  }
  get label(): string {
    return `Erlang(k=${this.k}, rate=${this.rate})`;
  }
  sample(rng: Rng): number {
    let sum = 0;
    let prod = 1;
    for (let i = 0; i < this.k; i++) {
      prod *= rng.nextOpen();
      if ((i & 15) === 15) {
        sum -= Math.log(prod);
        prod = 1;
      }
    }
    return (sum - Math.log(prod)) / this.rate;
  }
}
