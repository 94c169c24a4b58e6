/**
 * Lab 03, load-balancing-queue-tail: P(N ≥ i) over many backends: ρ^i for random splitting (M/M/1),
 * ρσ^(i−1) for round robin (E_k/M/1), ρ^(2^i − 1) for the best of two (Mitzenmacher's supermarket
 * model).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import type { BalanceAlgorithm } from '../../systems/loadbalancer/policies';
import { simulateLoadBalancer } from '../../systems/loadbalancer/system';
import { erlangKSigma, supermarketTail } from '../../systems/loadbalancer/theory';
import { lab, runFor, requestsWork, requestsAt } from './shared';
import { loadBalancingPolicyNames } from './policies';

export const loadBalancingQueueTail = defineExperiment({
  name: 'load-balancing-queue-tail',
  title: 'Queue-length tails: random vs round robin vs the power of two choices',
  description:
    'The time-average fraction of backends holding at least i requests, P(N >= i), over many backends at high load. Random splitting decays geometrically (rho^i, M/M/1), ' +
    "round robin as rho sigma^(i-1) (E_k/M/1), and the best of two random draws doubly exponentially, s_i = rho^(2^i - 1) (Mitzenmacher's supermarket model): " +
    'at rho = 0.9, 21% vs 59% of backends hold four or more with random.',
  lab,
  params: {
    utilisation: {
      type: 'number',
      default: 0.9,
      min: 0,
      max: 1,
      minOpen: true,
      maxOpen: true,
      doc: 'Load per backend rho.',
    },
    policies: {
      type: 'choices',
      default: ['random', 'roundrobin', 'least_request'],
      choices: loadBalancingPolicyNames,
      doc: 'Balancing algorithms.',
    },
    backends: {
      type: 'integer',
      default: 100,
      min: 2,
      max: 2000,
      unit: 'backends',
      doc: 'Number of backends (the mean-field model is the limit of many).',
    },
    maxLength: {
      type: 'integer',
      default: 6,
      min: 2,
      max: 60,
      unit: 'requests',
      doc: 'Largest i shown.',
    },
    requests: {
      type: 'integer',
      default: 100000,
      min: 1000,
      max: 10_000_000,
      unit: 'requests',
      doc: 'Requests measured per replication at rho <= 0.8; above it the run grows like the relaxation time, requests (0.2 / (1 - rho))^2 (Whitt 1989): 4 times at the default 0.9 (random splitting at high load needs long runs to forget the empty start).',
    },
  },
  replications: 3,
  metrics: { tail: 'proportion' },
  precisionMetrics: ['tail'],
  // worst at least_request's deepest bin (a tail probability of 0.006); the median row is ±4 %
  statedPrecision: { tail: 0.45 },
  units: { tail: 'probability' },
  sharedSeedAcross: ['policy'],
  points: (p) => p.policies.map((policy) => ({ policy: policy })),
  workEstimate: (_point, p) => requestsWork(requestsAt(p.requests, p.utilisation)),
  simulate: (point, p, seed) => {
    const rate = p.utilisation * p.backends;
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: rate },
        pools: [
          {
            name: 'web',
            balance: point.policy as BalanceAlgorithm,
            service: new Exponential(1),
            backends: p.backends,
          },
        ],
      },
      { seed: seed, ...runFor(requestsAt(p.requests, p.utilisation), rate) },
    );
    const rho = p.utilisation;
    const sigma = erlangKSigma(p.backends, rho);
    return Array.from({ length: p.maxLength }, (_, j) => {
      const i = j + 1;
      const theory =
        point.policy === 'random'
          ? Math.pow(rho, i)
          : point.policy === 'roundrobin'
            ? rho * Math.pow(sigma, i - 1)
            : point.policy === 'least_request'
              ? supermarketTail(2, rho, i)
              : null;
      return { i: i, tail: s.queueTail[i], tail_theory: theory };
    });
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'i',
      y: 'tail',
      groupBy: 'policy',
      title: 'Fraction of backends with at least i requests',
      xAxis: { title: 'i (requests at a backend)' },
      yAxis: { title: 'P(N ≥ i)', log: true },
    }),
  ],
});
