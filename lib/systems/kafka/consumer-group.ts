/**
 * A consumer group on the simulation kernel (classic protocol): members poll up to
 * `max.poll.records` records from their partitions (only below the high watermark), process them
 * one by one (time per record from a distribution), and commit offsets; the group coordinator
 * runs rebalances on join, leave and crash with the chosen assignor, eager (every member revokes
 * everything, stop-the-world) or cooperative (`cooperative-sticky`: only moved partitions pause,
 * handed over in a second round). This file holds the group's state; its membership (join,
 * leave, crash) is group-membership.ts, the coordinator group-coordinator.ts, the members' poll loop
 * poll-loop.ts, lag, the assignment and the other observations group-lag.ts, the options, members
 * and commit mode consumer-group-options.ts, the subscription and the group's partitions
 * subscription.ts.
 *
 * Membership (Kafka ConsumerConfig docs, KIP-62): a new member sends JoinGroup; a graceful
 * leave (close()) commits only with auto-commit, sends LeaveGroup and triggers an immediate rebalance; a crashed member
 * neither commits nor leaves, and is noticed `session.timeout.ms` after its last heartbeat (every
 * `heartbeat.interval.ms` from a random phase). Counters restart on `sim.resetStatistics()`.
 *
 * Several topics (KafkaConsumer.subscribe(Collection<String>)): `topics` lists them (`topic` is the
 * one-topic shorthand); the group's partitions are the topics' partitions concatenated in
 * subscription order (group partition index = the topic's start + partition), the assignor sees
 * the union ({topic, partition}) with its per-topic semantics, and end-to-end latency and lag are
 * also kept per topic.
 *
 * Simplifications: fetches are prefetched (a poll returns at once when
 * data is below the HW; an idle member is woken one network delay after new data); commits take
 * a round trip only when synchronous; no static membership.
 */
import { ParameterError, requireInteger } from '../../errors';
import type { TimeSeries } from '../../sim/time-series';
import type { Distribution } from '../../random/distribution';
import type { Rng } from '../../random/xoshiro128';
import { Latency } from '../common/latency';
import type { KafkaCluster, Partition, Topic } from './cluster';
import type { ConsumerConfig } from './config';
import { GroupCoordinator } from './group-coordinator';
import {
  assignment,
  assignmentByTopic,
  backlog,
  committedLag,
  recordsLag,
  skipped,
  topicBacklog,
  totalLagOf,
  trackLag,
} from './group-lag';
import type { LagKind } from './group-lag';
import { crashMember, leaveGroup, newMember } from './group-membership';
import { PollLoop } from './poll-loop';
import { consumerTimes, resolveCommitMode } from './consumer-group-options';
import type {
  CommitMode,
  ConsumerGroupOptions,
  ConsumerTimes,
  Member,
} from './consumer-group-options';
import { groupPartitions, requireSubscribed, subscribedTopics } from './subscription';

// the module's earlier exports, now in the files above
export { commitModes } from './consumer-group-options';
export type {
  CommitMode,
  ConsumerGroupOptions,
  Member,
  MemberState,
} from './consumer-group-options';
export { subscribedTopicNames, subscribedTopics } from './subscription';

