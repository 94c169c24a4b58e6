/**
 * Lab 04, bottleneck-service: end-to-end throughput of a closed population (N users, think time
 * Z) calling frontend → orders → database (3 database calls per request), vs the replicas of one
 * service. With demands D_k = V_k·S_k / c_k the throughput is bounded by X ≤ 1 / max_k D_k and
 * by N / (D + Z) (the asymptotic bounds, Denning & Buzen 1978); random balancing over
 * single-worker replicas makes the network product-form (each replica a queue of demand D_k/r_k),
 * so exact MVA (Reiser & Lavenberg 1980) gives X itself. Scaling a service that is not the
 * bottleneck buys nothing.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { mva } from '../../queueing/mva';
import { Exponential } from '../../random/exponential';
import type { MicroservicesConfig } from '../../systems/microservices/config';
import { simulateMicroservices } from '../../systems/microservices/system';
import { lab } from './shared';
import { closedLoadWork } from '../../experiment/work';

/** The chain: name, mean service time, visits per request. */
export const bottleneckChain = [
  { name: 'frontend', service: 0.005, visits: 1 },
  { name: 'orders', service: 0.02, visits: 1 },
  { name: 'database', service: 0.01, visits: 3 },
] as const;

export function bottleneckConfig(
  scaled: string,
  replicas: number,
  users: number,
  thinkTime: number,
): MicroservicesConfig {
  return {
    services: [
      {
        name: 'frontend',
        service: Exponential.withMean(0.005),
        replicas: scaled === 'frontend' ? replicas : 1,
        balance: 'random',
        calls: [{ service: 'orders' }],
      },
      {
        name: 'orders',
        service: Exponential.withMean(0.02),
        replicas: scaled === 'orders' ? replicas : 1,
        balance: 'random',
        calls: [{ service: 'database', visits: 3 }],
      },
      {
        name: 'database',
        service: Exponential.withMean(0.01),
        replicas: scaled === 'database' ? replicas : 1,
        balance: 'random',
      },
    ],
    clients: { users: users, thinkTime: thinkTime },
  };
}

/** Per-replica demands D_k / r_k of the chain with `replicas` of service `scaled`. */
export function bottleneckDemands(
  scaled: string,
  replicas: number,
): Array<{ name: string; demand: number; copies: number }> {
  return bottleneckChain.map((s) => ({
    name: s.name,
    demand: (s.visits * s.service) / (s.name === scaled ? replicas : 1),
    copies: s.name === scaled ? replicas : 1,
  }));
}

export const bottleneckService = defineExperiment({
  name: 'bottleneck-service',
  title: 'The bottleneck service bounds end-to-end throughput: X vs replicas of each service',
  description:
    'N = 30 users (think time 0.1 s) call frontend (5 ms) → orders (20 ms) → database (10 ms, 3 calls per request), each replica one worker behind random balancing. ' +
    'The database’s demand 30 ms bounds X at 33 req/s; two database replicas move the bottleneck to orders (X ≤ 50 req/s); more buys nothing, and scaling orders first buys nothing at all. ' +
    'Lines: exact MVA of the product-form network; the bound 1/max(V_k·S_k/c_k) in the table.',
  lab,
  params: {
    scaled: {
      type: 'choices',
      default: ['database', 'orders'],
      choices: ['frontend', 'orders', 'database'],
      doc: 'The service whose replicas are varied (the others keep one).',
    },
    replicas: {
      type: 'numbers',
      default: [1, 2, 3, 4],
      min: 1,
      max: 64,
      integer: true,
      doc: 'Replicas of the scaled service.',
    },
    users: { type: 'integer', default: 30, min: 1, max: 10000, doc: 'Users N.' },
    thinkTime: {
      type: 'number',
      default: 0.1,
      min: 0,
      max: 3600,
      unit: 's',
      doc: 'Mean think time Z (exponential).',
    },
    duration: {
      type: 'number',
      default: 150,
      min: 10,
      max: 1e6,
      unit: 's',
      doc: 'Seconds measured per replication (after 10 s of warm-up).',
    },
  },
  replications: 3,
  metrics: { X: 'nonNegative' },
  precisionMetrics: ['X'],
  statedPrecision: { X: 0.05 },
  units: { replicas: 'replicas', X: 'req/s' },
  points: (p) =>
    p.scaled.flatMap((scaled) => p.replicas.map((r) => ({ scaled: scaled, replicas: r }))),
  workEstimate: (_point, p) => closedLoadWork(p.users, p.duration + 10, p.thinkTime + 0.055, 8),
  simulate: (point, p, seed) => {
    const s = simulateMicroservices(
      bottleneckConfig(point.scaled as string, point.replicas as number, p.users, p.thinkTime),
      { seed: seed, duration: p.duration, warmup: 10 },
    );
    return { X: s.throughput };
  },
  theory: (point, p) => {
    const d = bottleneckDemands(point.scaled as string, point.replicas as number);
    const stations = d.flatMap((s) =>
      Array.from({ length: s.copies }, (_, i) => ({ name: `${s.name}[${i}]`, demand: s.demand })),
    );
    const bound = 1 / Math.max(...d.map((s) => s.demand));
    return {
      X_theory: mva({ stations: stations, users: p.users, thinkTime: p.thinkTime }).throughput,
      X_bound: bound,
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'replicas',
      y: 'X',
      groupBy: 'scaled',
      title: 'End-to-end throughput vs replicas of one service (lines: MVA)',
      xAxis: { title: 'replicas of the scaled service' },
      yAxis: { title: 'throughput X (req/s)' },
    }),
  ],
});
