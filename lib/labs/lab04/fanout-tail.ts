/**
 * Lab 04, fanout-tail: a request that fans out to n leaves and waits for all of them is slow when
 * any leaf is: P(slower than one leaf's p99) = 1 − (1 − 0.01)^n (Dean & Barroso, "The Tail at
 * Scale", CACM 56(2), 2013: n = 100 gives 63 %). The leaves are exponential with no queueing
 * (many workers per leaf), so their times are i.i.d. and the request's p50/p99 are those of the
 * maximum of n exponentials, −s·ln(1 − q^(1/n)).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import type { MicroservicesConfig } from '../../systems/microservices/config';
import { simulateMicroservices } from '../../systems/microservices/system';
import { fanoutSlowProbability, maxExponentialQuantile } from '../../systems/microservices/theory';
import { lab } from './shared';
import { requestsWork } from '../../experiment/work';

/** The fan-out model: a zero-time frontend calling n leaves (one replica each) and waiting for all. */
export function fanoutConfig(n: number, leafMean: number, rate: number): MicroservicesConfig {
  return {
    services: [
      {
        name: 'frontend',
        service: new Deterministic(0),
        servers: 64,
        calls: [{ service: 'leaf', fanout: n }],
      },
      { name: 'leaf', service: Exponential.withMean(leafMean), replicas: n, servers: 64 },
    ],
    clients: { rate: rate },
    slowRequestThreshold: -leafMean * Math.log(0.01), // one leaf's p99
  };
}

export const fanoutTail = defineExperiment({
  name: 'fanout-tail',
  title:
    'Fan-out tail amplification: the share of requests slower than one leaf’s p99 vs the fan-out n',
  description:
    'A frontend calls n leaves in parallel and waits for all of them (The Tail at Scale). Each leaf answers in an exponential time of mean `leafMean`, ' +
    'with no queueing, so one leaf is slower than its own p99 one time in a hundred, but the request is slower than that whenever any leaf is: 1 − 0.99^n ' +
    '(63 % at n = 100). The request’s p50 and p99 are the quantiles of the maximum of n exponentials.',
  lab,
  params: {
    fanouts: {
      type: 'numbers',
      default: [1, 2, 5, 10, 20, 50, 100],
      min: 1,
      max: 1000,
      integer: true,
      doc: 'Leaves n a request waits for.',
    },
    leafMean: {
      type: 'number',
      default: 0.01,
      min: 0,
      minOpen: true,
      max: 60,
      unit: 's',
      doc: 'Mean leaf latency (exponential).',
    },
    rate: { type: 'number', default: 20, min: 0.1, max: 1e5, unit: 'req/s', doc: 'Request rate.' },
    requests: {
      type: 'integer',
      default: 2500,
      min: 100,
      max: 1e7,
      unit: 'requests',
      doc: 'Requests measured per replication.',
    },
  },
  replications: 4,
  metrics: {
    slowFraction: 'proportion',
    p50: 'quantile',
    p99: 'quantile',
    overloaded: 'proportion',
  },
  precisionMetrics: ['p99', 'slowFraction'],
  // slowFraction is worst at fan-out 1 and 2 (1-2 % slow); the median row is ±8 %
  statedPrecision: { p99: 0.15, slowFraction: 0.5 },
  units: { fanout: 'leaves', slowFraction: 'fraction of requests', p50: 's', p99: 's' },
  points: (p) => p.fanouts.map((n) => ({ fanout: n })),
  // about 2.4 events per request and call at the first default point (12,600 counted): 3 keeps the
  // estimate an upper bound (test/experiment/work-estimates.test.ts)
  workEstimate: (point, p) =>
    requestsWork(p.requests + p.rate, 3 * (1 + (point.fanout as number)), 'requests × fanout'),
  simulate: (point, p, seed) => {
    const s = simulateMicroservices(fanoutConfig(point.fanout as number, p.leafMean, p.rate), {
      seed: seed,
      duration: p.requests / p.rate,
      warmup: 1,
    });
    return {
      slowFraction: s.slowFraction,
      p50: s.latency.p50,
      p99: s.latency.p99,
      overloaded: s.overloaded ? 1 : 0,
    };
  },
  theory: (point, p) => {
    const n = point.fanout as number;
    return {
      slowFraction_theory: fanoutSlowProbability(n, 0.01),
      p50_theory: maxExponentialQuantile(n, p.leafMean, 0.5),
      p99_theory: maxExponentialQuantile(n, p.leafMean, 0.99),
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'fanout',
      y: 'slowFraction',
      title: 'Requests slower than one leaf’s p99: 1 − 0.99^n',
      xAxis: { title: 'fan-out n (leaves waited for)', log: true },
      yAxis: { title: 'share of requests' },
    }),
    theoryVsSimulation(t, {
      x: 'fanout',
      y: 'p99',
      title: 'End-to-end p99 vs fan-out (max of n exponentials)',
      xAxis: { title: 'fan-out n', log: true },
      yAxis: { title: 'p99 latency (s)' },
    }),
  ],
});
