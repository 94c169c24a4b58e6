/**
 * A consumer group on the simulation kernel (classic protocol): members poll up to
 * `max.poll.records` records from their partitions (only below the high watermark), process them
 * one by one (time per record from a distribution), and commit offsets; the group coordinator
 * runs rebalances on join, leave and crash with the chosen assignor, eager (every member revokes
 * everything, stop-the-world) or cooperative (`cooperative-sticky`: only moved partitions pause,
 * handed over in a second round).
 *
 * Semantics (Kafka ConsumerConfig docs, design §4.6, KIP-62, KIP-429):
 * - A member learns of a rebalance at its next heartbeat (every `heartbeat.interval.ms`) and
 *   joins at its next poll(), i.e. after finishing its current batch; the join phase ends when
 *   every member has joined or after the rebalance timeout (= `max.poll.interval.ms`); then the
 *   SyncGroup round trip hands out the assignment. The first rebalance of an empty group waits
 *   `group.initial.rebalance.delay.ms`.
 * - A crashed member is noticed `session.timeout.ms` after its last heartbeat; a member that does
 *   not poll for `max.poll.interval.ms` leaves the group (its later commit fails) and rejoins at
 *   its next poll; a graceful leave commits and triggers an immediate rebalance.
 * - Commits (committed offset = next offset to read): `auto` commits the positions inside poll()
 *   every `auto.commit.interval.ms` and before an eager rebalance (at-least-once);
 *   `after-processing` commits after each batch (at-least-once); `before-processing` commits right
 *   after the poll, before processing (at-most-once). A new owner resumes at the committed offset
 *   (or `auto.offset.reset`), so records processed after the last commit are processed again
 *   (duplicates) and records committed but not processed are skipped (losses).
 * - Lag of a partition = high watermark − the owner's position (Kafka's `records-lag`), or −
 *   the committed offset while nobody owns it.
 *
 * Simplifications: one topic per group; fetches are prefetched (a poll returns at once when
 * data is below the HW; an idle member is woken one network delay after new data); commits take
 * a round trip only when synchronous; no static membership.
 */
import { ParameterError, requireInteger, requirePositive } from '../../errors';
import { TimeSeries } from '../../sim/time-series';
import type { Distribution } from '../../random/distribution';
import type { Rng } from '../../random/xoshiro128';
import { assignPartitions, cooperativeStickyAssign, isCooperative } from './assignors';
import type { GroupMember } from './assignors';
import type { KafkaCluster, Partition, Topic } from './cluster';
import { consumerConfig } from './config';
import type { ConsumerConfig, KafkaProfile } from './config';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

export const commitModes = ['auto', 'after-processing', 'before-processing'] as const;
export type CommitMode = (typeof commitModes)[number];

export interface ConsumerGroupOptions {
  groupId: string;
  topic: string;
  config?: Partial<ConsumerConfig>;
  profile?: KafkaProfile;
  /** Members started at once. Default 1. */
  members?: number;
  /** Processing time of one record, ms. */
  processing: Distribution;
  /** When offsets are committed (default: auto if enable.auto.commit, else after-processing). */
  commit?: CommitMode;
  /** Keep every delivery (record, member, time) for checks. Default false. */
  recordDeliveries?: boolean;
}

export type MemberState = 'active' | 'dead' | 'left';

export interface Member {
  index: number;
  memberId: string;
  state: MemberState;
  /** Known to the coordinator as a member of the current group. */
  inGroup: boolean;
  assigned: number[];
  lastAssignment: number[];
  busy: boolean;
  parked: boolean;
  parkEvent: number;
  rejoinNeeded: boolean;
  joinSent: boolean;
  waitingSync: boolean;
  pendingAssignment: number[] | null;
  heartbeatPhase: number;
  pollTimeoutEvent: number;
  processEvent: number;
  batchPartition: number[];
  batchOffset: number[];
  batchRecord: number[];
  batchIndex: number;
  processed: number;
  lastAutoCommitMs: number;
  rotate: number;
}

