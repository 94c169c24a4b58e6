/**
 * The producer's Sender: it drains a partition's deque (accumulator.ts) only while the
 * partition's leader is ready — known and reachable — and has an in-flight slot
 * (`max.in.flight.requests.per.connection`, per partition here); a batch waiting for a leader that
 * is down or unknown stays in the deque (with any `acks`, 0 included: nothing is "sent" to a dead
 * broker) until a leader is elected or comes back, or `delivery.timeout.ms` expires. A request is
 * answered per `acks` (0: done once on the wire; 1: the leader appended; all: the ISR reached it,
 * failing with NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below `min.insync.replicas`),
 * fails on NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, OUT_OF_ORDER_SEQUENCE_NUMBER or after
 * `request.timeout.ms`, and a failed batch is re-enqueued at the head of its deque in sequence
 * order, resent after `retry.backoff.ms` while `retries` and `delivery.timeout.ms` allow; nothing
 * behind it is sent meanwhile. Produce latency = acknowledgement time − send() time.
 *
 * Order (Kafka's guarantee): with one request in flight a retried batch goes first again, so
 * order holds; with idempotence (up to 5 in flight) the broker accepts a batch only after the
 * one before it (sequence numbers: OUT_OF_ORDER_SEQUENCE_NUMBER otherwise), so order holds too;
 * only several in flight without idempotence may reorder.
 *
 * Sources: apache/kafka clients/src/main/java/org/apache/kafka/clients/producer/internals/
 * Sender.java (sendProducerData: ready nodes only, `client.ready`; completeBatch → reenqueueBatch;
 * failBatch), RecordAccumulator.java (reenqueue, insertInSequenceOrder, drain's backoff),
 * ProducerStateManager / ProducerAppendInfo (sequence checks). Simplifications: in-flight limits
 * are per partition (Kafka: per broker connection); metadata refresh is instant.
 */
import type { Batch, RecordAccumulator } from './accumulator';
import type { Producer } from './producer';

export class Sender {
  private readonly inFlight: number[];
  private readonly responses = new Map<number, { error: string }>();
  private readonly listenerId: number;
  /** The last batch sent per partition that is not yet acknowledged (for the sequence check), by seq. */
  private readonly outstanding: Array<Map<number, Batch>>;
  private readonly wakeAt: number[];
  private readonly hArrive: number;
  private readonly hResponse: number;
  private readonly hTimeout: number;
  private readonly hWake: number;
  private readonly hExpire: number;

  constructor(
    private readonly producer: Producer,
    private readonly accumulator: RecordAccumulator,
  ) {
    const sim = producer.cluster.sim;
    const n = producer.topic.partitions.length;
    this.inFlight = new Array(n).fill(0);
    this.outstanding = Array.from({ length: n }, () => new Map<number, Batch>());
    this.wakeAt = new Array(n).fill(-1);
    this.listenerId = producer.cluster.addListener({
      onIsrAck: (request, ok, error) =>
        this.respond(request, ok ? 'ok' : (error ?? 'NOT_ENOUGH_REPLICAS_AFTER_APPEND')),
      onLeadership: (partition) => {
        if (partition.topic === producer.topic) this.drain(partition.index);
      },
    });
    this.hArrive = sim.handler((b) => this.arriveAtLeader(b), 'producer.requestArrives');
    this.hResponse = sim.handler((b) => this.response(b), 'producer.response');
    this.hTimeout = sim.handler((b) => this.requestTimeout(b), 'producer.requestTimeout');
    this.hWake = sim.handler((p) => this.wake(p), 'producer.retryBackoff');
    this.hExpire = sim.handler((b) => this.expire(b), 'producer.deliveryTimeout');
  }

  /** Sends partition p's sendable batches while its leader is ready and has in-flight slots. */
  drain(p: number): void {
    const pr = this.producer;
    const cluster = pr.cluster;
    const q = this.accumulator.ready[p];
    const max = pr.config['max.in.flight.requests.per.connection'];
    const partition = pr.topic.partitions[p];
    while (q.length > 0 && this.inFlight[p] < max) {
      const head = q[0];
      if (!head.sendable) return;
      const now = cluster.sim.now;
      if (head.retryAt > now) {
        // drain skips a partition whose head batch is backing off (RecordAccumulator.drain)
        if (this.wakeAt[p] !== head.retryAt) {
          this.wakeAt[p] = head.retryAt;
          cluster.sim.schedule(head.retryAt - now, this.hWake, p);
        }
        return;
      }
      if (!cluster.leaderOf(partition)) {
        // the leader is unknown or down: the node is not ready, so nothing is drained (Sender.sendProducerData)
        this.watchExpiry(head); // the head has the earliest deadline; the next is watched when it goes
        return;
      }
      this.transmit(this.accumulator.take(p));
    }
  }

  private wake(p: number): void {
    this.wakeAt[p] = -1;
    this.drain(p);
  }

  /** A batch waiting in the deque fails when delivery.timeout.ms passes (RecordAccumulator.expiredBatches). */
  private watchExpiry(b: Batch): void {
    if (b.expiryEvent >= 0) return;
    const sim = this.producer.cluster.sim;
    b.expiryEvent = sim.schedule(Math.max(0, b.deadline - sim.now), this.hExpire, b.id);
  }

  private expire(id: number): void {
    const b = this.accumulator.batches.get(id);
    if (!b) return;
    b.expiryEvent = -1;
    if (!this.accumulator.remove(b)) return; // in flight: its request decides
    this.giveUp(b);
    this.drain(b.partition);
  }

