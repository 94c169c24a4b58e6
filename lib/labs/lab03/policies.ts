/**
 * Lab 03, load-balancing-policies: mean and p99 response time vs load for each balancing algorithm.
 * Random split: M/M/1 per backend at λ/k; round robin: E_k/M/1, W = 1/(μ(1 − σ)) with σ the root of
 * σ = (kλ/(kλ + μ(1 − σ)))^k (Kleinrock vol. 1 §6.4; theory.ts); least_request: the supermarket
 * mean field (Mitzenmacher 2001); the pooled M/M/k bound below them all.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { line } from '../../plot/builders';
import type { Figure } from '../../plot/types';
import { Exponential } from '../../random/exponential';
import type { BalanceAlgorithm } from '../../systems/loadbalancer/policies';
import { simulateLoadBalancer } from '../../systems/loadbalancer/system';
import {
  pooledBound,
  randomSplit,
  roundRobinErlang,
  supermarketMeanResponse,
} from '../../systems/loadbalancer/theory';
import { lab, serviceTimeSpec, runFor, rowsOf, requestsWork, requestsAt } from './shared';

export const loadBalancingPolicyNames = [
  'random',
  'roundrobin',
  'leastconn',
  'least_request',
  'least_time',
] as const;
export const loadBalancingScenarios = ['equal', 'unequal', 'unequal-unweighted'] as const;

/** Backend speeds of a scenario: all 1, or half of them 1.6 and half 0.4 (same total capacity). */
export function loadBalancingScenarioSpeeds(scenario: string, k: number): number[] {
  return Array.from({ length: k }, (_, i) =>
    scenario === 'equal' ? 1 : i < Math.ceil(k / 2) ? 1.6 : 0.4,
  );
}