export class ConsumerGroup {
  readonly groupId: string;
  readonly topic: Topic;
  readonly config: ConsumerConfig;
  readonly commitMode: CommitMode;
  readonly members: Member[] = [];
  /** Current owner (member index) of each partition, -1 for none. */
  readonly owner: number[];
  /** Position (next offset to fetch) of each partition for its owner. */
  readonly position: number[];
  /** Committed offset of each partition (-1: none yet). */
  readonly committed: number[];
  private readonly lastOwner: number[];
  /** Next offset to process of each partition for its owner (position minus fetched-but-unprocessed records). */
  readonly processedPosition: number[];
  generation = 0;
  rebalancing = false;
  readonly stats = {
    processed: 0, duplicates: 0, rebalances: 0, commits: 0, commitFailures: 0, pollTimeouts: 0, expired: 0, partitionsMoved: 0,
  };
  /** Times (ms) at which rebalances completed (SyncGroup sent). */
  readonly rebalanceTimes: number[] = [];
  readonly deliveries: { record: number[]; member: number[]; timeMs: number[] } | null;
  private readonly processCount: number[] = [];
  private readonly joined = new Set<number>();
  private joinNotBefore = 0;
  private joinDeadlineEvent = -1;
  private readonly processing: Distribution;
  private readonly rng: Rng;
  private readonly rngHeartbeat: Rng;
  private readonly hPoll: number;
  private readonly hProcess: number;
  private readonly hNotice: number;
  private readonly hJoinArrive: number;
  private readonly hSync: number;
  private readonly hExpire: number;
  private readonly hJoinDeadline: number;
  private readonly hJoinCheck: number;
  private readonly hPollTimeout: number;
  private readonly hLeaveArrive: number;
  private readonly d: number;

  constructor(
    readonly cluster: KafkaCluster,
    options: ConsumerGroupOptions,
  ) {
    if (!options || typeof options !== 'object') throw new ParameterError('options', options, 'must be { groupId, topic, processing, ... }');
    if (typeof options.groupId !== 'string' || options.groupId.length === 0) throw new ParameterError('group.id', options.groupId, 'must be a non-empty string');
    this.groupId = options.groupId;
    this.topic = cluster.topic(options.topic);
    const explicitAuto = options.config && Object.prototype.hasOwnProperty.call(options.config, 'enable.auto.commit') ? options.config['enable.auto.commit'] : undefined;
    const base = consumerConfig(options.config ?? {}, options.profile ?? 'kafka@4.x');
    let mode: CommitMode = options.commit ?? (base['enable.auto.commit'] ? 'auto' : 'after-processing');
    if (!commitModes.includes(mode)) throw new ParameterError('commit', mode, `must be one of ${commitModes.join(', ')}`);
    if (mode === 'auto' && !base['enable.auto.commit']) throw new ParameterError('commit', mode, 'auto needs enable.auto.commit=true');
    if (mode !== 'auto' && explicitAuto === true) throw new ParameterError('enable.auto.commit', true, `must be false with commit=${mode} (manual commits)`);
    this.config = { ...base, 'enable.auto.commit': mode === 'auto' };
    this.commitMode = mode;
    if (!options.processing || typeof options.processing.sample !== 'function') throw new ParameterError('processing', options.processing, 'must be a Distribution of the processing time per record (ms)');
    this.processing = options.processing;
    const n = this.topic.partitions.length;
    this.owner = new Array(n).fill(-1);
    this.position = new Array(n).fill(0);
    this.committed = new Array(n).fill(-1);
    this.lastOwner = new Array(n).fill(-1);
    this.processedPosition = new Array(n).fill(0);
    this.deliveries = options.recordDeliveries ? { record: [], member: [], timeMs: [] } : null;
    const sim = cluster.sim;
    this.d = cluster.networkDelayMs;
    this.rng = sim.streams.get(`group.${this.groupId}.processing`);
    this.rngHeartbeat = sim.streams.get(`group.${this.groupId}.heartbeats`);
    this.hPoll = sim.handler((m) => this.poll(m), 'group.poll');
    this.hProcess = sim.handler((m) => this.recordDone(m), 'group.processed');
    this.hNotice = sim.handler((m) => this.notice(m), 'group.heartbeatNotice');
    this.hJoinArrive = sim.handler((m) => this.coordinatorJoin(m), 'group.joinGroup');
    this.hSync = sim.handler((m) => this.syncArrive(m), 'group.syncGroup');
    this.hExpire = sim.handler((m) => this.expire(m), 'group.sessionExpired');
    this.hJoinDeadline = sim.handler(() => this.joinDeadline(), 'group.rebalanceTimeout');
    this.hJoinCheck = sim.handler(() => this.checkJoinComplete(), 'group.joinCheck');
    this.hPollTimeout = sim.handler((m) => this.pollTimeout(m), 'group.maxPollIntervalExceeded');
    this.hLeaveArrive = sim.handler(() => this.memberGone(), 'group.leaveGroup');
    cluster.addListener({ onHighWatermark: (p) => this.onHighWatermark(p) });
    const initial = requireInteger('members', options.members ?? 1, 0, 10000);
    for (let i = 0; i < initial; i++) this.addMember();
  }