  private transmit(b: Batch): void {
    const pr = this.producer;
    const cluster = pr.cluster;
    const sim = cluster.sim;
    const partition = pr.topic.partitions[b.partition];
    if (b.expiryEvent >= 0) sim.cancel(b.expiryEvent);
    b.expiryEvent = -1;
    b.attempts++;
    pr.counts.requests++;
    const leader = cluster.leaderOf(partition)!;
    b.broker = leader.broker;
    if (pr.config.acks === 0) {
      // fire and forget to a ready leader: done once on the wire (lost only if the leader dies before followers fetch)
      sim.schedule(cluster.networkDelay, this.hArrive, b.id);
      this.complete(b);
      return;
    }
    this.inFlight[b.partition]++;
    this.outstanding[b.partition].set(b.seq, b);
    sim.schedule(cluster.networkDelay, this.hArrive, b.id);
    b.timeoutEvent = sim.schedule(pr.times.requestTimeout, this.hTimeout, b.id);
  }

  private arriveAtLeader(id: number): void {
    const pr = this.producer;
    const b = this.accumulator.batches.get(id) ?? this.sentAcks0.get(id);
    if (!b) return;
    const partition = pr.topic.partitions[b.partition];
    if (pr.config.acks === 0) {
      this.sentAcks0.delete(id);
      if (pr.cluster.alive[b.broker])
        pr.cluster.append(partition, b.broker, b.records, 0, false, this.listenerId, b.id);
      return;
    }
    if (!pr.cluster.alive[b.broker]) return; // no answer: request.timeout.ms fires
    const acks = pr.config.acks === 'all' ? 'all' : 1;
    const idempotent = pr.config['enable.idempotence'];
    // the broker accepts an idempotent batch only right after the one before it (sequence numbers)
    const prev = idempotent ? this.outstanding[b.partition].get(b.seq - 1) : undefined;
    const r = pr.cluster.append(
      partition,
      b.broker,
      b.records,
      acks,
      idempotent,
      this.listenerId,
      b.id,
      prev ? prev.records[prev.records.length - 1] : -1,
    );
    if (r.error === 'DUPLICATE') pr.counts.duplicatesAvoided += b.records.length;
    if (
      r.error === 'NOT_LEADER_OR_FOLLOWER' ||
      r.error === 'NOT_ENOUGH_REPLICAS' ||
      r.error === 'OUT_OF_ORDER_SEQUENCE_NUMBER'
    )
      this.respond(b.id, r.error);
    else if (acks === 1) this.respond(b.id, 'ok');
    // acks=all: respond() is called by the cluster once the HW reaches the records
  }

  /** Batches sent with acks=0 whose request is still on the wire (they are complete for the producer). */
  private readonly sentAcks0 = new Map<number, Batch>();

  /** The broker answers request `id` (the response travels back for one network delay). */
  private respond(id: number, error: string): void {
    const b = this.accumulator.batches.get(id);
    if (!b) return;
    this.responses.set(id, { error });
    this.producer.cluster.sim.schedule(this.producer.cluster.networkDelay, this.hResponse, id);
  }

  private response(id: number): void {
    const sim = this.producer.cluster.sim;
    const b = this.accumulator.batches.get(id);
    const r = this.responses.get(id);
    this.responses.delete(id);
    if (!b || !r || b.timeoutEvent < 0) return;
    sim.cancel(b.timeoutEvent);
    b.timeoutEvent = -1;
    this.inFlight[b.partition]--;
    if (r.error === 'ok') this.complete(b);
    else this.fail(b, r.error);
    this.drain(b.partition);
  }

  private requestTimeout(id: number): void {
    const b = this.accumulator.batches.get(id);
    if (!b) return;
    b.timeoutEvent = -1;
    this.inFlight[b.partition]--;
    this.fail(b, 'REQUEST_TIMED_OUT');
    this.drain(b.partition);
  }

  /** A failed attempt: re-enqueued at the head (sequence order) with a backoff, or given up. */
  private fail(b: Batch, error: string): void {
    const pr = this.producer;
    const now = pr.cluster.sim.now;
    pr.errors[error] = (pr.errors[error] ?? 0) + 1;
    if (!b.errored) {
      b.errored = true;
      pr.counts.recordsWithErrors += b.records.length;
    }
    const backoff = pr.times.retryBackoff;
    if (b.attempts <= pr.config.retries && now + backoff < b.deadline) {
      b.retryAt = now + backoff;
      this.accumulator.reenqueue(b);
    } else this.giveUp(b);
  }

  private giveUp(b: Batch): void {
    const pr = this.producer;
    pr.counts.failed += b.records.length;
    if (pr.onFail) for (const id of b.records) pr.onFail(id);
    this.outstanding[b.partition].delete(b.seq);
    this.accumulator.batches.delete(b.id);
  }

  private complete(b: Batch): void {
    const pr = this.producer;
    const cluster = pr.cluster;
    const now = cluster.sim.now;
    for (const id of b.records) {
      cluster.markAcked(id);
      pr.latencies.record(now - cluster.recordCreated[id]);
      if (pr.onAck) pr.onAck(id);
    }
    pr.counts.acked += b.records.length;
    this.outstanding[b.partition].delete(b.seq);
    this.accumulator.batches.delete(b.id);
    if (pr.config.acks === 0) this.sentAcks0.set(b.id, b);
  }
}
