/**
 * Lab 07, cache-hit-ratio: hit ratio vs cache size for each eviction policy under Zipf requests,
 * against Che's approximation (LRU), the FIFO/random approximation, the top-C sum (LFU) and the
 * TTL-cache formula λT/(1 + λT).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { requestsWork } from '../../experiment/work';
import { RandomStreams } from '../../random/streams';
import { KeySampler } from '../../systems/cache/popularity';
import { replay } from '../../systems/cache/replay';
import { createStore } from '../../systems/cache/create';
import type { EvictionPolicy } from '../../systems/cache/store';
import {
  cheLru,
  fifoRandomApproximation,
  lfuTopC,
  ttlCacheHitRatio,
} from '../../systems/cache/theory';
import { lab, popularityOf } from './shared';

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
  precisionMetrics: ['hitRatio'],
  // worst at the smallest caches (10 objects, hit ratio under 3 %); the median row is ±1.5 %
  statedPrecision: { hitRatio: 0.25 },
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
  workEstimate: (_point, p) => requestsWork(p.requests, 1.5, 'requests', { objects: p.objects }),
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
