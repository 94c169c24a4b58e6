/**
 * Lab 07, cdn-offload: the CDN's origin offload; each (edge, object) is a renewal cycle of TTL
 * plus the wait for the next request, so an edge sends Σ λᵢ / (1 + λᵢ TTL) to the origin.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { openLoadWork } from '../../experiment/work';
import { Exponential } from '../../random/exponential';
import { simulateCdn } from '../../systems/cache/cdn';
import { cdnHitRatio, cdnOriginRate, cdnStaleShare } from '../../systems/cache/cdn-theory';
import { lab, popularityOf } from './shared';

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
  precisionMetrics: ['originRate', 'hitRatio', 'staleShare', 'W'],
  statedPrecision: { originRate: 0.05, hitRatio: 0.15, staleShare: 0.1, W: 0.05 },
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
    openLoadWork(
      cdnRegions.reduce((sum, r) => sum + r.rate, 0),
      Math.max(60, 2 * (point.ttl as number)) + 2 * (point.ttl as number) + 30,
      8,
      'ttl',
      { objects: p.objects },
    ),
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
