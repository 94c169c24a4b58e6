import { requireFinite } from '../errors';
import type { Distribution } from './distribution';
import type { Rng } from './xoshiro128';

/** Point mass at `value`: mean = value, variance = 0, scv = 0 (the D in M/D/1). */
export class Deterministic implements Distribution {
  readonly value: number;
  readonly mean: number;
  readonly variance = 0;
  readonly scv = 0;
  constructor(value: number) {
    this.value = requireFinite('value', value);
    this.mean = value;
  }
  get label(): string {
    return `Deterministic(${this.value})`;
  }
  sample(_rng: Rng): number {
    return this.value;
  }
}
