import { requirePositive } from '../errors';
import { scvOf, type Distribution } from './distribution';
import { lnGamma } from './special';
import type { Rng } from './xoshiro128';

/**
 * Weibull with shape k and scale lambda: P(X > x) = exp(-(x/lambda)^k). Mean lambda Gamma(1 + 1/k),
 * variance lambda^2 (Gamma(1 + 2/k) - Gamma(1 + 1/k)^2). Sampled by inversion,
 * x = lambda (-ln(1 - U))^{1/k}. Shape < 1 is heavier-tailed than exponential, k = 1 is exponential.
 */
export class Weibull implements Distribution {
  readonly shape: number;
  readonly scale: number;
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  constructor(shape: number, scale: number) {
    this.shape = requirePositive('shape', shape);
    this.scale = requirePositive('scale', scale);
    const g1 = Math.exp(lnGamma(1 + 1 / shape));
    const g2 = Math.exp(lnGamma(1 + 2 / shape));
    this.mean = scale * g1;
    this.variance = scale * scale * (g2 - g1 * g1);
    this.scv = scvOf(this.mean, this.variance);
  }
  /** The Weibull with the given shape and mean: scale = mean / Gamma(1 + 1/k). */
  static withMean(shape: number, mean: number): Weibull {
    requirePositive('shape', shape);
    return new Weibull(shape, requirePositive('mean', mean) / Math.exp(lnGamma(1 + 1 / shape)));
  }
  get label(): string {
    return `Weibull(shape=${this.shape}, scale=${+this.scale.toPrecision(6)})`;
  }
  sample(rng: Rng): number {
    return this.scale * Math.pow(-Math.log1p(-rng.next()), 1 / this.shape);
  }
}
