/**
 * A Kafka cluster on the simulation kernel: brokers, topics of P partitions, each partition an
 * append-only log replicated on `replication.factor` brokers, with its leader, followers that
 * fetch (pull) from the leader (lib/systems/kafka/replication.ts), the in-sync replica set, the
 * high watermark, broker crashes and recoveries, and clean or unclean leader election
 * (lib/systems/kafka/controller.ts). The clock is in seconds (issue 14's contract); Kafka's `*.ms`
 * settings keep their names and milliseconds and are converted once, into {@link BrokerTimes}.
 *
 * Semantics (Kafka design docs §4.7–4.8, KIP-101, KRaft):
 * - A replica's log end offset (LEO) is its log length; the leader's high watermark (HW) is the
 *   smallest LEO over the ISR as last reported by the followers' fetches; it never decreases
 *   while the leader lives. Consumers read only offsets < HW.
 * - A follower stays in the ISR while it has caught up with the leader's LEO within
 *   `replica.lag.time.max.ms` (Kafka's lastCaughtUpTime rule) and its broker is not fenced; it
 *   rejoins once its LEO reaches the HW. The last ISR member is never removed (as in Kafka).
 * - A dead broker is fenced after `broker.session.timeout.ms`: it leaves every ISR, and each
 *   partition it led elects the first live ISR replica (assignment order), or, with none, stays
 *   offline until an ISR member returns — or, with `unclean.leader.election.enable`, takes the
 *   first live replica, losing what it lacked. A new leader starts a new leader epoch; followers
 *   (and a returning old leader) truncate to the new epoch's start offset before fetching
 *   (KIP-101), which is how acknowledged records are lost.
 *
 * Simplifications: one network delay (`networkDelayMs`, one way) for every request; appends and
 * fetches take no broker time; logs survive a crash intact (no unflushed tail); a replica
 * fetches continuously (long poll up to `replica.fetch.wait.max.ms`); no preferred-leader
 * rebalancing; replicas of partition p sit on brokers p, p+1, …, p+RF−1 (mod brokers).
 */
import { ParameterError, requireInteger, requireNonNegative } from '../../errors';
import type { Simulation } from '../../sim/simulation';
import type { Failable } from '../common/failures';
import { brokerConfig, topicConfig } from './config';
import type { BrokerConfig, TopicConfig } from './config';
import { Controller } from './controller';
import { ReplicaFetcher } from './replication';

/** One copy of a partition's log on one broker. */
export interface Replica {
  /** Global replica id (index into the cluster's replica table). */
  id: number;
  broker: number;
  partition: Partition;
  /** Record ids by offset. */
  log: number[];
  /** Latest leader epoch this replica has followed or led. */
  epoch: number;
  /** The leader's view of this follower: its LEO at its last fetch. */
  knownLeo: number;
  lastCaughtUp: number;
  lastFetch: number;
  lastFetchLeaderLeo: number;
  /** A fetch is outstanding (request or response in flight, or parked at the leader). */
  fetching: boolean;
  parked: boolean;
  parkEvent: number;
  /** The retry of a fetch that found no leader (after replica.fetch.backoff.ms), or -1. */
  backoffEvent: number;
  /** Records a fetch response carries (copied when the leader answers). */
  inFlight: number[];
  inFlightFrom: number;
  inFlightEpoch: number;
  /** Fetching paused by the user (e.g. a GC pause or a network partition to the leader). */
  paused: boolean;
}

/** One partition of a topic. */
export interface Partition {
  topic: Topic;
  index: number;
  replicas: Replica[];
  /** Index into `replicas` of the leader, or -1 when offline. */
  leader: number;
  /** Replica indices in the ISR. */
  isr: Set<number>;
  highWatermark: number;
  /** Leader epoch, and the start offset of each epoch (KIP-101 leader-epoch cache). */
  epoch: number;
  epochStart: number[];
  /** acks=all requests waiting for the ISR: (required LEO, producer callback id, request id). */
  pendingAcks: Array<{ until: number; producer: number; request: number }>;
}

export interface Topic {
  name: string;
  config: TopicConfig;
  partitions: Partition[];
}

