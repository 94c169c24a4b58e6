/**
 * The memcached pool called by another component (no `rate`; system.ts): a caller's reads come
 * through common.Calls into `entry`, each with its key set by `setKey`, and every child is answered
 * exactly once (to reply or error). Its own behaviour holds in called mode, with the oracle of the
 * standalone pool: the hit ratio of k LRU nodes behind ketama against Che's approximation per node
 * (pool.ts `poolCheLru`; Che, Tung and Wang 2002, within 0.01 absolute: Fricker, Robert and Roberts
 * 2012 report errors below 1 % for Zipf popularity at these sizes, plus 4 binomial standard errors).
 * A miss is a child call to `missTo` (here a called replication cluster, the key set by `onMiss`),
 * and the node fills on its answer, so the database serves exactly the misses; with worker threads
 * (`cache.serviceTime`) each node is a PS station whose utilisation is λ_j · S (λ_j its key share's
 * rate). A crash of the database turns the misses into errors the caller sees; a crashed node's gets
 * fall through to the database as refused connections do.
 */
import { Exponential } from '../../../lib/random/exponential';
import { Zipf } from '../../../lib/random/zipf';
import { Simulation } from '../../../lib/sim/simulation';
import { Source } from '../../../lib/sim/source';
import { target } from '../../../lib/sim/target';
import { CALL_OK, Calls } from '../../../lib/systems/common/calls';
import type { CacheSystemConfig } from '../../../lib/systems/cache/config';
import { resolveCacheConfig } from '../../../lib/systems/cache/config';
import { ownersOf, poolCheLru } from '../../../lib/systems/cache/pool';
import { CacheSystem } from '../../../lib/systems/cache/system';
import { zipfPopularity } from '../../../lib/systems/cache/theory';
import { ReplicationCluster } from '../../../lib/systems/replication/cluster';

const OBJECTS = 5000;
const ALPHA = 0.8;

interface Caller {
  sim: Simulation;
  cache: CacheSystem;
  ok: number;
  errors: number;
  twice: number;
  parents: number;
  pending: Uint8Array;
}

/** Poisson reads at `rate`, keys Zipf(ALPHA) over OBJECTS, each a call to the cache's entry. */
function calledCache(seed: number, config: CacheSystemConfig, rate: number): Caller {
  const sim = new Simulation({ seed });
  const cache = new CacheSystem(sim, config);
  const calls = Calls.of(sim);
  const zipf = new Zipf(OBJECTS, ALPHA);
  const keys = sim.streams.get('test.keys');
  const out: Caller = {
    sim,
    cache,
    ok: 0,
    errors: 0,
    twice: 0,
    parents: 0,
    pending: new Uint8Array(1 << 16),
  };
  const then = target((parent) => {
    if (out.pending[parent] !== 1) out.twice++;
    out.pending[parent] = 0;
    if (calls.outcome[parent] === CALL_OK) out.ok++;
    else out.errors++;
    sim.jobs.free(parent);
  });
  new Source(sim, {
    name: 'test.reads',
    interarrival: new Exponential(rate),
    to: target((parent) => {
      out.parents++;
      out.pending[parent] = 1;
      calls.wait(parent, { then });
      const child = calls.child(parent);
      cache.setKey(child, zipf.sample(keys) - 1);
      cache.entry.accept(child);
    }),
  });
  return out;
}

const pooled: CacheSystemConfig = {
  name: 'memcache',
  cache: { nodes: 3, capacity: 300, hashing: 'ketama', latency: 0.0005 },
  database: { servers: 16, service: Exponential.withMean(0.005) },
};

