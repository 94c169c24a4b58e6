import { ParameterError, requirePositive } from '../errors';
import { scvOf, type Distribution } from './distribution';
import type { Rng } from './xoshiro128';

/**
 * Pareto (type I) with shape alpha and scale x_m: P(X > x) = (x_m / x)^alpha for x >= x_m.
 * Mean alpha x_m/(alpha - 1) for alpha > 1 (else Infinity); variance
 * x_m^2 alpha / ((alpha - 1)^2 (alpha - 2)) for alpha > 2 (else Infinity). Sampled by inversion,
 * x = x_m U^{-1/alpha} with U in (0, 1].
 */
export class Pareto implements Distribution {
  readonly shape: number;
  readonly scale: number;
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  private readonly negInvShape: number;
  constructor(shape: number, scale: number) {
    this.shape = requirePositive('shape', shape);
    this.scale = requirePositive('scale', scale);
    this.mean = shape > 1 ? (shape * scale) / (shape - 1) : Infinity;
    this.variance =
      shape > 2 ? (scale * scale * shape) / ((shape - 1) * (shape - 1) * (shape - 2)) : Infinity;
    this.scv = shape > 2 ? 1 / (shape * (shape - 2)) : Infinity;
    this.negInvShape = -1 / shape;
  }
  /** The Pareto with the given mean and shape (> 1): x_m = mean (alpha - 1)/alpha. */
  static withMean(mean: number, shape: number): Pareto {
    requirePositive('mean', mean);
    requirePositive('shape', shape);
    if (!(shape > 1)) throw new ParameterError('shape', shape, 'must be > 1 for a finite mean');
    return new Pareto(shape, (mean * (shape - 1)) / shape);
  }
  get label(): string {
    return `Pareto(shape=${this.shape}, scale=${+this.scale.toPrecision(6)})`;
  }
  sample(rng: Rng): number {
    return this.scale * Math.pow(1 - rng.next(), this.negInvShape);
  }
}

/**
 * Bounded Pareto on [L, H] with shape alpha (Harchol-Balter's heavy-tailed job sizes):
 * density alpha L^alpha x^{-alpha-1} / (1 - (L/H)^alpha). Raw moments
 * E[X^k] = alpha L^alpha (H^{k-alpha} - L^{k-alpha}) / ((k - alpha)(1 - (L/H)^alpha)) for k != alpha,
 * and alpha L^alpha ln(H/L) / (1 - (L/H)^alpha) for k = alpha. Sampled by inversion:
 * x = L (1 - U (1 - (L/H)^alpha))^{-1/alpha}.
 */
export class BoundedPareto implements Distribution {
  readonly shape: number;
  readonly lower: number;
  readonly upper: number;
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  private readonly ratio: number;
  constructor(shape: number, lower: number, upper: number) {
    this.shape = requirePositive('shape', shape);
    this.lower = requirePositive('lower', lower);
    this.upper = requirePositive('upper', upper);
    if (!(upper > lower)) throw new ParameterError('upper', upper, `must be > lower (${lower})`);
    this.ratio = 1 - Math.pow(lower / upper, shape);
    const moment = (k: number): number => {
      const c = (shape * Math.pow(lower, shape)) / this.ratio;
      if (Math.abs(k - shape) < 1e-12) return c * Math.log(upper / lower);
      return (c * (Math.pow(upper, k - shape) - Math.pow(lower, k - shape))) / (k - shape);
    };
    this.mean = moment(1);
    this.variance = Math.max(0, moment(2) - this.mean * this.mean);
    this.scv = scvOf(this.mean, this.variance);
  }
  get label(): string {
    return `BoundedPareto(shape=${this.shape}, lower=${this.lower}, upper=${this.upper})`;
  }
  sample(rng: Rng): number {
    const x = this.lower * Math.pow(1 - rng.next() * this.ratio, -1 / this.shape);
    return x > this.upper ? this.upper : x;
  }
}
