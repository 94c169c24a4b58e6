/**
 * The producer's RecordAccumulator: records are appended per partition to an open batch of up to
 * `batch.size` bytes; a batch closes when the next record would not fit, when it is full, or
 * `linger.ms` after it opened (at once with `linger.ms` = 0), and is then queued for the Sender.
 *
 * Source: Kafka's RecordAccumulator / ProducerConfig docs (batch.size, linger.ms). A batch holds
 * at least one record, whatever its size.
 */
import type { Producer } from './producer';

/** One producer batch (ProducerBatch): records of one partition sent in one request. */
export interface Batch {
  id: number;
  partition: number;
  records: number[];
  bytes: number;
  created: number;
  deadline: number;
  attempts: number;
  closed: boolean;
  lingerEvent: number;
  timeoutEvent: number;
  broker: number;
  errored: boolean;
}

export class RecordAccumulator {
  /** Batches open, queued, in flight or waiting to be retried, by id. */
  readonly batches = new Map<number, Batch>();
  /** The open batch of each partition, or null. */
  readonly open: Array<Batch | null>;
  /** Closed batches of each partition waiting for an in-flight slot. */
  readonly ready: Batch[][];
  private nextBatchId = 0;
  private readonly hLinger: number;

  constructor(private readonly producer: Producer) {
    const n = producer.topic.partitions.length;
    this.open = new Array(n).fill(null);
    this.ready = Array.from({ length: n }, () => []);
    this.hLinger = producer.cluster.sim.handler((b) => this.lingerExpired(b), 'producer.linger');
  }

  /** Batches of partition p not yet sent (the adaptive partitioner's queue size). */
  queueSize(p: number): number {
    return this.ready[p].length + (this.open[p] ? 1 : 0);
  }

  /** Appends record `id` to partition p's open batch (opening one if needed). */
  append(p: number, id: number): void {
    const config = this.producer.config;
    const bytes = this.producer.recordBytes;
    let b = this.open[p];
    if (b && b.bytes + bytes > config['batch.size'] && b.records.length > 0) {
      this.close(b);
      b = null;
    }
    if (!b) {
      const sim = this.producer.cluster.sim;
      const now = sim.now;
      b = {
        id: this.nextBatchId++, partition: p, records: [], bytes: 0, created: now, deadline: now + this.producer.times.deliveryTimeout,
        attempts: 0, closed: false, lingerEvent: -1, timeoutEvent: -1, broker: -1, errored: false,
      };
      this.batches.set(b.id, b);
      this.open[p] = b;
      if (config['linger.ms'] > 0) b.lingerEvent = sim.schedule(this.producer.times.linger, this.hLinger, b.id);
    }
    b.records.push(id);
    b.bytes += bytes;
    if (config['linger.ms'] === 0 || b.bytes >= config['batch.size']) this.close(b);
  }

  private lingerExpired(id: number): void {
    const b = this.batches.get(id);
    if (!b) return;
    b.lingerEvent = -1;
    if (!b.closed) this.close(b);
  }

  /** Closes a batch: it queues for its partition and the Sender sends what it may. */
  close(b: Batch): void {
    b.closed = true;
    if (b.lingerEvent >= 0) this.producer.cluster.sim.cancel(b.lingerEvent);
    b.lingerEvent = -1;
    if (this.open[b.partition] === b) this.open[b.partition] = null;
    this.ready[b.partition].push(b);
    this.producer.sender.drain(b.partition);
  }

  /** Closes every open batch now (flush()). */
  flush(): void {
    for (const b of this.open) if (b) this.close(b);
  }
}