describe('cache pool, called through common.Calls', () => {
  test("every child answered once; the pool's hit ratio is Che's per ketama node", () => {
    const c = calledCache(11, pooled, 800);
    c.sim.run({ until: 30 });
    c.sim.resetStatistics();
    c.sim.run({ until: 130 });
    const s = c.cache.summary();
    const calls = Calls.of(c.sim);
    expect(c.twice).toBe(0);
    expect(calls.late).toBe(0);
    expect(c.errors).toBe(0);
    let waiting = 0;
    for (const p of c.pending) waiting += p;
    expect(c.ok + c.errors + waiting).toBe(c.parents);
    const pop = zipfPopularity(OBJECTS, ALPHA);
    const che = poolCheLru(pop, ownersOf(OBJECTS, 3, 'ketama', [1, 1, 1]), 3, 300).hitRatio;
    const n = s.reads;
    expect(Math.abs(s.hitRatio - che)).toBeLessThan(0.01 + 4 * Math.sqrt((che * (1 - che)) / n));
    // the misses went to the database, each once (no stampede cure: a concurrent miss queries too)
    expect(s.dbReads).toBeGreaterThanOrEqual(s.misses);
  });

  test('a miss is a child call to missTo (a called replication cluster): the database serves exactly the misses, the node fills on the answer', () => {
    const sim = new Simulation({ seed: 4 });
    const db = new ReplicationCluster(sim, {
      replicas: 2,
      clients: 'external',
      keys: OBJECTS,
      servers: 4,
      weights: [1, 1],
    });
    const c = calledCacheOn(sim, pooled, 500);
    c.cache.missTo = db.reads;
    c.cache.onMiss = (child, key) => db.setKey(child, key + 1);
    sim.run({ until: 20 });
    sim.resetStatistics();
    sim.run({ until: 60 });
    const s = c.cache.summary();
    const r = db.summary();
    // every read that missed is one read of the cluster (those in flight at the end aside)
    expect(Math.abs(r.readsCompleted - s.dbReads)).toBeLessThanOrEqual(s.inFlight + 2);
    expect(r.readsFailed).toBe(0);
    expect(s.hitRatio).toBeGreaterThan(0.4);
    expect(c.errors).toBe(0);
  });

  test('worker threads: each node a PS station at utilisation λ_j · S', () => {
    const S = 0.0004;
    const rate = 1000;
    const c = calledCache(
      8,
      { ...pooled, cache: { ...pooled.cache, threads: 1, serviceTime: Exponential.withMean(S) } },
      rate,
    );
    c.sim.run({ until: 10 });
    c.sim.resetStatistics();
    c.sim.run({ until: 70 });
    const pop = zipfPopularity(OBJECTS, ALPHA);
    const owners = ownersOf(OBJECTS, 3, 'ketama', [1, 1, 1]);
    const share = [0, 0, 0];
    for (let i = 0; i < OBJECTS; i++) share[owners[i]] += pop[i];
    c.cache.nodeStations.forEach((st, j) => {
      const u = st.summary().utilisation;
      const theory = rate * share[j] * S;
      // a 60 s window of ~60,000 gets: the utilisation's standard error is well under 3 %
      expect(Math.abs(u - theory) / theory).toBeLessThan(0.05);
    });
  });

  test('a database crash turns misses into errors the caller sees; a crashed node falls through to the database', () => {
    const c = calledCache(
      5,
      {
        ...pooled,
        cache: {
          ...pooled.cache,
          threads: 1,
          serviceTime: Exponential.withMean(0.0002),
          failures: [{}, {}, { outages: [{ at: 20, duration: 5 }] }],
        },
        database: { ...pooled.database, failures: { outages: [{ at: 10, duration: 2 }] } },
      },
      500,
    );
    c.sim.run({ until: 12 });
    const during = c.errors;
    expect(during).toBeGreaterThan(0);
    expect(c.errors).toBe(c.cache.summary().errors);
    c.sim.run({ until: 30 });
    // no error from the node's loss: its gets went to the database
    expect(c.errors).toBe(during);
    expect(c.ok).toBeGreaterThan(10000);
  });

  test('a called cache given writes, or a standalone one called, is a ParameterError naming the key; named pools draw apart', () => {
    const param = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { parameter?: string }).parameter;
      }
      return 'no error';
    };
    expect(param(() => resolveCacheConfig({ ...pooled, writes: { fraction: 0.1 } }))).toBe(
      'writes',
    );
    expect(
      param(() => resolveCacheConfig({ cache: { capacity: 10 }, popularity: undefined, rate: 10 })),
    ).toBe('popularity');
    const sim = new Simulation({ seed: 1 });
    const own = new CacheSystem(sim, {
      rate: 10,
      popularity: { model: 'zipf', objects: 10, alpha: 1 },
      cache: { capacity: 5 },
    });
    expect(param(() => own.entry.accept(sim.jobs.alloc()))).toBe('rate');
    const a = calledCache(2, { ...pooled, name: 'a' }, 300);
    const b = calledCacheOn(a.sim, { ...pooled, name: 'b' }, 300);
    a.sim.run({ until: 10 });
    expect(a.cache.summary().hits).not.toBe(b.cache.summary().hits);
  });
});

/** As calledCache, on an existing simulation (the source's and keys' names suffixed by the cache's). */
function calledCacheOn(sim: Simulation, config: CacheSystemConfig, rate: number): Caller {
  const cache = new CacheSystem(sim, config);
  const calls = Calls.of(sim);
  const zipf = new Zipf(OBJECTS, ALPHA);
  const keys = sim.streams.get(`test.keys.${config.name}`);
  const out: Caller = {
    sim,
    cache,
    ok: 0,
    errors: 0,
    twice: 0,
    parents: 0,
    pending: new Uint8Array(1),
  };
  const then = target((parent) => {
    if (calls.outcome[parent] === CALL_OK) out.ok++;
    else out.errors++;
    sim.jobs.free(parent);
  });
  new Source(sim, {
    name: `test.reads.${config.name}`,
    interarrival: new Exponential(rate),
    to: target((parent) => {
      out.parents++;
      calls.wait(parent, { then });
      const child = calls.child(parent);
      cache.setKey(child, zipf.sample(keys) - 1);
      cache.entry.accept(child);
    }),
  });
  return out;
}
