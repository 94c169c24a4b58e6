/**
 * A Kafka cluster on the simulation kernel: brokers, topics of P partitions, each partition an
 * append-only log replicated on `replication.factor` brokers, with its leader, followers that
 * fetch (pull) from the leader, the in-sync replica set, the high watermark, broker crashes and
 * recoveries, and clean or unclean leader election. Time is in milliseconds (Kafka's unit).
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
import { brokerConfig, topicConfig } from './config';
import type { BrokerConfig, TopicConfig } from './config';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

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
  lastCaughtUpMs: number;
  lastFetchMs: number;
  lastFetchLeaderLeo: number;
  /** A fetch is outstanding (request or response in flight, or parked at the leader). */
  fetching: boolean;
  parked: boolean;
  parkEvent: number;
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
}

export class KafkaCluster {
  readonly brokers: number;
  readonly config: BrokerConfig;
  readonly networkDelayMs: number;
  readonly topics = new Map<string, Topic>();
  readonly replicas: Replica[] = [];
  readonly alive: boolean[];
  /** Record table (global record id → attributes). */
  readonly recordKey: number[] = [];
  readonly recordCreatedMs: number[] = [];
  readonly recordPartition: number[] = [];
  readonly recordTopic: string[] = [];
  /** Offset a record was first appended at (-1 before), for the idempotent producer's duplicate check. */
  readonly recordOffset: number[] = [];
  /** 1 once the producer got a successful acknowledgement (or sent it with acks=0). */
  readonly recordAcked: Uint8Array[] = [];
  private ackedChunk = 1 << 16;
  /** Leader elections, unclean ones, ISR shrinks/expands, truncated records. */
  readonly stats = { elections: 0, uncleanElections: 0, isrShrinks: 0, isrExpands: 0, truncatedRecords: 0, offlineMs: 0 };
  private readonly listeners: ClusterListener[] = [];
  private readonly crashCount: number[];
  private readonly hFetchArrive: number;
  private readonly hFetchResponse: number;
  private readonly hParkTimeout: number;
  private readonly hFence: number;
  private readonly hIsrCheck: number;

  constructor(
    readonly sim: Simulation,
    options: ClusterOptions = {},
  ) {
    this.brokers = requireInteger('brokers', options.brokers ?? 3, 1, 1000);
    this.config = brokerConfig(options.broker ?? {});
    this.networkDelayMs = requireNonNegative('networkDelayMs', options.networkDelayMs ?? 0.5);
    this.alive = new Array(this.brokers).fill(true);
    this.crashCount = new Array(this.brokers).fill(0);
    this.hFetchArrive = sim.handler((r) => this.fetchArrive(r), 'kafka.fetchArrive');
    this.hFetchResponse = sim.handler((r) => this.fetchResponse(r), 'kafka.fetchResponse');
    this.hParkTimeout = sim.handler((r) => this.parkTimeout(r), 'kafka.fetchWaitTimeout');
    this.hFence = sim.handler((b) => this.fence(b), 'kafka.fenceBroker');
    this.hIsrCheck = sim.handler(() => this.isrCheck(), 'kafka.isrCheck');
    sim.schedule(this.config['replica.lag.time.max.ms'] / 2, this.hIsrCheck);
  }

  /** Registers a listener; returns its id (used as the `producer` of acks=all requests). */
  addListener(listener: ClusterListener): number {
    this.listeners.push(listener);
    return this.listeners.length - 1;
  }

  /** Creates a topic (see {@link TopicConfig}); replicas of partition p on brokers p, p+1, … (mod brokers). */
  createTopic(name: string, overrides: Partial<TopicConfig> = {}): Topic {
    if (typeof name !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(name)) throw new ParameterError('topic', name, 'must be 1-249 characters of [a-zA-Z0-9._-]');
    if (this.topics.has(name)) throw new ParameterError('topic', name, 'already exists (TopicExistsException)');
    const config = topicConfig(overrides, this.brokers);
    const topic: Topic = { name, config, partitions: [] };
    for (let p = 0; p < config.partitions; p++) {
      const partition: Partition = {
        topic, index: p, replicas: [], leader: 0, isr: new Set(), highWatermark: 0, epoch: 0, epochStart: [0], pendingAcks: [],
      };
      for (let i = 0; i < config['replication.factor']; i++) {
        const replica: Replica = {
          id: this.replicas.length, broker: (p + i) % this.brokers, partition, log: [], epoch: 0, knownLeo: 0,
          lastCaughtUpMs: this.sim.now, lastFetchMs: this.sim.now, lastFetchLeaderLeo: 0, fetching: false, parked: false, parkEvent: -1,
          inFlight: [], inFlightFrom: 0, inFlightEpoch: 0, paused: false,
        };
        this.replicas.push(replica);
        partition.replicas.push(replica);
        partition.isr.add(i);
      }
      topic.partitions.push(partition);
      for (let i = 1; i < partition.replicas.length; i++) this.startFetching(partition.replicas[i]);
    }
    this.topics.set(name, topic);
    return topic;
  }

