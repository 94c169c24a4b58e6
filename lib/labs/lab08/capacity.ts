/**
 * active-active-capacity: k equal active sites behind Route 53 weighted routing (equal weights,
 * TTL 0 so that every request is answered afresh), each at utilisation ρ; one dies for good. After
 * its health check removes it, each survivor carries λ/(k − 1): utilisation ρ·k/(k − 1) (N+1
 * sizing, models-for-new-labs.md), and, the split being random per request, each survivor is an
 * M/M/c queue at that load (mean and p95 response from lib/queueing's M/M/c). Above ρ = (k − 1)/k
 * the survivors saturate: no steady state, no theory line.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { mmc, responsePercentile } from '../../queueing/mmc';
import { Exponential } from '../../random/exponential';
import type { GeoDnsConfig } from '../../systems/geodns/config';
import { simulateGeoDns } from '../../systems/geodns/system';
import { survivorUtilisation } from '../../systems/geodns/theory';
import { lab08 } from './latency';
import { workOf } from '../../experiment/work';

export const capacityScenarios = ['normal', 'one site down'] as const;

/** k sites of c servers at utilisation ρ; in 'one site down' the first is down from time 0. */
export function capacityDeployment(o: {
  sites: number;
  rho: number;
  servers: number;
  serviceTime: number;
  down: boolean;
}): GeoDnsConfig {
  const mu = 1 / o.serviceTime;
  return {
    regions: [{ name: 'clients', continent: 'NA', rate: o.rho * o.sites * o.servers * mu }],
    datacenters: Array.from({ length: o.sites }, (_, i) => ({
      name: `site${i + 1}`,
      region: 'n/a',
      servers: o.servers,
      service: new Exponential(mu),
      weight: 1,
      failures: i === 0 && o.down ? { outages: [{ at: 0, duration: Infinity }] } : undefined,
    })),
    routing: { policy: 'weighted', ttl: 0 },
    health_check: { request_interval: 10, failure_threshold: 3 },
    rtt: [Array.from({ length: o.sites }, () => 0)], // the time in the site only
  };
}

export const activeActiveCapacity = defineExperiment({
  name: 'active-active-capacity',
  title: 'Active-active: utilisation and latency of the surviving sites when one fails (N+1)',
  description:
    'k equal active sites (c servers each, exponential service) behind Route 53 weighted routing with equal weights and TTL 0, each at utilisation rho. One site dies; after its health check ' +
    'removes it the others share its load: utilisation rho k/(k - 1) (N+1 sizing: normal utilisation must stay below (k - 1)/k), and each survivor is an M/M/c queue at that load. ' +
    'Measured after the detection, in steady state.',
  lab: lab08,
  params: {
    sites: {
      type: 'numbers',
      default: [2, 3, 4],
      min: 2,
      max: 20,
      integer: true,
      doc: 'Active sites k.',
    },
    utilisations: {
      type: 'numbers',
      default: [0.3, 0.4, 0.5, 0.6, 0.7],
      min: 0,
      max: 1,
      minOpen: true,
      maxOpen: true,
      doc: 'Normal utilisation of each site rho.',
    },
    servers: {
      type: 'integer',
      default: 4,
      min: 1,
      max: 1000,
      unit: 'servers',
      doc: 'Servers per site c.',
    },
    serviceTime: {
      type: 'number',
      default: 0.1,
      min: 0,
      minOpen: true,
      max: 60,
      unit: 's',
      doc: 'Mean service time (exponential).',
    },
    duration: {
      type: 'number',
      default: 150,
      min: 10,
      max: 1e6,
      unit: 's',
      doc: 'Measured seconds per replication (after a 60 s warm-up that covers the detection).',
    },
  },
  replications: 3,
  metrics: {
    utilisation: 'nonNegative',
    meanLatency: 'nonNegative',
    p95Latency: 'quantile',
    overloaded: 'proportion',
  },
  precisionMetrics: ['utilisation', 'meanLatency'],
  // left out: the one-site-down points whose survivors carry rho·n/(n − 1) >= 0.9 (at or past the
  // knee: 1.0 at 2 sites and rho 0.5, 0.93 at 4 sites and 0.7), where a 3-replication mean latency
  // is ±10-73 %; elsewhere the worst is ±23 % (mean latency) and the median ±5 %
  statedPrecision: { utilisation: 0.1, meanLatency: 0.3 },
  precisionExcludes: [
    { scenario: 'one site down', sites: 2, rho: 0.5 },
    { scenario: 'one site down', sites: 2, rho: 0.6 },
    { scenario: 'one site down', sites: 2, rho: 0.7 },
    { scenario: 'one site down', sites: 3, rho: 0.6 },
    { scenario: 'one site down', sites: 3, rho: 0.7 },
    { scenario: 'one site down', sites: 4, rho: 0.7 },
  ],
  units: {
    sites: 'sites',
    rho: 'fraction',
    utilisation: 'fraction',
    meanLatency: 's',
    p95Latency: 's',
  },
  sharedSeedAcross: ['scenario'],
  points: (p) =>
    capacityScenarios.flatMap((scenario) =>
      p.sites.flatMap((k) =>
        p.utilisations.map((rho) => ({ scenario: scenario, sites: k, rho: rho })),
      ),
    ),
  workEstimate: (point, p) =>
    workOf({
      'utilisations × servers × duration':
        (5 * (point.rho as number) * (point.sites as number) * p.servers * (p.duration + 60)) /
        p.serviceTime,
    }),
  simulate: (point, p, seed) => {
    const down = point.scenario === 'one site down';
    const s = simulateGeoDns(
      capacityDeployment({
        sites: point.sites as number,
        rho: point.rho as number,
        servers: p.servers,
        serviceTime: p.serviceTime,
        down: down,
      }),
      { seed: seed, duration: p.duration, warmup: 60 },
    );
    const survivors = s.datacenters.slice(down ? 1 : 0);
    return {
      utilisation: survivors.reduce((a, d) => a + d.utilisation, 0) / survivors.length,
      meanLatency: s.latency.mean,
      p95Latency: s.latency.p95,
      overloaded: s.overloaded ? 1 : 0,
    };
  },
  theory: (point, p) => {
    const k = point.sites as number;
    const rho = point.rho as number;
    const u = point.scenario === 'one site down' ? survivorUtilisation(rho, k) : rho;
    if (u >= 1) return { utilisation_theory: 1, meanLatency_theory: null, p95Latency_theory: null };
    const mu = 1 / p.serviceTime;
    const q = mmc({ lambda: u * p.servers * mu, mu: mu, c: p.servers });
    return {
      utilisation_theory: u,
      meanLatency_theory: q.W,
      p95Latency_theory: responsePercentile(q, 0.95),
    };
  },
  figures: (t: ColumnTable) => {
    const g = t.derive({ case: "d => d.sites + ' sites, ' + d.scenario" });
    return [
      theoryVsSimulation(g, {
        x: 'rho',
        y: 'utilisation',
        groupBy: 'case',
        title: 'Utilisation of the serving sites',
        xAxis: { title: 'normal utilisation ρ per site' },
        yAxis: { title: 'utilisation' },
      }),
      theoryVsSimulation(g, {
        x: 'rho',
        y: 'meanLatency',
        groupBy: 'case',
        title: 'Mean latency, normal and with one site down',
        xAxis: { title: 'normal utilisation ρ per site' },
        yAxis: { title: 'mean latency (s)', log: true },
      }),
    ];
  },
});
