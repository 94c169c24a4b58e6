/**
 * The member side of a consumer group: each member's poll() loop, record processing, commits and
 * the handling of rebalances it learns of (classic protocol).
 *
 * Semantics (Kafka ConsumerConfig docs, design §4.6, KIP-429):
 * - poll() returns up to `max.poll.records` records from the member's partitions (of every
 *   subscribed topic), in rotation,
 *   only below the high watermark; with none it waits up to `fetch.max.wait.ms` (woken one
 *   network delay after new data). Records are processed one by one.
 * - A member that learned of a rebalance (heartbeat) joins at its next poll(), i.e. after its
 *   current batch. Eager: it revokes everything first (committing, unless at-most-once) and waits
 *   for SyncGroup. Cooperative: it keeps its partitions, gives up only the ones the assignment
 *   moves, and rejoins at once for the second round.
 * - Commits (committed offset = next offset to read): `auto` inside poll() every
 *   `auto.commit.interval.ms` and before an eager rebalance; `after-processing` after each batch
 *   (a synchronous commit: one round trip); `before-processing` right after the poll. A commit by
 *   a member no longer in the group fails. A new owner resumes at the committed offset (or
 *   `auto.offset.reset`), so records processed after the last commit are processed again.
 */
import { isCooperative } from './assignors';
import type { Partition } from './cluster';
import type { ConsumerGroup, Member } from './consumer-group';

export class PollLoop {
  /** Handler of a member's poll() (argument: member index). */
  readonly hPoll: number;
  private readonly hProcess: number;
  private readonly hNotice: number;
  private readonly hSync: number;

  constructor(private readonly group: ConsumerGroup) {
    const sim = group.cluster.sim;
    this.hPoll = sim.handler((m) => this.poll(m), 'group.poll');
    this.hProcess = sim.handler((m) => this.recordDone(m), 'group.processed');
    this.hNotice = sim.handler((m) => this.notice(m), 'group.heartbeatNotice');
    this.hSync = sim.handler((m) => this.syncArrive(m), 'group.syncGroup');
  }

  /** The member learns of a rebalance (its heartbeat response) at time `at`. */
  scheduleNotice(at: number, index: number): void {
    this.group.cluster.sim.scheduleAt(at, this.hNotice, index);
  }

  /** The coordinator answers the member's JoinGroup/SyncGroup (a round trip). */
  sendSync(index: number): void {
    this.group.cluster.sim.schedule(2 * this.group.networkDelay, this.hSync, index);
  }

  private notice(index: number): void {
    const g = this.group;
    const m = g.members[index];
    if (m.state !== 'active' || m.joinSent || !g.rebalancing || !m.inGroup) return;
    m.rejoinNeeded = true;
    if (m.parked) this.unparkAndPoll(m, 0);
  }

  private syncArrive(index: number): void {
    const g = this.group;
    const m = g.members[index];
    if (m.state !== 'active' || m.pendingAssignment === null) return;
    m.joinSent = false;
    m.waitingSync = false;
    m.rejoinNeeded = g.rebalancing && m.inGroup && !g.coordinator.hasJoined(index);
    if (!m.busy) {
      if (m.parked) this.unparkAndPoll(m, 0);
      else this.poll(index);
    }
  }

  private applyAssignment(m: Member): void {
    const g = this.group;
    const next = m.pendingAssignment!;
    m.pendingAssignment = null;
    const nextSet = new Set(next);
    const revoked = m.assigned.filter((p) => !nextSet.has(p));
    if (revoked.length > 0 && g.commitMode !== 'before-processing') this.commit(m, revoked);
    for (const p of revoked) if (g.owner[p] === m.index) g.owner[p] = -1;
    const had = new Set(m.assigned);
    for (const p of next) {
      if (had.has(p)) continue;
      if (g.lastOwner[p] >= 0 && g.lastOwner[p] !== m.index) g.stats.partitionsMoved++;
      g.owner[p] = m.index;
      g.lastOwner[p] = m.index;
      g.position[p] = this.startOffset(g.partitions[p], p);
      g.processedPosition[p] = g.position[p];
    }
    m.assigned = next;
    m.lastAssignment = next;
    if (
      revoked.length > 0 &&
      isCooperative(g.config['partition.assignment.strategy']) &&
      m.inGroup
    ) {
      // KIP-429: a member that gave partitions up rejoins at once, for the second round
      m.joinSent = true;
      g.coordinator.sendJoin(m.index);
    }
  }

  private startOffset(partition: Partition, p: number): number {
    const g = this.group;
    const c = g.committed[p];
    const hw = partition.highWatermark;
    if (c >= 0 && c <= g.cluster.logEndOffset(partition)) return c;
    return g.config['auto.offset.reset'] === 'earliest' ? 0 : hw;
  }

  /** Commits the member's positions (all its partitions, or `only`). Fails if it is no longer in the group. */
  commit(m: Member, only?: number[]): void {
    const g = this.group;
    if (!m.inGroup) {
      g.stats.commitFailures++;
      return;
    }
    for (const p of only ?? m.assigned) if (g.owner[p] === m.index) g.committed[p] = g.position[p];
    g.stats.commits++;
  }