  topic(name: string): Topic {
    const t = this.topics.get(name);
    if (!t) throw new ParameterError('topic', name, `does not exist (valid: ${[...this.topics.keys()].join(', ') || 'none'})`);
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
    return l ? l.log.length : math.max(...partition.replicas.map((r) => r.log.length));
  }

  /** A new record in the record table; returns its id. */
  newRecord(topic: string, key: number, partition: number): number {
    const id = this.recordKey.length;
    this.recordKey.push(key);
    this.recordCreatedMs.push(this.sim.now);
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
   * request completes later through `onIsrAck(request)` of listener `producer`.
   */
  append(
    partition: Partition,
    broker: number,
    records: readonly number[],
    acks: 0 | 1 | 'all',
    idempotent: boolean,
    producer: number,
    request: number,
  ): { error: 'ok' | 'NOT_LEADER_OR_FOLLOWER' | 'NOT_ENOUGH_REPLICAS' | 'DUPLICATE'; offset: number } {
    const leader = this.leaderOf(partition);
    if (!leader || leader.broker !== broker || !this.alive[broker]) return { error: 'NOT_LEADER_OR_FOLLOWER', offset: -1 };
    if (acks === 'all' && partition.isr.size < partition.topic.config['min.insync.replicas']) return { error: 'NOT_ENOUGH_REPLICAS', offset: -1 };
    const log = leader.log;
    // idempotent producer: a retried batch already in the leader's log is acknowledged, not appended again
    if (idempotent && records.length > 0) {
      const at = this.recordOffset[records[0]];
      if (at >= 0 && at < log.length && log[at] === records[0]) {
        if (acks === 'all') partition.pendingAcks.push({ until: at + records.length, producer, request });
        this.completeAcks(partition);
        return { error: 'DUPLICATE', offset: at };
      }
    }
    const base = log.length;
    for (let i = 0; i < records.length; i++) {
      if (this.recordOffset[records[i]] < 0) this.recordOffset[records[i]] = base + i;
      log.push(records[i]);
    }
    leader.knownLeo = log.length;
    if (acks === 'all') partition.pendingAcks.push({ until: log.length, producer, request });
    this.updateHighWatermark(partition);
    for (const r of partition.replicas) if (r.parked) this.answerParked(r);
    return { error: 'ok', offset: base };
  }

  // ---- replication --------------------------------------------------------------------------

  private startFetching(r: Replica): void {
    if (r.fetching || r.paused || !this.alive[r.broker]) return;
    r.fetching = true;
    this.sim.schedule(this.networkDelayMs, this.hFetchArrive, r.id);
  }

  /** A follower's fetch request reaches the leader. */
  private fetchArrive(id: number): void {
    const r = this.replicas[id];
    const p = r.partition;
    if (!this.alive[r.broker]) {
      r.fetching = false;
      return;
    }
    const leader = this.leaderOf(p);
    if (!leader || leader === r) {
      // no leader (or this replica became the leader): retry after replica.fetch.backoff.ms
      r.fetching = false;
      if (leader !== r) {
        r.fetching = true;
        this.sim.schedule(this.config['replica.fetch.backoff.ms'], this.hFetchArrive, r.id);
      }
      return;
    }
    // KIP-101: a follower of an older epoch truncates to where the next epoch started
    if (r.epoch < p.epoch) {
      let end = r.log.length;
      for (let e = r.epoch + 1; e <= p.epoch; e++) end = math.min(end, p.epochStart[e]);
      if (end < r.log.length) {
        this.stats.truncatedRecords += r.log.length - end;
        r.log.length = end;
      }
      r.epoch = p.epoch;
    }
    const fetchOffset = r.log.length;
    const leo = leader.log.length;
    // Kafka's Replica.updateFetchState: caught up if it fetched at the leader's LEO, or at the LEO of its previous fetch
    if (fetchOffset >= leo) r.lastCaughtUpMs = this.sim.now;
    else if (fetchOffset >= r.lastFetchLeaderLeo) r.lastCaughtUpMs = math.max(r.lastCaughtUpMs, r.lastFetchMs);
    r.lastFetchLeaderLeo = leo;
    r.lastFetchMs = this.sim.now;
    r.knownLeo = fetchOffset;
    const idx = p.replicas.indexOf(r);
    if (!p.isr.has(idx) && fetchOffset >= p.highWatermark && fetchOffset >= p.epochStart[p.epoch]) {
      p.isr.add(idx);
      this.stats.isrExpands++;
    }
    this.updateHighWatermark(p);
    if (leo > fetchOffset) this.respond(r, leader);
    else {
      r.parked = true;
      r.parkEvent = this.sim.schedule(this.config['replica.fetch.wait.max.ms'], this.hParkTimeout, r.id);
    }
  }

  private respond(r: Replica, leader: Replica): void {
    r.inFlight = leader.log.slice(r.log.length);
    r.inFlightFrom = r.log.length;
    r.inFlightEpoch = r.partition.epoch;
    this.sim.schedule(this.networkDelayMs, this.hFetchResponse, r.id);
  }

  private answerParked(r: Replica): void {
    r.parked = false;
    if (r.parkEvent >= 0) this.sim.cancel(r.parkEvent);
    r.parkEvent = -1;
    const leader = this.leaderOf(r.partition);
    if (!leader || !this.alive[r.broker]) {
      r.fetching = false;
      return;
    }
    this.respond(r, leader);
  }

  private parkTimeout(id: number): void {
    const r = this.replicas[id];
    r.parkEvent = -1;
    if (!r.parked) return;
    r.parked = false;
    r.inFlight = [];
    r.inFlightFrom = r.log.length;
    r.inFlightEpoch = r.partition.epoch;
    this.sim.schedule(this.networkDelayMs, this.hFetchResponse, r.id);
  }

  /** A fetch response reaches the follower: append, then fetch again. */
  private fetchResponse(id: number): void {
    const r = this.replicas[id];
    r.fetching = false;
    if (!this.alive[r.broker]) return;
    if (r.paused) {
      r.inFlight = []; // cut off from the leader: the response never arrives
      return;
    }
    if (r.inFlightFrom === r.log.length && r.inFlightEpoch === r.partition.epoch) for (const x of r.inFlight) r.log.push(x);
    r.inFlight = [];
    if (r.partition.leader >= 0 && r.partition.replicas[r.partition.leader] === r) return;
    this.startFetching(r);
  }

  /** HW = min LEO over the ISR (the leader's own LEO and its followers' last fetch offsets); completes acks=all. */
  private updateHighWatermark(p: Partition): void {
    const leader = this.leaderOf(p);
    if (!leader) return;
    let hw = leader.log.length;
    for (const i of p.isr) {
      const r = p.replicas[i];
      if (r !== leader) hw = math.min(hw, r.knownLeo);
    }
    if (hw > p.highWatermark) {
      p.highWatermark = hw;
      this.completeAcks(p);
      for (const l of this.listeners) if (l.onHighWatermark) l.onHighWatermark(p);
    } else if (p.pendingAcks.length > 0) this.completeAcks(p);
  }

  private completeAcks(p: Partition): void {
    if (p.pendingAcks.length === 0) return;
    const keep: Partition['pendingAcks'] = [];
    for (const a of p.pendingAcks) {
      if (a.until <= p.highWatermark) this.listeners[a.producer].onIsrAck?.(a.request, true);
      else keep.push(a);
    }
    p.pendingAcks = keep;
  }

  /** Periodic ISR shrink (every replica.lag.time.max.ms / 2, as Kafka's isr-expiration task). */
  private isrCheck(): void {
    const lagMax = this.config['replica.lag.time.max.ms'];
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        const leader = this.leaderOf(p);
        if (!leader) continue;
        for (const i of [...p.isr]) {
          const r = p.replicas[i];
          if (r === leader || p.isr.size <= 1) continue;
          if (this.sim.now - r.lastCaughtUpMs > lagMax) {
            p.isr.delete(i);
            this.stats.isrShrinks++;
          }
        }
        this.updateHighWatermark(p);
      }
    }
    this.sim.schedule(lagMax / 2, this.hIsrCheck);
  }

  // ---- failures -----------------------------------------------------------------------------

  /** Crashes a broker now: it stops serving; the controller fences it after broker.session.timeout.ms. */
  crashBroker(broker: number): void {
    requireInteger('broker', broker, 0, this.brokers - 1);
    if (!this.alive[broker]) return;
    this.alive[broker] = false;
    this.crashCount[broker]++;
    for (const r of this.replicas) {
      if (r.broker !== broker) continue;
      if (r.parkEvent >= 0) this.sim.cancel(r.parkEvent);
      r.parkEvent = -1;
      r.parked = false;
      r.fetching = false;
    }
    // pending acks=all requests on partitions it led are never answered (the producer times out)
    for (const t of this.topics.values()) for (const p of t.partitions) if (p.leader >= 0 && p.replicas[p.leader].broker === broker) p.pendingAcks = [];
    this.sim.schedule(this.config['broker.session.timeout.ms'], this.hFence, broker * 65536 + (this.crashCount[broker] & 0xffff));
  }

  /** The controller fences a broker that missed its session: ISR removal and leader elections. */
  private fence(arg: number): void {
    const broker = math.floor(arg / 65536);
    if (this.alive[broker] || (this.crashCount[broker] & 0xffff) !== arg % 65536) return;
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        const idx = p.replicas.findIndex((r) => r.broker === broker);
        if (idx < 0) continue;
        if (p.isr.has(idx) && p.isr.size > 1) p.isr.delete(idx);
        if (p.leader === idx) this.elect(p);
      }
    }
  }

  private elect(p: Partition): void {
    const clean = p.replicas.findIndex((r, i) => p.isr.has(i) && this.alive[r.broker]);
    let chosen = clean;
    let unclean = false;
    if (chosen < 0 && p.topic.config['unclean.leader.election.enable']) {
      chosen = p.replicas.findIndex((r) => this.alive[r.broker]);
      unclean = chosen >= 0;
    }
    if (chosen < 0) {
      p.leader = -1; // offline until an ISR member returns
      return;
    }
    const r = p.replicas[chosen];
    p.leader = chosen;
    p.epoch++;
    p.epochStart.push(r.log.length);
    r.epoch = p.epoch;
    r.knownLeo = r.log.length;
    if (unclean) {
      p.isr = new Set([chosen]);
      this.stats.uncleanElections++;
    } else p.isr.add(chosen);
    this.stats.elections++;
    // the new leader's HW cannot exceed its log; followers report their LEO on their next fetch
    p.highWatermark = math.min(p.highWatermark, r.log.length);
    for (const i of p.isr) if (i !== chosen) p.replicas[i].knownLeo = math.min(p.replicas[i].knownLeo, p.highWatermark);
    for (const f of p.replicas) if (f !== r) this.startFetching(f);
    this.updateHighWatermark(p);
    for (const l of this.listeners) if (l.onHighWatermark) l.onHighWatermark(p);
  }

  /** Restarts a crashed broker: its replicas follow (truncating by epoch) or, for an offline partition, may lead. */
  recoverBroker(broker: number): void {
    requireInteger('broker', broker, 0, this.brokers - 1);
    if (this.alive[broker]) return;
    this.alive[broker] = true;
    this.crashCount[broker]++; // cancels the pending fence of the last crash
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        const idx = p.replicas.findIndex((r) => r.broker === broker);
        if (idx < 0) continue;
        const r = p.replicas[idx];
        if (p.leader === idx) {
          // back before it was fenced: it is still the leader
          continue;
        }
        if (p.leader < 0 || !this.alive[p.replicas[p.leader].broker]) {
          if (p.leader >= 0) continue; // the old leader is down but not fenced yet: wait for the controller
          if (p.isr.has(idx) || p.topic.config['unclean.leader.election.enable']) this.elect(p);
          continue;
        }
        this.startFetching(r);
      }
    }
  }

  /** Pauses (or resumes) one broker's follower fetching, e.g. a GC pause or a network partition to the leaders. */
  setFetchingPaused(broker: number, paused: boolean): void {
    requireInteger('broker', broker, 0, this.brokers - 1);
    for (const r of this.replicas) {
      if (r.broker !== broker) continue;
      r.paused = paused;
      if (!paused) this.startFetching(r);
    }
  }

  /** Acknowledged records of a topic that are no longer in their partition's leader log (call once leaders are settled). */
  acknowledgedLost(topic: string): number {
    const t = this.topic(topic);
    const present = new Set<number>();
    for (const p of t.partitions) {
      const src = p.leader >= 0 ? p.replicas[p.leader] : p.replicas.reduce((a, b) => (b.log.length > a.log.length ? b : a));
      for (const id of src.log) present.add(id);
    }
    let lost = 0;
    for (let id = 0; id < this.recordKey.length; id++) if (this.recordTopic[id] === topic && this.isAcked(id) && !present.has(id)) lost++;
    return lost;
  }
}
