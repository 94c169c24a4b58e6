// Lab 09, ordering-partitions: order per partition and per key, not across partitions.
import { defineExperiment } from '../../experiment/experiment';
import { figure, line, markers } from '../../plot/builders';
import { Exponential } from '../../random/exponential';
import { simulateKafka } from '../../systems/kafka/system';
import { lab, rowsOf } from './common';

export const orderingAcrossPartitions = defineExperiment({
  name: 'ordering-partitions',
  title: 'Order per partition vs across partitions',
  description:
    'Keyed records over P partitions, a group of P consumers. Kafka orders records only within a partition: the fraction of records processed after a record produced later is zero within each partition and for each key, ' +
    'but grows with P across the topic, because the partitions are consumed independently.',
  lab,
  params: {
    partitionCounts: { type: 'numbers', default: [1, 2, 4, 8, 16], min: 1, max: 256, integer: true, unit: 'partitions', doc: 'Partition counts P (and consumers).' },
    produceRate: { type: 'number', default: 500, min: 1, max: 1e5, unit: 'records/s', doc: 'Producer rate.' },
    processingMs: { type: 'number', default: 1, min: 0.01, max: 1000, unit: 'ms', doc: 'Mean processing time per record (exponential).' },
    keys: { type: 'integer', default: 200, min: 1, max: 1e6, unit: 'keys', doc: 'Distinct keys.' },
    durationS: { type: 'number', default: 10, min: 1, max: 36000, unit: 's', doc: 'Simulated time.' },
  },
  replications: 3,
  metrics: ['acrossTopic', 'withinPartition', 'withinKey'],
  points: (p) => p.partitionCounts.map((P) => ({ P: P })),
  simulate: (point, p, seed) => {
    const P = point.P as number;
    const s = simulateKafka(
      {
        brokers: 1,
        topics: [{ name: 'events', partitions: P }],
        producers: [{ topic: 'events', rate: p.produceRate, keys: { type: 'uniform', count: p.keys } }],
        groups: [{ groupId: 'g', topic: 'events', members: P, processing: Exponential.withMean(p.processingMs / 1000), recordDeliveries: true, config: { 'auto.offset.reset': 'earliest' } }],
      },
      { seed, duration: p.durationS },
    );
    return { ...s.groups.g.outOfOrder! };
  },
  theory: () => ({ withinPartition_theory: 0, withinKey_theory: 0 }),
  figures: (t) => {
    const rows = rowsOf(t);
    const x = rows.map((r) => r.P as number);
    const series = (y: string, name: string) =>
      markers(x, rows.map((r) => r[y] as number), { name: name, group: name, lower: rows.map((r) => r[`${y}_lo`] as number), upper: rows.map((r) => r[`${y}_hi`] as number) });
    return [
      figure([series('acrossTopic', 'across the topic'), series('withinPartition', 'within a partition'), series('withinKey', 'within a key'), line(x, x.map(() => 0), { name: 'Kafka guarantee within a partition: 0', dash: 'dot' })], {
        title: 'Records processed after a record produced later (fraction)', x: { title: 'partitions P (= consumers)' }, y: { title: 'out-of-order fraction', fromZero: true },
      }),
    ];
  },
});
