/**
 * Lab 03, haproxy-measured: real HAProxy (Debian's haproxy) on loopback with k real FIFO
 * single-server backends, `balance roundrobin | leastconn | random(2)`, an open-loop Poisson
 * generator timed from each request's scheduled send (no coordinated omission): measured mean
 * and p99 response vs utilisation ρ = λx/k, beside the closed forms (round robin: E_k/M/1 per
 * backend, Kleinrock vol. 1 §6.4; random(2): the supermarket mean field, Mitzenmacher 2001;
 * M/M/1 per backend at ρ, the random split, for every policy) and the simulator
 * (lib/systems/loadbalancer with the same policy: random(2) is least_request with choice_count 2).
 * Intervals: batch means over the measured window; the simulation's over 5 replications. They are
 * computed here, not by the framework's replications (one measurement is one replication), so
 * `metrics` is empty and W, W_lo, W_hi, p99, p99_lo, p99_hi pass through to the table as they are.
 * One measured point per algorithm measures every load on one HAProxy and one set of backends
 * (lib/measure/haproxy.ts measureHaproxyLatencySweep): three start-ups instead of nine.
 */
import * as os from 'os';
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import type { Observation } from '../../experiment/experiment';
import { Exponential } from '../../random/exponential';
import { deriveSeed } from '../../random/streams';
import { findHaproxy, machine } from '../../measure/components';
import type { HaproxyBalance } from '../../measure/haproxy';
import { runMeasurement } from '../../measure/run-sync';
import type { BalanceAlgorithm } from '../../systems/loadbalancer/policies';
import { simulateLoadBalancer } from '../../systems/loadbalancer/system';
import {
  randomSplit,
  roundRobinErlang,
  supermarketMeanResponse,
} from '../../systems/loadbalancer/theory';
import { batchStatistics, intervalOf } from './batches';
import { measuredFigure } from './figures';

export const haproxyBalances = ['roundrobin', 'leastconn', 'random(2)'] as const;

/** The simulator's name for each HAProxy algorithm. */
export function simulatedBalance(b: string): { balance: BalanceAlgorithm; choice_count?: number } {
  if (b === 'random(2)') return { balance: 'least_request', choice_count: 2 };
  return { balance: b as BalanceAlgorithm };
}

/** The theory columns at load ρ: E_k/M/1 (round robin), the supermarket mean (random(2)), M/M/1 per backend (every policy). */
export function latencyTheory(
  balance: string,
  rho: number,
  p: { backends: number; serviceTime: number },
): { W_theory: number | null; p99_theory: number | null; W_mm1: number; p99_mm1: number } {
  const mu = 1 / p.serviceTime;
  const mm1 = randomSplit(rho, mu);
  let W: number | null = null;
  let q: number | null = null;
  if (balance === 'roundrobin') {
    const rr = roundRobinErlang(p.backends, rho, mu);
    W = rr.W;
    q = rr.quantile(0.99);
  } else if (balance === 'random(2)') W = supermarketMeanResponse(2, rho, mu);
  return { W_theory: W, p99_theory: q, W_mm1: mm1.W, p99_mm1: mm1.quantile(0.99) };
}

