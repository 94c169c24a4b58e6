/**
 * The asynchronous work of an architecture's simulation (types.ts `kafka`): one Kafka cluster of
 * the library's component (lib/systems/kafka `KafkaSystem`: brokers, the topic's partitions and
 * replicas, the producer's accumulator and sender with `acks` and `linger.ms`, the consumer group's
 * coordinator, assignor and poll loop) per datacenter, on the architecture's Simulation.
 *
 * A write that reached the primary publishes `recordsPerWrite` records with uniform keys (stream
 * `dc<i>.kafka.keys`; Kafka's murmur2 partitioner places them). With `awaitAck` the request waits,
 * through common.Calls (one child call per record, answered by the producer's `onAck`, failed by
 * its `onFail`), for every acknowledgement before it answers; without, it answers at once and the
 * records are the group's work, off the response path. Stream names are per datacenter
 * (`dc<i>.producer.*`, `group.<groupId>-dc<i>.*`), so two datacenters' clusters draw apart.
 */
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import { grownInt32 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import type { JobTarget } from '../../sim/target';
import { Calls } from '../common/calls';
import type { Outage } from '../common/failures';
import type { LatencySummary } from '../common/latency';
import type { Acks } from '../kafka/config';
import type { ConsumerGroup } from '../kafka/consumer-group';
import type { Producer } from '../kafka/producer';
import { KafkaSystem } from '../kafka/system';
import { KAFKA_KEYS } from './async';
import type { KafkaSpec } from './types';

export interface AsyncWorkSummary {
  /** Records produced and processed per second (all datacenters). */
  produced: number;
  processed: number;
  /** Growth of the consumer lag, records/s (all datacenters): about 0 when the group keeps up. */
  lagGrowth: number;
  /** Utilisation of the busiest member and mean over members that own partitions (processed · S / window). */
  utilisation: number;
  meanUtilisation: number;
  /** Produce latency (acknowledgement − send) and end-to-end latency (processing − send), seconds. */
  produceLatency: LatencySummary;
  endToEnd: LatencySummary;
  /** Records the producer gave up (a waiting request then fails). */
  failed: number;
}

function acksOf(a: KafkaSpec['acks']): Acks {
  return a === 'all' ? 'all' : a === '1' ? 1 : 0;
}

export class AsyncWork {
  readonly kafka: KafkaSystem;
  readonly producer: Producer;
  readonly group: ConsumerGroup;
  private readonly calls: Calls;
  private readonly keys: Rng;
  private childOf: Int32Array = new Int32Array(1024);

  constructor(
    sim: Simulation,
    private readonly spec: KafkaSpec,
    dc: number,
    datacenters: number,
    private readonly afterAck: JobTarget,
    brokerOutage: Outage | null = null,
  ) {
    const k = spec;
    const groupId = datacenters > 1 ? `${k.group.groupId}-dc${dc}` : k.group.groupId;
    this.kafka = new KafkaSystem(sim, {
      brokers: Array.from({ length: k.brokers }, (_, b) =>
        b === 0 && brokerOutage !== null ? { failures: { outages: [brokerOutage] } } : {},
      ),
      networkDelayMs: k.networkDelayMs,
      topics: [
        {
          name: k.topic,
          partitions: k.partitions,
          'replication.factor': k['replication.factor'],
          'min.insync.replicas': k['min.insync.replicas'],
        },
      ],
      producers: [
        {
          name: `dc${dc}.producer`,
          topic: k.topic,
          keys: { type: 'uniform', count: KAFKA_KEYS },
          config: { acks: acksOf(k.acks), 'linger.ms': k['linger.ms'] },
        },
      ],
      groups: [
        {
          groupId: groupId,
          topic: k.topic,
          members: k.group.members,
          processing: Exponential.withMean(k.group.processingTime),
        },
      ],
    });
    this.producer = this.kafka.producers[0];
    this.group = this.kafka.groups[0];
    this.calls = Calls.of(sim);
    this.keys = sim.streams.get(`dc${dc}.kafka.keys`);
    if (k.awaitAck) {
      this.producer.onAck = (record) => this.calls.reply.accept(this.childOf[record]);
      this.producer.onFail = (record) => this.calls.error.accept(this.childOf[record]);
    }
  }

  /** The write `job` publishes its records; returns true when it waits for the acknowledgements (it then goes to `afterAck`). */
  publish(job: number): boolean {
    const n = this.spec.recordsPerWrite;
    if (!this.spec.awaitAck) {
      for (let i = 0; i < n; i++) this.producer.send(this.keys.nextInt(KAFKA_KEYS));
      return false;
    }
    this.calls.wait(job, { count: n, then: this.afterAck });
    for (let i = 0; i < n; i++) {
      const child = this.calls.child(job);
      const record = this.producer.send(this.keys.nextInt(KAFKA_KEYS));
      if (record >= this.childOf.length) this.childOf = grownInt32(this.childOf, 2 * (record + 1));
      this.childOf[record] = child;
    }
    return true;
  }
}

/** The datacenters' asynchronous work over the measured window of `elapsed` seconds. */
export function summarizeAsyncWork(
  works: AsyncWork[],
  spec: KafkaSpec,
  elapsed: number,
): AsyncWorkSummary {
  let produced = 0;
  let processed = 0;
  let lagGrowth = 0;
  let busiest = 0;
  let total = 0;
  let owners = 0;
  let failed = 0;
  const S = spec.group.processingTime;
  const summaries = works.map((w) => w.kafka.summary());
  for (let i = 0; i < works.length; i++) {
    const s = summaries[i];
    const pr = s.producers[Object.keys(s.producers)[0]];
    const g = s.groups[Object.keys(s.groups)[0]];
    produced += pr.sent;
    failed += pr.failed;
    processed += g.processed;
    lagGrowth += g.lagGrowth;
    for (const m of works[i].group.members) {
      if (m.assigned.length === 0) continue;
      owners++;
      total += m.processed;
      if (m.processed > busiest) busiest = m.processed;
    }
  }
  // one datacenter's latencies stand for all (each datacenter is a copy of the same cluster)
  const first = summaries[0];
  return {
    produced: produced / elapsed,
    processed: processed / elapsed,
    lagGrowth: lagGrowth,
    utilisation: (busiest * S) / elapsed,
    meanUtilisation: owners > 0 ? (total * S) / elapsed / owners : 0,
    produceLatency: first.producers[Object.keys(first.producers)[0]].latency,
    endToEnd: first.groups[Object.keys(first.groups)[0]].endToEnd,
    failed: failed,
  };
}