  private poll(index: number): void {
    const g = this.group;
    const m = g.members[index];
    if (m.state !== 'active' || m.busy) return;
    const sim = g.cluster.sim;
    m.parked = false;
    if (m.parkEvent >= 0) sim.cancel(m.parkEvent);
    m.parkEvent = -1;
    if (m.pollTimeoutEvent >= 0) sim.cancel(m.pollTimeoutEvent);
    m.pollTimeoutEvent = sim.schedule(g.times.maxPollInterval, g.coordinator.hPollTimeout, index);
    if (!m.inGroup && !m.joinSent) {
      // kicked out for exceeding max.poll.interval.ms: positions are lost, rejoin as a member
      for (const p of m.assigned) if (g.owner[p] === m.index) g.owner[p] = -1;
      m.assigned = [];
      m.lastAssignment = [];
      m.joinSent = true;
      m.waitingSync = true;
      g.coordinator.sendJoin(index);
      return;
    }
    if (m.pendingAssignment !== null && !m.waitingSync) this.applyAssignment(m);
    if (g.commitMode === 'auto' && sim.now - m.lastAutoCommit >= g.times.autoCommitInterval) {
      this.commit(m);
      m.lastAutoCommit = sim.now;
    }
    if (m.rejoinNeeded && !m.joinSent && m.inGroup) {
      m.joinSent = true;
      if (!isCooperative(g.config['partition.assignment.strategy'])) {
        // eager: onPartitionsRevoked for everything (auto-commit commits synchronously first)
        if (g.commitMode !== 'before-processing') this.commit(m);
        for (const p of m.assigned) if (g.owner[p] === m.index) g.owner[p] = -1;
        m.assigned = [];
        m.waitingSync = true;
      }
      g.coordinator.sendJoin(index);
    }
    if (m.waitingSync) return;
    // fetch up to max.poll.records below the high watermark, partitions in rotation
    const max = g.config['max.poll.records'];
    m.batchPartition.length = m.batchOffset.length = m.batchRecord.length = 0;
    m.batchIndex = 0;
    const n = m.assigned.length;
    for (let k = 0; k < n && m.batchRecord.length < max; k++) {
      const p = m.assigned[(m.rotate + k) % n];
      if (g.owner[p] !== m.index) continue;
      const partition = g.partitions[p];
      const leader = g.cluster.leaderOf(partition);
      if (!leader) continue;
      const hw = Math.min(partition.highWatermark, leader.log.length);
      if (g.position[p] > leader.log.length)
        g.position[p] = g.processedPosition[p] =
          g.config['auto.offset.reset'] === 'earliest' ? 0 : hw; // OFFSET_OUT_OF_RANGE
      while (g.position[p] < hw && m.batchRecord.length < max) {
        const o = g.position[p]++;
        m.batchPartition.push(p);
        m.batchOffset.push(o);
        m.batchRecord.push(leader.log[o]);
      }
    }
    m.rotate++;
    if (m.batchRecord.length > 0) {
      if (g.commitMode === 'before-processing') this.commit(m);
      m.busy = true;
      m.processEvent = sim.schedule(g.processing.sample(g.rng), this.hProcess, index);
    } else {
      m.parked = true;
      m.parkEvent = sim.schedule(g.times.fetchMaxWait, this.hPoll, index);
    }
  }

  /** Wakes a parked member: it polls after `delay`. */
  unparkAndPoll(m: Member, delay: number): void {
    const sim = this.group.cluster.sim;
    m.parked = false;
    if (m.parkEvent >= 0) sim.cancel(m.parkEvent);
    m.parkEvent = sim.schedule(delay, this.hPoll, m.index);
  }

  private recordDone(index: number): void {
    const g = this.group;
    const m = g.members[index];
    m.processEvent = -1;
    if (m.state !== 'active') return;
    const id = m.batchRecord[m.batchIndex];
    g.delivered(id, index);
    m.processed++;
    const bp = m.batchPartition[m.batchIndex];
    if (g.owner[bp] === index) g.processedPosition[bp] = m.batchOffset[m.batchIndex] + 1;
    m.batchIndex++;
    const sim = g.cluster.sim;
    if (m.batchIndex < m.batchRecord.length) {
      m.processEvent = sim.schedule(g.processing.sample(g.rng), this.hProcess, index);
      return;
    }
    m.busy = false;
    if (g.commitMode === 'after-processing') {
      this.commit(m); // commitSync: one round trip before the next poll
      m.parkEvent = sim.schedule(2 * g.networkDelay, this.hPoll, index);
    } else this.poll(index);
  }

  /** New data below the HW of a partition: its parked owner polls one network delay later. */
  onHighWatermark(partition: Partition): void {
    const g = this.group;
    const start = g.topicStart.get(partition.topic.name);
    if (start === undefined) return;
    const o = g.owner[start + partition.index];
    if (o < 0) return;
    const m = g.members[o];
    if (m.parked && m.state === 'active') this.unparkAndPoll(m, g.networkDelay);
  }
}