  // ---- membership ---------------------------------------------------------------------------

  /** Starts a new member (JoinGroup); returns its index. Member ids sort in start order. */
  addMember(): number {
    const index = this.members.length;
    const m: Member = {
      index, memberId: `${this.groupId}-${String(index).padStart(4, '0')}`, state: 'active', inGroup: false, assigned: [], lastAssignment: [],
      busy: false, parked: false, parkEvent: -1, rejoinNeeded: true, joinSent: true, waitingSync: true, pendingAssignment: null,
      heartbeatPhase: this.cluster.sim.now + this.rngHeartbeat.next() * this.config['heartbeat.interval.ms'], pollTimeoutEvent: -1, processEvent: -1, batchPartition: [], batchOffset: [], batchRecord: [],
      batchIndex: 0, processed: 0, lastAutoCommitMs: this.cluster.sim.now, rotate: 0,
    };
    this.members.push(m);
    this.cluster.sim.schedule(this.d, this.hJoinArrive, index);
    return index;
  }

  /** Graceful close(): commit, LeaveGroup, immediate rebalance. */
  leave(index: number): void {
    const m = this.member(index);
    if (m.state !== 'active') return;
    this.stopMember(m);
    if (this.commitMode !== 'before-processing') this.commit(m);
    for (const p of m.assigned) if (this.owner[p] === m.index) this.owner[p] = -1;
    m.assigned = [];
    m.state = 'left';
    if (m.inGroup) {
      m.inGroup = false;
      this.joined.delete(m.index);
      this.cluster.sim.schedule(this.d, this.hLeaveArrive, index);
    }
  }

  /** Kills a member now: no commit, no LeaveGroup; noticed `session.timeout.ms` after its last heartbeat. */
  crash(index: number): void {
    const m = this.member(index);
    if (m.state !== 'active') return;
    this.stopMember(m);
    m.state = 'dead';
    const now = this.cluster.sim.now;
    const hb = this.config['heartbeat.interval.ms'];
    const lastHeartbeat = m.heartbeatPhase + math.floor((now - m.heartbeatPhase) / hb) * hb;
    this.cluster.sim.scheduleAt(math.max(now, lastHeartbeat + this.config['session.timeout.ms']), this.hExpire, index);
  }

  private member(index: number): Member {
    requireInteger('member', index, 0, this.members.length - 1);
    return this.members[index];
  }

  private stopMember(m: Member): void {
    const sim = this.cluster.sim;
    if (m.processEvent >= 0) sim.cancel(m.processEvent);
    if (m.parkEvent >= 0) sim.cancel(m.parkEvent);
    if (m.pollTimeoutEvent >= 0) sim.cancel(m.pollTimeoutEvent);
    m.processEvent = m.parkEvent = m.pollTimeoutEvent = -1;
    m.busy = false;
    m.parked = false;
  }

