import { ParameterError, requirePositive } from '../errors';
import type { Distribution } from './distribution';
import { standardExponential, standardExponentialInto } from './exponential-ziggurat';
import type { Rng } from './xoshiro128';

/**
 * Exponential with rate lambda: density lambda e^{-lambda x}, mean 1/lambda, variance 1/lambda^2,
 * scv 1. Sampled as E/lambda with E a standard exponential from the ziggurat
 * ({@link standardExponential}); `sampleByInversion` gives -ln(1 - U)/lambda.
 */
export class Exponential implements Distribution {
  readonly rate: number;
  readonly mean: number;
  readonly variance: number;
  readonly scv = 1;
  constructor(rate: number) {
    this.rate = requirePositive('rate', rate);
    if (!(1 / rate > 0))
      throw new ParameterError(
        'rate',
        rate,
        'must be a finite number >= 5.6e-309 (its reciprocal, the mean, must be > 0)',
      );
    this.mean = 1 / rate;
    this.variance = this.mean * this.mean;
  }
  /** The exponential with the given mean (rate = 1/mean). */
  static withMean(mean: number): Exponential {
    requirePositive('mean', mean);
    // a subnormal mean has no finite rate: name the mean, not an internal rate = Infinity
    if (!Number.isFinite(1 / mean))
      throw new ParameterError(
        'mean',
        mean,
        'must be a finite number >= 2.2e-308 (its reciprocal, the rate, must be finite)',
      );
    return new Exponential(1 / mean);
  }
  get label(): string {
    return `Exponential(rate=${this.rate})`;
  }
  sample(rng: Rng): number {
    return standardExponential(rng) * this.mean;
  }
  sampleInto(rng: Rng, out: Float64Array, index: number): void {
    standardExponentialInto(rng, out, index, this.mean);
  }
  /** Inversion, -ln(1 - U)/lambda: one uniform per draw (slower; monotone in U). */
  sampleByInversion(rng: Rng): number {
    return -Math.log1p(-rng.next()) * this.mean;
  }
}
