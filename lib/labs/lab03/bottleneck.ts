/**
 * Lab 03, load-balancing-bottleneck: the balancer as an M/M/1/K station (HAProxy maxconn = K):
 * throughput λ(1 − P_K), refusals P_K.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { mm1 } from '../../queueing/mm1';
import { mmck } from '../../queueing/mmck';
import { Exponential } from '../../random/exponential';
import { simulateLoadBalancer } from '../../systems/loadbalancer/system';
import { lab, runFor, requestsWork } from './shared';

export const loadBalancingBottleneck = defineExperiment({
  name: 'load-balancing-bottleneck',
  title: 'The balancer as the bottleneck',
  description:
    'The balancer is a station too: here one worker at `balancerRate` requests per second with room for `maxconn` requests (HAProxy global maxconn), in front of backends with twice its capacity. ' +
    'Past its capacity throughput flattens at its rate and the excess is refused: an M/M/1/K queue, throughput lambda (1 - P_K). Adding backends does not help; a faster balancer or a second active one does.',
  lab,
  params: {
    rates: {
      type: 'numbers',
      default: [200, 400, 600, 800, 900, 1000, 1200, 1500],
      min: 1,
      max: 1e7,
      unit: 'req/s',
      doc: 'Offered request rates.',
    },
    balancerRate: {
      type: 'number',
      default: 1000,
      min: 1,
      max: 1e7,
      unit: 'req/s',
      doc: 'Service rate of the balancer (one worker).',
    },
    maxconn: {
      type: 'integer',
      default: 50,
      min: 1,
      max: 1e6,
      doc: 'HAProxy `maxconn`: requests the balancer holds at once.',
    },
    backends: {
      type: 'integer',
      default: 20,
      min: 1,
      max: 1000,
      unit: 'backends',
      doc: 'Backends (each 100 req/s).',
    },
    requests: {
      type: 'integer',
      default: 8000,
      min: 500,
      max: 10_000_000,
      unit: 'requests',
      doc: 'Requests offered per replication.',
    },
  },
  replications: 3,
  metrics: { X: 'nonNegative', refused: 'proportion', W: 'nonNegative' },
  precisionMetrics: ['X', 'W'],
  // W is worst at the saturation point (rate 1000, the backends' capacity): ±36 %; median ±5 %
  statedPrecision: { X: 0.05, W: 0.4 },
  units: { rate: 'req/s', X: 'req/s', refused: 'fraction', W: 's' },
  points: (p) => p.rates.map((r) => ({ rate: r })),
  workEstimate: (_point, p) => requestsWork(p.requests),
  simulate: (point, p, seed) => {
    const rate = point.rate as number;
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: rate },
        balancer: { service: new Exponential(p.balancerRate), maxconn: p.maxconn },
        pools: [
          { name: 'web', balance: 'random', service: new Exponential(100), backends: p.backends },
        ],
      },
      { seed: seed, ...runFor(p.requests, rate) },
    );
    return {
      X: s.throughput,
      refused: s.failures.balancer_overload / Math.max(1, s.requests),
      W: s.meanResponse,
    };
  },
  theory: (point, p) => {
    const rate = point.rate as number;
    const lb = mmck({ lambda: rate, mu: p.balancerRate, c: 1, K: p.maxconn });
    const perBackend = lb.lambdaEff / p.backends;
    // backends behind a random split, each M/M/1 (the balancer's departures are nearly Poisson)
    const backendW = perBackend < 100 ? mm1({ lambda: perBackend, mu: 100 }).W : null;
    return {
      X_theory: lb.lambdaEff,
      refused_theory: lb.PK,
      W_theory: backendW === null ? null : lb.W + backendW,
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'rate',
      y: 'X',
      title: 'Throughput vs offered load',
      xAxis: { title: 'offered load (req/s)' },
      yAxis: { title: 'throughput (req/s)', fromZero: true },
    }),
    theoryVsSimulation(t, {
      x: 'rate',
      y: 'refused',
      title: 'Refused by the balancer',
      xAxis: { title: 'offered load (req/s)' },
      yAxis: { title: 'fraction refused', fromZero: true },
    }),
    theoryVsSimulation(t, {
      x: 'rate',
      y: 'W',
      title: 'Response time (balancer + backend)',
      xAxis: { title: 'offered load (req/s)' },
      yAxis: { title: 'mean response time (s)', log: true },
    }),
  ],
});
