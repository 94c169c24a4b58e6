import { ParameterError, requireFinite, requirePositive } from '../errors';
import { scvOf, type Distribution } from './distribution';
import { standardNormal } from './normal';
import { normalCdf, normalPdf, normalSurvival } from './special';
import type { Rng } from './xoshiro128';

/**
 * Normal(mu, sigma) truncated to [lower, upper] (either bound may be +-Infinity). With
 * alpha = (lower - mu)/sigma, beta = (upper - mu)/sigma and Z = Phi(beta) - Phi(alpha):
 * mean = mu + sigma (phi(alpha) - phi(beta))/Z,
 * variance = sigma^2 (1 + (alpha phi(alpha) - beta phi(beta))/Z - ((phi(alpha) - phi(beta))/Z)^2).
 * Sampled exactly by Robert's rejection samplers (Statistics and Computing 5, 1995): normal
 * rejection when the interval holds the bulk, uniform rejection on short intervals, and the
 * optimal exponential proposal in a tail. Expected draws per sample are bounded.
 */
export class TruncatedNormal implements Distribution {
  readonly mu: number;
  readonly sigma: number;
  readonly lower: number;
  readonly upper: number;
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  private readonly alpha: number;
  private readonly beta: number;
  private readonly method: 0 | 1 | 2 | 3; // 0 normal, 1 uniform, 2 exponential tail (right), 3 exponential tail (left)

  constructor(mu: number, sigma: number, lower: number = 0, upper: number = Infinity) {
    this.mu = requireFinite('mu', mu);
    this.sigma = requirePositive('sigma', sigma);
    if (typeof lower !== 'number' || Number.isNaN(lower) || lower === Infinity)
      throw new ParameterError('lower', lower, 'must be a number < upper (may be -Infinity)');
    if (
      typeof upper !== 'number' ||
      Number.isNaN(upper) ||
      upper === -Infinity ||
      !(upper > lower)
    ) {
      throw new ParameterError(
        'upper',
        upper,
        `must be a number > lower (${lower}) (may be Infinity)`,
      );
    }
    this.lower = lower;
    this.upper = upper;
    const a = (lower - mu) / sigma;
    const b = (upper - mu) / sigma;
    this.alpha = a;
    this.beta = b;
    const z = a > 0 ? normalSurvival(a) - normalSurvival(b) : normalCdf(b) - normalCdf(a);
    if (!(z > 1e-300))
      throw new ParameterError(
        'lower',
        lower,
        'leaves no probability mass: the interval is too far in the tail',
      );
    const pa = Number.isFinite(a) ? normalPdf(a) : 0;
    const pb = Number.isFinite(b) ? normalPdf(b) : 0;
    const apa = Number.isFinite(a) ? a * pa : 0;
    const bpb = Number.isFinite(b) ? b * pb : 0;
    const d = (pa - pb) / z;
    this.mean = mu + sigma * d;
    this.variance = Math.max(0, sigma * sigma * (1 + (apa - bpb) / z - d * d));
    this.scv = scvOf(this.mean, this.variance);
    if (a <= 0 && b >= 0) this.method = b - a > 2.5066282746310002 ? 0 : 1;
    else if (a > 0) this.method = (b * b - a * a) / 2 < 1 ? 1 : 2;
    else this.method = (a * a - b * b) / 2 < 1 ? 1 : 3;
  }

  get label(): string {
    return `TruncatedNormal(mu=${this.mu}, sigma=${this.sigma}, [${this.lower}, ${this.upper}])`;
  }

  sample(rng: Rng): number {
    return this.mu + this.sigma * this.standard(rng);
  }

  private standard(rng: Rng): number {
    const a = this.alpha;
    const b = this.beta;
    switch (this.method) {
      case 0:
        for (;;) {
          const z = standardNormal(rng);
          if (z >= a && z <= b) return z;
        }
      case 1: {
        // uniform proposal on [a, b], accept with exp((m^2 - z^2)/2), m the point of [a,b] closest to 0
        const m = a > 0 ? a : b < 0 ? b : 0;
        for (;;) {
          const z = a + (b - a) * rng.next();
          if (rng.next() <= Math.exp((m * m - z * z) / 2)) return z;
        }
      }
      case 2:
        return tail(rng, a, b);
      default:
        return -tail(rng, -b, -a);
    }
  }
}

/** Robert's exponential rejection for the right tail [a, b], a > 0. */
function tail(rng: Rng, a: number, b: number): number {
  const lambda = (a + Math.sqrt(a * a + 4)) / 2;
  for (;;) {
    const z = a - Math.log(rng.nextOpen()) / lambda;
    if (z > b) continue;
    const d = z - lambda;
    if (rng.next() <= Math.exp((-d * d) / 2)) return z;
  }
}