  /** Members that are alive and in the group. */
  get activeMembers(): number {
    return this.members.filter((m) => m.state === 'active').length;
  }

  // ---- coordinator --------------------------------------------------------------------------

  private coordinatorJoin(index: number): void {
    const m = this.members[index];
    if (m.state !== 'active') return;
    const wasEmpty = !this.members.some((x) => x.inGroup);
    m.inGroup = true;
    if (!this.rebalancing) this.startRebalance(wasEmpty);
    this.joined.add(index);
    this.checkJoinComplete();
  }

  private startRebalance(initial = false): void {
    const sim = this.cluster.sim;
    this.rebalancing = true;
    this.joined.clear();
    this.joinNotBefore = initial ? sim.now + this.cluster.config['group.initial.rebalance.delay.ms'] : sim.now;
    if (this.joinNotBefore > sim.now) sim.scheduleAt(this.joinNotBefore, this.hJoinCheck);
    if (this.joinDeadlineEvent >= 0) sim.cancel(this.joinDeadlineEvent);
    this.joinDeadlineEvent = sim.schedule(math.max(this.config['max.poll.interval.ms'], this.joinNotBefore - sim.now), this.hJoinDeadline);
    const hb = this.config['heartbeat.interval.ms'];
    for (const m of this.members) {
      if (!m.inGroup || m.state !== 'active' || m.joinSent) continue;
      // the member learns of the rebalance from its next heartbeat response (notice)
      const next = m.heartbeatPhase + math.ceil((sim.now - m.heartbeatPhase) / hb) * hb;
      sim.scheduleAt(next + this.d, this.hNotice, m.index);
    }
  }

  private memberGone(): void {
    if (this.rebalancing) this.checkJoinComplete();
    else if (this.members.some((m) => m.inGroup)) this.startRebalance();
  }

  private expire(index: number): void {
    const m = this.members[index];
    if (m.state !== 'dead' || !m.inGroup) return;
    m.inGroup = false;
    this.joined.delete(index);
    this.stats.expired++;
    this.memberGone();
  }

  private pollTimeout(index: number): void {
    const m = this.members[index];
    m.pollTimeoutEvent = -1;
    if (m.state !== 'active' || !m.inGroup) return;
    // KIP-62: the heartbeat thread sends LeaveGroup when poll() is not called for max.poll.interval.ms
    this.stats.pollTimeouts++;
    m.inGroup = false;
    this.joined.delete(index);
    this.cluster.sim.schedule(this.d, this.hLeaveArrive, index);
  }

  private joinDeadline(): void {
    this.joinDeadlineEvent = -1;
    if (!this.rebalancing) return;
    for (const m of this.members) {
      if (m.inGroup && !this.joined.has(m.index)) {
        m.inGroup = false;
        if (m.state === 'dead') this.stats.expired++;
      }
    }
    this.completeJoin();
  }

  private checkJoinComplete(): void {
    if (!this.rebalancing || this.cluster.sim.now < this.joinNotBefore) return;
    for (const m of this.members) if (m.inGroup && !this.joined.has(m.index)) return;
    this.completeJoin();
  }

  private completeJoin(): void {
    const sim = this.cluster.sim;
    this.rebalancing = false;
    if (this.joinDeadlineEvent >= 0) sim.cancel(this.joinDeadlineEvent);
    this.joinDeadlineEvent = -1;
    const joined = this.members.filter((m) => m.inGroup && this.joined.has(m.index));
    this.joined.clear();
    if (joined.length === 0) return;
    this.generation++;
    this.stats.rebalances++;
    this.rebalanceTimes.push(sim.now);
    const assignor = this.config['partition.assignment.strategy'];
    const topicName = this.topic.name;
    const count = { [topicName]: this.topic.partitions.length };
    const cooperative = isCooperative(assignor);
    const gm: GroupMember[] = joined.map((m) => ({
      memberId: m.memberId, topics: [topicName],
      owned: (cooperative ? m.assigned : m.lastAssignment).map((p) => ({ topic: topicName, partition: p })),
    }));
    const result = cooperative ? cooperativeStickyAssign(gm, count).firstRound : assignPartitions(assignor, gm, count);
    for (const m of joined) {
      m.pendingAssignment = result[m.memberId].map((x) => x.partition).sort((a, b) => a - b);
      sim.schedule(2 * this.d, this.hSync, m.index);
    }
  }

