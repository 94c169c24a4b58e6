import { ParameterError, requireFinite } from '../errors';
import { scvOf, type Distribution } from './distribution';
import type { Rng } from './xoshiro128';

/** Continuous uniform on [min, max): mean (a+b)/2, variance (b-a)^2/12. */
export class Uniform implements Distribution {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  constructor(min: number, max: number) {
    requireFinite('min', min);
    requireFinite('max', max);
    if (!(max > min)) throw new ParameterError('max', max, `must be > min (${min})`);
    this.min = min;
    this.max = max;
    this.mean = (min + max) / 2;
    this.variance = ((max - min) * (max - min)) / 12;
    this.scv = scvOf(this.mean, this.variance);
  }
  get label(): string {
    return `Uniform(${this.min}, ${this.max})`;
  }
  sample(rng: Rng): number {
    return this.min + (this.max - this.min) * rng.next();
  }
}
