/**
 * What an operator watches on a consumer group: lag, backlog, committed lag, stalled partitions,
 * losses below the committed offsets, the order records were processed in, and who owns which
 * partitions now (kafka-consumer-groups.sh --describe).
 *
 * Definitions (Kafka consumer metrics `records-lag`, kafka-consumer-groups.sh):
 * - records-lag of partition p = HW − the owner's position (next offset to fetch), or HW − the
 *   committed offset while nobody owns it;
 * - backlog of p = HW − the owner's next offset to process (fetched but unprocessed records of
 *   the current batch count): the records produced and not yet processed, the lag a lab plots;
 * - committed lag = HW − committed offset (what kafka-consumer-groups.sh reports as LAG);
 * - a partition is stalled while nobody consumes it: unowned, or its owner dead or waiting in a
 *   join round for SyncGroup;
 * - a record is out of order when it is processed after a record produced later (record ids
 *   grow in send order), counted across the topic, within its partition and within its key.
 */
import { requirePositive } from '../../errors';
import { TimeSeries } from '../../sim/time-series';
import type { ConsumerGroup } from './consumer-group';

export type LagKind = 'backlog' | 'records-lag' | 'committed';

/** Records-lag of partition p: HW − owner's position, or HW − committed offset when unowned. */
export function recordsLag(g: ConsumerGroup, p: number): number {
  const hw = g.partitions[p].highWatermark;
  const o = g.owner[p];
  const from =
    o >= 0 && g.members[o].state === 'active' ? g.position[p] : Math.max(0, g.committed[p]);
  return Math.max(0, hw - from);
}

/** Unprocessed records of partition p: HW − the owner's next offset to process, or HW − committed when unowned. */
export function backlog(g: ConsumerGroup, p: number): number {
  const hw = g.partitions[p].highWatermark;
  const o = g.owner[p];
  const from =
    o >= 0 && g.members[o].state === 'active'
      ? g.processedPosition[p]
      : Math.max(0, g.committed[p]);
  return Math.max(0, hw - from);
}

/** HW − committed offset of partition p. */
export function committedLag(g: ConsumerGroup, p: number): number {
  return Math.max(0, g.partitions[p].highWatermark - Math.max(0, g.committed[p]));
}

/** The lag of one partition by kind. */
export function lagOf(g: ConsumerGroup, p: number, kind: LagKind): number {
  return kind === 'backlog'
    ? backlog(g, p)
    : kind === 'records-lag'
      ? recordsLag(g, p)
      : committedLag(g, p);
}

/** Sum of the partitions' lag of one kind. */
export function totalLagOf(g: ConsumerGroup, kind: LagKind): number {
  let s = 0;
  for (let p = 0; p < g.owner.length; p++) s += lagOf(g, p, kind);
  return s;
}

/** Sum of the backlog of the partitions of the subscribed topic with index `topicIndex` (into `topics`). */
export function topicBacklog(g: ConsumerGroup, topicIndex: number): number {
  let s = 0;
  for (let p = 0; p < g.partitions.length; p++)
    if (g.partitionTopic[p] === topicIndex) s += backlog(g, p);
  return s;
}

/** Partitions nobody consumes now: unowned, or owned by a dead member or one waiting for SyncGroup. */
export function stalledPartitions(g: ConsumerGroup): number {
  let stalled = 0;
  for (let p = 0; p < g.owner.length; p++) {
    const o = g.owner[p];
    if (o < 0 || g.members[o].waitingSync || g.members[o].state !== 'active') stalled++;
  }
  return stalled;
}

/** Samples the lag of one kind every `interval` seconds from now on: the group's total and each partition's. */
export function trackLag(
  g: ConsumerGroup,
  interval: number,
  kind: LagKind = 'backlog',
): { total: TimeSeries; partitions: TimeSeries[] } {
  requirePositive('interval', interval);
  const sim = g.cluster.sim;
  const partitions = g.owner.map(
    (_, p) => new TimeSeries(sim, () => lagOf(g, p, kind), { interval: interval }),
  );
  const total = new TimeSeries(sim, () => g.owner.reduce((s, _, p) => s + lagOf(g, p, kind), 0), {
    interval: interval,
  });
  return { total, partitions };
}

/** Records below the committed offsets that the group never processed (at-most-once losses). */
export function skipped(g: ConsumerGroup): number {
  let s = 0;
  g.partitions.forEach((partition, p) => {
    const leader = g.cluster.leaderOf(partition) ?? partition.replicas[0];
    const upTo = Math.min(g.committed[p], leader.log.length);
    for (let o = 0; o < upTo; o++) if (g.timesProcessed(leader.log[o]) === 0) s++;
  });
  return s;
}

/** Out-of-order fractions of the recorded deliveries (needs `recordDeliveries`). */
export interface OutOfOrder {
  acrossTopic: number;
  withinPartition: number;
  withinKey: number;
}

/**
 * Fractions of first deliveries that come after the first delivery of a record produced later
 * (record ids are in send() order): across the topic, within a partition, within a key. A record
 * delivered again (a duplicate, counted in the group's `duplicates`) is left out: it is not a
 * reordering of the records first delivered.
 */
export function outOfOrder(g: ConsumerGroup): OutOfOrder {
  const d = g.deliveries;
  if (d === null) return { acrossTopic: NaN, withinPartition: NaN, withinKey: NaN };
  const c = g.cluster;
  const seen = new Uint8Array(c.recordKey.length);
  let firsts = 0;
  let maxAll = -1;
  const maxPart = new Map<number, number>();
  const maxKey = new Map<number, number>();
  let a = 0;
  let b = 0;
  let k = 0;
  for (const id of d.record) {
    if (seen[id] === 1) continue;
    seen[id] = 1;
    firsts++;
    const part = c.recordPartition[id];
    const key = c.recordKey[id];
    if (id < maxAll) a++;
    if (id < (maxPart.get(part) ?? -1)) b++;
    if (id < (maxKey.get(key) ?? -1)) k++;
    maxAll = Math.max(maxAll, id);
    maxPart.set(part, Math.max(maxPart.get(part) ?? -1, id));
    maxKey.set(key, Math.max(maxKey.get(key) ?? -1, id));
  }
  const n = Math.max(1, firsts);
  return { acrossTopic: a / n, withinPartition: b / n, withinKey: k / n };
}

/** Partitions each member owns now, per topic (member id → topic → partitions of that topic). */
export function assignmentByTopic(g: ConsumerGroup): Record<string, Record<string, number[]>> {
  const out: Record<string, Record<string, number[]>> = {};
  for (const m of g.members) {
    if (m.state !== 'active' || !m.inGroup) continue;
    const byTopic: Record<string, number[]> = {};
    for (const t of g.topics) byTopic[t.name] = [];
    for (const p of m.assigned)
      if (g.owner[p] === m.index) byTopic[g.partitions[p].topic.name].push(g.partitions[p].index);
    out[m.memberId] = byTopic;
  }
  return out;
}

/** Partitions each member owns now (member id → group partition indices). */
export function assignment(g: ConsumerGroup): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const m of g.members)
    if (m.state === 'active' && m.inGroup)
      out[m.memberId] = m.assigned.filter((p) => g.owner[p] === m.index);
  return out;
}
