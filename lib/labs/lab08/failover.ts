/**
 * dns-ttl-failover: requests that fail, and the time until none does, after the PRIMARY site dies
 * (Route 53 failover routing: N. Virginia PRIMARY, Oregon SECONDARY; clients in us-east-1), vs
 * the record TTL and the health check's request_interval (failure_threshold 3). Theory
 * (subsystems.md §7.7): about λ·(D + TTL/2) requests fail, D = (failure_threshold − ½)·interval
 * the mean detection time; the line is the exact renewal form (theory.ts), with the resolvers that
 * stretch TTLs (Unbound's cache-min-ttl) holding the dead address for cache-min-ttl instead.
 */
import type { ColumnTable } from 'arquero';
import { ParameterError } from '../../errors';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import type { GeoDnsConfig } from '../../systems/geodns/config';
import { simulateGeoDns } from '../../systems/geodns/system';
import {
  expectedFailedRequests,
  expectedRecoveryTime,
  meanDetectionTime,
} from '../../systems/geodns/theory';
import { lab08 } from './latency';
import { workOf } from '../../experiment/work';

const FAILURE_THRESHOLD = 3;
const CRASH_AT = 60;

export interface FailoverScenario {
  rate: number;
  ttl: number;
  request_interval: 10 | 30;
  stretchShare: number;
  cacheMinTtl: number;
  resolvers: number;
  retry: boolean;
  servers: number;
  serviceTime: number;
}

/** Clients in us-east-1; the PRIMARY beside them dies at 60 s for good; the SECONDARY in Oregon. */
export function failoverDeployment(o: FailoverScenario): GeoDnsConfig {
  const service = new Exponential(1 / o.serviceTime);
  return {
    regions: [{ name: 'us-east-1', rate: o.rate }],
    datacenters: [
      {
        name: 'virginia',
        region: 'us-east-1',
        servers: o.servers,
        service: service,
        failover: 'PRIMARY',
        failures: { outages: [{ at: CRASH_AT, duration: Infinity }] },
      },
      {
        name: 'oregon',
        region: 'us-west-2',
        servers: o.servers,
        service: service,
        failover: 'SECONDARY',
      },
    ],
    routing: { policy: 'failover', ttl: o.ttl },
    health_check: { request_interval: o.request_interval, failure_threshold: FAILURE_THRESHOLD },
    resolvers: {
      perRegion: o.resolvers,
      stretchShare: o.stretchShare,
      'cache-min-ttl': o.cacheMinTtl,
    },
    client: { retry: o.retry },
  };
}

/** Long enough for the slowest detection and the longest cache to run out after the crash. */
export function failoverDuration(o: FailoverScenario): number {
  return (
    CRASH_AT +
    FAILURE_THRESHOLD * o.request_interval +
    Math.max(o.ttl, o.stretchShare > 0 ? o.cacheMinTtl : 0) +
    30
  );
}

