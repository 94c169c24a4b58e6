import { ParameterError, requireInteger } from '../errors';
import { scvOf, type Distribution } from './distribution';
import type { Rng } from './xoshiro128';

/**
 * Zipf(n, s): rank k in 1..n with probability k^{-s} / H(n, s), H(n, s) = sum_{i<=n} i^{-s}.
 * Sampled in O(1) expected time, without tables, by rejection-inversion (Hoermann & Derflinger,
 * "Rejection-inversion to generate variates from monotone discrete distributions", ACM TOMACS
 * 6(3), 1996), as in Apache Commons RNG's RejectionInversionZipfSampler: n up to 2^31 - 1.
 *
 * `mean` = H(n, s-1)/H(n, s) and `variance` = H(n, s-2)/H(n, s) - mean^2 are summed exactly (O(n))
 * on first access and cached.
 */
export class Zipf implements Distribution {
  readonly n: number;
  readonly s: number;
  private readonly hIntegralX1: number;
  private readonly hIntegralN: number;
  private readonly sBound: number;
  private moments?: [number, number, number];

  constructor(n: number, s: number) {
    this.n = requireInteger('n', n, 1, 2147483647);
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || s > 100) {
      throw new ParameterError('s', s, 'must be a number in [0, 100]');
    }
    this.s = s;
    this.hIntegralX1 = this.hIntegral(1.5) - 1;
    this.hIntegralN = this.hIntegral(n + 0.5);
    this.sBound = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  get label(): string {
    return `Zipf(n=${this.n}, s=${this.s})`;
  }

  private computeMoments(): [number, number, number] {
    if (!this.moments) {
      let h0 = 0;
      let h1 = 0;
      let h2 = 0;
      // sum from the small terms up for accuracy
      for (let k = this.n; k >= 1; k--) {
        const p = Math.pow(k, -this.s);
        h0 += p;
        h1 += p * k;
        h2 += p * k * k;
      }
      const mean = h1 / h0;
      this.moments = [mean, Math.max(0, h2 / h0 - mean * mean), h0];
    }
    return this.moments;
  }

  get mean(): number {
    return this.computeMoments()[0];
  }
  get variance(): number {
    return this.computeMoments()[1];
  }
  get scv(): number {
    const [m, v] = this.computeMoments();
    return scvOf(m, v);
  }

  /** P(X = k) (sums H(n, s) on first use). */
  probability(k: number): number {
    if (!Number.isInteger(k) || k < 1 || k > this.n) return 0;
    return Math.pow(k, -this.s) / this.computeMoments()[2];
  }

  sample(rng: Rng): number {
    for (;;) {
      const u = this.hIntegralN + rng.next() * (this.hIntegralX1 - this.hIntegralN);
      const x = this.hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > this.n) k = this.n;
      if (k - x <= this.sBound || u >= this.hIntegral(k + 0.5) - this.h(k)) return k;
    }
  }

  /** H(x) = ((x^(1-s)) - 1)/(1 - s), the integral of h from 1 to x (ln x when s = 1). */
  private hIntegral(x: number): number {
    const logX = Math.log(x);
    return helper2((1 - this.s) * logX) * logX;
  }
  private h(x: number): number {
    return Math.exp(-this.s * Math.log(x));
  }
  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.s);
    if (t < -1) t = -1;
    return Math.exp(helper1(t) * x);
  }
}

/** log1p(x)/x, continuous at 0. */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}
/** expm1(x)/x, continuous at 0. */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}
