/**
 * A Kafka producer on the simulation kernel: records arrive from the kernel's Source (Poisson at
 * `rate` records/s, or any interarrival distribution) or from explicit send() calls, are placed by
 * the built-in partitioner (murmur2 of the key, or sticky for unkeyed records, KIP-480/794),
 * batched by the RecordAccumulator (accumulator.ts: `batch.size`, `linger.ms`) and sent by the
 * Sender (sender.ts: `acks`, `max.in.flight.requests.per.connection`, retries,
 * `request.timeout.ms`, `delivery.timeout.ms`). Produce latency = acknowledgement time − send()
 * time (seconds, the clock's unit; Kafka's `*.ms` settings are converted once into `times`).
 *
 * Counters, errors and the latency restart on `sim.resetStatistics()`; the record table (in the
 * cluster) does not.
 */
import { ParameterError, requireNonNegative, requirePositive } from '../../errors';
import type { Distribution } from '../../random/distribution';
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import type { QuantileSketch } from '../../sim/quantile-sketch';
import { Source } from '../../sim/source';
import type { Tally } from '../../sim/tally';
import { Latency } from '../common/latency';
import type { LatencySummary } from '../common/latency';
import { RecordAccumulator } from './accumulator';
import type { KafkaCluster, Partition, Topic } from './cluster';
import { producerConfig } from './config';
import type { KafkaProfile, ProducerConfig } from './config';
import { partitionForKey } from './murmur2';
import { StickyPartitioner } from './partitioner';
import { Sender } from './sender';

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
  /** Interarrival distribution in seconds (overrides `rate`'s exponential). */
  interarrival?: Distribution;
  keys?: KeySpec;
  /** Start the open-loop production at this time (ms). Default 0. */
  startAtMs?: number;
  /** Stop the open-loop production at this time (ms). */
  stopAtMs?: number;
  /** Stream name prefix for this producer's random numbers. */
  name?: string;
}

export class Producer {
  readonly config: ProducerConfig;
  /** The producer settings that are times, in seconds (converted once from Kafka's `*.ms`). */
  readonly times: {
    linger: number;
    requestTimeout: number;
    deliveryTimeout: number;
    retryBackoff: number;
  };
  readonly topic: Topic;
  readonly recordBytes: number;
  /** Produce latency of acknowledged records (s), since start or reset. */
  readonly latencies: Latency;
  /** sent, acknowledged and failed records, produce requests, records in batches that got at least one error response. */
  readonly counts = {
    sent: 0,
    acked: 0,
    failed: 0,
    requests: 0,
    duplicatesAvoided: 0,
    recordsWithErrors: 0,
  };
  /** Error responses by Kafka error code (each attempt counts). */
  readonly errors: Record<string, number> = {};
  readonly accumulator: RecordAccumulator;
  readonly sender: Sender;
  /** The open-loop arrival process (null: only explicit send()). */
  readonly source: Source | null;
  private readonly sticky: StickyPartitioner;
  private readonly keyPartition: number[] = [];
  private readonly keySpec: KeySpec;
  private readonly rngKeys: Rng;
  // metadata view: a partition has a leader until the controller finds none (a crashed leader still counts until fenced)
  private readonly hasLeader = (p: number): boolean => this.topic.partitions[p].leader >= 0;
  private readonly queueSize = (p: number): number => this.accumulator.queueSize(p);
  /** Called with each record id when it is acknowledged. */
  onAck: ((record: number) => void) | null = null;
  /** Called with each record id when the producer gives it up (retries or delivery.timeout.ms exhausted): a caller waiting for the ack learns of the failure. */
  onFail: ((record: number) => void) | null = null;

  /** Produce latency of acknowledged records (s). */
  get latency(): Tally {
    return this.latencies.observations.tallied();
  }

  /** 1 % quantile sketch of the same latencies. */
  get latencySketch(): QuantileSketch {
    return this.latencies.observations.sketched() as QuantileSketch;
  }

  /** The produce latency in the contract's one shape (s). */
  latencySummary(): LatencySummary {
    return this.latencies.summary();
  }

