/**
 * Lab 03, load-balancing-l4-vs-l7: L4 pins each long-lived connection, so the busiest of N backends
 * gets ⌈K/N⌉/K of the requests; L7 spreads 1/N each.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import type { BalanceAlgorithm } from '../../systems/loadbalancer/policies';
import { simulateLoadBalancer } from '../../systems/loadbalancer/system';
import { l4PinnedImbalance } from '../../systems/loadbalancer/theory';
import { lab, serviceTimeSpec, runFor, requestsWork } from './shared';

export const loadBalancingL4VsL7 = defineExperiment({
  name: 'load-balancing-l4-vs-l7',
  title: 'L4 vs L7 with long-lived connections: how unevenly the backends are loaded',
  description:
    'K clients each hold one long-lived (HTTP/2, gRPC-style) connection and multiplex requests on it; the total request rate is fixed. ' +
    'An L4 balancer picks a backend once per connection, round robin, so a backend gets (connections it holds)/K of the requests: ' +
    'the busiest gets ceil(K/N)/K, and with K < N backends, N - K sit idle. An L7 balancer picks per request and spreads 1/N each whatever K. ' +
    'Imbalance = busiest backend share x N (1 is perfect).',
  lab,
  params: {
    connections: {
      type: 'numbers',
      default: [1, 2, 4, 6, 8, 12, 16, 24, 32, 64],
      min: 1,
      max: 100000,
      integer: true,
      doc: 'Numbers of persistent client connections K.',
    },
    backends: {
      type: 'integer',
      default: 8,
      min: 2,
      max: 1000,
      unit: 'backends',
      doc: 'Backends N.',
    },
    utilisation: {
      type: 'number',
      default: 0.1,
      min: 0,
      minOpen: true,
      max: 1,
      maxOpen: true,
      doc: 'Total load over all backends (kept low so that one pinned backend can carry every connection).',
    },
    balance: {
      type: 'choice',
      default: 'roundrobin',
      choices: ['roundrobin', 'leastconn', 'random'],
      doc: 'Algorithm (at L4 leastconn counts connections, not requests).',
    },
    serviceTime: serviceTimeSpec,
    requests: {
      type: 'integer',
      default: 8000,
      min: 500,
      max: 10_000_000,
      unit: 'requests',
      doc: 'Requests measured per replication.',
    },
  },
  replications: 3,
  metrics: { imbalance: 'nonNegative', p99: 'quantile', overloaded: 'proportion' },
  precisionMetrics: ['imbalance', 'p99'],
  // L4 with one connection is left out: every request is pinned to one backend at load 0.8, a
  // heavy-traffic M/M/1 whose p99 8,000 requests do not make precise (±113 %); its imbalance is N
  statedPrecision: { imbalance: 0.1, p99: 0.2 },
  precisionExcludes: [{ mode: 'L4', connections: 1 }],
  units: { connections: 'connections', p99: 's' },
  sharedSeedAcross: ['mode'],
  points: (p) =>
    ['L4', 'L7'].flatMap((mode) => p.connections.map((k) => ({ mode: mode, connections: k }))),
  workEstimate: (_point, p) => requestsWork(p.requests),
  simulate: (point, p, seed) => {
    const rate = (p.utilisation * p.backends) / p.serviceTime;
    const s = simulateLoadBalancer(
      {
        mode: point.mode as 'L4' | 'L7',
        clients: {
          model: 'open',
          rate: rate,
          clients: point.connections as number,
          requests_per_connection: Infinity,
        },
        pools: [
          {
            name: 'web',
            balance: p.balance as BalanceAlgorithm,
            service: new Exponential(1 / p.serviceTime),
            backends: p.backends,
          },
        ],
      },
      { seed: seed, ...runFor(p.requests, rate) },
    );
    return {
      imbalance: Math.max(...s.backends.map((b) => b.share)) * p.backends,
      p99: s.p99,
      overloaded: s.overloaded ? 1 : 0,
    };
  },
  theory: (point, p) => ({
    imbalance_theory:
      point.mode === 'L7'
        ? 1
        : p.balance === 'random'
          ? null
          : l4PinnedImbalance(point.connections as number, p.backends),
  }),
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'connections',
      y: 'imbalance',
      groupBy: 'mode',
      title: 'Busiest backend share × N (1 = even)',
      xAxis: { title: 'persistent connections K', log: true },
      yAxis: { title: 'imbalance', log: true },
    }),
    theoryVsSimulation(t, {
      x: 'connections',
      y: 'p99',
      groupBy: 'mode',
      theory: null,
      title: 'p99 response time',
      xAxis: { title: 'persistent connections K', log: true },
      yAxis: { title: 'p99 (s)', log: true },
    }),
  ],
});
