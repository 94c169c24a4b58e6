/**
 * A Kafka producer on the simulation kernel: records placed by the built-in partitioner (murmur2
 * of the key, or sticky for unkeyed records), accumulated per partition into batches of up to
 * `batch.size` bytes that wait at most `linger.ms`, sent to the partition's leader with up to
 * `max.in.flight.requests.per.connection` requests in flight per partition, acknowledged
 * according to `acks`, retried after `retry.backoff.ms` on retriable errors until
 * `delivery.timeout.ms`. Produce latency = acknowledgement time − send() time (ms).
 *
 * Simplifications: in-flight limits are per partition (Kafka: per broker connection); a retried
 * batch is resent whole; with idempotence off, retries after a lost response duplicate records;
 * reordering under retries with several requests in flight is not prevented even with
 * idempotence (Kafka prevents it); metadata refresh is instant.
 */
import { ParameterError, requireNonNegative, requirePositive } from '../../errors';
import type { Distribution } from '../../random/distribution';
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import { Observations } from '../../sim/observations';
import type { QuantileSketch } from '../../sim/quantile-sketch';
import type { Tally } from '../../sim/tally';
import type { KafkaCluster, Partition, Topic } from './cluster';
import { producerConfig } from './config';
import type { KafkaProfile, ProducerConfig } from './config';
import { partitionForKey } from './murmur2';
import { StickyPartitioner } from './partitioner';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

/** Which keys records carry: none (sticky partitioner), or `count` keys `key-0…`, key 0 taking `hotKeyShare` of the records. */
export type KeySpec = { type: 'none' } | { type: 'uniform'; count: number; hotKeyShare?: number };

export interface ProducerOptions {
  topic: string;
  config?: Partial<ProducerConfig>;
  profile?: KafkaProfile;
  /** Bytes per record (value + key + overhead). Default 1000. */
  recordBytes?: number;
  /** Open-loop production rate, records per second (Poisson). 0 or absent: only explicit send(). */
  rate?: number;
  /** Interarrival distribution in ms (overrides `rate`'s exponential). */
  interarrival?: Distribution;
  keys?: KeySpec;
  /** Start the open-loop production at this time (ms). Default 0. */
  startAtMs?: number;
  /** Stop the open-loop production at this time (ms). */
  stopAtMs?: number;
  /** Stream name prefix for this producer's random numbers. */
  name?: string;
}

interface Batch {
  id: number;
  partition: number;
  records: number[];
  bytes: number;
  createdMs: number;
  deadlineMs: number;
  attempts: number;
  closed: boolean;
  lingerEvent: number;
  timeoutEvent: number;
  broker: number;
  errored: boolean;
}

export class Producer {
  readonly config: ProducerConfig;
  readonly topic: Topic;
  readonly recordBytes: number;
  private readonly latencies = new Observations(true);
  /** sent, acknowledged and failed records, produce requests, records in batches that got at least one error response. */
  readonly counts = { sent: 0, acked: 0, failed: 0, requests: 0, duplicatesAvoided: 0, recordsWithErrors: 0 };
  /** Error responses by Kafka error code (each attempt counts). */
  readonly errors: Record<string, number> = {};
  private readonly batches = new Map<number, Batch>();
  private nextBatchId = 0;
  private readonly open: Array<Batch | null>;
  private readonly ready: Batch[][];
  private readonly inFlight: number[];
  private readonly sticky: StickyPartitioner;
  private readonly keyPartition: number[] = [];
  private readonly keySpec: KeySpec;
  private readonly listenerId: number;
  private readonly hLinger: number;
  private readonly hArrive: number;
  private readonly hResponse: number;
  private readonly hTimeout: number;
  private readonly hRetry: number;
  private readonly hNext: number;
  private readonly rngKeys: Rng;
  private readonly rngArrivals: Rng;
  private readonly interarrival: Distribution | null;
  private readonly stopAtMs: number;
  private readonly responses = new Map<number, { error: string }>();
  // metadata view: a partition has a leader until the controller finds none (a crashed leader still counts until fenced)
  private readonly hasLeader = (p: number): boolean => this.topic.partitions[p].leader >= 0;
  private readonly queueSize = (p: number): number => this.ready[p].length + (this.open[p] ? 1 : 0);
  /** Called with each record id when it is acknowledged. */
  onAck: ((record: number) => void) | null = null;

  /** Produce latency of acknowledged records (ms). */
  get latency(): Tally {
    return this.latencies.tallied();
  }

  /** 1 % quantile sketch of the same latencies. */
  get latencySketch(): QuantileSketch {
    return this.latencies.sketched() as QuantileSketch;
  }

