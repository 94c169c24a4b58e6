/**
 * The group coordinator of a consumer group (classic protocol): JoinGroup, the join phase,
 * SyncGroup with the assignor's result, session expiry and `max.poll.interval.ms` leaves.
 *
 * Semantics (Kafka ConsumerConfig docs, design §4.6, KIP-62, KIP-429):
 * - A rebalance starts when a member joins, leaves, expires or is kicked out. Members learn of it
 *   at their next heartbeat (every `heartbeat.interval.ms`, one network delay later) and join at
 *   their next poll(); the join phase ends when every member has joined or after the rebalance
 *   timeout (= `max.poll.interval.ms`); then SyncGroup (a round trip) hands out the assignment.
 * - The first rebalance of an empty group waits `group.initial.rebalance.delay.ms`.
 * - A crashed member is noticed `session.timeout.ms` after its last heartbeat; a member that does
 *   not poll for `max.poll.interval.ms` leaves (the heartbeat thread sends LeaveGroup, KIP-62).
 * - Eager assignors assign from the members' last assignment; `cooperative-sticky` from what they
 *   still own, and only the first round (partitions to revoke are handed over in a second one).
 */
import { assignPartitions, cooperativeStickyAssign, isCooperative } from './assignors';
import type { GroupMember } from './assignors';
import type { ConsumerGroup } from './consumer-group';

export class GroupCoordinator {
  /** Members whose JoinGroup arrived in the current join phase. */
  private readonly joined = new Set<number>();
  private joinNotBefore = 0;
  private joinDeadlineEvent = -1;
  /** Handler of a member's JoinGroup reaching the coordinator (argument: member index). */
  readonly hJoinArrive: number;
  /** Handler of a session expiry (argument: member index). */
  readonly hExpire: number;
  /** Handler of a `max.poll.interval.ms` timeout (argument: member index). */
  readonly hPollTimeout: number;
  /** Handler of a LeaveGroup reaching the coordinator. */
  readonly hLeaveArrive: number;
  private readonly hJoinDeadline: number;
  private readonly hJoinCheck: number;

  constructor(private readonly group: ConsumerGroup) {
    const sim = group.cluster.sim;
    this.hJoinArrive = sim.handler((m) => this.coordinatorJoin(m), 'group.joinGroup');
    this.hExpire = sim.handler((m) => this.expire(m), 'group.sessionExpired');
    this.hJoinDeadline = sim.handler(() => this.joinDeadline(), 'group.rebalanceTimeout');
    this.hJoinCheck = sim.handler(() => this.checkJoinComplete(), 'group.joinCheck');
    this.hPollTimeout = sim.handler((m) => this.pollTimeout(m), 'group.maxPollIntervalExceeded');
    this.hLeaveArrive = sim.handler(() => this.memberGone(), 'group.leaveGroup');
  }

  /** True when member `index`'s JoinGroup arrived in the join phase under way. */
  hasJoined(index: number): boolean {
    return this.joined.has(index);
  }

  /** The member has left the group (close(), or kicked out): it no longer counts in the join phase. */
  forget(index: number): void {
    this.joined.delete(index);
  }

  /** The member sends JoinGroup now (it arrives one network delay later). */
  sendJoin(index: number): void {
    this.group.cluster.sim.schedule(this.group.networkDelay, this.hJoinArrive, index);
  }

  private coordinatorJoin(index: number): void {
    const g = this.group;
    const m = g.members[index];
    if (m.state !== 'active') return;
    const wasEmpty = !g.members.some((x) => x.inGroup);
    m.inGroup = true;
    if (!g.rebalancing) this.startRebalance(wasEmpty);
    this.joined.add(index);
    this.checkJoinComplete();
  }

