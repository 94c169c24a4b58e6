/**
 * Lab 07, memcached-measured: the hit ratio of real memcached (Debian's memcached: `-m` MB,
 * slab allocator, segmented HOT/WARM/COLD LRU) read cache-aside with a Zipf(α) key stream, vs
 * memory, beside Che's approximation for LRU (Che, Tung, Wang 2002; theory.ts cheLru) and the
 * simulated LRU and segmented stores (lib/systems/cache) replaying the IDENTICAL key stream at
 * the capacity in items memcached itself reached (`stats items`: its slab chunk, not the item's
 * bytes, sets how many fit). Hit ratios are proportions of the measured requests; the interval is
 * the binomial one p ± 1.96·√(p(1 − p)/n) (requests are not independent, so it is a lower bound on
 * the real spread; the simulation's comes from 4 key streams).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import type { Observation } from '../../experiment/experiment';
import { RandomStreams, deriveSeed } from '../../random/streams';
import { findMemcached, machine } from '../../measure/components';
import type { MemcachedResult } from '../../measure/memcached';
import { runMeasurement } from '../../measure/run-sync';
import { createStore } from '../../systems/cache/create';
import { KeySampler } from '../../systems/cache/popularity';
import { replay } from '../../systems/cache/replay';
import { cheLru } from '../../systems/cache/theory';
import { zipfPopularity } from '../../systems/cache/theory';
import { intervalOf } from './batches';
import { measuredFigure } from './figures';

/** Items memcached 1.6 holds in `memoryMB` of item memory for values of `itemSize` bytes, when the measurement is not run: 1 MB pages / chunk. */
export function slabCapacityEstimate(memoryMB: number, chunkSize: number): number {
  return Math.floor(memoryMB * Math.floor((1024 * 1024) / chunkSize));
}

