/**
 * storm-parallelism and storm-max-spout-pending, on the chain topology of ./chain.ts.
 */
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Deterministic } from '../../random/deterministic';
import { simulateStorm } from '../../systems/storm/system';
import { chainBounds, chainLatency, chainMva, chainTopology } from './chain';
import type { ChainModel } from './chain';
import { workOf } from '../../experiment/work';

const lab = '10-storm-topologies';

const common = {
  spouts: { type: 'integer', default: 2, min: 1, max: 64, unit: 'tasks', doc: 'Spout tasks s.' },
  parse: {
    type: 'integer',
    default: 2,
    min: 1,
    max: 64,
    unit: 'executors',
    doc: 'Executors of the parse bolt.',
  },
  parseMs: {
    type: 'number',
    default: 0.5,
    min: 0.001,
    max: 1000,
    unit: 'ms',
    doc: 'Mean execute latency of parse (exponential).',
  },
  workMs: {
    type: 'number',
    default: 4,
    min: 0.001,
    max: 1000,
    unit: 'ms',
    doc: 'Mean execute latency of work (exponential).',
  },
  workers: {
    type: 'integer',
    default: 2,
    min: 1,
    max: 64,
    unit: 'workers',
    doc: 'topology.workers (one acker each).',
  },
  hopMs: {
    type: 'number',
    default: 0.5,
    min: 0,
    max: 1000,
    unit: 'ms',
    doc: 'One transfer between workers.',
  },
  warmupS: {
    type: 'number',
    default: 4,
    min: 0,
    max: 3600,
    unit: 's',
    doc: 'Warm-up discarded (longer than the complete latency at saturation, s·M/X).',
  },
  measureS: { type: 'number', default: 4, min: 0.5, max: 36000, unit: 's', doc: 'Measured time.' },
} as const;

function model(
  p: {
    spouts: number;
    parse: number;
    parseMs: number;
    workMs: number;
    workers: number;
    hopMs: number;
  },
  extra: { rate: number; work: number; fanout: number },
): ChainModel {
  return {
    spouts: p.spouts,
    parse: p.parse,
    parseMs: p.parseMs,
    workMs: p.workMs,
    workers: p.workers,
    hopMs: p.hopMs,
    ...extra,
  };
}

function run(
  m: ChainModel,
  pending: number | null,
  seed: number,
  warmup: number,
  duration: number,
) {
  return simulateStorm(
    {
      topology: chainTopology(m),
      'topology.workers': m.workers,
      'topology.max.spout.pending': pending,
      transferLatency: new Deterministic(m.hopMs / 1000),
    },
    { seed, warmup, duration },
  );
}

export const stormParallelism = defineExperiment({
  name: 'storm-parallelism',
  title: "Throughput and complete latency vs the bottleneck bolt's parallelism",
  description:
    'spout (s tasks, Poisson at λ in total) → parse (shuffle, 1 tuple per input) → work (shuffle, `fanout` tuples per spout tuple, p executors). ' +
    'Throughput follows the bound X ≤ min(λ, a·μ_parse, p·μ_work / fanout): linear in p, then flat at λ. Below saturation the complete latency follows a chain of M/M/1 executors ' +
    '(Jackson), the slowest of the fanout children deciding; above it max.spout.pending keeps s·M trees in flight, so L = s·M / X (Little).',
  lab,
  params: {
    ...common,
    executors: {
      type: 'numbers',
      default: [1, 2, 4, 6, 12, 16],
      min: 1,
      max: 128,
      integer: true,
      unit: 'executors',
      doc: 'Parallelism hints p of the work bolt.',
    },
    rate: {
      type: 'number',
      default: 1000,
      min: 1,
      max: 1e6,
      unit: 'tuples/s',
      doc: 'Total spout rate λ.',
    },
    fanout: {
      type: 'integer',
      default: 2,
      min: 1,
      max: 32,
      unit: 'tuples',
      doc: 'Tuples parse emits to work per spout tuple.',
    },
    maxSpoutPending: {
      type: 'integer',
      default: 200,
      min: 1,
      max: 1e6,
      unit: 'trees',
      doc: 'topology.max.spout.pending M per spout task.',
    },
  },
  replications: 3,
  metrics: { X: 'nonNegative', latencyMs: 'nonNegative' },
  precisionMetrics: ['X', 'latencyMs'],
  statedPrecision: { X: 0.1, latencyMs: 0.1 },
  units: { executors: 'executors', X: 'tuples/s', latencyMs: 'ms' },
  points: (p) => p.executors.map((n) => ({ executors: n })),
  // X ≤ min(λ, parse capacity, work capacity / fanout); at most 5 events per tuple (4.08 counted at
  // the first default point), 2 + fanout tuples per tree
  workEstimate: (point, p) => {
    const X = Math.min(
      p.rate,
      (1000 * p.parse) / p.parseMs,
      (1000 * (point.executors as number)) / (p.workMs * p.fanout),
    );
    return workOf({ 'rate × measureS': 5 * X * (p.warmupS + p.measureS) * (2 + p.fanout) });
  },
  simulate: (point, p, seed) => {
    const m = model(p, { rate: p.rate, work: point.executors as number, fanout: p.fanout });
    const s = run(m, p.maxSpoutPending, seed, p.warmupS, p.measureS);
    return { X: s.throughput, latencyMs: s.completeLatency.mean * 1000 };
  },
  theory: (point, p) => {
    const m = model(p, { rate: p.rate, work: point.executors as number, fanout: p.fanout });
    const b = chainBounds(m);
    const L = chainLatency(m);
    const saturated = b.X < p.rate;
    return {
      X_theory: b.X,
      latencyMs_theory:
        L !== null ? L * 1000 : saturated ? ((p.spouts * p.maxSpoutPending) / b.X) * 1000 : null,
    };
  },
  figures: (t) => [
    theoryVsSimulation(t, {
      x: 'executors',
      y: 'X',
      title: "Throughput vs the bottleneck bolt's executors",
      theoryLabel: 'min(λ, executors × rate / tuples per spout tuple)',
      simulationLabel: 'simulation (95% CI)',
      xAxis: { title: 'work bolt executors p' },
      yAxis: { title: 'acked spout tuples/s', fromZero: true },
    }),
    theoryVsSimulation(t, {
      x: 'executors',
      y: 'latencyMs',
      title: 'Complete latency vs executors',
      theoryLabel: 's·M/X when saturated (Little); M/M/1 chain below',
      simulationLabel: 'simulation (95% CI)',
      xAxis: { title: 'work bolt executors p' },
      yAxis: { title: 'complete latency (ms)', log: true },
    }),
  ],
});

