// Lab 09, ordering-partitions: order per partition and per key, not across partitions, through a leader failover.
import { defineExperiment } from '../../experiment/experiment';
import { figure, line, markers } from '../../plot/builders';
import { Exponential } from '../../random/exponential';
import type { ProducerConfig } from '../../systems/kafka/config';
import { simulateKafka } from '../../systems/kafka/system';
import { lab, rowsOf } from './common';
import { openLoadWork } from '../../experiment/work';

/** Producer settings compared through the failover, and whether Kafka keeps order with each. */
export const orderingSettings = {
  'idempotent, 5 in flight': {
    config: { 'max.in.flight.requests.per.connection': 5 },
    keepsOrder: true,
  },
  'no idempotence, 1 in flight': {
    config: { 'enable.idempotence': false, 'max.in.flight.requests.per.connection': 1 },
    keepsOrder: true,
  },
  'no idempotence, 5 in flight': {
    config: { 'enable.idempotence': false, 'max.in.flight.requests.per.connection': 5 },
    keepsOrder: false,
  },
} as const satisfies Record<string, { config: Partial<ProducerConfig>; keepsOrder: boolean }>;
type OrderingSetting = keyof typeof orderingSettings;
const settingNames = Object.keys(orderingSettings) as OrderingSetting[];

