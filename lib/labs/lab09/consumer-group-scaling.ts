// Lab 09, consumer-group-scaling: throughput and lag growth vs consumers, flat at C = P.
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import { simulateKafka } from '../../systems/kafka/system';
import { lab, perConsumerRate } from './common';
import { openLoadWork } from '../../experiment/work';

export const consumerGroupScaling = defineExperiment({
  name: 'consumer-group-scaling',
  title: 'Consumer-group throughput and lag vs number of consumers, for several partition counts',
  description:
    'A producer writes unkeyed records (sticky partitioner) faster than any group here can consume; a group of C consumers reads a topic of P partitions, each record taking an exponential processing time of mean `processingMs`. ' +
    'Throughput grows linearly with C, then stays flat at C = P: a partition has one consumer per group, so members beyond P sit idle. The closed form is X = min(C, P)·μ with μ = 1000/processingMs per consumer, and the lag grows at λ − X.',
  lab,
  params: {
    partitionCounts: {
      type: 'numbers',
      default: [4, 8, 12],
      min: 1,
      max: 64,
      integer: true,
      unit: 'partitions',
      doc: 'Partition counts P of the topic to compare.',
    },
    consumers: {
      type: 'numbers',
      default: [1, 2, 3, 4, 6, 8, 10, 12, 14, 16],
      min: 1,
      max: 64,
      integer: true,
      unit: 'consumers',
      doc: 'Group sizes C to simulate.',
    },
    processingMs: {
      type: 'number',
      default: 10,
      min: 0.01,
      max: 10000,
      unit: 'ms',
      doc: 'Mean processing time of one record (exponential).',
    },
    produceRate: {
      type: 'number',
      default: 1600,
      min: 1,
      max: 1e6,
      unit: 'records/s',
      doc: 'Producer rate λ (Poisson); above every group capacity by default, so each group is saturated.',
    },
    warmupS: {
      type: 'number',
      default: 6,
      min: 0,
      max: 3600,
      unit: 's',
      doc: 'Time before measuring (covers group.initial.rebalance.delay.ms = 3 s and the first join).',
    },
    measureS: {
      type: 'number',
      default: 8,
      min: 1,
      max: 36000,
      unit: 's',
      doc: 'Measurement window.',
    },
  },
  replications: 3,
  metrics: { X: 'nonNegative', lagGrowth: 'real', idle: 'count' },
  precisionMetrics: ['X', 'lagGrowth'],
  statedPrecision: { X: 0.15, lagGrowth: 0.25 },
  units: {
    P: 'partitions',
    C: 'consumers',
    X: 'records/s',
    lagGrowth: 'records/s',
    idle: 'consumers',
  },
  points: (p) =>
    p.partitionCounts.flatMap((P) =>
      p.consumers.map((C) => ({ partitions: `P = ${P}`, P: P, C: C })),
    ),
  workEstimate: (_point, p) =>
    openLoadWork(p.produceRate, p.warmupS + p.measureS, 4, 'produceRate × measureS'),
  simulate: (point, p, seed) => {
    const s = simulateKafka(
      {
        brokers: 1,
        topics: [{ name: 'events', partitions: point.P as number }],
        producers: [{ topic: 'events', rate: p.produceRate }],
        groups: [
          {
            groupId: 'g',
            topic: 'events',
            members: point.C as number,
            processing: Exponential.withMean(p.processingMs / 1000),
            config: { 'auto.offset.reset': 'earliest' },
          },
        ],
      },
      { seed, warmup: p.warmupS, duration: p.measureS },
    );
    const g = s.groups.g;
    return { X: g.throughput, lagGrowth: g.lagGrowth, idle: g.idleMembers };
  },
  theory: (point, p) => {
    const mu = perConsumerRate(p.processingMs);
    const X = Math.min(point.C as number, point.P as number) * mu;
    return {
      X_theory: Math.min(X, p.produceRate),
      lagGrowth_theory: Math.max(0, p.produceRate - X),
      idle_theory: Math.max(0, (point.C as number) - (point.P as number)),
    };
  },
  figures: (t) => [
    theoryVsSimulation(t, {
      x: 'C',
      y: 'X',
      groupBy: 'partitions',
      title: 'Group throughput vs consumers: linear, then flat at C = P',
      xAxis: { title: 'consumers in the group C' },
      yAxis: { title: 'throughput X (records/s)', fromZero: true },
      theoryLabel: 'min(C, P)·μ',
      simulationLabel: 'simulation (95% CI)',
    }),
    theoryVsSimulation(t, {
      x: 'C',
      y: 'lagGrowth',
      groupBy: 'partitions',
      title: 'Lag growth rate vs consumers: λ − min(C, P)·μ',
      xAxis: { title: 'consumers in the group C' },
      yAxis: { title: 'lag growth (records/s)', fromZero: true },
      theoryLabel: 'λ − min(C, P)·μ',
      simulationLabel: 'simulation (95% CI)',
    }),
  ],
});