/** The t with sum_i p_i exp(-r_i t) = q (a mixture of exponentials' upper quantile), by bisection. */
function mixtureQuantile(p: readonly number[], r: readonly number[], q: number): number {
  const tail = (t: number) => p.reduce((s, pi, i) => s + pi * Math.exp(-r[i] * t), 0);
  let lo = 0;
  let hi = 1;
  while (tail(hi) > q) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export const loadBalancingPolicies = defineExperiment({
  name: 'load-balancing-policies',
  title: 'Mean and p99 response time vs load for each balancing algorithm',
  description:
    'Poisson requests over k backends with exponential service, balanced by random, round robin (NGINX smooth weighted), least connections, ' +
    "Envoy's least_request (the power of two choices) and least response time (peak EWMA). With equal backends random splitting makes each backend an M/M/1 queue " +
    'at lambda/k, round robin an E_k/M/1 queue (Erlang-k gaps), and the power of two choices approaches the supermarket mean-field value; no policy beats the pooled M/M/k queue. ' +
    "With unequal backends (half 4x faster than the others, weights proportional to speed unless 'unweighted') state-aware policies keep the slow backends from queueing. " +
    'Every policy sees the same arrivals and service draws (common random numbers).',
  lab,
  params: {
    utilisations: {
      type: 'numbers',
      default: [0.5, 0.7, 0.9, 0.95],
      min: 0,
      max: 1,
      minOpen: true,
      maxOpen: true,
      doc: 'Load rho = lambda x / (sum of backend speeds).',
    },
    policies: {
      type: 'choices',
      default: [...loadBalancingPolicyNames],
      choices: loadBalancingPolicyNames,
      doc: 'Balancing algorithms (HAProxy/NGINX/Envoy names).',
    },
    scenarios: {
      type: 'choices',
      default: ['equal', 'unequal'],
      choices: loadBalancingScenarios,
      doc: "Backends: equal speeds; half at 1.6 and half at 0.4 with weights = speeds; or the same without weights ('unequal-unweighted').",
    },
    backends: {
      type: 'integer',
      default: 10,
      min: 2,
      max: 1000,
      unit: 'backends',
      doc: 'Number of backends k.',
    },
    serviceTime: serviceTimeSpec,
    requests: {
      type: 'integer',
      default: 15000,
      min: 1000,
      max: 10_000_000,
      unit: 'requests',
      doc:
        "Requests measured per replication at a load rho <= 0.8; above it the run grows like the queues' relaxation time, " +
        'requests (0.2 / (1 - rho))^2 (Whitt 1989): 4 times at rho 0.9, 16 times at 0.95. A warm-up of a tenth as many is deleted first.',
    },
  },
  replications: 4,
  metrics: { W: 'nonNegative', p99: 'quantile', overloaded: 'proportion' },
  precisionMetrics: ['W', 'p99'],
  // past rho 0.8 the run grows by lab 01's rule (requestsAt: 16x at 0.95, 240,000 requests); rho 0.95
  // is still left out: four replications leave W ±28 % (unequal least_time) and p99 ±68 % (unequal
  // random, whose slow backends relax 2.5x slower than an equal one); at rho <= 0.9 the worst rows
  // are ±20 % (W, unequal least_time at 0.9) and ±39 % (p99, equal random at 0.9), the median ±4 % / ±7 %
  statedPrecision: { W: 0.3, p99: 0.4 },
  precisionExcludes: [{ rho: 0.95 }],
  units: { rho: 'fraction', W: 's', p99: 's' },
  sharedSeedAcross: ['policy'],
  points: (p) =>
    p.scenarios.flatMap((scenario) =>
      p.policies.flatMap((policy) =>
        p.utilisations.map((rho) => ({ scenario: scenario, policy: policy, rho: rho })),
      ),
    ),
  workEstimate: (point, p) => requestsWork(requestsAt(p.requests, point.rho as number)),
  simulate: (point, p, seed) => {
    const speeds = loadBalancingScenarioSpeeds(point.scenario as string, p.backends);
    const total = speeds.reduce((a, b) => a + b, 0);
    const rate = ((point.rho as number) * total) / p.serviceTime;
    const weighted = point.scenario === 'unequal';
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: rate },
        pools: [
          {
            name: 'web',
            balance: point.policy as BalanceAlgorithm,
            service: new Exponential(1 / p.serviceTime),
            backends: speeds.map((v) => ({ speed: v, weight: weighted ? v * 10 : 1 })),
          },
        ],
      },
      { seed: seed, ...runFor(requestsAt(p.requests, point.rho as number), rate) },
    );
    return { W: s.meanResponse, p99: s.p99, overloaded: s.overloaded ? 1 : 0 };
  },
  theory: (point, p) => {
    const rho = point.rho as number;
    const x = p.serviceTime;
    const k = p.backends;
    const bound = pooledBound(k, rho, 1 / x);
    if (point.scenario === 'equal') {
      if (point.policy === 'random')
        return {
          W_theory: randomSplit(rho, 1 / x).W,
          p99_theory: randomSplit(rho, 1 / x).quantile(0.99),
          W_bound: bound,
        };
      if (point.policy === 'roundrobin') {
        const rr = roundRobinErlang(k, rho, 1 / x);
        return { W_theory: rr.W, p99_theory: rr.quantile(0.99), W_bound: bound };
      }
      if (point.policy === 'least_request')
        return {
          W_theory: supermarketMeanResponse(2, rho, 1 / x),
          p99_theory: null,
          W_bound: bound,
        };
      return { W_theory: null, p99_theory: null, W_bound: bound };
    }
    if (point.scenario === 'unequal' && point.policy === 'random') {
      // weighted random: each backend M/M/1 at load rho; a request lands on backend i with probability mu_i / sum mu
      const speeds = loadBalancingScenarioSpeeds('unequal', k);
      const total = speeds.reduce((a, b) => a + b, 0);
      const shares = speeds.map((v) => v / total);
      const rates = speeds.map((v) => (v / x) * (1 - rho));
      return {
        W_theory: shares.reduce((s, pi, i) => s + pi / rates[i], 0),
        p99_theory: mixtureQuantile(shares, rates, 0.01),
        W_bound: null,
      };
    }
    return { W_theory: null, p99_theory: null, W_bound: null };
  },
  figures: (t: ColumnTable) => policyFigures(t),
});

function policyFigures(t: ColumnTable): Figure[] {
  const out: Figure[] = [];
  const scenarios = Array.from(new Set(t.array('scenario') as unknown as string[]));
  for (const scenario of scenarios) {
    const rows = t.filter(`d => d.scenario === ${JSON.stringify(scenario)}`);
    const mean = theoryVsSimulation(rows, {
      x: 'rho',
      y: 'W',
      groupBy: 'policy',
      title: `Mean response time, ${scenario} backends`,
      xAxis: { title: 'load ρ' },
      yAxis: { title: 'mean response time W (s)', log: true },
    });
    const b = rowsOf(rows).filter(
      (r) => r.policy === rows.get('policy', 0) && typeof r.W_bound === 'number',
    );
    if (b.length > 0)
      mean.data.push(
        line(
          b.map((r) => r.rho as number),
          b.map((r) => r.W_bound as number),
          { name: 'pooled M/M/k (lower bound)', color: '#000000', dash: 'dot' },
        ),
      );
    out.push(mean);
    out.push(
      theoryVsSimulation(rows, {
        x: 'rho',
        y: 'p99',
        groupBy: 'policy',
        title: `p99 response time, ${scenario} backends`,
        xAxis: { title: 'load ρ' },
        yAxis: { title: 'p99 response time (s)', log: true },
      }),
    );
  }
  return out;
}
