import { requireProbability } from '../errors';
import { scvOf, type Distribution } from './distribution';
import type { Rng } from './xoshiro128';

/** Bernoulli(p): 1 with probability p, else 0. Mean p, variance p(1 - p). */
export class Bernoulli implements Distribution {
  readonly p: number;
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  constructor(p: number) {
    this.p = requireProbability('p', p);
    this.mean = p;
    this.variance = p * (1 - p);
    this.scv = p === 0 ? 0 : scvOf(p, this.variance);
  }
  get label(): string {
    return `Bernoulli(${this.p})`;
  }
  sample(rng: Rng): number {
    return rng.next() < this.p ? 1 : 0;
  }
}