export const stormMaxSpoutPending = defineExperiment({
  name: 'storm-max-spout-pending',
  title: 'Throughput and complete latency vs topology.max.spout.pending',
  description:
    'The same chain with fanout 1 and a spout that always has data: at most M un-acked trees per spout task, so N = s·M trees circulate. ' +
    'Little gives X = s·M / L exactly; exact MVA of the closed network (executors as single-server queues, hops as a delay) predicts both X and L: ' +
    'throughput rises with M until the bottleneck (p·μ_work) is reached, after which a larger M only adds queueing latency.',
  lab,
  params: {
    ...common,
    pending: {
      type: 'numbers',
      default: [1, 2, 5, 10, 20, 50, 100],
      min: 1,
      max: 1e5,
      integer: true,
      unit: 'trees',
      doc: 'topology.max.spout.pending values M.',
    },
    work: {
      type: 'integer',
      default: 2,
      min: 1,
      max: 128,
      unit: 'executors',
      doc: 'Executors of the work bolt.',
    },
  },
  replications: 3,
  metrics: { X: 'nonNegative', latencyMs: 'nonNegative', littleX: 'nonNegative' },
  precisionMetrics: ['X', 'latencyMs'],
  statedPrecision: { X: 0.15, latencyMs: 0.15 },
  units: { M: 'trees', X: 'tuples/s', latencyMs: 'ms', littleX: 'tuples/s' },
  points: (p) => p.pending.map((M) => ({ M: M })),
  workEstimate: (_point, p) =>
    workOf({
      measureS:
        4 *
        Math.min((1000 * p.parse) / p.parseMs, (1000 * p.work) / p.workMs) *
        (p.warmupS + p.measureS) *
        3,
    }),
  simulate: (point, p, seed) => {
    const m = model(p, { rate: Infinity, work: p.work, fanout: 1 });
    const s = run(m, point.M as number, seed, p.warmupS, p.measureS);
    return {
      X: s.throughput,
      latencyMs: s.completeLatency.mean * 1000,
      littleX: (p.spouts * (point.M as number)) / s.completeLatency.mean,
    };
  },
  theory: (point, p) => {
    const m = model(p, { rate: Infinity, work: p.work, fanout: 1 });
    const r = chainMva(m, point.M as number);
    return { X_theory: r.X, latencyMs_theory: r.L * 1000, X_bound: chainBounds(m).X };
  },
  figures: (t) => [
    theoryVsSimulation(t, {
      x: 'M',
      y: 'X',
      title: 'Throughput vs max.spout.pending',
      theoryLabel: 'MVA, N = s·M',
      simulationLabel: 'simulation (95% CI)',
      xAxis: { title: 'topology.max.spout.pending M', log: true },
      yAxis: { title: 'acked spout tuples/s', fromZero: true },
    }),
    theoryVsSimulation(t, {
      x: 'M',
      y: 'latencyMs',
      title: 'Complete latency vs max.spout.pending',
      theoryLabel: 'MVA, N = s·M',
      simulationLabel: 'simulation (95% CI)',
      xAxis: { title: 'topology.max.spout.pending M', log: true },
      yAxis: { title: 'complete latency (ms)', log: true },
    }),
  ],
});