  constructor(
    readonly cluster: KafkaCluster,
    options: ProducerOptions,
  ) {
    if (!options || typeof options !== 'object') throw new ParameterError('options', options, 'must be { topic, ... }');
    this.topic = cluster.topic(options.topic);
    this.config = producerConfig(options.config ?? {}, options.profile ?? 'kafka@4.x');
    this.recordBytes = requirePositive('recordBytes', options.recordBytes ?? 1000);
    this.keySpec = options.keys ?? { type: 'none' };
    const n = this.topic.partitions.length;
    if (this.keySpec.type === 'uniform') {
      const count = this.keySpec.count;
      if (!Number.isInteger(count) || count < 1) throw new ParameterError('keys.count', count, 'must be an integer >= 1');
      const h = this.keySpec.hotKeyShare ?? 0;
      if (!(h >= 0 && h <= 1)) throw new ParameterError('keys.hotKeyShare', h, 'must be a number in [0, 1]');
      for (let k = 0; k < count; k++) this.keyPartition.push(partitionForKey(`key-${k}`, n));
    } else if (this.keySpec.type !== 'none') throw new ParameterError('keys', this.keySpec, "must be { type: 'none' } or { type: 'uniform', count, hotKeyShare? }");
    const name = options.name ?? 'producer';
    const sim = cluster.sim;
    this.rngKeys = sim.streams.get(`${name}.keys`);
    this.rngArrivals = sim.streams.get(`${name}.arrivals`);
    this.sticky = new StickyPartitioner(n, this.config['batch.size'], sim.streams.get(`${name}.sticky`));
    this.open = new Array(n).fill(null);
    this.ready = Array.from({ length: n }, () => []);
    this.inFlight = new Array(n).fill(0);
    this.listenerId = cluster.addListener({ onIsrAck: (request) => this.respond(request, 'ok') });
    this.hLinger = sim.handler((b) => this.lingerExpired(b), 'producer.linger');
    this.hArrive = sim.handler((b) => this.arriveAtLeader(b), 'producer.requestArrives');
    this.hResponse = sim.handler((b) => this.response(b), 'producer.response');
    this.hTimeout = sim.handler((b) => this.requestTimeout(b), 'producer.requestTimeout');
    this.hRetry = sim.handler((b) => this.retry(b), 'producer.retry');
    this.hNext = sim.handler(() => this.arrival(), 'producer.arrival');
    this.stopAtMs = options.stopAtMs ?? Infinity;
    if (options.interarrival) this.interarrival = options.interarrival;
    else if (options.rate !== undefined && requireNonNegative('rate', options.rate) > 0) this.interarrival = new Exponential(options.rate / 1000);
    else this.interarrival = null;
    const start = requireNonNegative('startAtMs', options.startAtMs ?? 0);
    if (this.interarrival) sim.scheduleAt(math.max(sim.now, start) + this.interarrival.sample(this.rngArrivals), this.hNext);
  }

  private arrival(): void {
    if (this.cluster.sim.now >= this.stopAtMs) return;
    this.sendKey(this.drawKey());
    this.cluster.sim.schedule(this.interarrival!.sample(this.rngArrivals), this.hNext);
  }

  private drawKey(): number {
    const spec = this.keySpec;
    if (spec.type === 'none') return -1;
    const h = spec.hotKeyShare ?? 0;
    if (h > 0 && this.rngKeys.next() < h) return 0;
    return this.rngKeys.nextInt(spec.count);
  }

  /** Sends one record with key number `key` (-1: no key); returns its record id. */
  send(key: number = -1): number {
    if (!Number.isInteger(key) || key < -1 || (key >= 0 && this.keySpec.type === 'uniform' && key >= this.keySpec.count)) {
      throw new ParameterError('key', key, 'must be -1 (no key) or a key number of the producer\'s key space');
    }
    return this.sendKey(key);
  }

  /** Partition a key number goes to. */
  partitionOfKey(key: number): number {
    return this.keyPartition.length > 0 ? this.keyPartition[key] : partitionForKey(`key-${key}`, this.topic.partitions.length);
  }

  private sendKey(key: number): number {
    const keyed = key >= 0 && !this.config['partitioner.ignore.keys'];
    const p = keyed ? this.partitionOfKey(key) : this.sticky.partition(this.recordBytes, this.hasLeader, this.config['partitioner.adaptive.partitioning.enable'] ? this.queueSize : undefined);
    const id = this.cluster.newRecord(this.topic.name, key, p);
    this.counts.sent++;
    let b = this.open[p];
    if (b && b.bytes + this.recordBytes > this.config['batch.size'] && b.records.length > 0) {
      this.close(b);
      b = null;
    }
    if (!b) {
      const now = this.cluster.sim.now;
      b = {
        id: this.nextBatchId++, partition: p, records: [], bytes: 0, createdMs: now, deadlineMs: now + this.config['delivery.timeout.ms'],
        attempts: 0, closed: false, lingerEvent: -1, timeoutEvent: -1, broker: -1, errored: false,
      };
      this.batches.set(b.id, b);
      this.open[p] = b;
      if (this.config['linger.ms'] > 0) b.lingerEvent = this.cluster.sim.schedule(this.config['linger.ms'], this.hLinger, b.id);
    }
    b.records.push(id);
    b.bytes += this.recordBytes;
    if (this.config['linger.ms'] === 0 || b.bytes >= this.config['batch.size']) this.close(b);
    return id;
  }