/** The broker settings that are times, in seconds (converted once from Kafka's `*.ms`). */
export interface BrokerTimes {
  replicaLagTimeMax: number;
  replicaFetchWaitMax: number;
  replicaFetchBackoff: number;
  brokerSessionTimeout: number;
  groupInitialRebalanceDelay: number;
}

export interface ClusterOptions {
  brokers?: number;
  broker?: Partial<BrokerConfig>;
  /** One-way network delay of every request and response, ms. Default 0.5. */
  networkDelayMs?: number;
}

/** Receives acks=all completions and HW advances (producers and consumer groups implement it). */
export interface ClusterListener {
  onIsrAck?(request: number, ok: boolean, error?: string): void;
  onHighWatermark?(partition: Partition): void;
  /** A partition got a leader (election) or its leader's broker came back: producers may drain to it. */
  onLeadership?(partition: Partition): void;
}

export class KafkaCluster {
  readonly brokers: number;
  readonly config: BrokerConfig;
  /** Broker times in seconds. */
  readonly times: BrokerTimes;
  /** One-way network delay, seconds. */
  readonly networkDelay: number;
  readonly topics = new Map<string, Topic>();
  readonly replicas: Replica[] = [];
  readonly alive: boolean[];
  /** Record table (global record id → attributes). */
  readonly recordKey: number[] = [];
  readonly recordCreated: number[] = [];
  readonly recordPartition: number[] = [];
  readonly recordTopic: string[] = [];
  /** Offset a record was first appended at (-1 before), for the idempotent producer's duplicate check. */
  readonly recordOffset: number[] = [];
  /** 1 once the producer got a successful acknowledgement (or sent it with acks=0). */
  readonly recordAcked: Uint8Array[] = [];
  private ackedChunk = 1 << 16;
  /** Leader elections, unclean ones, ISR shrinks/expands, truncated records (since start or sim.resetStatistics()). */
  readonly stats = {
    elections: 0,
    uncleanElections: 0,
    isrShrinks: 0,
    isrExpands: 0,
    truncatedRecords: 0,
    offline: 0,
  };
  /** Partitions without a reachable leader now (leader unknown, or its broker down), and since when that count holds. */
  offlinePartitions = 0;
  private offlineSince = 0;
  private readonly listeners: ClusterListener[] = [];
  private readonly fetcher: ReplicaFetcher;
  private readonly controller: Controller;

  constructor(
    readonly sim: Simulation,
    options: ClusterOptions = {},
  ) {
    this.brokers = requireInteger('brokers', options.brokers ?? 3, 1, 1000);
    this.config = brokerConfig(options.broker ?? {});
    const c = this.config;
    this.times = {
      replicaLagTimeMax: c['replica.lag.time.max.ms'] / 1000,
      replicaFetchWaitMax: c['replica.fetch.wait.max.ms'] / 1000,
      replicaFetchBackoff: c['replica.fetch.backoff.ms'] / 1000,
      brokerSessionTimeout: c['broker.session.timeout.ms'] / 1000,
      groupInitialRebalanceDelay: c['group.initial.rebalance.delay.ms'] / 1000,
    };
    this.networkDelay = requireNonNegative('networkDelayMs', options.networkDelayMs ?? 0.5) / 1000;
    this.alive = new Array(this.brokers).fill(true);
    this.fetcher = new ReplicaFetcher(this, this.listeners);
    this.controller = new Controller(this, this.fetcher);
    this.fetcher.startIsrCheck();
    sim.onReset(() => {
      const s = this.stats;
      s.elections =
        s.uncleanElections =
        s.isrShrinks =
        s.isrExpands =
        s.truncatedRecords =
        s.offline =
          0;
      this.offlineSince = sim.now;
    });
  }

  /** Registers a listener; returns its id (used as the `producer` of acks=all requests). */
  addListener(listener: ClusterListener): number {
    this.listeners.push(listener);
    return this.listeners.length - 1;
  }

