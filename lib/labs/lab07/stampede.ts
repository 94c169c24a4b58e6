/**
 * Lab 07, cache-stampede: one hot key's expiry; 1 + λ(ℓ + δ) database queries per expiry without
 * protection, one with single-flight or leases, none on the read path with XFetch.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { openLoadWork } from '../../experiment/work';
import { Deterministic } from '../../random/deterministic';
import { simulateCache } from '../../systems/cache/system';
import type { StampedeProtection } from '../../systems/cache/config';
import { lab } from './shared';

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
  precisionMetrics: ['dbReadsPerExpiry', 'peakConcurrency', 'p99'],
  // XFetch's few early recomputes vary from run to run (±150 %), so it is left out
  statedPrecision: { dbReadsPerExpiry: 0.35 },
  precisionExcludes: [{ protection: 'xfetch' }],
  units: { delta: 's', dbReadsPerExpiry: 'reads', peakConcurrency: 'requests', W: 's', p99: 's' },
  sharedSeedAcross: ['protection'],
  points: (p) =>
    p.protections.flatMap((protection) =>
      p.recomputeTimes.map((d) => ({ protection: protection, delta: d })),
    ),
  workEstimate: (_point, p) => openLoadWork(p.rate, p.duration + p.exptime, 4),
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