  constructor(
    readonly cluster: KafkaCluster,
    options: ProducerOptions,
  ) {
    if (!options || typeof options !== 'object')
      throw new ParameterError('options', options, 'must be { topic, ... }');
    this.topic = cluster.topic(options.topic);
    this.config = producerConfig(options.config ?? {}, options.profile ?? 'kafka@4.x');
    const pc = this.config;
    this.times = {
      linger: pc['linger.ms'] / 1000,
      requestTimeout: pc['request.timeout.ms'] / 1000,
      deliveryTimeout: pc['delivery.timeout.ms'] / 1000,
      retryBackoff: pc['retry.backoff.ms'] / 1000,
    };
    this.recordBytes = requirePositive('recordBytes', options.recordBytes ?? 1000);
    this.keySpec = options.keys ?? { type: 'none' };
    const n = this.topic.partitions.length;
    if (this.keySpec.type === 'uniform') {
      const count = this.keySpec.count;
      if (!Number.isInteger(count) || count < 1)
        throw new ParameterError('keys.count', count, 'must be an integer >= 1');
      const h = this.keySpec.hotKeyShare ?? 0;
      if (!(h >= 0 && h <= 1))
        throw new ParameterError('keys.hotKeyShare', h, 'must be a number in [0, 1]');
      for (let k = 0; k < count; k++) this.keyPartition.push(partitionForKey(`key-${k}`, n));
    } else if (this.keySpec.type !== 'none')
      throw new ParameterError(
        'keys',
        this.keySpec,
        "must be { type: 'none' } or { type: 'uniform', count, hotKeyShare? }",
      );
    const name = options.name ?? 'producer';
    const sim = cluster.sim;
    this.rngKeys = sim.streams.get(`${name}.keys`);
    this.sticky = new StickyPartitioner(
      n,
      this.config['batch.size'],
      sim.streams.get(`${name}.sticky`),
    );
    this.latencies = new Latency(sim);
    this.accumulator = new RecordAccumulator(this);
    this.sender = new Sender(this, this.accumulator);
    sim.onReset(() => {
      const c = this.counts;
      c.sent = c.acked = c.failed = c.requests = c.duplicatesAvoided = c.recordsWithErrors = 0;
      for (const k of Object.keys(this.errors)) delete this.errors[k];
    });
    let interarrival: Distribution | null = null;
    if (options.interarrival) interarrival = options.interarrival;
    else if (options.rate !== undefined && requireNonNegative('rate', options.rate) > 0)
      interarrival = new Exponential(options.rate);
    const start = requireNonNegative('startAtMs', options.startAtMs ?? 0) / 1000;
    const stopAt =
      options.stopAtMs === undefined
        ? Infinity
        : requireNonNegative('stopAtMs', options.stopAtMs) / 1000;
    if (interarrival) {
      // the kernel's Source draws from `${name}.arrivals`; each arrival is one send() of a drawn key
      const source = new Source(sim, {
        name,
        interarrival,
        start: Math.max(sim.now, start),
        to: { accept: (job) => this.arrival(job) },
      });
      this.source = source;
      if (stopAt !== Infinity)
        sim.scheduleAt(
          Math.max(sim.now, stopAt),
          sim.handler(() => source.stop(), `${name}.stop`),
        );
    } else this.source = null;
  }

  private arrival(job: number): void {
    this.cluster.sim.jobs.free(job);
    this.sendKey(this.drawKey());
  }

  private drawKey(): number {
    const spec = this.keySpec;
    if (spec.type === 'none') return -1;
    const h = spec.hotKeyShare ?? 0;
    if (h > 0 && this.rngKeys.next() < h) return 0;
    return this.rngKeys.nextInt(spec.count);
  }

  /**
   * Sends one record and returns its record id. `key`: -1 for no key, a key number of the producer's
   * key space (`key-<n>`), or any string key, placed as Kafka's default partitioner places it:
   * toPositive(murmur2(UTF-8 bytes of the key)) mod partitions (clients/.../producer/internals/
   * BuiltInPartitioner.partitionForKey, common/utils/Utils.murmur2).
   */
  send(key: number | string = -1): number {
    if (typeof key === 'string') return this.sendString(key);
    if (
      !Number.isInteger(key) ||
      key < -1 ||
      (key >= 0 && this.keySpec.type === 'uniform' && key >= this.keySpec.count)
    ) {
      throw new ParameterError(
        'key',
        key,
        "must be -1 (no key) or a key number of the producer's key space",
      );
    }
    return this.sendKey(key);
  }

  private readonly stringKeys = new Map<string, { id: number; partition: number }>();

  private sendString(key: string): number {
    let k = this.stringKeys.get(key);
    if (k === undefined) {
      // string keys get key numbers of their own (from 2^30 up), for per-key order checks
      k = {
        id: 1073741824 + this.stringKeys.size,
        partition: partitionForKey(key, this.topic.partitions.length),
      };
      this.stringKeys.set(key, k);
    }
    const p = this.config['partitioner.ignore.keys']
      ? this.sticky.partition(
          this.recordBytes,
          this.hasLeader,
          this.config['partitioner.adaptive.partitioning.enable'] ? this.queueSize : undefined,
        )
      : k.partition;
    const id = this.cluster.newRecord(this.topic.name, k.id, p);
    this.counts.sent++;
    this.accumulator.append(p, id);
    return id;
  }

  /** Partition a key number goes to. */
  partitionOfKey(key: number): number {
    return this.keyPartition.length > 0
      ? this.keyPartition[key]
      : partitionForKey(`key-${key}`, this.topic.partitions.length);
  }

  private sendKey(key: number): number {
    const keyed = key >= 0 && !this.config['partitioner.ignore.keys'];
    const p = keyed
      ? this.partitionOfKey(key)
      : this.sticky.partition(
          this.recordBytes,
          this.hasLeader,
          this.config['partitioner.adaptive.partitioning.enable'] ? this.queueSize : undefined,
        );
    const id = this.cluster.newRecord(this.topic.name, key, p);
    this.counts.sent++;
    this.accumulator.append(p, id);
    return id;
  }

  /** Closes every open batch now (flush()). */
  flush(): void {
    this.accumulator.flush();
  }

  /** Partition objects of the topic. */
  get partitions(): Partition[] {
    return this.topic.partitions;
  }
}
