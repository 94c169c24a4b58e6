/**
 * Lab 07, caching and the CDN: hit ratio vs cache size for each eviction policy against Che's
 * approximation, the top-C sum and the TTL-cache formula; response time with the database as an
 * M/M/c fed the misses; stampedes and their cures; node loss under modulo vs consistent hashing;
 * the CDN's origin offload. Every experiment runs lib/systems/cache beside its closed form.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../experiment/experiment';
import { theoryVsSimulation } from '../experiment/figures';
import { Deterministic } from '../random/deterministic';
import { Exponential } from '../random/exponential';
import { RandomStreams } from '../random/streams';
import { mmc, responsePercentile } from '../queueing/mmc';
import { KeySampler } from '../systems/cache/popularity';
import { replay } from '../systems/cache/replay';
import { createStore } from '../systems/cache/create';
import type { EvictionPolicy } from '../systems/cache/store';
import { simulateCache } from '../systems/cache/system';
import { nodeLossLevels } from '../systems/cache/pool';
export { nodeLossLevels };
import { simulateCdn } from '../systems/cache/cdn';
import { cdnHitRatio, cdnOriginRate, cdnStaleShare } from '../systems/cache/cdn-theory';
import type { StampedeProtection } from '../systems/cache/config';
import {
  cheLru,
  fifoRandomApproximation,
  lfuTopC,
  ttlCacheHitRatio,
  zipfPopularity,
} from '../systems/cache/theory';
import { workOf } from '../experiment/work';

const lab = '07-caching-and-cdn';

const popularityCache = new Map<string, Float64Array>();
/** Zipf(α) popularity over n objects, computed once per (n, α). */
export function popularityOf(n: number, alpha: number): Float64Array {
  const k = `${n}:${alpha}`;
  let p = popularityCache.get(k);
  if (p === undefined) {
    p = zipfPopularity(n, alpha);
    popularityCache.set(k, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// cache-hit-ratio
// ---------------------------------------------------------------------------------------------

export const hitRatioPolicies = ['lru', 'lfu', 'fifo', 'random', 'wtinylfu', 'ttl'] as const;
/** Also selectable: memcached's segmented LRU (HOT/WARM/COLD), simulation only. */
export const hitRatioPolicyChoices = [...hitRatioPolicies, 'segmented'] as const;

/** The closed form for a policy's hit ratio at `size` (null where none exists: W-TinyLFU). */
export function hitRatioTheory(policy: string, p: Float64Array, size: number): number | null {
  if (policy === 'lru') return cheLru(p, size).hitRatio;
  if (policy === 'fifo' || policy === 'random') return fifoRandomApproximation(p, size).hitRatio;
  if (policy === 'lfu') return lfuTopC(p, size);
  if (policy === 'ttl') return ttlCacheHitRatio(p, 1, fifoRandomApproximation(p, size).T);
  return null;
}

export const cacheHitRatio = defineExperiment({
  name: 'cache-hit-ratio',
  title: 'Hit ratio vs cache size for each eviction policy under Zipf popularity',
  description:
    'Independent requests for N objects with Zipf(alpha) popularity, replayed through one cache (cache-aside: every miss is followed by a set). ' +
    "LRU against Che's approximation (characteristic time T from sum_i (1 - exp(-p_i T)) = C), FIFO and random replacement against the same method with p_i T / (1 + p_i T), " +
    'perfect LFU against the top-C sum (the best static cache), W-TinyLFU (Caffeine) by simulation only. ' +
    "'ttl' is a cache without a size limit whose items expire T after they were fetched, T chosen so that it holds C objects on average: its hit ratio is exactly sum_i p_i lambda_i T / (1 + lambda_i T).",
  lab,
  params: {
    alphas: {
      type: 'numbers',
      default: [0.6, 0.8, 1.0],
      min: 0,
      max: 3,
      doc: 'Zipf exponents alpha.',
    },
    policies: {
      type: 'choices',
      default: [...hitRatioPolicies],
      choices: hitRatioPolicyChoices,
      doc: "Eviction policies ('ttl': a TTL cache of the same mean occupancy; 'segmented': memcached's HOT/WARM/COLD LRU).",
    },
    cacheSizes: {
      type: 'numbers',
      default: [10, 30, 100, 300, 1000, 3000],
      min: 1,
      integer: true,
      unit: 'objects',
      doc: 'Cache sizes C.',
    },
    objects: {
      type: 'integer',
      default: 10000,
      min: 10,
      max: 10_000_000,
      unit: 'objects',
      doc: 'Catalogue size N.',
    },
    requests: {
      type: 'integer',
      default: 40000,
      min: 1000,
      max: 100_000_000,
      unit: 'requests',
      doc: 'Requests measured per replication (after a warm-up of half as many).',
    },
  },
  replications: 3,
  metrics: { hitRatio: 'proportion' },
  units: { cacheSize: 'objects', hitRatio: 'fraction of requests' },
  sharedSeedAcross: ['policy', 'cacheSize'],
  points: (p) =>
    p.alphas.flatMap((alpha) =>
      p.policies.flatMap((policy) =>
        p.cacheSizes
          .filter((c) => c < p.objects)
          .map((c) => ({ policy: policy, alpha: alpha, cacheSize: c })),
      ),
    ),
  workEstimate: (_point, p) => workOf({ requests: 1.5 * p.requests, objects: p.objects }),
  simulate: (point, p, seed) => {
    const streams = new RandomStreams(seed);
    const policy = point.policy as string;
    const size = point.cacheSize as number;
    const keys = new KeySampler(
      { model: 'zipf', objects: p.objects, alpha: point.alpha as number },
      0,
    );
    let ttl = 0;
    let store;
    if (policy === 'ttl') {
      ttl = fifoRandomApproximation(popularityOf(p.objects, point.alpha as number), size).T; // rate 1: T in seconds
      store = createStore('lru', { capacity: p.objects, keys: p.objects });
    } else
      store = createStore(policy as EvictionPolicy, {
        capacity: size,
        keys: p.objects,
        rng: streams.get('cache.evict'),
      });
    const r = replay(store, keys, streams.get('cache.requests'), {
      requests: p.requests,
      warmup: Math.floor(p.requests / 2),
      rate: 1,
      ttl: ttl,
    });
    return { hitRatio: r.hitRatio };
  },
  theory: (point, p) => ({
    hitRatio_theory: hitRatioTheory(
      point.policy as string,
      popularityOf(p.objects, point.alpha as number),
      point.cacheSize as number,
    ),
  }),
  figures: (t: ColumnTable) => {
    const alphas = Array.from(new Set(t.array('alpha') as unknown as number[]));
    return alphas.map((a) =>
      theoryVsSimulation(t.filter(`d => d.alpha === ${a}`), {
        x: 'cacheSize',
        y: 'hitRatio',
        groupBy: 'policy',
        title: `Hit ratio vs cache size, Zipf α = ${a}`,
        xAxis: { title: 'cache size C (objects)', log: true },
        yAxis: { title: 'hit ratio', log: true },
      }),
    );
  },
});

// ---------------------------------------------------------------------------------------------
// cache-response-time
// ---------------------------------------------------------------------------------------------

/** Mean and p99 response of cache-aside reads: hits take ℓ, misses ℓ + the M/M/c response at λ(1 − h). */
export function cacheAsideResponse(
  rate: number,
  h: number,
  latency: number,
  servers: number,
  serviceTime: number,
): { W: number | null; p99: number | null } {
  const missRate = rate * (1 - h);
  if (missRate >= servers / serviceTime) return { W: null, p99: null };
  if (missRate <= 0) return { W: latency, p99: latency };
  const q = mmc({ lambda: missRate, mu: 1 / serviceTime, c: servers });
  const miss = 1 - h;
  const p99 = miss <= 0.01 ? latency : latency + responsePercentile(q, 1 - 0.01 / miss);
  return { W: latency + miss * q.W, p99: p99 };
}

export const cacheResponseTime = defineExperiment({
  name: 'cache-response-time',
  title: 'Mean and p99 response time vs cache size, the database an M/M/c fed the misses',
  description:
    'A web tier reads Zipf-popular objects through one LRU memcached node (a round trip of 0.5 ms) and on a miss queries the database, an M/M/c station, then sets the item. ' +
    "The database sees only the misses, lambda (1 - h): with h from Che's approximation, the mean response is l + (1 - h) W_M/M/c(lambda (1 - h)). " +
    'Without a cache the database is overloaded (lambda > c mu); a cache just large enough to bring the miss rate under c mu rescues it, and past the knee more cache buys little.',
  lab,
  params: {
    rate: {
      type: 'number',
      default: 1000,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'req/s',
      doc: 'Read requests per second lambda.',
    },
    cacheSizes: {
      type: 'numbers',
      default: [10, 20, 50, 100, 300, 1000, 3000],
      min: 1,
      integer: true,
      unit: 'objects',
      doc: 'Cache sizes C.',
    },
    alpha: { type: 'number', default: 0.8, min: 0, max: 3, doc: 'Zipf exponent.' },
    objects: {
      type: 'integer',
      default: 10000,
      min: 10,
      max: 10_000_000,
      unit: 'objects',
      doc: 'Catalogue size N.',
    },
    servers: { type: 'integer', default: 4, min: 1, max: 10000, doc: 'Database connections c.' },
    serviceTime: {
      type: 'number',
      default: 0.005,
      min: 0,
      minOpen: true,
      max: 100,
      unit: 's',
      doc: 'Mean database query time (exponential).',
    },
    duration: {
      type: 'number',
      default: 30,
      min: 1,
      max: 1e6,
      unit: 's',
      doc: 'Measured seconds per replication (after 10 s of warm-up).',
    },
  },
  replications: 3,
  metrics: {
    hitRatio: 'proportion',
    W: 'nonNegative',
    p99: 'quantile',
    dbUtilisation: 'proportion',
    overloaded: 'proportion',
  },
  units: {
    cacheSize: 'objects',
    hitRatio: 'fraction of requests',
    W: 's',
    p99: 's',
    dbUtilisation: 'fraction',
  },
  sharedSeedAcross: ['cacheSize'],
  points: (p) => p.cacheSizes.map((c) => ({ cacheSize: c })),
  workEstimate: (_point, p) =>
    workOf({ 'rate × duration': 5 * p.rate * (p.duration + 10), objects: p.objects }),
  simulate: (point, p, seed) => {
    const s = simulateCache(
      {
        rate: p.rate,
        popularity: { model: 'zipf', objects: p.objects, alpha: p.alpha },
        cache: { capacity: point.cacheSize as number, latency: 0.0005 },
        database: { servers: p.servers, service: Exponential.withMean(p.serviceTime) },
      },
      { seed: seed, duration: p.duration, warmup: 10 },
    );
    return {
      hitRatio: s.lookupHitRatio,
      W: s.latency.mean,
      p99: s.latency.p99,
      dbUtilisation: s.database.utilisation,
      overloaded: s.overloaded ? 1 : 0,
    };
  },
  theory: (point, p) => {
    const h = cheLru(popularityOf(p.objects, p.alpha), point.cacheSize as number).hitRatio;
    const r = cacheAsideResponse(p.rate, h, 0.0005, p.servers, p.serviceTime);
    const u = (p.rate * (1 - h) * p.serviceTime) / p.servers;
    return {
      hitRatio_theory: h,
      W_theory: r.W,
      p99_theory: r.p99,
      dbUtilisation_theory: u < 1 ? u : null,
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'cacheSize',
      y: 'W',
      title: 'Mean response time vs cache size',
      theoryLabel: 'Che + M/M/c',
      xAxis: { title: 'cache size C (objects)', log: true },
      yAxis: { title: 'mean response (s)', log: true },
    }),
    theoryVsSimulation(t, {
      x: 'cacheSize',
      y: 'p99',
      title: 'p99 response time vs cache size',
      theoryLabel: 'Che + M/M/c',
      xAxis: { title: 'cache size C (objects)', log: true },
      yAxis: { title: 'p99 response (s)', log: true },
    }),
    theoryVsSimulation(t, {
      x: 'cacheSize',
      y: 'dbUtilisation',
      title: 'Database utilisation vs cache size',
      theoryLabel: 'λ(1 − h)x/c',
      xAxis: { title: 'cache size C (objects)', log: true },
      yAxis: { title: 'database utilisation' },
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// cache-stampede
// ---------------------------------------------------------------------------------------------

export const stampedeProtections = ['none', 'single-flight', 'lease', 'xfetch'] as const;

export const cacheStampede = defineExperiment({
  name: 'cache-stampede',
  title: 'Database reads per expiry of a hot key, with and without each stampede cure',
  description:
    'One hot key read at lambda req/s, cached with an exptime, recomputed by a database query of delta seconds (a database with room for every query). ' +
    'When the item expires every read that arrives before the first recompute lands misses too: 1 + lambda (l + delta) queries per expiry (l the cache round trip). ' +
    'Request coalescing (single-flight) and memcached leases make it one query; XFetch (probabilistic early expiration, beta = 1) recomputes shortly before the expiry, so reads never miss.',
  lab,
  params: {
    rate: {
      type: 'number',
      default: 1000,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'req/s',
      doc: 'Reads per second of the hot key.',
    },
    recomputeTimes: {
      type: 'numbers',
      default: [0.01, 0.02, 0.05, 0.1, 0.2],
      min: 0,
      minOpen: true,
      max: 100,
      unit: 's',
      doc: 'Database query (recompute) time delta.',
    },
    protections: {
      type: 'choices',
      default: [...stampedeProtections],
      choices: stampedeProtections,
      doc: 'Stampede protection.',
    },
    exptime: {
      type: 'number',
      default: 5,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 's',
      doc: 'Item expiry.',
    },
    duration: {
      type: 'number',
      default: 20,
      min: 1,
      max: 1e6,
      unit: 's',
      doc: 'Measured seconds per replication (after one exptime of warm-up).',
    },
  },
  replications: 3,
  metrics: {
    dbReadsPerExpiry: 'nonNegative',
    peakConcurrency: 'nonNegative',
    W: 'nonNegative',
    p99: 'quantile',
  },
  units: { delta: 's', dbReadsPerExpiry: 'reads', peakConcurrency: 'requests', W: 's', p99: 's' },
  sharedSeedAcross: ['protection'],
  points: (p) =>
    p.protections.flatMap((protection) =>
      p.recomputeTimes.map((d) => ({ protection: protection, delta: d })),
    ),
  workEstimate: (_point, p) => workOf({ 'rate × duration': 4 * p.rate * (p.duration + p.exptime) }),
  simulate: (point, p, seed) => {
    const s = simulateCache(
      {
        rate: p.rate,
        popularity: { model: 'zipf', objects: 1, alpha: 0 },
        cache: {
          capacity: 1,
          exptime: p.exptime,
          stampede: point.protection as StampedeProtection,
          latency: 0.0005,
        },
        database: { servers: 100000, service: new Deterministic(point.delta as number) },
      },
      { seed: seed, duration: p.duration, warmup: p.exptime },
    );
    return {
      dbReadsPerExpiry: s.dbReadsPerEpisode,
      peakConcurrency: s.peakKeyConcurrency,
      W: s.latency.mean,
      p99: s.latency.p99,
    };
  },
  theory: (point, p) => {
    const d = point.delta as number;
    const pr = point.protection;
    return {
      dbReadsPerExpiry_theory:
        pr === 'none' ? 1 + p.rate * (0.0005 + d) : pr === 'xfetch' ? null : 1,
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'delta',
      y: 'dbReadsPerExpiry',
      groupBy: 'protection',
      title: 'Database reads per expiry of the hot key',
      xAxis: { title: 'recompute time δ (s)', log: true },
      yAxis: { title: 'database reads per expiry', log: true },
    }),
    theoryVsSimulation(t, {
      x: 'delta',
      y: 'peakConcurrency',
      groupBy: 'protection',
      title: 'Peak concurrent database reads of the hot key',
      xAxis: { title: 'recompute time δ (s)', log: true },
      yAxis: { title: 'peak concurrent reads', log: true },
    }),
    theoryVsSimulation(t, {
      x: 'delta',
      y: 'p99',
      groupBy: 'protection',
      title: 'p99 read latency',
      xAxis: { title: 'recompute time δ (s)', log: true },
      yAxis: { title: 'p99 (s)', log: true },
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// cache-node-loss
// ---------------------------------------------------------------------------------------------

export const cacheNodeLoss = defineExperiment({
  name: 'cache-node-loss',
  title: 'Hit ratio over time when one of k memcached nodes dies, modulo vs consistent hashing',
  description:
    'A pool of k LRU memcached nodes sharded by the clients; node k-1 crashes (losing its items) and comes back empty later. ' +
    "With ketama only the dead node's keys move (about 1/k of the traffic misses until refilled); with hash-modulo-live-nodes most keys change node twice, at the crash and at the return. " +
    "Theory lines: Che's approximation per node for the current set of nodes (the level the pool refills to); the drop just after each change is listed in the table.",
  lab,
  params: {
    nodes: { type: 'integer', default: 4, min: 2, max: 100, doc: 'memcached nodes k.' },
    hashings: {
      type: 'choices',
      default: ['ketama', 'modulo'],
      choices: ['ketama', 'modulo'],
      doc: 'Client-side sharding.',
    },
    rate: {
      type: 'number',
      default: 2000,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'req/s',
      doc: 'Reads per second.',
    },
    objects: {
      type: 'integer',
      default: 20000,
      min: 10,
      max: 1_000_000,
      unit: 'objects',
      doc: 'Catalogue size N.',
    },
    alpha: { type: 'number', default: 0.8, min: 0, max: 3, doc: 'Zipf exponent.' },
    capacity: {
      type: 'integer',
      default: 1000,
      min: 1,
      max: 1e7,
      unit: 'objects',
      doc: 'Capacity of each node.',
    },
    crashAt: {
      type: 'number',
      default: 20,
      min: 0,
      max: 1e6,
      unit: 's',
      doc: 'When node k-1 crashes.',
    },
    downFor: {
      type: 'number',
      default: 20,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 's',
      doc: 'How long it stays down (it comes back empty).',
    },
    duration: {
      type: 'number',
      default: 60,
      min: 1,
      max: 1e6,
      unit: 's',
      doc: 'Simulated seconds (from an empty pool; the first seconds show the warm-up).',
    },
    interval: {
      type: 'number',
      default: 0.5,
      min: 0.01,
      max: 1000,
      unit: 's',
      doc: 'Bin width of the hit-ratio series.',
    },
  },
  replications: 3,
  metrics: { hitRatio: 'proportion' },
  units: { hitRatio: 'fraction of requests', t: 's' },
  sharedSeedAcross: ['hashing'],
  points: (p) => p.hashings.map((h) => ({ hashing: h })),
  workEstimate: (_point, p) =>
    workOf({
      'rate × duration': 4 * p.rate * p.duration,
      interval: (p.nodes * p.duration) / p.interval,
      objects: p.objects,
    }),
  simulate: (point, p, seed) => {
    const failures = Array.from({ length: p.nodes }, (_, i) =>
      i === p.nodes - 1 ? { outages: [{ at: p.crashAt, duration: p.downFor }] } : {},
    );
    const s = simulateCache(
      {
        rate: p.rate,
        popularity: { model: 'zipf', objects: p.objects, alpha: p.alpha },
        cache: {
          nodes: p.nodes,
          hashing: point.hashing as 'ketama' | 'modulo',
          capacity: p.capacity,
          failures: failures,
        },
        database: { servers: 1000, service: Exponential.withMean(0.005) },
        interval: p.interval,
      },
      { seed: seed, duration: p.duration },
    );
    const series = s.series!;
    const levels = nodeLossLevels(p, point.hashing as 'ketama' | 'modulo');
    return series.t.map((t, i) => ({
      t: t,
      hitRatio: series.hitRatio[i],
      hitRatio_theory:
        t < p.crashAt ? levels.before : t < p.crashAt + p.downFor ? levels.during : levels.before,
    }));
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 't',
      y: 'hitRatio',
      groupBy: 'hashing',
      title: 'Hit ratio over time: one node down, then back empty',
      theoryLabel: 'Che per node (refilled level)',
      xAxis: { title: 'time (s)' },
      yAxis: { title: 'hit ratio' },
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// cdn-offload
// ---------------------------------------------------------------------------------------------

/** The default regions: clients' rates and round trips to their edge and from the edge to the origin. */
export const cdnRegions = [
  { name: 'eu-west', rate: 100, rtt: 0.02, originRtt: 0.08 },
  { name: 'us-east', rate: 75, rtt: 0.03, originRtt: 0.12 },
  { name: 'ap-south', rate: 50, rtt: 0.04, originRtt: 0.16 },
  { name: 'sa-east', rate: 25, rtt: 0.05, originRtt: 0.2 },
];

export const cdnOffload = defineExperiment({
  name: 'cdn-offload',
  title:
    'Origin requests, hit ratio, stale share and user latency vs TTL, with and without an origin shield',
  description:
    'Four regions send Poisson requests for Zipf-popular objects to their edge; an edge serves fresh copies (Cache-Control max-age = TTL), collapses concurrent misses into one fetch, ' +
    'and serves stale copies for stale-while-revalidate seconds while it refreshes them in the background. ' +
    'Each (edge, object) is a renewal cycle of TTL plus the wait for the next request, so the origin sees sum lambda_i / (1 + lambda_i TTL) per edge; ' +
    "a shield in front of the origin makes that one such stream per object at the total rate (more PoPs no longer multiply the origin's load), at the price of one more hop on a miss " +
    "and edge copies that inherit the shield copy's Age (RFC 9111), so they expire sooner.",
  lab,
  params: {
    ttls: {
      type: 'numbers',
      default: [1, 3, 10, 30, 100],
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 's',
      doc: 'Freshness lifetimes (max-age).',
    },
    shields: {
      type: 'choices',
      default: ['no shield', 'shield'],
      choices: ['no shield', 'shield'],
      doc: 'Without or with an origin shield (tiered cache).',
    },
    staleWhileRevalidate: {
      type: 'number',
      default: 10,
      min: 0,
      max: 1e6,
      unit: 's',
      doc: 'Cache-Control stale-while-revalidate.',
    },
    alpha: { type: 'number', default: 0.8, min: 0, max: 3, doc: 'Zipf exponent.' },
    objects: {
      type: 'integer',
      default: 2000,
      min: 1,
      max: 1_000_000,
      unit: 'objects',
      doc: 'Catalogue size N.',
    },
    shieldOriginRtt: {
      type: 'number',
      default: 0.08,
      min: 0,
      max: 10,
      unit: 's',
      doc: 'Round trip shield <-> origin (edge <-> shield is half the edge <-> origin round trip).',
    },
    originServiceTime: {
      type: 'number',
      default: 0.02,
      min: 0,
      minOpen: true,
      max: 100,
      unit: 's',
      doc: 'Mean origin response time per request (exponential, 32 workers).',
    },
  },
  replications: 3,
  metrics: {
    originRate: 'nonNegative',
    hitRatio: 'proportion',
    staleShare: 'proportion',
    W: 'nonNegative',
    p99: 'quantile',
  },
  units: {
    ttl: 's',
    originRate: 'req/s',
    hitRatio: 'fraction of requests',
    staleShare: 'fraction of requests',
    W: 's',
    p99: 's',
  },
  sharedSeedAcross: ['shield'],
  points: (p) => p.shields.flatMap((sh) => p.ttls.map((ttl) => ({ shield: sh, ttl: ttl }))),
  workEstimate: (point, p) =>
    workOf({
      ttl:
        8 *
        cdnRegions.reduce((sum, r) => sum + r.rate, 0) *
        (Math.max(60, 2 * (point.ttl as number)) + 2 * (point.ttl as number) + 30),
      objects: p.objects,
    }),
  simulate: (point, p, seed) => {
    const ttl = point.ttl as number;
    const s = simulateCdn(
      {
        regions: cdnRegions,
        popularity: { model: 'zipf', objects: p.objects, alpha: p.alpha },
        cacheControl: { 'max-age': ttl, 'stale-while-revalidate': p.staleWhileRevalidate },
        ...(point.shield === 'shield' ? { shield: { originRtt: p.shieldOriginRtt } } : {}),
        origin: { servers: 32, service: Exponential.withMean(p.originServiceTime) },
      },
      { seed: seed, duration: Math.max(60, 2 * ttl), warmup: 2 * ttl + 30 },
    );
    return {
      originRate: s.originRate,
      hitRatio: s.hitRatio,
      staleShare: s.staleShare,
      W: s.latency.mean,
      p99: s.latency.p99,
    };
  },
  theory: (point, p) => {
    const ttl = point.ttl as number;
    const pop = popularityOf(p.objects, p.alpha);
    const rates = cdnRegions.map((r) => r.rate);
    const shield = point.shield === 'shield';
    // a fetch's response delay R: the round trip to the origin plus its (lightly loaded) response time
    const delays = cdnRegions.map((r) => r.originRtt + p.originServiceTime);
    const ok = !shield && delays.every((d) => d < ttl);
    return {
      originRate_theory: cdnOriginRate(rates, pop, ttl, shield),
      hitRatio_theory: ok ? cdnHitRatio(rates, delays, pop, ttl) : null,
      staleShare_theory:
        ok && delays.every((d) => d < p.staleWhileRevalidate)
          ? cdnStaleShare(rates, delays, pop, ttl, p.staleWhileRevalidate)
          : null,
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'ttl',
      y: 'originRate',
      groupBy: 'shield',
      title: 'Origin requests per second vs TTL',
      xAxis: { title: 'TTL, max-age (s)', log: true },
      yAxis: { title: 'origin requests/s', log: true },
    }),
    theoryVsSimulation(t, {
      x: 'ttl',
      y: 'hitRatio',
      groupBy: 'shield',
      title: 'Edge hit ratio (fresh) vs TTL',
      xAxis: { title: 'TTL, max-age (s)', log: true },
      yAxis: { title: 'hit ratio' },
    }),
    theoryVsSimulation(t, {
      x: 'ttl',
      y: 'staleShare',
      groupBy: 'shield',
      title: 'Share of responses served stale (stale-while-revalidate)',
      xAxis: { title: 'TTL, max-age (s)', log: true },
      yAxis: { title: 'stale share' },
    }),
    theoryVsSimulation(t, {
      x: 'ttl',
      y: 'W',
      groupBy: 'shield',
      title: 'Mean user latency vs TTL',
      xAxis: { title: 'TTL, max-age (s)', log: true },
      yAxis: { title: 'mean latency (s)' },
    }),
  ],
});

/** Every experiment of lab 07, in the notebook's order. */
export const lab07Experiments = [
  cacheHitRatio,
  cacheResponseTime,
  cacheStampede,
  cacheNodeLoss,
  cdnOffload,
] as const;
