/**
 * A consumer group's membership (Kafka ConsumerConfig docs, KIP-62): a new member's state (it
 * sends JoinGroup at once), a graceful leave (close(): commits only with auto-commit, sends
 * LeaveGroup, which triggers an immediate rebalance) and a crash (no commit, no LeaveGroup: the
 * coordinator notices it `session.timeout.ms` after its last heartbeat, sent every
 * `heartbeat.interval.ms` from the member's random phase).
 */
import type { Simulation } from '../../sim/simulation';
import type { ConsumerGroup } from './consumer-group';
import type { Member } from './consumer-group-options';

/** A member just started (active, not yet in the group, its JoinGroup sent). Member ids sort in start order. */
export function newMember(
  groupId: string,
  index: number,
  now: number,
  heartbeatPhase: number,
): Member {
  return {
    index,
    memberId: `${groupId}-${String(index).padStart(4, '0')}`,
    state: 'active',
    inGroup: false,
    assigned: [],
    lastAssignment: [],
    busy: false,
    parked: false,
    parkEvent: -1,
    rejoinNeeded: true,
    joinSent: true,
    waitingSync: true,
    pendingAssignment: null,
    heartbeatPhase: heartbeatPhase,
    pollTimeoutEvent: -1,
    processEvent: -1,
    batchPartition: [],
    batchOffset: [],
    batchRecord: [],
    batchIndex: 0,
    processed: 0,
    lastAutoCommit: now,
    rotate: 0,
  };
}

/** Cancels an active member's pending processing, park and poll timeout. */
export function stopMember(sim: Simulation, m: Member): void {
  if (m.processEvent >= 0) sim.cancel(m.processEvent);
  if (m.parkEvent >= 0) sim.cancel(m.parkEvent);
  if (m.pollTimeoutEvent >= 0) sim.cancel(m.pollTimeoutEvent);
  m.processEvent = m.parkEvent = m.pollTimeoutEvent = -1;
  m.busy = false;
  m.parked = false;
}

/**
 * Graceful close() of an active member. Only with enable.auto.commit does close() commit
 * (ConsumerCoordinator.close → maybeAutoCommitOffsetsSync: the positions poll() returned, past the
 * batch under way, whose rest is then never processed by the group); with manual commits close()
 * commits nothing, so whatever was not committed — the rest of the batch under way included — is
 * redelivered to the partition's next owner.
 */
export function leaveGroup(g: ConsumerGroup, m: Member): void {
  stopMember(g.cluster.sim, m);
  if (g.commitMode === 'auto') g.pollLoop.commit(m);
  for (const p of m.assigned) if (g.owner[p] === m.index) g.owner[p] = -1;
  m.assigned = [];
  m.state = 'left';
  if (m.inGroup) {
    m.inGroup = false;
    g.coordinator.forget(m.index);
    g.cluster.sim.schedule(g.networkDelay, g.coordinator.hLeaveArrive, m.index);
  }
}

/** Kills an active member now; the coordinator expires it `session.timeout.ms` after its last heartbeat. */
export function crashMember(g: ConsumerGroup, m: Member): void {
  stopMember(g.cluster.sim, m);
  m.state = 'dead';
  const now = g.cluster.sim.now;
  const hb = g.times.heartbeatInterval;
  const lastHeartbeat = m.heartbeatPhase + Math.floor((now - m.heartbeatPhase) / hb) * hb;
  g.cluster.sim.scheduleAt(
    Math.max(now, lastHeartbeat + g.times.sessionTimeout),
    g.coordinator.hExpire,
    m.index,
  );
}
