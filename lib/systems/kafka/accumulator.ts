/**
 * The producer's RecordAccumulator: records are appended per partition to the last batch of the
 * partition's deque while it has room for them (`batch.size` bytes, at least one record); a batch
 * is full when the next record would not fit. A batch is *sendable* once full or `linger.ms`
 * after it was created (at once with `linger.ms` = 0), but it stays in the deque, and keeps
 * filling while it is the last one, until the Sender drains it — which it does only when the
 * partition's leader is ready and has an in-flight slot. So under backpressure (all slots busy)
 * batches fill up even with `linger.ms` = 0, as in Kafka.
 *
 * A failed batch that may be retried goes back to the head of its deque (ordered by sequence),
 * with a backoff during which nothing behind it is drained (RecordAccumulator.reenqueue /
 * insertInSequenceOrder and drain's backoff check).
 *
 * Source: apache/kafka clients/src/main/java/org/apache/kafka/clients/producer/internals/
 * RecordAccumulator.java (append → tryAppend to the last batch of the deque; ready(): full,
 * expired linger or exhausted; drain(); reenqueue()).
 */
import type { Producer } from './producer';

/** One producer batch (ProducerBatch): records of one partition sent in one request. */
export interface Batch {
  id: number;
  partition: number;
  /** Sequence of the batch within its partition (creation order; the idempotent producer's base sequence). */
  seq: number;
  records: number[];
  bytes: number;
  created: number;
  deadline: number;
  attempts: number;
  /** Full, or drained: no record is appended any more. */
  closed: boolean;
  /** linger.ms elapsed (or 0): the Sender may drain it. */
  sendable: boolean;
  /** Not to be resent before this time (retry.backoff.ms after a failure). */
  retryAt: number;
  lingerEvent: number;
  timeoutEvent: number;
  /** The delivery.timeout.ms check of a batch waiting in the deque, or -1. */
  expiryEvent: number;
  broker: number;
  errored: boolean;
}

export class RecordAccumulator {
  /** Batches in the deques, in flight or waiting to be retried, by id. */
  readonly batches = new Map<number, Batch>();
  /** Each partition's deque: batches not yet sent (retries first, in sequence order), the last one open while not full. */
  readonly ready: Batch[][];
  private readonly nextSeq: number[];
  private nextBatchId = 0;
  private readonly hLinger: number;

  constructor(private readonly producer: Producer) {
    const n = producer.topic.partitions.length;
    this.ready = Array.from({ length: n }, () => []);
    this.nextSeq = new Array(n).fill(0);
    this.hLinger = producer.cluster.sim.handler((b) => this.lingerExpired(b), 'producer.linger');
  }

  /** Batches of partition p not yet sent (the adaptive partitioner's queue size). */
  queueSize(p: number): number {
    return this.ready[p].length;
  }

  /** The batch of partition p that takes new records (the last of its deque, if not full), or null. */
  open(p: number): Batch | null {
    const q = this.ready[p];
    const b = q.length > 0 ? q[q.length - 1] : null;
    return b !== null && !b.closed && b.attempts === 0 ? b : null;
  }

  /** Appends record `id` to partition p's open batch (opening one if needed). */
  append(p: number, id: number): void {
    const config = this.producer.config;
    const bytes = this.producer.recordBytes;
    let b = this.open(p);
    if (b && b.bytes + bytes > config['batch.size'] && b.records.length > 0) {
      // full: ready at once (RecordAccumulator.ready), whatever linger.ms
      b.closed = true;
      b.sendable = true;
      this.producer.sender.drain(p);
      b = null;
    }
    if (!b) {
      const sim = this.producer.cluster.sim;
      const now = sim.now;
      const linger = config['linger.ms'] === 0;
      b = {
        id: this.nextBatchId++,
        partition: p,
        seq: this.nextSeq[p]++,
        records: [],
        bytes: 0,
        created: now,
        deadline: now + this.producer.times.deliveryTimeout,
        attempts: 0,
        closed: false,
        sendable: linger,
        retryAt: 0,
        lingerEvent: -1,
        timeoutEvent: -1,
        expiryEvent: -1,
        broker: -1,
        errored: false,
      };
      this.batches.set(b.id, b);
      this.ready[p].push(b);
      if (!linger) b.lingerEvent = sim.schedule(this.producer.times.linger, this.hLinger, b.id);
    }
    b.records.push(id);
    b.bytes += bytes;
    if (b.bytes >= config['batch.size']) {
      b.closed = true;
      b.sendable = true;
    }
    if (b.sendable) this.producer.sender.drain(p);
  }

  private lingerExpired(id: number): void {
    const b = this.batches.get(id);
    if (!b) return;
    b.lingerEvent = -1;
    if (b.sendable) return;
    b.sendable = true;
    this.producer.sender.drain(b.partition);
  }

  /** The Sender takes the head batch of partition p's deque to send it: no more records join it. */
  take(p: number): Batch {
    const b = this.ready[p].shift()!;
    b.closed = true;
    b.sendable = true;
    if (b.lingerEvent >= 0) this.producer.cluster.sim.cancel(b.lingerEvent);
    b.lingerEvent = -1;
    return b;
  }

  /** A failed batch goes back into its deque before every batch of a later sequence (RecordAccumulator.reenqueue). */
  reenqueue(b: Batch): void {
    const q = this.ready[b.partition];
    let i = 0;
    while (i < q.length && q[i].seq < b.seq) i++;
    q.splice(i, 0, b);
  }

  /** Removes a batch from its deque (delivery.timeout.ms expired while it waited); true if it was there. */
  remove(b: Batch): boolean {
    const q = this.ready[b.partition];
    const i = q.indexOf(b);
    if (i < 0) return false;
    q.splice(i, 1);
    return true;
  }

  /** Makes every batch sendable now (flush()). */
  flush(): void {
    for (let p = 0; p < this.ready.length; p++) {
      for (const b of this.ready[p]) b.sendable = true;
      if (this.ready[p].length > 0) this.producer.sender.drain(p);
    }
  }
}