  // ---- member side --------------------------------------------------------------------------

  private notice(index: number): void {
    const m = this.members[index];
    if (m.state !== 'active' || m.joinSent || !this.rebalancing || !m.inGroup) return;
    m.rejoinNeeded = true;
    if (m.parked) this.unparkAndPoll(m, 0);
  }

  private syncArrive(index: number): void {
    const m = this.members[index];
    if (m.state !== 'active' || m.pendingAssignment === null) return;
    m.joinSent = false;
    m.waitingSync = false;
    m.rejoinNeeded = this.rebalancing && m.inGroup && !this.joined.has(index);
    if (!m.busy) {
      if (m.parked) this.unparkAndPoll(m, 0);
      else this.poll(index);
    }
  }

  private applyAssignment(m: Member): void {
    const next = m.pendingAssignment!;
    m.pendingAssignment = null;
    const nextSet = new Set(next);
    const revoked = m.assigned.filter((p) => !nextSet.has(p));
    if (revoked.length > 0 && this.commitMode !== 'before-processing') this.commit(m, revoked);
    for (const p of revoked) if (this.owner[p] === m.index) this.owner[p] = -1;
    const had = new Set(m.assigned);
    for (const p of next) {
      if (had.has(p)) continue;
      if (this.lastOwner[p] >= 0 && this.lastOwner[p] !== m.index) this.stats.partitionsMoved++;
      this.owner[p] = m.index;
      this.lastOwner[p] = m.index;
      this.position[p] = this.startOffset(this.topic.partitions[p], p);
      this.processedPosition[p] = this.position[p];
    }
    m.assigned = next;
    m.lastAssignment = next;
    if (revoked.length > 0 && isCooperative(this.config['partition.assignment.strategy']) && m.inGroup) {
      // KIP-429: a member that gave partitions up rejoins at once, for the second round
      m.joinSent = true;
      this.cluster.sim.schedule(this.d, this.hJoinArrive, m.index);
    }
  }

  private startOffset(partition: Partition, p: number): number {
    const c = this.committed[p];
    const hw = partition.highWatermark;
    if (c >= 0 && c <= this.cluster.logEndOffset(partition)) return c;
    return this.config['auto.offset.reset'] === 'earliest' ? 0 : hw;
  }

  /** Commits the member's positions (all its partitions, or `only`). Fails if it is no longer in the group. */
  private commit(m: Member, only?: number[]): void {
    if (!m.inGroup) {
      this.stats.commitFailures++;
      return;
    }
    for (const p of only ?? m.assigned) if (this.owner[p] === m.index) this.committed[p] = this.position[p];
    this.stats.commits++;
  }