export class ConsumerGroup {
  readonly groupId: string;
  /** The first subscribed topic (the only one of a one-topic group). */
  readonly topic: Topic;
  /** The subscribed topics, in subscription order. */
  readonly topics: Topic[];
  /** The group's partitions: the topics' partitions concatenated (group partition index → Partition). */
  readonly partitions: Partition[];
  /** Group partition index of partition 0 of each subscribed topic (by name). */
  readonly topicStart: Map<string, number>;
  /** Subscribed topic index (into `topics`) of each group partition. */
  readonly partitionTopic: Int32Array;
  readonly config: ConsumerConfig;
  readonly commitMode: CommitMode;
  readonly members: Member[] = [];
  /** Current owner (member index) of each partition, -1 for none. */
  readonly owner: number[];
  /** Position (next offset to fetch) of each partition for its owner. */
  readonly position: number[];
  /** Committed offset of each partition (-1: none yet). */
  readonly committed: number[];
  /** Last owner of each partition (-1: never owned), to count partitions that moved. */
  readonly lastOwner: number[];
  /** Next offset to process of each partition for its owner (position minus fetched-but-unprocessed records). */
  readonly processedPosition: number[];
  generation = 0;
  rebalancing = false;
  /** Counters since start or sim.resetStatistics(). */
  readonly stats = {
    processed: 0,
    duplicates: 0,
    rebalances: 0,
    commits: 0,
    commitFailures: 0,
    pollTimeouts: 0,
    expired: 0,
    partitionsMoved: 0,
  };
  /** Times (s) at which rebalances completed (SyncGroup sent): a timeline, not reset. */
  readonly rebalanceTimes: number[] = [];
  /** Every delivery (record, member, time) since start or reset, with `recordDeliveries`. */
  readonly deliveries: { record: number[]; member: number[]; time: number[] } | null;
  /** End-to-end latency of each processing: processed time − the producer's send() time (s). */
  readonly endToEnd: Latency;
  /** End-to-end latency per subscribed topic (same order as `topics`). */
  readonly endToEndByTopic: Latency[];
  /** One network delay (s), the cluster's. */
  readonly networkDelay: number;
  /** The consumer settings that are times, in seconds (converted once from Kafka's `*.ms`). */
  readonly times: ConsumerTimes;
  /** Processing time per record and its random stream (`group.<id>.processing`). */
  readonly processing: Distribution;
  readonly rng: Rng;
  readonly coordinator: GroupCoordinator;
  readonly pollLoop: PollLoop;
  private readonly processCount: number[] = [];
  private readonly rngHeartbeat: Rng;

  constructor(
    readonly cluster: KafkaCluster,
    options: ConsumerGroupOptions,
  ) {
    if (!options || typeof options !== 'object')
      throw new ParameterError('options', options, 'must be { groupId, topic, processing, ... }');
    if (typeof options.groupId !== 'string' || options.groupId.length === 0)
      throw new ParameterError('group.id', options.groupId, 'must be a non-empty string');
    this.groupId = options.groupId;
    this.topics = subscribedTopics(cluster, options);
    this.topic = this.topics[0];
    const layout = groupPartitions(this.topics);
    this.partitions = layout.partitions;
    this.topicStart = layout.topicStart;
    this.partitionTopic = layout.partitionTopic;
    const resolved = resolveCommitMode(options);
    this.config = resolved.config;
    this.commitMode = resolved.mode;
    if (!options.processing || typeof options.processing.sample !== 'function')
      throw new ParameterError(
        'processing',
        options.processing,
        'must be a Distribution of the processing time per record (s)',
      );
    this.processing = options.processing;
    const n = this.partitions.length;
    this.owner = new Array(n).fill(-1);
    this.position = new Array(n).fill(0);
    this.committed = new Array(n).fill(-1);
    this.lastOwner = new Array(n).fill(-1);
    this.processedPosition = new Array(n).fill(0);
    this.deliveries = options.recordDeliveries ? { record: [], member: [], time: [] } : null;
    const sim = cluster.sim;
    this.endToEnd = new Latency(sim);
    this.endToEndByTopic = this.topics.map(() => new Latency(sim));
    this.networkDelay = cluster.networkDelay;
    this.times = consumerTimes(this.config);
    this.rng = sim.streams.get(`group.${this.groupId}.processing`);
    this.rngHeartbeat = sim.streams.get(`group.${this.groupId}.heartbeats`);
    this.pollLoop = new PollLoop(this);
    this.coordinator = new GroupCoordinator(this);
    cluster.addListener({ onHighWatermark: (p) => this.pollLoop.onHighWatermark(p) });
    sim.onReset(() => {
      const s = this.stats;
      s.processed =
        s.duplicates =
        s.rebalances =
        s.commits =
        s.commitFailures =
        s.pollTimeouts =
        s.expired =
        s.partitionsMoved =
          0;
      for (const m of this.members) m.processed = 0;
      if (this.deliveries)
        this.deliveries.record.length =
          this.deliveries.member.length =
          this.deliveries.time.length =
            0;
    });
    const initial = requireInteger('members', options.members ?? 1, 0, 10000);
    for (let i = 0; i < initial; i++) this.addMember();
  }

  // ---- membership (group-membership.ts) -----------------------------------------------------

  /** Starts a new member (JoinGroup); returns its index. Member ids sort in start order. */
  addMember(): number {
    const index = this.members.length;
    const now = this.cluster.sim.now;
    const heartbeatPhase = now + this.rngHeartbeat.next() * this.times.heartbeatInterval;
    this.members.push(newMember(this.groupId, index, now, heartbeatPhase));
    this.coordinator.sendJoin(index);
    return index;
  }