  /** Creates a topic (see {@link TopicConfig}); replicas of partition p on brokers p, p+1, … (mod brokers). */
  createTopic(name: string, overrides: Partial<TopicConfig> = {}): Topic {
    if (typeof name !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(name))
      throw new ParameterError('topic', name, 'must be 1-249 characters of [a-zA-Z0-9._-]');
    if (this.topics.has(name))
      throw new ParameterError('topic', name, 'already exists (TopicExistsException)');
    const config = topicConfig(overrides, this.brokers);
    const topic: Topic = { name, config, partitions: [] };
    for (let p = 0; p < config.partitions; p++) {
      const partition: Partition = {
        topic,
        index: p,
        replicas: [],
        leader: 0,
        isr: new Set(),
        highWatermark: 0,
        epoch: 0,
        epochStart: [0],
        pendingAcks: [],
      };
      for (let i = 0; i < config['replication.factor']; i++) {
        const replica: Replica = {
          id: this.replicas.length,
          broker: (p + i) % this.brokers,
          partition,
          log: [],
          epoch: 0,
          knownLeo: 0,
          lastCaughtUp: this.sim.now,
          lastFetch: this.sim.now,
          lastFetchLeaderLeo: 0,
          fetching: false,
          parked: false,
          parkEvent: -1,
          backoffEvent: -1,
          inFlight: [],
          inFlightFrom: 0,
          inFlightEpoch: 0,
          paused: false,
        };
        this.replicas.push(replica);
        partition.replicas.push(replica);
        partition.isr.add(i);
      }
      topic.partitions.push(partition);
      for (let i = 1; i < partition.replicas.length; i++)
        this.fetcher.startFetching(partition.replicas[i]);
    }
    this.topics.set(name, topic);
    return topic;
  }

  topic(name: string): Topic {
    const t = this.topics.get(name);
    if (!t)
      throw new ParameterError(
        'topic',
        name,
        `does not exist (valid: ${[...this.topics.keys()].join(', ') || 'none'})`,
      );
    return t;
  }

  /** The leader replica of a partition, or null when it has none (offline) or its broker is down. */
  leaderOf(partition: Partition): Replica | null {
    if (partition.leader < 0) return null;
    const r = partition.replicas[partition.leader];
    return this.alive[r.broker] ? r : null;
  }

  /** Log end offset of the leader (or of the longest replica when offline). */
  logEndOffset(partition: Partition): number {
    const l = partition.leader >= 0 ? partition.replicas[partition.leader] : null;
    return l ? l.log.length : Math.max(...partition.replicas.map((r) => r.log.length));
  }

  /** A new record in the record table; returns its id. */
  newRecord(topic: string, key: number, partition: number): number {
    const id = this.recordKey.length;
    this.recordKey.push(key);
    this.recordCreated.push(this.sim.now);
    this.recordPartition.push(partition);
    this.recordTopic.push(topic);
    this.recordOffset.push(-1);
    const chunk = id >>> 16;
    if (chunk >= this.recordAcked.length) this.recordAcked.push(new Uint8Array(this.ackedChunk));
    return id;
  }

  markAcked(id: number): void {
    this.recordAcked[id >>> 16][id & 0xffff] = 1;
  }

  isAcked(id: number): boolean {
    return this.recordAcked[id >>> 16][id & 0xffff] === 1;
  }

