/**
 * Lab 07, cache-response-time: cache-aside reads through one LRU node with the database an M/M/c
 * fed the misses, λ(1 − h); mean response ℓ + (1 − h) W_M/M/c(λ(1 − h)).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { openLoadWork } from '../../experiment/work';
import { Exponential } from '../../random/exponential';
import { mmc, responsePercentile } from '../../queueing/mmc';
import { simulateCache } from '../../systems/cache/system';
import { cheLru } from '../../systems/cache/theory';
import { lab, popularityOf } from './shared';

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
  precisionMetrics: ['W', 'p99', 'dbUtilisation'],
  // worst at the largest cache (300), where W is about 15 ms; the median row is ±8 % (W), ±12 % (p99)
  statedPrecision: { W: 0.5, p99: 0.8, dbUtilisation: 0.05 },
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
    openLoadWork(p.rate, p.duration + 10, 5, 'rate × duration', { objects: p.objects }),
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