  private poll(index: number): void {
    const m = this.members[index];
    if (m.state !== 'active' || m.busy) return;
    const sim = this.cluster.sim;
    m.parked = false;
    if (m.parkEvent >= 0) sim.cancel(m.parkEvent);
    m.parkEvent = -1;
    if (m.pollTimeoutEvent >= 0) sim.cancel(m.pollTimeoutEvent);
    m.pollTimeoutEvent = sim.schedule(this.config['max.poll.interval.ms'], this.hPollTimeout, index);
    if (!m.inGroup && !m.joinSent) {
      // kicked out for exceeding max.poll.interval.ms: positions are lost, rejoin as a member
      for (const p of m.assigned) if (this.owner[p] === m.index) this.owner[p] = -1;
      m.assigned = [];
      m.lastAssignment = [];
      m.joinSent = true;
      m.waitingSync = true;
      sim.schedule(this.d, this.hJoinArrive, index);
      return;
    }
    if (m.pendingAssignment !== null && !m.waitingSync) this.applyAssignment(m);
    if (this.commitMode === 'auto' && sim.now - m.lastAutoCommitMs >= this.config['auto.commit.interval.ms']) {
      this.commit(m);
      m.lastAutoCommitMs = sim.now;
    }
    if (m.rejoinNeeded && !m.joinSent && m.inGroup) {
      m.joinSent = true;
      if (!isCooperative(this.config['partition.assignment.strategy'])) {
        // eager: onPartitionsRevoked for everything (auto-commit commits synchronously first)
        if (this.commitMode !== 'before-processing') this.commit(m);
        for (const p of m.assigned) if (this.owner[p] === m.index) this.owner[p] = -1;
        m.assigned = [];
        m.waitingSync = true;
      }
      sim.schedule(this.d, this.hJoinArrive, index);
    }
    if (m.waitingSync) return;
    // fetch up to max.poll.records below the high watermark, partitions in rotation
    const max = this.config['max.poll.records'];
    m.batchPartition.length = m.batchOffset.length = m.batchRecord.length = 0;
    m.batchIndex = 0;
    const n = m.assigned.length;
    for (let k = 0; k < n && m.batchRecord.length < max; k++) {
      const p = m.assigned[(m.rotate + k) % n];
      if (this.owner[p] !== m.index) continue;
      const partition = this.topic.partitions[p];
      const leader = this.cluster.leaderOf(partition);
      if (!leader) continue;
      const hw = math.min(partition.highWatermark, leader.log.length);
      if (this.position[p] > leader.log.length) this.position[p] = this.processedPosition[p] = this.config['auto.offset.reset'] === 'earliest' ? 0 : hw; // OFFSET_OUT_OF_RANGE
      while (this.position[p] < hw && m.batchRecord.length < max) {
        const o = this.position[p]++;
        m.batchPartition.push(p);
        m.batchOffset.push(o);
        m.batchRecord.push(leader.log[o]);
      }
    }
    m.rotate++;
    if (m.batchRecord.length > 0) {
      if (this.commitMode === 'before-processing') this.commit(m);
      m.busy = true;
      m.processEvent = sim.schedule(this.processing.sample(this.rng), this.hProcess, index);
    } else {
      m.parked = true;
      m.parkEvent = sim.schedule(this.config['fetch.max.wait.ms'], this.hPoll, index);
    }
  }

  private unparkAndPoll(m: Member, delay: number): void {
    m.parked = false;
    if (m.parkEvent >= 0) this.cluster.sim.cancel(m.parkEvent);
    m.parkEvent = this.cluster.sim.schedule(delay, this.hPoll, m.index);
  }

  private recordDone(index: number): void {
    const m = this.members[index];
    m.processEvent = -1;
    if (m.state !== 'active') return;
    const id = m.batchRecord[m.batchIndex];
    const c = (this.processCount[id] ?? 0) + 1;
    this.processCount[id] = c;
    if (c > 1) this.stats.duplicates++;
    this.stats.processed++;
    m.processed++;
    if (this.deliveries) {
      this.deliveries.record.push(id);
      this.deliveries.member.push(index);
      this.deliveries.timeMs.push(this.cluster.sim.now);
    }
    const bp = m.batchPartition[m.batchIndex];
    if (this.owner[bp] === index) this.processedPosition[bp] = m.batchOffset[m.batchIndex] + 1;
    m.batchIndex++;
    const sim = this.cluster.sim;
    if (m.batchIndex < m.batchRecord.length) {
      m.processEvent = sim.schedule(this.processing.sample(this.rng), this.hProcess, index);
      return;
    }
    m.busy = false;
    if (this.commitMode === 'after-processing') {
      this.commit(m); // commitSync: one round trip before the next poll
      m.parkEvent = sim.schedule(2 * this.d, this.hPoll, index);
    } else this.poll(index);
  }