export const dnsTtlFailover = defineExperiment({
  name: 'dns-ttl-failover',
  title: 'Failed requests and time to recover after a site dies vs TTL and detection time',
  description:
    'Route 53 failover routing (N. Virginia PRIMARY, Oregon SECONDARY) for clients in us-east-1; the PRIMARY dies for good. Its health check (request_interval 10 or 30 s, failure_threshold 3) ' +
    'marks it unhealthy after D = (3 - U) x interval, 2.5 x interval on average; resolvers keep the dead answer until their cached copy expires. ' +
    'Theory: failedRequests = lambda x (D + TTL/2) with uniformly aged caches (exactly: the renewal form with each resolver holding an answer lambda_res T/(1 + lambda_res T) of the time); ' +
    'a share of resolvers with cache-min-ttl keep it for that long instead. recoveryTime is the time from the crash to the last failed request.',
  lab: lab08,
  params: {
    ttls: {
      type: 'numbers',
      default: [10, 60, 300],
      min: 0,
      max: 86400,
      unit: 's',
      doc: 'Record TTLs.',
    },
    requestIntervals: {
      type: 'numbers',
      default: [10, 30],
      min: 10,
      max: 30,
      integer: true,
      unit: 's',
      doc: 'Route 53 health check request_interval (10 or 30 s).',
    },
    stretchShares: {
      type: 'numbers',
      default: [0, 0.125],
      min: 0,
      max: 1,
      doc: 'Shares of resolvers that keep answers for cache-min-ttl.',
    },
    cacheMinTtl: {
      type: 'number',
      default: 900,
      min: 0,
      max: 86400,
      unit: 's',
      doc: "The stretching resolvers' cache-min-ttl (Unbound).",
    },
    rate: {
      type: 'number',
      default: 20,
      min: 0,
      minOpen: true,
      max: 10000,
      unit: 'req/s',
      doc: 'Client request rate λ.',
    },
    resolvers: {
      type: 'integer',
      default: 16,
      min: 1,
      max: 10000,
      unit: 'resolvers',
      doc: 'Recursive resolvers the clients use.',
    },
    retry: {
      type: 'boolean',
      default: false,
      doc: "Clients retry once at the answer's other address after connect_timeout (1 s).",
    },
    servers: {
      type: 'integer',
      default: 4,
      min: 1,
      max: 10000,
      unit: 'servers',
      doc: 'Servers per site.',
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
  },
  replications: 12,
  metrics: { failedRequests: 'count', recoveryTime: 'nonNegative', detected: 'nonNegative' },
  precisionMetrics: ['failedRequests', 'recoveryTime'],
  statedPrecision: { failedRequests: 0.25, recoveryTime: 0.25 },
  units: {
    ttl: 's',
    request_interval: 's',
    failedRequests: 'requests',
    recoveryTime: 's',
    detected: 's',
  },
  sharedSeedAcross: ['ttl'],
  points: (p) => {
    for (const i of p.requestIntervals)
      if (i !== 10 && i !== 30)
        throw new ParameterError(
          'requestIntervals',
          p.requestIntervals,
          'must each be 10 or 30 (Route 53 allows only these)',
        );
    return p.stretchShares.flatMap((share) =>
      p.requestIntervals.flatMap((interval) =>
        p.ttls.map((ttl) => ({
          stretchShare: share,
          detection: meanDetectionTime(interval, FAILURE_THRESHOLD),
          request_interval: interval,
          ttl: ttl,
        })),
      ),
    );
  },
  workEstimate: (point, p) => {
    const T = failoverDuration({
      ...p,
      ttl: point.ttl as number,
      request_interval: point.request_interval as 10 | 30,
      stretchShare: point.stretchShare as number,
    });
    return workOf({
      'rate × duration': 5 * p.rate * T,
      resolvers: (p.resolvers * T) / Math.max(1, point.ttl as number),
      request_interval: (3 * 16 * T) / (point.request_interval as number),
    });
  },
  simulate: (point, p, seed) => {
    const o: FailoverScenario = {
      ...p,
      ttl: point.ttl as number,
      request_interval: point.request_interval as 10 | 30,
      stretchShare: point.stretchShare as number,
    };
    const s = simulateGeoDns(failoverDeployment(o), { seed: seed, duration: failoverDuration(o) });
    return {
      failedRequests: s.failed,
      recoveryTime: s.failed > 0 ? s.recoveryTime : 0,
      detected: s.datacenters[0].detection.mean,
    };
  },
  theory: (point, p) => {
    const ttl = point.ttl as number;
    const d = point.detection as number;
    const stretched = Math.round((point.stretchShare as number) * p.resolvers);
    const longest = stretched > 0 ? Math.max(ttl, p.cacheMinTtl) : ttl;
    const failed = expectedFailedRequests({
      rate: p.rate,
      detection: d,
      ttl: ttl,
      resolverRate: p.rate / p.resolvers,
      stretchShare: stretched / p.resolvers,
      cacheMinTtl: p.cacheMinTtl,
      extra: p.rate * p.serviceTime, // in the site at the crash (light load: W ≈ service time)
    });
    return {
      failedRequests_theory: p.retry ? null : failed,
      failedRequests_ttl2: p.retry ? null : p.rate * (d + ttl / 2),
      recoveryTime_theory: p.retry
        ? null
        : expectedRecoveryTime(d, longest, stretched > 0 ? stretched : p.resolvers),
      detected_theory: d,
    };
  },
  figures: (t: ColumnTable) => {
    const labelled = t.derive({
      checks: "d => 'interval ' + d.request_interval + ' s, stretch ' + d.stretchShare",
    });
    return [
      theoryVsSimulation(labelled, {
        x: 'ttl',
        y: 'failedRequests',
        groupBy: 'checks',
        title: 'Failed requests after the PRIMARY dies',
        xAxis: { title: 'TTL (s)', log: true },
        yAxis: { title: 'failed requests', log: true },
      }),
      theoryVsSimulation(labelled, {
        x: 'ttl',
        y: 'recoveryTime',
        groupBy: 'checks',
        title: 'Time from the crash to the last failed request',
        xAxis: { title: 'TTL (s)', log: true },
        yAxis: { title: 'recovery time (s)', log: true },
      }),
    ];
  },
});