export const haproxyMeasured = defineExperiment({
  name: 'haproxy-measured',
  requires: 'haproxy',
  title: 'Real HAProxy vs the model: mean and p99 response vs load per balance algorithm',
  description:
    "Debian's haproxy on 127.0.0.1 in front of k real single-server FIFO backends (Node processes serving one request at a time for an exponential service time the request carries), " +
    'balance roundrobin, leastconn and random(2), driven by an open-loop Poisson generator that times each request from its scheduled send (no coordinated omission). ' +
    "Rows with source 'measured' come from the real processes (one HAProxy per algorithm, every load on it in turn, 2.7 s a load, about 30 s in all), rows with source 'simulation' from the load balancer simulator with the same policy; " +
    'the theory columns are the E_k/M/1 queue for round robin, the supermarket mean field for random(2) and M/M/1 per backend (random split) for every policy. ' +
    'Needs the haproxy package (a ParameterError naming it otherwise); every process and folder it starts is its own and is removed at the end.',
  lab: '03-load-balancing',
  params: {
    utilisations: {
      type: 'numbers',
      default: [0.3, 0.6, 0.8],
      min: 0,
      max: 0.95,
      minOpen: true,
      doc: 'Load ρ = λ x / k.',
    },
    balances: {
      type: 'choices',
      default: [...haproxyBalances],
      choices: haproxyBalances,
      doc: 'HAProxy `balance` algorithms.',
    },
    sources: {
      type: 'choices',
      default: ['measured', 'simulation'],
      choices: ['measured', 'simulation'],
      doc: 'Which rows to produce.',
    },
    backends: {
      type: 'integer',
      default: 4,
      min: 2,
      max: 16,
      unit: 'backends',
      doc: 'Backend processes k.',
    },
    serviceTime: {
      type: 'number',
      default: 0.02,
      min: 0.005,
      max: 1,
      unit: 's',
      doc: 'Mean service time x (exponential), wall clock.',
    },
    duration: {
      type: 'number',
      default: 2.4,
      min: 0.5,
      max: 600,
      unit: 's',
      doc: 'Measured window per point (after the warm-up).',
    },
    warmup: {
      type: 'number',
      default: 0.3,
      min: 0,
      max: 60,
      unit: 's',
      doc: 'Warm-up per point, discarded.',
    },
    batches: {
      type: 'integer',
      default: 6,
      min: 2,
      max: 100,
      doc: 'Batches of the measured window for its interval.',
    },
  },
  replications: 1,
  metrics: [],
  points: (p) =>
    p.sources.flatMap((source) =>
      p.balances.flatMap((balance) =>
        source === 'measured'
          ? [{ source: source, balance: balance }]
          : p.utilisations.map((rho) => ({ source: source, balance: balance, rho: rho })),
      ),
    ),
  simulate: (point, p, seed): Observation[] => {
    if (point.source === 'measured') {
      const h = findHaproxy();
      const runs = runMeasurement<
        Array<{
          responses: number[];
          scheduled: number[];
          errors: number;
          maxSendLag: number;
          loadAverage: number;
        }>
      >({
        kind: 'haproxy-latency-sweep',
        args: {
          balance: point.balance as HaproxyBalance,
          backends: p.backends,
          rhos: p.utilisations,
          serviceTime: p.serviceTime,
          duration: p.duration,
          warmup: p.warmup,
          seed: seed,
        },
      });
      return runs.map((r, i) => {
        const rho = p.utilisations[i];
        const s = batchStatistics(r.responses, r.scheduled, p.duration, p.batches);
        return {
          rho: rho,
          W: s.W.mean,
          W_lo: s.W.lo,
          W_hi: s.W.hi,
          p99: s.p99.mean,
          p99_lo: s.p99.lo,
          p99_hi: s.p99.hi,
          requests: s.count,
          errors: r.errors,
          sendLag: r.maxSendLag,
          loadAverage: r.loadAverage,
          cpus: os.cpus().length,
          component: `HAProxy ${h.version}`,
          machine: machine(),
          ...latencyTheory(point.balance as string, rho, p),
        };
      });
    }
    const rho = point.rho as number;
    const rate = (rho * p.backends) / p.serviceTime;
    const W: number[] = [];
    const p99: number[] = [];
    const requests = 20000;
    for (let r = 0; r < 5; r++) {
      const s = simulateLoadBalancer(
        {
          mode: 'L7',
          retries: 0,
          clients: { model: 'open', rate: rate },
          pools: [
            {
              name: 'be',
              ...simulatedBalance(point.balance as string),
              service: new Exponential(1 / p.serviceTime),
              backends: p.backends,
            },
          ],
        },
        {
          seed: deriveSeed(seed, `replication.${r}`),
          duration: requests / rate,
          warmup: requests / rate / 10,
        },
      );
      W.push(s.meanResponse);
      p99.push(s.p99);
    }
    const w = intervalOf(W);
    const q = intervalOf(p99);
    return [
      {
        W: w.mean,
        W_lo: w.lo,
        W_hi: w.hi,
        p99: q.mean,
        p99_lo: q.lo,
        p99_hi: q.hi,
        requests: requests * 5,
        errors: 0,
        sendLag: 0,
        loadAverage: null,
        cpus: null,
        component: 'scalelab loadbalancer simulator',
        machine: machine(),
        ...latencyTheory(point.balance as string, rho, p),
      },
    ];
  },
  figures: (t: ColumnTable) => [
    measuredFigure(t, {
      x: 'rho',
      y: 'W',
      theory: ['W_theory', 'W_mm1'],
      theoryNames: ['theory', 'M/M/1 per backend'],
      groupBy: 'balance',
      title:
        'Real HAProxy (◆ measured) vs simulator (○) and theory (line; dotted: M/M/1 per backend): mean response',
      xAxis: { title: 'load ρ' },
      yAxis: { title: 'mean response W (s)', log: true },
    }),
    measuredFigure(t, {
      x: 'rho',
      y: 'p99',
      theory: ['p99_theory', 'p99_mm1'],
      theoryNames: ['theory', 'M/M/1 per backend'],
      groupBy: 'balance',
      title: 'Real HAProxy vs simulator and theory: p99 response',
      xAxis: { title: 'load ρ' },
      yAxis: { title: 'p99 response (s)', log: true },
    }),
  ],
});
