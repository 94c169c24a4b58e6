/**
 * Lab 07's experiments agree with their closed forms inside family-wise confidence intervals
 * (test/labs/agreement.ts): Che's approximation for LRU (Che, Tung & Wang 2002), the FIFO/random
 * approximation (Gelenbe 1973; Fricker, Robert & Roberts 2012), the TTL-cache formula
 * λT/(1 + λT) (exact for a TTL cache under Poisson requests), the M/M/c database fed the misses,
 * the stampede count 1 + λ(ℓ + δ), and the pool's per-node Che levels before and during a node
 * loss, the CDN's origin rate, hit ratio and stale share (renewal cycles). Perfect LFU tends to the top-C sum from below (its counts converge slowly).
 */
import {
  cacheHitRatio,
  cacheNodeLoss,
  cacheResponseTime,
  cacheStampede,
  cdnOffload,
  lab07Experiments,
  nodeLossLevels,
} from '../../lib/labs/lab07-caching';
import { findExperiment } from '../../lib/labs/catalog';
import { checksFor, disagreements, relativeHalfWidth, type Check } from './agreement';
import { studentTQuantile } from '../../lib/random/special';

type Row = Record<string, unknown>;
const label = (r: Row) =>
  Object.entries(r)
    .filter(([k]) => ['policy', 'alpha', 'cacheSize', 'protection', 'delta'].includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

describe('lab 07 experiments agree with the closed forms', () => {
  it('are in the catalog under their names', () => {
    for (const e of lab07Experiments) expect(findExperiment(e.name)).toBe(e);
    expect(findExperiment('cache-hit-ratio')).toBe(cacheHitRatio);
    expect(findExperiment('cache-response-time')).toBe(cacheResponseTime);
  });

  it('cache-hit-ratio: LRU = Che, FIFO and random = the p·T/(1 + p·T) approximation, TTL cache = λT/(1 + λT); LFU below top-C, W-TinyLFU above LRU', async () => {
    const t = await cacheHitRatio.run(
      { alphas: [0.8], cacheSizes: [30, 300], objects: 3000, requests: 30000 },
      { seed: 7, replications: 5 },
    );
    const rows = t.objects() as Row[];
    expect(rows).toHaveLength(12);
    const theoryRows = rows.filter((r) => r.policy !== 'lfu');
    const checks = checksFor(theoryRows, 'hitRatio', label);
    expect(checks).toHaveLength(8);
    expect(disagreements(checks)).toEqual([]);
    for (const r of rows) expect(relativeHalfWidth(r, 'hitRatio')).toBeLessThan(0.1);
    const at = (policy: string, c: number) =>
      rows.find((r) => r.policy === policy && r.cacheSize === c)!;
    for (const c of [30, 300]) {
      expect(at('lfu', c).hitRatio_lo as number).toBeLessThan(
        at('lfu', c).hitRatio_theory as number,
      );
      expect(at('lfu', c).hitRatio as number).toBeGreaterThan(at('lru', c).hitRatio as number);
      expect(at('wtinylfu', c).hitRatio as number).toBeGreaterThan(at('lru', c).hitRatio as number);
      expect(at('lru', c).hitRatio as number).toBeGreaterThan(at('fifo', c).hitRatio as number);
    }
  });

  it('cache-response-time: hit ratio = Che, mean and p99 = hits at ℓ plus misses through an M/M/c at λ(1 − h)', async () => {
    const t = await cacheResponseTime.run(
      { cacheSizes: [20, 1000, 3000], duration: 20 },
      { seed: 3, replications: 4 },
    );
    const rows = t.objects() as Row[];
    const stable = rows.filter(
      (r) => typeof r.W_theory === 'number' && (r.dbUtilisation_theory as number) < 0.75,
    );
    expect(stable).toHaveLength(2);
    const checks = [
      ...checksFor(stable, 'hitRatio', label),
      ...checksFor(stable, 'W', label),
      ...checksFor(stable, 'p99', label, 0.01),
      ...checksFor(stable, 'dbUtilisation', label),
    ];
    expect(disagreements(checks)).toEqual([]);
    const small = rows.find((r) => r.cacheSize === 20)!;
    expect(small.W_theory).toBeNull(); // the database is overloaded without enough cache
    expect(small.dbUtilisation as number).toBeGreaterThan(0.99);
    expect(small.W as number).toBeGreaterThan(100 * (stable[0].W as number));
  });

  it('cache-stampede: 1 + λ(ℓ + δ) database reads per expiry without protection, one with single-flight or leases', async () => {
    const t = await cacheStampede.run(
      { recomputeTimes: [0.02, 0.1], duration: 20 },
      { seed: 11, replications: 4 },
    );
    const rows = t.objects() as Row[];
    const none = rows.filter((r) => r.protection === 'none');
    expect(disagreements(checksFor(none, 'dbReadsPerExpiry', label))).toEqual([]);
    for (const r of rows.filter(
      (r) => r.protection === 'single-flight' || r.protection === 'lease',
    )) {
      expect(r.dbReadsPerExpiry).toBe(1);
      expect(r.peakConcurrency).toBe(1);
    }
    for (const r of rows.filter((r) => r.protection === 'xfetch')) {
      const same = none.find((n) => n.delta === r.delta)!;
      expect(r.peakConcurrency as number).toBeLessThan(0.5 * (same.peakConcurrency as number));
    }
  });

  it('cache-node-loss: the pool refills to per-node Che levels with k and k − 1 nodes; modulo drops far deeper than ketama', async () => {
    const params = { duration: 24, crashAt: 12, downFor: 12, rate: 1500, interval: 1 };
    const t = await cacheNodeLoss.run(params, { seed: 2, replications: 3 });
    const rows = t.objects() as Row[];
    const resolved = cacheNodeLoss.resolve(params);
    const checks: Check[] = [];
    for (const hashing of ['ketama', 'modulo'] as const) {
      const lv = nodeLossLevels(resolved, hashing);
      for (const [from, to, level] of [
        [6, 12, lv.before],
        [18, 24, lv.during],
      ] as const) {
        const bins = rows.filter(
          (r) => r.hashing === hashing && (r.t as number) >= from && (r.t as number) < to,
        );
        // the window's mean and its standard error from the bins' intervals (bins independent)
        const se = bins.map(
          (r) =>
            ((r.hitRatio_hi as number) - (r.hitRatio_lo as number)) /
            2 /
            studentTQuantile(0.975, 2),
        );
        const mean = bins.reduce((s, r) => s + (r.hitRatio as number), 0) / bins.length;
        const half = (1.96 * Math.sqrt(se.reduce((s, x) => s + x * x, 0))) / bins.length;
        checks.push({
          label: `${hashing} ${from}-${to}`,
          mean,
          lo: mean - half,
          hi: mean + half,
          theory: level,
          replications: 1000,
        });
      }
      expect(lv.during).toBeLessThan(lv.before);
    }
    expect(disagreements(checks)).toEqual([]);
    const first = (h: string) =>
      rows.find((r) => r.hashing === h && r.t === 12)!.hitRatio as number;
    expect(first('modulo')).toBeLessThan(first('ketama') - 0.05);
    const k = nodeLossLevels(resolved, 'ketama');
    const m = nodeLossLevels(resolved, 'modulo');
    expect(m.dropAtCrash).toBeLessThan(0.5 * k.dropAtCrash);
  });

  it('cdn-offload: origin rate per edge λ/(1 + λT) (one stream behind the shield), hit ratio and stale share from the renewal cycle', async () => {
    const t = await cdnOffload.run({ ttls: [3, 10], objects: 300 }, { seed: 5, replications: 3 });
    const rows = t.objects() as Row[];
    const lab = (r: Row) => `${r.shield} ttl=${r.ttl}`;
    const checks = [
      ...checksFor(rows, 'originRate', lab),
      ...checksFor(rows, 'hitRatio', lab),
      ...checksFor(rows, 'staleShare', lab),
    ];
    expect(checks).toHaveLength(8);
    expect(disagreements(checks)).toEqual([]);
    for (const ttl of [3, 10]) {
      const no = rows.find((r) => r.shield === 'no shield' && r.ttl === ttl)!;
      const sh = rows.find((r) => r.shield === 'shield' && r.ttl === ttl)!;
      expect(sh.originRate as number).toBeLessThan(no.originRate as number);
    }
  });
});