  /**
   * Appends records at the partition's leader on `broker` (a produce request arriving there).
   * Returns an error code, or 'ok' with the base offset in `result.offset`. For acks=all the
   * request completes later through `onIsrAck(request)` of listener `producer`. An idempotent
   * batch is accepted only if the producer's previous unacknowledged batch of this partition
   * (its last record `prevLast`, -1 for none) is in the log: OUT_OF_ORDER_SEQUENCE_NUMBER
   * otherwise (the broker's sequence check, ProducerStateManager.checkSequence).
   */
  append(
    partition: Partition,
    broker: number,
    records: readonly number[],
    acks: 0 | 1 | 'all',
    idempotent: boolean,
    producer: number,
    request: number,
    prevLast = -1,
  ): {
    error:
      | 'ok'
      | 'NOT_LEADER_OR_FOLLOWER'
      | 'NOT_ENOUGH_REPLICAS'
      | 'DUPLICATE'
      | 'OUT_OF_ORDER_SEQUENCE_NUMBER';
    offset: number;
  } {
    const leader = this.leaderOf(partition);
    if (!leader || leader.broker !== broker || !this.alive[broker])
      return { error: 'NOT_LEADER_OR_FOLLOWER', offset: -1 };
    if (acks === 'all' && partition.isr.size < partition.topic.config['min.insync.replicas'])
      return { error: 'NOT_ENOUGH_REPLICAS', offset: -1 };
    const log = leader.log;
    // idempotent producer: a retried batch already in the leader's log is acknowledged, not appended again
    if (idempotent && records.length > 0) {
      const at = this.recordOffset[records[0]];
      if (at >= 0 && at < log.length && log[at] === records[0]) {
        if (acks === 'all')
          partition.pendingAcks.push({ until: at + records.length, producer, request });
        this.fetcher.completeAcks(partition);
        return { error: 'DUPLICATE', offset: at };
      }
      if (prevLast >= 0 && !this.inLog(log, prevLast))
        return { error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', offset: -1 };
    }
    const base = log.length;
    for (let i = 0; i < records.length; i++) {
      this.recordOffset[records[i]] = base + i;
      log.push(records[i]);
    }
    leader.knownLeo = log.length;
    if (acks === 'all') partition.pendingAcks.push({ until: log.length, producer, request });
    this.fetcher.updateHighWatermark(partition);
    for (const r of partition.replicas) if (r.parked) this.fetcher.answerParked(r);
    return { error: 'ok', offset: base };
  }

  /** Whether record `id` is in `log` (at the offset it was last appended at). */
  inLog(log: readonly number[], id: number): boolean {
    const at = this.recordOffset[id];
    return at >= 0 && at < log.length && log[at] === id;
  }

  /**
   * Partition-seconds without a reachable leader since start or reset (`stats.offline`, brought up
   * to now): a partition whose leader's broker is down or that has no leader serves nobody.
   */
  offlineTime(): number {
    return this.stats.offline + this.offlinePartitions * (this.sim.now - this.offlineSince);
  }

  /** Recounts the offline partitions after a crash, election or recovery (the time so far accrues first). */
  recountOffline(): void {
    const now = this.sim.now;
    this.stats.offline += this.offlinePartitions * (now - this.offlineSince);
    this.offlineSince = now;
    let n = 0;
    for (const t of this.topics.values())
      for (const p of t.partitions) if (this.leaderOf(p) === null) n++;
    this.offlinePartitions = n;
  }

  /** Tells the listeners (producers) that a partition has a leader they can reach again. */
  announceLeadership(partition: Partition): void {
    for (const l of this.listeners) if (l.onLeadership) l.onLeadership(partition);
  }

  // ---- failures (the controller) -----------------------------------------------------------

  /** Crashes a broker now: it stops serving; the controller fences it after broker.session.timeout.ms. */
  crashBroker(broker: number): void {
    this.controller.crashBroker(broker);
    this.recountOffline();
  }

  /** Restarts a crashed broker: its replicas follow (truncating by epoch) or, for an offline partition, may lead. */
  recoverBroker(broker: number): void {
    this.controller.recoverBroker(broker);
    this.recountOffline();
  }

  /** Broker `b` as a component that can crash and recover (for a FailureProcess). */
  broker(b: number): Failable {
    requireInteger('broker', b, 0, this.brokers - 1);
    return { crash: () => this.crashBroker(b), recover: () => this.recoverBroker(b) };
  }

  /** Pauses (or resumes) one broker's follower fetching, e.g. a GC pause or a network partition to the leaders. */
  setFetchingPaused(broker: number, paused: boolean): void {
    requireInteger('broker', broker, 0, this.brokers - 1);
    for (const r of this.replicas) {
      if (r.broker !== broker) continue;
      r.paused = paused;
      if (!paused) this.fetcher.startFetching(r);
    }
  }

  /** Acknowledged records of a topic that are no longer in their partition's leader log (call once leaders are settled). */
  acknowledgedLost(topic: string): number {
    const t = this.topic(topic);
    const present = new Uint8Array(this.recordKey.length); // record ids are dense: 0, 1, 2, ...
    for (const p of t.partitions) {
      const src =
        p.leader >= 0
          ? p.replicas[p.leader]
          : p.replicas.reduce((a, b) => (b.log.length > a.log.length ? b : a));
      for (const id of src.log) present[id] = 1;
    }
    let lost = 0;
    for (let id = 0; id < this.recordKey.length; id++)
      if (present[id] === 0 && this.recordTopic[id] === topic && this.isAcked(id)) lost++;
    return lost;
  }
}