export const orderingAcrossPartitions = defineExperiment({
  name: 'ordering-partitions',
  title: 'Order per partition vs across partitions, through a leader failover',
  description:
    'Keyed records over P partitions replicated three times, a group of P consumers; at `outageAtS` broker 0 (the leader of every third partition) crashes for `outageS` and the controller moves its leaderships after broker.session.timeout.ms (9 s). ' +
    'Kafka orders records only within a partition: the fraction of records processed after a record produced later is zero within each partition and for each key — through the failover too, with one request in flight or with idempotence (up to five) — ' +
    'but grows with P across the topic, because the partitions are consumed independently. Without idempotence a retry after a lost answer appends the batch again (a duplicate), and with several requests in flight a batch retried after a later one succeeded would be reordered.',
  lab,
  params: {
    partitionCounts: {
      type: 'numbers',
      default: [1, 4, 16],
      min: 1,
      max: 256,
      integer: true,
      unit: 'partitions',
      doc: 'Partition counts P (and consumers).',
    },
    settings: {
      type: 'choices',
      default: [...settingNames],
      choices: settingNames,
      doc: 'Producer settings (enable.idempotence, max.in.flight.requests.per.connection).',
    },
    produceRate: {
      type: 'number',
      default: 500,
      min: 1,
      max: 1e5,
      unit: 'records/s',
      doc: 'Producer rate.',
    },
    processingMs: {
      type: 'number',
      default: 1,
      min: 0.01,
      max: 1000,
      unit: 'ms',
      doc: 'Mean processing time per record (exponential).',
    },
    keys: { type: 'integer', default: 200, min: 1, max: 1e6, unit: 'keys', doc: 'Distinct keys.' },
    outageAtS: {
      type: 'number',
      default: 4,
      min: 0,
      max: 36000,
      unit: 's',
      doc: 'When broker 0 crashes.',
    },
    outageS: {
      type: 'number',
      default: 12,
      min: 0,
      max: 36000,
      unit: 's',
      doc: 'How long it stays down (0: no failover).',
    },
    requestTimeoutMs: {
      type: 'integer',
      default: 3000,
      min: 1,
      max: 120000,
      unit: 'ms',
      doc: 'request.timeout.ms (requests in flight to the crashed broker fail after it and are retried).',
    },
    durationS: {
      type: 'number',
      default: 24,
      min: 1,
      max: 36000,
      unit: 's',
      doc: 'Simulated time.',
    },
  },
  replications: 3,
  metrics: {
    acrossTopic: 'proportion',
    withinPartition: 'proportion',
    withinKey: 'proportion',
    duplicatesPer10k: 'nonNegative',
  },
  precisionMetrics: ['withinPartition', 'acrossTopic'],
  statedPrecision: { withinPartition: 0.05, acrossTopic: 0.05 },
  units: {
    P: 'partitions',
    acrossTopic: 'fraction of records',
    withinPartition: 'fraction of records',
    withinKey: 'fraction of records',
    duplicatesPer10k: 'per 10,000 records',
  },
  sharedSeedAcross: ['setting'],
  points: (p) => p.settings.flatMap((s) => p.partitionCounts.map((P) => ({ setting: s, P: P }))),
  workEstimate: (_point, p) =>
    openLoadWork(p.produceRate, p.durationS, 10, 'produceRate × durationS', { keys: p.keys }),
  simulate: (point, p, seed) => {
    const P = point.P as number;
    const setting = orderingSettings[point.setting as OrderingSetting];
    const s = simulateKafka(
      {
        brokers:
          p.outageS > 0
            ? [{ failures: { outages: [{ at: p.outageAtS, duration: p.outageS }] } }, {}, {}]
            : 3,
        topics: [{ name: 'events', partitions: P, 'replication.factor': 3 }],
        producers: [
          {
            topic: 'events',
            rate: p.produceRate,
            keys: { type: 'uniform', count: p.keys },
            config: { ...setting.config, 'request.timeout.ms': p.requestTimeoutMs },
          },
        ],
        groups: [
          {
            groupId: 'g',
            topic: 'events',
            members: P,
            processing: Exponential.withMean(p.processingMs / 1000),
            recordDeliveries: true,
            config: { 'auto.offset.reset': 'earliest' },
          },
        ],
      },
      { seed, duration: p.durationS },
    );
    const g = s.groups.g;
    return { ...g.outOfOrder!, duplicatesPer10k: (g.duplicates / Math.max(1, g.processed)) * 1e4 };
  },
  theory: (point): Record<string, number> =>
    orderingSettings[point.setting as OrderingSetting].keepsOrder
      ? { withinPartition_theory: 0, withinKey_theory: 0 }
      : {},
  figures: (t) => {
    const rows = rowsOf(t);
    const series = (rs: typeof rows, y: string, name: string) =>
      markers(
        rs.map((r) => r.P as number),
        rs.map((r) => r[y] as number),
        {
          name: name,
          group: name,
          lower: rs.map((r) => r[`${y}_lo`] as number),
          upper: rs.map((r) => r[`${y}_hi`] as number),
        },
      );
    const settings = [...new Set(rows.map((r) => r.setting as string))];
    const first = rows.filter((r) => r.setting === settings[0]);
    const xs = [...new Set(rows.map((r) => r.P as number))];
    return [
      figure(
        [
          series(first, 'acrossTopic', 'across the topic'),
          series(first, 'withinPartition', 'within a partition'),
          series(first, 'withinKey', 'within a key'),
          line(
            xs,
            xs.map(() => 0),
            { name: 'Kafka guarantee within a partition: 0', dash: 'dot' },
          ),
        ],
        {
          title: `Records processed after a record produced later (fraction), ${settings[0]}, through a failover`,
          x: { title: 'partitions P (= consumers)', integer: true },
          y: { title: 'out-of-order fraction', fromZero: true },
        },
      ),
      figure(
        [
          ...settings.map((s) =>
            series(
              rows.filter((r) => r.setting === s),
              'withinPartition',
              `${s}: out of order within a partition`,
            ),
          ),
          ...settings.map((s) =>
            series(
              rows.filter((r) => r.setting === s),
              'duplicatesPer10k',
              `${s}: duplicates per 10,000`,
            ),
          ),
        ],
        {
          title:
            'Through a leader failover, per producer setting: reordering within a partition and duplicates',
          x: { title: 'partitions P (= consumers)', integer: true },
          y: { title: 'out-of-order fraction / duplicates per 10,000', fromZero: true },
        },
      ),
    ];
  },
});
