/**
 * Lab 07, cache-node-loss: a pool of LRU nodes loses one node and gets it back empty; ketama
 * against hash-modulo, with Che's approximation per node as the level the pool refills to.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { openLoadWork } from '../../experiment/work';
import { Exponential } from '../../random/exponential';
import { simulateCache } from '../../systems/cache/system';
import { nodeLossLevels } from '../../systems/cache/pool';
import { lab } from './shared';

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
  precisionMetrics: ['hitRatio'],
  // worst in the first seconds of the cold start; the median row is ±6 %
  statedPrecision: { hitRatio: 0.2 },
  units: { hitRatio: 'fraction of requests', t: 's' },
  sharedSeedAcross: ['hashing'],
  points: (p) => p.hashings.map((h) => ({ hashing: h })),
  workEstimate: (_point, p) =>
    openLoadWork(p.rate, p.duration, 4, 'rate × duration', {
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