  private startRebalance(initial = false): void {
    const g = this.group;
    const sim = g.cluster.sim;
    g.rebalancing = true;
    this.joined.clear();
    this.joinNotBefore = initial ? sim.now + g.cluster.times.groupInitialRebalanceDelay : sim.now;
    if (this.joinNotBefore > sim.now) sim.scheduleAt(this.joinNotBefore, this.hJoinCheck);
    if (this.joinDeadlineEvent >= 0) sim.cancel(this.joinDeadlineEvent);
    this.joinDeadlineEvent = sim.schedule(
      Math.max(g.times.maxPollInterval, this.joinNotBefore - sim.now),
      this.hJoinDeadline,
    );
    const hb = g.times.heartbeatInterval;
    for (const m of g.members) {
      if (!m.inGroup || m.state !== 'active' || m.joinSent) continue;
      // the member learns of the rebalance from its next heartbeat response (notice)
      const next = m.heartbeatPhase + Math.ceil((sim.now - m.heartbeatPhase) / hb) * hb;
      g.pollLoop.scheduleNotice(next + g.networkDelay, m.index);
    }
  }

  private memberGone(): void {
    const g = this.group;
    if (g.rebalancing) this.checkJoinComplete();
    else if (g.members.some((m) => m.inGroup)) this.startRebalance();
  }

  private expire(index: number): void {
    const g = this.group;
    const m = g.members[index];
    if (m.state !== 'dead' || !m.inGroup) return;
    m.inGroup = false;
    this.joined.delete(index);
    g.stats.expired++;
    this.memberGone();
  }

  private pollTimeout(index: number): void {
    const g = this.group;
    const m = g.members[index];
    m.pollTimeoutEvent = -1;
    if (m.state !== 'active' || !m.inGroup) return;
    // KIP-62: the heartbeat thread sends LeaveGroup when poll() is not called for max.poll.interval.ms
    g.stats.pollTimeouts++;
    m.inGroup = false;
    this.joined.delete(index);
    g.cluster.sim.schedule(g.networkDelay, this.hLeaveArrive, index);
  }

  private joinDeadline(): void {
    const g = this.group;
    this.joinDeadlineEvent = -1;
    if (!g.rebalancing) return;
    for (const m of g.members) {
      if (m.inGroup && !this.joined.has(m.index)) {
        m.inGroup = false;
        if (m.state === 'dead') g.stats.expired++;
      }
    }
    this.completeJoin();
  }

  private checkJoinComplete(): void {
    const g = this.group;
    if (!g.rebalancing || g.cluster.sim.now < this.joinNotBefore) return;
    for (const m of g.members) if (m.inGroup && !this.joined.has(m.index)) return;
    this.completeJoin();
  }

  private completeJoin(): void {
    const g = this.group;
    const sim = g.cluster.sim;
    g.rebalancing = false;
    if (this.joinDeadlineEvent >= 0) sim.cancel(this.joinDeadlineEvent);
    this.joinDeadlineEvent = -1;
    const joined = g.members.filter((m) => m.inGroup && this.joined.has(m.index));
    this.joined.clear();
    if (joined.length === 0) return;
    g.generation++;
    g.stats.rebalances++;
    g.rebalanceTimes.push(sim.now);
    const assignor = g.config['partition.assignment.strategy'];
    const count: Record<string, number> = {};
    for (const t of g.topics) count[t.name] = t.partitions.length;
    const topicNames = g.topics.map((t) => t.name);
    const cooperative = isCooperative(assignor);
    const owned = (ps: number[]): Array<{ topic: string; partition: number }> =>
      ps.map((p) => ({ topic: g.partitions[p].topic.name, partition: g.partitions[p].index }));
    const gm: GroupMember[] = joined.map((m) => ({
      memberId: m.memberId,
      topics: topicNames,
      owned: owned(cooperative ? m.assigned : m.lastAssignment),
    }));
    const result = cooperative
      ? cooperativeStickyAssign(gm, count).firstRound
      : assignPartitions(assignor, gm, count);
    for (const m of joined) {
      m.pendingAssignment = result[m.memberId]
        .map((x) => g.partitionIndex(x.topic, x.partition))
        .sort((a, b) => a - b);
      g.pollLoop.sendSync(m.index);
    }
  }
}