  private onHighWatermark(partition: Partition): void {
    if (partition.topic !== this.topic) return;
    const o = this.owner[partition.index];
    if (o < 0) return;
    const m = this.members[o];
    if (m.parked && m.state === 'active') this.unparkAndPoll(m, this.d);
  }

  // ---- observation --------------------------------------------------------------------------

  /** Records-lag of partition p: HW − owner's position, or HW − committed offset when unowned. */
  lag(p: number): number {
    const partition = this.topic.partitions[p];
    const hw = partition.highWatermark;
    const o = this.owner[p];
    const from = o >= 0 && this.members[o].state === 'active' ? this.position[p] : math.max(0, this.committed[p]);
    return math.max(0, hw - from);
  }

  /** Sum of the partitions' lag. */
  totalLag(): number {
    let s = 0;
    for (let p = 0; p < this.owner.length; p++) s += this.lag(p);
    return s;
  }

  /**
   * Unprocessed records of partition p: HW − the owner's next offset to process (records fetched
   * into the current poll batch but not processed yet count), or HW − committed when unowned.
   */
  backlog(p: number): number {
    const hw = this.topic.partitions[p].highWatermark;
    const o = this.owner[p];
    const from = o >= 0 && this.members[o].state === 'active' ? this.processedPosition[p] : math.max(0, this.committed[p]);
    return math.max(0, hw - from);
  }

  /** Sum of the partitions' backlog (the lag a lab plots: records produced and not yet processed). */
  totalBacklog(): number {
    let s = 0;
    for (let p = 0; p < this.owner.length; p++) s += this.backlog(p);
    return s;
  }

  /** HW − committed offset, summed (what kafka-consumer-groups.sh reports as LAG, with the HW for the LEO). */
  committedLag(): number {
    let s = 0;
    this.topic.partitions.forEach((partition, p) => (s += math.max(0, partition.highWatermark - math.max(0, this.committed[p]))));
    return s;
  }

  /**
   * Samples the lag every `intervalMs` from now on: the group's total and each partition's
   * (`kind`: 'backlog' = records not yet processed, default; 'records-lag' = HW − position;
   * 'committed' = HW − committed offset).
   */
  trackLag(intervalMs: number, kind: 'backlog' | 'records-lag' | 'committed' = 'backlog'): { total: TimeSeries; partitions: TimeSeries[] } {
    requirePositive('intervalMs', intervalMs);
    const one = (p: number): number =>
      kind === 'backlog' ? this.backlog(p) : kind === 'records-lag' ? this.lag(p) : math.max(0, this.topic.partitions[p].highWatermark - math.max(0, this.committed[p]));
    const sim = this.cluster.sim;
    const partitions = this.owner.map((_, p) => new TimeSeries(sim, () => one(p), { interval: intervalMs }));
    const total = new TimeSeries(sim, () => this.owner.reduce((s, _, p) => s + one(p), 0), { interval: intervalMs });
    return { total, partitions };
  }

  /** Times record `id` was processed by this group. */
  timesProcessed(id: number): number {
    return this.processCount[id] ?? 0;
  }

  /** Records below the committed offsets that this group never processed (at-most-once losses). */
  skipped(): number {
    let s = 0;
    this.topic.partitions.forEach((partition, p) => {
      const leader = this.cluster.leaderOf(partition) ?? partition.replicas[0];
      const upTo = math.min(this.committed[p], leader.log.length);
      for (let o = 0; o < upTo; o++) if (!this.processCount[leader.log[o]]) s++;
    });
    return s;
  }

  /** Partitions each member owns now (member id → partitions). */
  assignment(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const m of this.members) if (m.state === 'active' && m.inGroup) out[m.memberId] = m.assigned.filter((p) => this.owner[p] === m.index);
    return out;
  }
}
