/**
 * quantile-bound.ts (Conover 1999 §3.2, one side of the order-statistic interval for a quantile):
 * the textbook order statistics, the exact binomial coverage, a coverage study over independent
 * samples, and the stated fallback when the sample is too small for the level.
 */
import { Exponential, deriveStream } from '../../lib/random';
import {
  binomialCdf,
  quantileLowerBound,
  quantileUpperBound,
} from '../../lib/labs/measured/quantile-bound';

/** C(n, j) p^j (1 − p)^(n − j) summed directly, for small n. */
function directCdf(n: number, p: number, k: number): number {
  let sum = 0;
  let c = 1;
  for (let j = 0; j <= k; j++) {
    sum += c * Math.pow(p, j) * Math.pow(1 - p, n - j);
    c = (c * (n - j)) / (j + 1);
  }
  return sum;
}

describe('binomialCdf', () => {
  it('matches the direct sum, and is 0 below 0 and 1 from n on', () => {
    for (const [n, p, k] of [
      [16, 0.5, 11],
      [20, 0.794, 18],
      [8, 0.875, 7],
      [30, 0.1, 2],
    ])
      expect(binomialCdf(n, p, k)).toBeCloseTo(directCdf(n, p, k), 12);
    expect(binomialCdf(10, 0.3, -1)).toBe(0);
    expect(binomialCdf(10, 0.3, 10)).toBe(1);
  });
  it('stays exact where the first term underflows (n = 5000, p = 0.99)', () => {
    // the mean is 4950, sd 7.04: P(B ≤ 4950) is near one half, not 0
    const c = binomialCdf(5000, 0.99, 4950);
    expect(c).toBeGreaterThan(0.45);
    expect(c).toBeLessThan(0.6);
  });
});

describe('quantileUpperBound and quantileLowerBound', () => {
  const x16 = Array.from({ length: 16 }, (_, i) => 16 - i); // unsorted on purpose
  it('give the textbook order statistics of the median with their exact coverage', () => {
    // P(Bin(16, 1/2) <= 11) = 0.9616 is the first at or above 0.95: x_(12); by symmetry x_(5) below
    const up = quantileUpperBound(x16, 0.5);
    expect(up.value).toBe(12);
    expect(up.coverage).toBeCloseTo(directCdf(16, 0.5, 11), 12);
    expect(up.reached).toBe(true);
    const low = quantileLowerBound(x16, 0.5);
    expect(low.value).toBe(5);
    expect(low.coverage).toBeCloseTo(1 - directCdf(16, 0.5, 4), 12);
  });
  it('fall back to the extreme with its smaller coverage when n is too small for the level', () => {
    const b = quantileUpperBound([3, 1, 2, 5, 4, 8, 7, 6], 0.875);
    expect(b.value).toBe(8);
    expect(b.reached).toBe(false);
    expect(b.coverage).toBeCloseTo(1 - Math.pow(0.875, 8), 12);
    expect(quantileUpperBound([], 0.5).value).toBeNaN();
    expect(quantileLowerBound([], 0.5).coverage).toBe(0);
  });
  it('refuse a quantile or a level outside (0, 1), naming it', () => {
    expect(() => quantileUpperBound([1, 2], 1)).toThrow(/quantile p = 1/);
    expect(() => quantileLowerBound([1, 2], 0.5, 1.2)).toThrow(/level = 1.2/);
  });
  it('cover the true quantile as often as their stated coverage (exponential samples, seed 7)', () => {
    // q_p of Exp(1) is −ln(1 − p); over T independent samples of n = 20 the bound lies at or above
    // q_p with probability c (stated); the hit count is Binomial(T, c): 3 standard deviations
    const rng = deriveStream(7, 'quantile-bound');
    const e = new Exponential(1);
    const p = Math.pow(2, -1 / 3);
    const q = -Math.log(1 - p);
    const T = 4000;
    let upHits = 0;
    let lowHits = 0;
    let c = 0;
    let cLow = 0;
    for (let t = 0; t < T; t++) {
      const s = Array.from({ length: 20 }, () => e.sample(rng));
      const up = quantileUpperBound(s, p, 0.9);
      const low = quantileLowerBound(s, 0.5);
      c = up.coverage;
      cLow = low.coverage;
      if (up.value >= q) upHits++;
      if (low.value <= Math.LN2) lowHits++;
    }
    expect(c).toBeGreaterThanOrEqual(0.9);
    const sd = Math.sqrt(c * (1 - c) * T);
    expect(Math.abs(upHits - c * T)).toBeLessThan(3 * sd);
    const sdLow = Math.sqrt(cLow * (1 - cLow) * T);
    expect(Math.abs(lowHits - cLow * T)).toBeLessThan(3 * sdLow);
  });
});
