/**
 * The producer's Sender: closed batches go to their partition's leader with at most
 * `max.in.flight.requests.per.connection` requests in flight per partition; a request is answered
 * according to `acks` (0: done once on the wire; 1: the leader appended; all: the ISR has it,
 * through the cluster's HW), fails on NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, no leader, a
 * dead leader (connection refused) or after `request.timeout.ms`, and is retried after
 * `retry.backoff.ms` while `retries` and `delivery.timeout.ms` allow. Produce latency =
 * acknowledgement time − send() time.
 *
 * Sources: Kafka's Sender / ProducerConfig docs. Simplifications: in-flight limits are per
 * partition (Kafka: per broker connection); a retried batch is resent whole; with idempotence off,
 * retries after a lost response duplicate records; reordering under retries with several requests
 * in flight is not prevented even with idempotence (Kafka prevents it); metadata refresh is instant.
 */
import type { Batch, RecordAccumulator } from './accumulator';
import type { Producer } from './producer';

export class Sender {
  private readonly inFlight: number[];
  private readonly responses = new Map<number, { error: string }>();
  private readonly listenerId: number;
  private readonly hArrive: number;
  private readonly hResponse: number;
  private readonly hTimeout: number;
  private readonly hRetry: number;

  constructor(
    private readonly producer: Producer,
    private readonly accumulator: RecordAccumulator,
  ) {
    const sim = producer.cluster.sim;
    this.inFlight = new Array(producer.topic.partitions.length).fill(0);
    this.listenerId = producer.cluster.addListener({ onIsrAck: (request) => this.respond(request, 'ok') });
    this.hArrive = sim.handler((b) => this.arriveAtLeader(b), 'producer.requestArrives');
    this.hResponse = sim.handler((b) => this.response(b), 'producer.response');
    this.hTimeout = sim.handler((b) => this.requestTimeout(b), 'producer.requestTimeout');
    this.hRetry = sim.handler((b) => this.retry(b), 'producer.retry');
  }

  /** Sends partition p's queued batches while it has in-flight slots. */
  drain(p: number): void {
    const q = this.accumulator.ready[p];
    const max = this.producer.config['max.in.flight.requests.per.connection'];
    while (q.length > 0 && this.inFlight[p] < max) {
      const b = q.shift()!;
      this.transmit(b);
    }
  }

  private transmit(b: Batch): void {
    const pr = this.producer;
    const cluster = pr.cluster;
    const sim = cluster.sim;
    const partition = pr.topic.partitions[b.partition];
    b.attempts++;
    pr.counts.requests++;
    const leader = cluster.leaderOf(partition);
    if (pr.config.acks === 0) {
      // fire and forget: done as soon as it is on the wire (offset -1); lost silently if nobody leads
      if (leader) cluster.append(partition, leader.broker, b.records, 0, false, this.listenerId, b.id);
      this.complete(b);
      return;
    }
    if (!leader) {
      // no leader at all, or the leader's broker is down (connection refused until the controller fences it)
      this.fail(b, partition.leader < 0 ? 'LEADER_NOT_AVAILABLE' : 'NETWORK_EXCEPTION', sim.now);
      return;
    }
    b.broker = leader.broker;
    this.inFlight[b.partition]++;
    sim.schedule(cluster.networkDelay, this.hArrive, b.id);
    b.timeoutEvent = sim.schedule(pr.times.requestTimeout, this.hTimeout, b.id);
  }

  private arriveAtLeader(id: number): void {
    const pr = this.producer;
    const b = this.accumulator.batches.get(id);
    if (!b) return;
    if (!pr.cluster.alive[b.broker]) return; // no answer: request.timeout.ms fires
    const partition = pr.topic.partitions[b.partition];
    const acks = pr.config.acks === 'all' ? 'all' : 1;
    const r = pr.cluster.append(partition, b.broker, b.records, acks, pr.config['enable.idempotence'], this.listenerId, b.id);
    if (r.error === 'DUPLICATE') pr.counts.duplicatesAvoided += b.records.length;
    if (r.error === 'NOT_LEADER_OR_FOLLOWER' || r.error === 'NOT_ENOUGH_REPLICAS') this.respond(b.id, r.error);
    else if (acks === 1) this.respond(b.id, 'ok');
    // acks=all: respond() is called by the cluster once the ISR has the records
  }

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
    else this.fail(b, r.error, sim.now);
    this.drain(b.partition);
  }

  private requestTimeout(id: number): void {
    const b = this.accumulator.batches.get(id);
    if (!b) return;
    b.timeoutEvent = -1;
    this.inFlight[b.partition]--;
    this.fail(b, 'REQUEST_TIMED_OUT', this.producer.cluster.sim.now);
    this.drain(b.partition);
  }

  private fail(b: Batch, error: string, now: number): void {
    const pr = this.producer;
    pr.errors[error] = (pr.errors[error] ?? 0) + 1;
    if (!b.errored) {
      b.errored = true;
      pr.counts.recordsWithErrors += b.records.length;
    }
    const backoff = pr.times.retryBackoff;
    if (b.attempts <= pr.config.retries && now + backoff < b.deadline) {
      pr.cluster.sim.schedule(backoff, this.hRetry, b.id);
    } else {
      pr.counts.failed += b.records.length;
      this.accumulator.batches.delete(b.id);
    }
  }

  private retry(id: number): void {
    const pr = this.producer;
    const b = this.accumulator.batches.get(id);
    if (!b) return;
    if (pr.cluster.sim.now >= b.deadline) {
      pr.counts.failed += b.records.length;
      this.accumulator.batches.delete(b.id);
      return;
    }
    if (this.inFlight[b.partition] < pr.config['max.in.flight.requests.per.connection']) this.transmit(b);
    else this.accumulator.ready[b.partition].unshift(b);
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
    this.accumulator.batches.delete(b.id);
  }
}