  /**
   * Graceful close(): LeaveGroup and an immediate rebalance; commits only with enable.auto.commit
   * (group-membership.ts says what is redelivered).
   */
  leave(index: number): void {
    const m = this.member(index);
    if (m.state !== 'active') return;
    leaveGroup(this, m);
  }

  /** Kills a member now: no commit, no LeaveGroup; noticed `session.timeout.ms` after its last heartbeat. */
  crash(index: number): void {
    const m = this.member(index);
    if (m.state !== 'active') return;
    crashMember(this, m);
  }

  private member(index: number): Member {
    requireInteger('member', index, 0, this.members.length - 1);
    return this.members[index];
  }

  /** Members that are alive and in the group. */
  get activeMembers(): number {
    return this.members.filter((m) => m.state === 'active').length;
  }

  /** Member `member` processed record `id` now (the poll loop calls it once per processing). */
  delivered(id: number, member: number): void {
    const c = (this.processCount[id] ?? 0) + 1;
    this.processCount[id] = c;
    if (c > 1) this.stats.duplicates++;
    this.stats.processed++;
    const now = this.cluster.sim.now;
    const e2e = now - this.cluster.recordCreated[id];
    this.endToEnd.record(e2e);
    if (this.topics.length > 1)
      this.endToEndByTopic[this.topicIndexOf(this.cluster.recordTopic[id])].record(e2e);
    if (this.deliveries) {
      this.deliveries.record.push(id);
      this.deliveries.member.push(member);
      this.deliveries.time.push(now);
    }
  }

  /** Index into `topics` of a subscribed topic's name (-1 when not subscribed). */
  topicIndexOf(name: string): number {
    for (let i = 0; i < this.topics.length; i++) if (this.topics[i].name === name) return i;
    return -1;
  }

  /** Group partition index of a subscribed topic's partition (-1 when the topic is not subscribed). */
  partitionIndex(topic: string, partition: number): number {
    const s = this.topicStart.get(topic);
    return s === undefined ? -1 : s + partition;
  }

  /** End-to-end latency of one subscribed topic's records (the group's own for a one-topic group). */
  endToEndOf(topic: string): Latency {
    const i = requireSubscribed(this, topic);
    return this.topics.length > 1 ? this.endToEndByTopic[i] : this.endToEnd;
  }

  // ---- observation (group-lag.ts) -----------------------------------------------------------

  /** Records-lag of partition p: HW − owner's position, or HW − committed offset when unowned. */
  lag(p: number): number {
    return recordsLag(this, p);
  }

  /** Sum of the partitions' lag. */
  totalLag(): number {
    return totalLagOf(this, 'records-lag');
  }

  /** Unprocessed records of partition p (records fetched into the current batch but not processed count). */
  backlog(p: number): number {
    return backlog(this, p);
  }

  /** Sum of the partitions' backlog (the lag a lab plots: records produced and not yet processed). */
  totalBacklog(): number {
    return totalLagOf(this, 'backlog');
  }

  /** HW − committed offset, summed (what kafka-consumer-groups.sh reports as LAG, with the HW for the LEO). */
  committedLag(): number {
    let s = 0;
    for (let p = 0; p < this.owner.length; p++) s += committedLag(this, p);
    return s;
  }

  /**
   * Samples the lag every `interval` seconds from now on: the group's total and each partition's
   * (`kind`: 'backlog' = records not yet processed, default; 'records-lag' = HW − position;
   * 'committed' = HW − committed offset).
   */
  trackLag(
    interval: number,
    kind: LagKind = 'backlog',
  ): { total: TimeSeries; partitions: TimeSeries[] } {
    return trackLag(this, interval, kind);
  }

  /** Times record `id` was processed by this group. */
  timesProcessed(id: number): number {
    return this.processCount[id] ?? 0;
  }

  /** Records below the committed offsets that this group never processed (at-most-once losses). */
  skipped(): number {
    return skipped(this);
  }

  /** Sum of the backlog of one subscribed topic's partitions. */
  topicBacklog(topic: string): number {
    return topicBacklog(this, requireSubscribed(this, topic));
  }

  /** Partitions each member owns now, per topic (member id → topic → partitions of that topic). */
  assignmentByTopic(): Record<string, Record<string, number[]>> {
    return assignmentByTopic(this);
  }

  /** Partitions each member owns now (member id → group partition indices; a one-topic group's are the topic's partitions). */
  assignment(): Record<string, number[]> {
    return assignment(this);
  }
}