  private lingerExpired(id: number): void {
    const b = this.batches.get(id);
    if (!b) return;
    b.lingerEvent = -1;
    if (!b.closed) this.close(b);
  }

  private close(b: Batch): void {
    b.closed = true;
    if (b.lingerEvent >= 0) this.cluster.sim.cancel(b.lingerEvent);
    b.lingerEvent = -1;
    if (this.open[b.partition] === b) this.open[b.partition] = null;
    this.ready[b.partition].push(b);
    this.drain(b.partition);
  }

  private drain(p: number): void {
    const q = this.ready[p];
    while (q.length > 0 && this.inFlight[p] < this.config['max.in.flight.requests.per.connection']) {
      const b = q.shift()!;
      this.transmit(b);
    }
  }

  private transmit(b: Batch): void {
    const sim = this.cluster.sim;
    const partition = this.topic.partitions[b.partition];
    b.attempts++;
    this.counts.requests++;
    const leader = this.cluster.leaderOf(partition);
    if (this.config.acks === 0) {
      // fire and forget: done as soon as it is on the wire (offset -1); lost silently if nobody leads
      if (leader) this.cluster.append(partition, leader.broker, b.records, 0, false, this.listenerId, b.id);
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
    sim.schedule(this.cluster.networkDelayMs, this.hArrive, b.id);
    b.timeoutEvent = sim.schedule(this.config['request.timeout.ms'], this.hTimeout, b.id);
  }

  private arriveAtLeader(id: number): void {
    const b = this.batches.get(id);
    if (!b) return;
    if (!this.cluster.alive[b.broker]) return; // no answer: request.timeout.ms fires
    const partition = this.topic.partitions[b.partition];
    const acks = this.config.acks === 'all' ? 'all' : 1;
    const r = this.cluster.append(partition, b.broker, b.records, acks, this.config['enable.idempotence'], this.listenerId, b.id);
    if (r.error === 'DUPLICATE') this.counts.duplicatesAvoided += b.records.length;
    if (r.error === 'NOT_LEADER_OR_FOLLOWER' || r.error === 'NOT_ENOUGH_REPLICAS') this.respond(b.id, r.error);
    else if (acks === 1) this.respond(b.id, 'ok');
    // acks=all: respond() is called by the cluster once the ISR has the records
  }

  /** The broker answers request `id` (the response travels back for networkDelayMs). */
  private respond(id: number, error: string): void {
    const b = this.batches.get(id);
    if (!b) return;
    this.responses.set(id, { error });
    this.cluster.sim.schedule(this.cluster.networkDelayMs, this.hResponse, id);
  }

  private response(id: number): void {
    const b = this.batches.get(id);
    const r = this.responses.get(id);
    this.responses.delete(id);
    if (!b || !r || b.timeoutEvent < 0) return;
    this.cluster.sim.cancel(b.timeoutEvent);
    b.timeoutEvent = -1;
    this.inFlight[b.partition]--;
    if (r.error === 'ok') this.complete(b);
    else this.fail(b, r.error, this.cluster.sim.now);
    this.drain(b.partition);
  }

  private requestTimeout(id: number): void {
    const b = this.batches.get(id);
    if (!b) return;
    b.timeoutEvent = -1;
    this.inFlight[b.partition]--;
    this.fail(b, 'REQUEST_TIMED_OUT', this.cluster.sim.now);
    this.drain(b.partition);
  }

  private fail(b: Batch, error: string, now: number): void {
    this.errors[error] = (this.errors[error] ?? 0) + 1;
    if (!b.errored) {
      b.errored = true;
      this.counts.recordsWithErrors += b.records.length;
    }
    const backoff = this.config['retry.backoff.ms'];
    if (b.attempts <= this.config.retries && now + backoff < b.deadlineMs) {
      this.cluster.sim.schedule(backoff, this.hRetry, b.id);
    } else {
      this.counts.failed += b.records.length;
      this.batches.delete(b.id);
    }
  }

  private retry(id: number): void {
    const b = this.batches.get(id);
    if (!b) return;
    if (this.cluster.sim.now >= b.deadlineMs) {
      this.counts.failed += b.records.length;
      this.batches.delete(b.id);
      return;
    }
    if (this.inFlight[b.partition] < this.config['max.in.flight.requests.per.connection']) this.transmit(b);
    else this.ready[b.partition].unshift(b);
  }

  private complete(b: Batch): void {
    const now = this.cluster.sim.now;
    for (const id of b.records) {
      this.cluster.markAcked(id);
      const l = now - this.cluster.recordCreatedMs[id];
      this.latencies.add(l);
      if (this.onAck) this.onAck(id);
    }
    this.counts.acked += b.records.length;
    this.batches.delete(b.id);
  }

  /** Closes every open batch now (flush()). */
  flush(): void {
    for (const b of this.open) if (b) this.close(b);
  }

  /** Partition objects of the topic. */
  get partitions(): Partition[] {
    return this.topic.partitions;
  }
}
