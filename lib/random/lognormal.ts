import { ParameterError, requireFinite, requirePositive } from '../errors';
import type { Distribution } from './distribution';
import { standardNormal } from './normal';
import type { Rng } from './xoshiro128';

/**
 * Lognormal: X = exp(mu + sigma Z), Z standard normal. Mean exp(mu + sigma^2/2),
 * scv = exp(sigma^2) - 1, variance = scv mean^2.
 * {@link Lognormal.fit} takes a mean m and scv c^2: sigma^2 = ln(1 + c^2), mu = ln m - sigma^2/2.
 */
export class Lognormal implements Distribution {
  readonly mu: number;
  readonly sigma: number;
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  constructor(mu: number, sigma: number) {
    this.mu = requireFinite('mu', mu);
    this.sigma = requirePositive('sigma', sigma);
    this.mean = Math.exp(mu + (sigma * sigma) / 2);
    this.scv = Math.expm1(sigma * sigma);
    this.variance = this.scv * this.mean * this.mean;
  }
  /** The lognormal with the given mean and scv (> 0). */
  static fit(mean: number, scv: number): Lognormal {
    requirePositive('mean', mean);
    if (typeof scv !== 'number' || !Number.isFinite(scv) || !(scv > 0)) {
      throw new ParameterError('scv', scv, 'must be a finite number > 0');
    }
    const s2 = Math.log1p(scv);
    return new Lognormal(Math.log(mean) - s2 / 2, Math.sqrt(s2));
  }
  get label(): string {
    return `Lognormal(mu=${+this.mu.toPrecision(6)}, sigma=${+this.sigma.toPrecision(6)})`;
  }
  sample(rng: Rng): number {
    return Math.exp(this.mu + this.sigma * standardNormal(rng));
  }
}
