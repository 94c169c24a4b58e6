/**
 * The cache system on the contract: conservation (every read a hit, stale, miss or error),
 * reproducibility, typed errors with did-you-mean, the stampede oracle (without protection every
 * read arriving while the first miss is being recomputed misses too: 1 + λ(ℓ + δ) database reads
 * per expiry, δ the query time and ℓ the cache round trip; one with single-flight or leases),
 * writes that invalidate, node loss (a crash empties the node, ketama moves only its keys),
 * read-through coalescing, byte capacity, popularity churn.
 */
import { ParameterError } from '../../../lib/errors';
import { Deterministic } from '../../../lib/random/deterministic';
import { Exponential } from '../../../lib/random/exponential';
import { studentTQuantile } from '../../../lib/random/special';
import { simulateCache } from '../../../lib/systems/cache/system';
import type { CacheSystemConfig, StampedeProtection } from '../../../lib/systems/cache/config';
import { KeySampler, parseTrace } from '../../../lib/systems/cache/popularity';
import { CacheSystem } from '../../../lib/systems/cache/system';
import { createStore } from '../../../lib/systems/cache/create';
import { replay } from '../../../lib/systems/cache/replay';
import { RandomStreams } from '../../../lib/random/streams';
import { measure } from '../../../lib/systems/common/runner';

const base: CacheSystemConfig = {
  rate: 500,
  popularity: { model: 'zipf', objects: 2000, alpha: 0.9 },
  cache: { capacity: 200, exptime: 5 },
  database: { servers: 4, service: Exponential.withMean(0.004) },
};

const hotKey = (
  stampede: StampedeProtection,
  extra: Partial<CacheSystemConfig['cache']> = {},
): CacheSystemConfig => ({
  rate: 1000,
  popularity: { model: 'zipf', objects: 1, alpha: 0 },
  cache: { capacity: 10, exptime: 5, stampede: stampede, ...extra },
  database: { servers: 1000, service: new Deterministic(0.05) },
});

