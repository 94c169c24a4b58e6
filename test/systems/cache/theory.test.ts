/**
 * The closed forms: uniform popularity gives h = C/N for every approximation; the root finder
 * copes with C near N and tiny C; simulated LRU agrees with the exact stationary LRU hit ratio of
 * King (1971) under the independent reference model, P(order i1..iC) = Π_j p_ij / (1 − Σ_{l<j} p_il),
 * and Che's approximation is within a few percent of it even for N = 12.
 */
import { RandomStreams } from '../../../lib/random/streams';
import { studentTQuantile } from '../../../lib/random/special';
import { createStore } from '../../../lib/systems/cache/create';
import { KeySampler } from '../../../lib/systems/cache/popularity';
import { replay } from '../../../lib/systems/cache/replay';
import {
  cheLru,
  fifoRandomApproximation,
  lfuTopC,
  ttlCacheFetchRate,
  ttlCacheHitRatio,
  ttlFetchRate,
  ttlHitRatio,
  zipfPopularity,
} from '../../../lib/systems/cache/theory';

/** Exact LRU hit ratio (King 1971) by enumerating ordered cache contents. */
function kingLru(p: Float64Array, c: number): number {
  let h = 0;
  const used = new Uint8Array(p.length);
  const walk = (depth: number, prob: number, mass: number) => {
    if (depth === c) {
      h += prob * mass;
      return;
    }
    for (let i = 0; i < p.length; i++) {
      if (used[i]) continue;
      used[i] = 1;
      walk(depth + 1, (prob * p[i]) / (1 - mass), mass + p[i]);
      used[i] = 0;
    }
  };
  walk(0, 1, 0);
  return h;
}

describe('cache theory', () => {
  it('uniform popularity: h = C/N for Che, FIFO/random and LFU', () => {
    const p = zipfPopularity(1000, 0);
    for (const c of [1, 10, 500, 999]) {
      expect(cheLru(p, c).hitRatio).toBeCloseTo(c / 1000, 9);
      expect(fifoRandomApproximation(p, c).hitRatio).toBeCloseTo(c / 1000, 9);
      expect(lfuTopC(p, c)).toBeCloseTo(c / 1000, 9);
    }
    expect(cheLru(p, 1000).hitRatio).toBe(1);
  });

  it("Che's characteristic time solves Σ (1 − e^(−p_i T)) = C, also for tiny and nearly full caches", () => {
    const p = zipfPopularity(5000, 1.1);
    for (const c of [0.5, 1, 100, 4999]) {
      const { T, perObject } = cheLru(p, c);
      expect(perObject.reduce((a, b) => a + b, 0)).toBeCloseTo(c, 6);
      expect(T).toBeGreaterThan(0);
    }
  });

  it('the TTL cache: λT/(1 + λT) hits and λ/(1 + λT) fetches, summing to the request rate', () => {
    expect(ttlHitRatio(2, 3)).toBeCloseTo(6 / 7, 12);
    expect(ttlFetchRate(2, 3)).toBeCloseTo(2 / 7, 12);
    const p = zipfPopularity(100, 0.8);
    expect(ttlCacheHitRatio(p, 10, 2) + ttlCacheFetchRate(p, 10, 2) / 10).toBeCloseTo(1, 12);
  });

  it("simulated LRU = King's exact stationary hit ratio; Che within 3 % of it at N = 12", () => {
    const p = zipfPopularity(12, 0.8);
    const exact = kingLru(p, 4);
    const hs: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const s = createStore('lru', { capacity: 4, keys: 12 });
      hs.push(
        replay(
          s,
          new KeySampler({ model: 'zipf', objects: 12, alpha: 0.8 }, 0),
          new RandomStreams(seed).get('r'),
          { requests: 40000, warmup: 100 },
        ).hitRatio,
      );
    }
    const m = hs.reduce((a, b) => a + b, 0) / hs.length;
    const sd = Math.sqrt(hs.reduce((a, b) => a + (b - m) ** 2, 0) / (hs.length - 1));
    expect(Math.abs(m - exact)).toBeLessThan(
      (studentTQuantile(0.995, hs.length - 1) * sd) / Math.sqrt(hs.length),
    );
    expect(Math.abs(cheLru(p, 4).hitRatio - exact) / exact).toBeLessThan(0.03);
  });
});
