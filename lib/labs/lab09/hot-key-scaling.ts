// Lab 09, hot-key-scaling: a hot key's partition caps a group's throughput.
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import { rangeAssign } from '../../systems/kafka/assignors';
import { partitionForKey } from '../../systems/kafka/murmur2';
import { simulateKafka } from '../../systems/kafka/system';
import { lab, perConsumerRate } from './common';
import { openLoadWork } from '../../experiment/work';

/** Fluid throughput of a saturated-or-not group: Σ over members of min(arrival rate of its partitions, μ). */
export function hotKeyThroughput(o: {
  partitions: number;
  consumers: number;
  keys: number;
  hotKeyShare: number;
  produceRate: number;
  processingMs: number;
}): number {
  const lambdaP = new Array(o.partitions).fill(0);
  for (let k = 0; k < o.keys; k++)
    lambdaP[partitionForKey(`key-${k}`, o.partitions)] +=
      ((1 - o.hotKeyShare) * o.produceRate) / o.keys;
  lambdaP[partitionForKey('key-0', o.partitions)] += o.hotKeyShare * o.produceRate;
  const members = Array.from({ length: o.consumers }, (_, i) => ({
    memberId: `m${String(i).padStart(4, '0')}`,
    topics: ['events'],
  }));
  const a = rangeAssign(members, { events: o.partitions });
  const mu = perConsumerRate(o.processingMs);
  return Object.values(a).reduce(
    (s, ps) =>
      s +
      Math.min(
        mu,
        ps.reduce((x, tp) => x + lambdaP[tp.partition], 0),
      ),
    0,
  );
}

export const hotKeyScaling = defineExperiment({
  name: 'hot-key-scaling',
  title: 'A hot key caps consumer-group scaling',
  description:
    'Keyed records (murmur2 of the key picks the partition) over `keys` keys, one of which carries `hotKeyShare` of all records. ' +
    'Its partition receives that share whatever the group size, so one consumer saturates at μ and the group throughput flattens below the offered rate however many consumers join. ' +
    'The line is the fluid bound Σ over members of min(λ of its partitions, μ), computed from the real key → partition map and the range assignment.',
  lab,
  params: {
    hotKeyShares: {
      type: 'numbers',
      default: [0, 0.2, 0.4],
      min: 0,
      max: 1,
      doc: 'Share of records carrying the hot key.',
    },
    consumers: {
      type: 'numbers',
      default: [1, 2, 4, 6, 8],
      min: 1,
      max: 64,
      integer: true,
      unit: 'consumers',
      doc: 'Group sizes C.',
    },
    partitions: {
      type: 'integer',
      default: 8,
      min: 1,
      max: 64,
      unit: 'partitions',
      doc: 'Partitions P.',
    },
    keys: { type: 'integer', default: 1000, min: 1, max: 1e6, unit: 'keys', doc: 'Distinct keys.' },
    processingMs: {
      type: 'number',
      default: 10,
      min: 0.01,
      max: 10000,
      unit: 'ms',
      doc: 'Mean processing time per record (exponential).',
    },
    produceRate: {
      type: 'number',
      default: 640,
      min: 1,
      max: 1e6,
      unit: 'records/s',
      doc: 'Producer rate λ (0.8 of P·μ by default).',
    },
    warmupS: {
      type: 'number',
      default: 5,
      min: 0,
      max: 3600,
      unit: 's',
      doc: 'Time before measuring.',
    },
    measureS: {
      type: 'number',
      default: 10,
      min: 1,
      max: 36000,
      unit: 's',
      doc: 'Measurement window.',
    },
  },
  replications: 3,
  metrics: { X: 'nonNegative' },
  precisionMetrics: ['X'],
  // worst with one consumer (±23 %); the median row is ±4 %
  statedPrecision: { X: 0.3 },
  units: { C: 'consumers', hotKeyShare: 'fraction of records', X: 'records/s' },
  points: (p) =>
    p.hotKeyShares.flatMap((h) =>
      p.consumers.map((C) => ({ hotKey: `hot key ${Math.round(h * 100)}%`, hotKeyShare: h, C: C })),
    ),
  workEstimate: (_point, p) =>
    openLoadWork(p.produceRate, p.warmupS + p.measureS, 5, 'produceRate × measureS', {
      keys: p.keys,
    }),
  simulate: (point, p, seed) => {
    const s = simulateKafka(
      {
        brokers: 1,
        topics: [{ name: 'events', partitions: p.partitions }],
        // production starts once the group has its first assignment (after group.initial.rebalance.delay.ms), so no start-up backlog inflates X
        producers: [
          {
            topic: 'events',
            rate: p.produceRate,
            startAtMs: 3500,
            keys: { type: 'uniform', count: p.keys, hotKeyShare: point.hotKeyShare as number },
          },
        ],
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
    return { X: s.groups.g.throughput };
  },
  theory: (point, p) => ({
    X_theory: hotKeyThroughput({
      partitions: p.partitions,
      consumers: point.C as number,
      keys: p.keys,
      hotKeyShare: point.hotKeyShare as number,
      produceRate: p.produceRate,
      processingMs: p.processingMs,
    }),
  }),
  figures: (t) => [
    theoryVsSimulation(t, {
      x: 'C',
      y: 'X',
      groupBy: 'hotKey',
      title: 'Throughput vs consumers with a hot key (share of records on one key)',
      xAxis: { title: 'consumers C' },
      yAxis: { title: 'throughput X (records/s)', fromZero: true },
      theoryLabel: 'Σ min(λ_member, μ)',
      simulationLabel: 'simulation (95% CI)',
    }),
  ],
});