describe('cache system', () => {
  it('conserves requests: arrivals = hits + stale + misses + errors + writes + in flight', () => {
    const s = simulateCache({ ...base, writes: { fraction: 0.1 } }, { seed: 3, duration: 20 });
    const arrivals = s.latency.count + s.inFlight;
    expect(s.reads).toBe(s.hits + s.stale + s.misses + s.errors);
    expect(s.reads + s.writes + s.inFlight).toBe(arrivals);
    expect(s.dbReads).toBe(s.misses + (s.inFlight > 0 ? s.dbReads - s.misses : 0));
    expect(s.writes).toBeGreaterThan(0);
    expect(s.hitRatio).toBeGreaterThan(0.3);
  });

  it('is reproducible: same seed and config, same numbers', () => {
    const a = simulateCache(base, { seed: 5, duration: 10, warmup: 2 });
    const b = simulateCache(base, { seed: 5, duration: 10, warmup: 2 });
    const c = simulateCache(base, { seed: 6, duration: 10, warmup: 2 });
    expect(a).toEqual(b);
    expect(c.hits).not.toBe(a.hits);
  });

  it('rejects bad configurations with typed errors naming the path', () => {
    const bad = (c: unknown) => () =>
      simulateCache(c as CacheSystemConfig, { seed: 1, duration: 1 });
    expect(bad({ ...base, cache: { capcity: 10 } })).toThrow(
      /cache\.capcity.*did you mean "capacity"/,
    );
    expect(bad({ ...base, cache: { capacity: 0 } })).toThrow(ParameterError);
    expect(bad({ ...base, cache: { capacity: 10, stampede: 'locks' } })).toThrow(/cache\.stampede/);
    expect(bad({ ...base, cache: { capacity: 10, nodes: 2, failures: [{}] } })).toThrow(
      /cache\.failures/,
    );
    expect(bad({ ...base, writes: { fraction: 2 } })).toThrow(/writes\.fraction/);
    expect(bad({ ...base, database: { servers: 0 } })).toThrow(/database\.servers/);
    expect(bad({ ...base, popularity: { model: 'zipf', objects: 10, alpha: -1 } })).toThrow(
      /popularity\.alpha/,
    );
    expect(bad({ ...base, cache: { capacity: 10, objectSize: new Exponential(1) } })).toThrow(
      /objectSize/,
    );
  });

  it('stampede: without protection 1 + λ(ℓ + δ) database reads per expiry (Poisson arrivals during the recompute)', () => {
    const per: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const s = simulateCache(hotKey('none'), { seed: seed, duration: 40, warmup: 2 });
      per.push(s.dbReadsPerEpisode);
    }
    const m = per.reduce((a, b) => a + b, 0) / per.length;
    const sd = Math.sqrt(per.reduce((a, b) => a + (b - m) ** 2, 0) / (per.length - 1));
    const half = (studentTQuantile(0.995, per.length - 1) * sd) / Math.sqrt(per.length);
    expect(Math.abs(m - (1 + 1000 * (0.05 + 0.0005)))).toBeLessThan(half);
  });

  it('stampede cures: single-flight and leases make one database read per expiry; XFetch refreshes before expiry', () => {
    for (const st of ['single-flight', 'lease'] as const) {
      const s = simulateCache(hotKey(st), { seed: 2, duration: 30, warmup: 2 });
      expect(s.dbReadsPerEpisode).toBe(1);
      expect(s.peakKeyConcurrency).toBe(1);
      expect(s.reads).toBe(s.hits + s.misses);
    }
    const lease = simulateCache(hotKey('lease'), { seed: 2, duration: 30, warmup: 2 });
    expect(lease.leaseWaits).toBeGreaterThan(100);
    const stale = simulateCache(hotKey('lease', { lease: { stale: true } }), {
      seed: 2,
      duration: 30,
      warmup: 2,
    });
    expect(stale.stale).toBeGreaterThan(100);
    expect(stale.leaseWaits).toBe(0);
    const x = simulateCache(hotKey('xfetch'), { seed: 2, duration: 30, warmup: 6 });
    expect(x.earlyRefreshes).toBeGreaterThan(0);
    expect(x.fills).toBe(0); // never expired after the first fill
    expect(x.peakKeyConcurrency).toBeLessThan(40);
  });

  it('writes invalidate: a write deletes the key, the next read misses', () => {
    const s = simulateCache(
      { ...base, writes: { fraction: 0.5, onWrite: 'invalidate' } },
      { seed: 1, duration: 20, warmup: 5 },
    );
    const u = simulateCache(
      { ...base, writes: { fraction: 0.5, onWrite: 'update' } },
      { seed: 1, duration: 20, warmup: 5 },
    );
    expect(s.hitRatio).toBeLessThan(u.hitRatio);
  });

  it('a crashed node loses its items; ketama moves only its keys, modulo most of them', () => {
    const cfg = (hashing: 'ketama' | 'modulo'): CacheSystemConfig => ({
      ...base,
      rate: 2000,
      popularity: { model: 'zipf', objects: 20000, alpha: 0.8 },
      cache: {
        capacity: 500,
        nodes: 4,
        hashing: hashing,
        failures: [{}, {}, {}, { outages: [{ at: 20, duration: Infinity }] }],
      },
      database: { servers: 64, service: Exponential.withMean(0.004) },
      interval: 0.25,
    });
    const k = simulateCache(cfg('ketama'), { seed: 4, duration: 21 });
    const m = simulateCache(cfg('modulo'), { seed: 4, duration: 21 });
    expect(k.nodes[3].up).toBe(false);
    expect(k.nodes[3].items).toBe(0);
    const before = (s: typeof k) =>
      (s.series!.hitRatio.slice(60, 80) as number[]).reduce((a, b) => a + b, 0) / 20;
    const after = (s: typeof k) => s.series!.hitRatio[80] as number;
    expect(after(k)).toBeGreaterThan(0.6 * before(k));
    // modulo keeps only the keys with h mod 4 = h mod 3 (1/4 of them) on their node: the hot ones
    // refill within the bin, so the bin's hit ratio falls to ~0.6 of the ketama one
    expect(after(m)).toBeLessThan(0.7 * after(k));
    expect(before(m)).toBeCloseTo(before(k), 1);
  });

  it('replays a trace of keys with timestamps', () => {
    const trace = parseTrace('# t key\n0 /a\n0.5 /b\n1 /a\n1.5 /a\n2 /c\n');
    expect(trace.names).toEqual(['/a', '/b', '/c']);
    const s = simulateCache(
      {
        rate: 1,
        popularity: { model: 'trace', trace: trace },
        cache: { capacity: 10, latency: 0.001 },
        database: { service: new Deterministic(0.01) },
      },
      { seed: 1, duration: 10 },
    );
    expect(s.reads).toBe(5);
    expect(s.hits).toBe(2);
    expect(() => parseTrace('0 a\nb\n')).toThrow(ParameterError);
  });

  it('read-through coalesces concurrent loads; a capacity in bytes holds at most its bytes', () => {
    const rt = simulateCache(
      { ...hotKey('none'), pattern: 'read-through' },
      { seed: 1, duration: 12, warmup: 2 },
    );
    expect(rt.dbReadsPerEpisode).toBe(1);
    expect(rt.coalesced).toBeGreaterThan(0);
    const sim = measure(
      (s) =>
        new CacheSystem(s, {
          ...base,
          cache: { capacity: 50000, unit: 'bytes', objectSize: new Exponential(1 / 500) },
        }),
      { seed: 2, duration: 10 },
    );
    const store = sim.system.pool.nodes[0].store;
    expect(store.used).toBeLessThanOrEqual(50000);
    expect(store.count).toBeGreaterThan(20);
    expect(store.evictions).toBeGreaterThan(0);
  });

  it('churn: new objects take the top ranks, so perfect LFU (stuck on old counts) falls behind LRU', () => {
    const ratio = (policy: 'lru' | 'lfu') => {
      const keys = new KeySampler(
        { model: 'zipf', objects: 2000, alpha: 0.9, shift: { every: 20, by: 200 } },
        0,
      );
      const store = createStore(policy, { capacity: 100, keys: 2000 });
      return replay(store, keys, new RandomStreams(3).get('r'), {
        requests: 40000,
        rate: 100,
        warmup: 5000,
      }).hitRatio;
    };
    expect(ratio('lfu')).toBeLessThan(ratio('lru'));
  });
});