export const memcachedMeasured = defineExperiment({
  name: 'memcached-measured',
  requires: 'memcached',
  title: 'Real memcached vs the model: hit ratio vs memory under a Zipf key stream',
  description:
    "Debian's memcached on 127.0.0.1 with -m MB of item memory, read cache-aside (get; on a miss set) with a Zipf key stream of fixed-size values; " +
    "source 'measured' is the hit ratio of the real server, source 'simulation' the LRU and memcached's segmented LRU (policy column) replaying the identical key stream " +
    "at the capacity in items memcached reached; Che's approximation at that capacity is the theory column. About 25 s.",
  lab: '07-caching-and-cdn',
  params: {
    memoryMB: {
      type: 'numbers',
      default: [2, 4, 8],
      min: 1,
      max: 1024,
      integer: true,
      unit: 'MB',
      doc: 'memcached `-m`.',
    },
    itemSize: {
      type: 'integer',
      default: 1000,
      min: 1,
      max: 500000,
      unit: 'bytes',
      doc: 'Value size of every item.',
    },
    objects: { type: 'integer', default: 10000, min: 10, max: 1_000_000, doc: 'Distinct keys.' },
    alpha: { type: 'number', default: 0.8, min: 0, max: 3, doc: 'Zipf exponent.' },
    requests: {
      type: 'integer',
      default: 30000,
      min: 1000,
      max: 10_000_000,
      doc: 'Measured requests per point.',
    },
    warmup: {
      type: 'integer',
      default: 20000,
      min: 0,
      max: 10_000_000,
      doc: 'Requests before the counters start.',
    },
    sources: {
      type: 'choices',
      default: ['measured', 'simulation'],
      choices: ['measured', 'simulation'],
      doc: 'Which rows to produce.',
    },
  },
  replications: 1,
  sharedSeedAcross: ['source', 'policy'],
  // the intervals (binomial for memcached, 4 key streams for the stores) are computed here: no framework metric, so hitRatio_lo/_hi pass through
  metrics: [],
  points: (p) =>
    p.memoryMB.flatMap((m) => [
      ...(p.sources.includes('measured')
        ? [{ source: 'measured', policy: 'memcached', memoryMB: m }]
        : []),
      ...(p.sources.includes('simulation')
        ? [
            { source: 'simulation', policy: 'lru', memoryMB: m },
            { source: 'simulation', policy: 'segmented', memoryMB: m },
          ]
        : []),
    ]),
  simulate: (point, p, seed): Observation => {
    const m = point.memoryMB as number;
    // the measured run's seed is shared by every source of a memory size: the same key stream
    const streamSeed = deriveSeed(seed, `memory.${m}`);
    const args = {
      memoryMB: m,
      itemSize: p.itemSize,
      objects: p.objects,
      alpha: p.alpha,
      requests: p.requests,
      warmup: p.warmup,
      seed: streamSeed,
    };
    if (point.source === 'measured') {
      const v = findMemcached();
      const r = runMeasurement<MemcachedResult>({ kind: 'memcached-hit-ratio', args: args });
      const half = 1.96 * Math.sqrt((r.hitRatio * (1 - r.hitRatio)) / p.requests);
      return {
        hitRatio: r.hitRatio,
        hitRatio_lo: r.hitRatio - half,
        hitRatio_hi: r.hitRatio + half,
        items: r.items,
        chunkSize: r.chunkSize,
        evictions: r.evictions,
        component: `memcached ${v.version}`,
        machine: machine(),
      };
    }
    // the capacity memcached reaches: its slab chunk for this item (as measured: key + value + 48-56 B header, rounded up the -f 1.25 classes)
    const chunk = memcachedChunk(p.itemSize, `key:${p.objects}`.length);
    const capacity = slabCapacityEstimate(m, chunk);
    const ratios: number[] = [];
    for (let r = 0; r < 4; r++) {
      const s = r === 0 ? streamSeed : deriveSeed(streamSeed, `replication.${r}`);
      const store = createStore(point.policy as 'lru' | 'segmented', {
        capacity: capacity,
        keys: p.objects,
      });
      const rng = new RandomStreams(s).get('cache.requests');
      ratios.push(
        replay(
          store,
          new KeySampler({ model: 'zipf', objects: p.objects, alpha: p.alpha }, 0),
          rng,
          { requests: p.requests, warmup: p.warmup },
        ).hitRatio,
      );
    }
    const h = intervalOf(ratios);
    return {
      hitRatio: ratios[0],
      hitRatio_lo: h.lo === null ? null : ratios[0] - (h.mean - h.lo),
      hitRatio_hi: h.hi === null ? null : ratios[0] + (h.hi - h.mean),
      items: capacity,
      chunkSize: chunk,
      evictions: null,
      component: 'scalelab cache simulator',
      machine: machine(),
    };
  },
  theory: (point, p) => {
    const capacity = slabCapacityEstimate(
      point.memoryMB as number,
      memcachedChunk(p.itemSize, `key:${p.objects}`.length),
    );
    return {
      hitRatio_theory: cheLru(zipfPopularity(p.objects, p.alpha), capacity).hitRatio,
      capacity: capacity,
    };
  },
  figures: (t: ColumnTable) => [
    measuredFigure(t, {
      x: 'memoryMB',
      y: 'hitRatio',
      groupBy: 'policy',
      theoryFor: 'lru',
      theoryNames: ['Che approximation'],
      title: 'Real memcached (◆) vs simulated LRU / segmented LRU (○) and Che (line): hit ratio',
      xAxis: { title: 'memcached -m (MB)', log: true },
      yAxis: { title: 'hit ratio' },
    }),
  ],
});

/**
 * memcached 1.6's chunk for an item: the item header (48 B, + 8 with CAS) + key + 1 + suffix + value
 * + 2 (\r\n), placed in the smallest slab class that fits; classes grow from 96 B by the factor 1.25
 * (`-f`), each rounded up to 8 bytes (slabs.c slabs_init).
 */
export function memcachedChunk(itemSize: number, keyLength: number): number {
  const need = 56 + keyLength + 1 + itemSize + 2;
  let size = 96;
  while (size < need) {
    size = Math.ceil((size * 1.25) / 8) * 8;
  }
  return size;
}
