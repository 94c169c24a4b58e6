/**
 * The classic consumer-group partition assignors, as pure functions: give the members (id,
 * subscribed topics, partitions owned before) and the topics' partition counts, get what each
 * member would be assigned. Members are taken in member-id order, as the group leader does.
 *
 * - `range` (RangeAssignor): per topic, partitions in order over the subscribed members in
 *   lexicographic order; each gets ⌊P/C⌋ and the first P mod C one more.
 * - `roundrobin` (RoundRobinAssignor): all partitions of all topics (sorted by topic, partition)
 *   dealt in turn to the members, skipping members not subscribed to the partition's topic.
 * - `sticky` (StickyAssignor, KIP-54): when every member subscribes to every topic, Kafka's
 *   ConstrainedAssignmentBuilder step for step (sticky-constrained.ts: owned partitions kept in
 *   (partition, topic) order up to the quota, the rest dealt round robin); otherwise
 *   as balanced as possible (counts differ by at most one, or
 *   no movable partition), keeping previous owners; unassigned partitions, ordered by how few
 *   members can take them then by topic and partition, go to the eligible member with fewest
 *   partitions (ties by member id); then partitions move from members with ≥ 2 more to the least
 *   loaded until balanced.
 * - `cooperative-sticky` (CooperativeStickyAssignor, KIP-429): the sticky target, but partitions
 *   that change owner are only revoked in the first round and handed over in a second one.
 *
 * Eager assignors (range, roundrobin, sticky) revoke every partition of every member at the start
 * of a rebalance; cooperative-sticky revokes only those that move.
 *
 * Sources: the Javadoc examples of RangeAssignor, RoundRobinAssignor and StickyAssignor in
 * apache/kafka clients/src/main/java/org/apache/kafka/clients/consumer/ (reproduced in the tests).
 */
import { ParameterError, requireInteger } from '../../errors';
import { constrainedStickyAssign } from './sticky-constrained';

/** A topic partition, written like Kafka's `TopicPartition.toString()` minus the dash: `t0p1` ⇔ { topic: 't0', partition: 1 }. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface GroupMember {
  memberId: string;
  /** Topics the member subscribes to. */
  topics: readonly string[];
  /** Partitions it owned before this rebalance (sticky and cooperative-sticky keep them). */
  owned?: readonly TopicPartition[];
}

export type Assignment = Record<string, TopicPartition[]>;

export const assignorNames = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;
export type AssignorName = (typeof assignorNames)[number];

/** Kafka's `partition.assignment.strategy` class names for each assignor. */
export const assignorClassNames: Record<AssignorName, string> = {
  range: 'org.apache.kafka.clients.consumer.RangeAssignor',
  roundrobin: 'org.apache.kafka.clients.consumer.RoundRobinAssignor',
  sticky: 'org.apache.kafka.clients.consumer.StickyAssignor',
  'cooperative-sticky': 'org.apache.kafka.clients.consumer.CooperativeStickyAssignor',
};

/** True for the assignor that uses the cooperative (incremental) rebalance protocol. */
export function isCooperative(assignor: AssignorName): boolean {
  return assignor === 'cooperative-sticky';
}

export function tp(topic: string, partition: number): TopicPartition {
  return { topic, partition };
}

/** Label of a partition: `t0p1` for the Javadoc's topics t0, t1, …; otherwise Kafka's `topic-1`. */
export function tpLabel(x: TopicPartition): string {
  return /^t\d+$/.test(x.topic) ? `${x.topic}p${x.partition}` : `${x.topic}-${x.partition}`;
}

function compareTp(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

function key(x: TopicPartition): string {
  return `${x.topic}\u0000${x.partition}`;
}

function check(
  members: readonly GroupMember[],
  partitionsPerTopic: Record<string, number>,
): GroupMember[] {
  if (!Array.isArray(members))
    throw new ParameterError('members', members, 'must be a list of { memberId, topics, owned? }');
  if (partitionsPerTopic == null || typeof partitionsPerTopic !== 'object') {
    throw new ParameterError(
      'partitionsPerTopic',
      partitionsPerTopic,
      'must map topic names to partition counts',
    );
  }
  for (const [t, n] of Object.entries(partitionsPerTopic))
    requireInteger(`partitionsPerTopic.${t}`, n, 0);
  const seen = new Set<string>();
  for (const m of members) {
    if (!m || typeof m.memberId !== 'string' || m.memberId.length === 0)
      throw new ParameterError('memberId', m && m.memberId, 'must be a non-empty string');
    if (seen.has(m.memberId))
      throw new ParameterError('memberId', m.memberId, 'must be unique within the group');
    seen.add(m.memberId);
    if (!Array.isArray(m.topics))
      throw new ParameterError(`${m.memberId}.topics`, m.topics, 'must be a list of topic names');
  }
  return [...members].sort((a, b) =>
    a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
  );
}

function emptyAssignment(members: readonly GroupMember[]): Assignment {
  const out: Assignment = {};
  for (const m of members) out[m.memberId] = [];
  return out;
}

/** RangeAssignor: per topic, contiguous ranges of partitions to members in member-id order. */
export function rangeAssign(
  members: readonly GroupMember[],
  partitionsPerTopic: Record<string, number>,
): Assignment {
  const sorted = check(members, partitionsPerTopic);
  const out = emptyAssignment(sorted);
  for (const topic of Object.keys(partitionsPerTopic).sort()) {
    const subscribers = sorted.filter((m) => m.topics.includes(topic));
    const n = partitionsPerTopic[topic];
    const c = subscribers.length;
    if (c === 0) continue;
    const per = Math.floor(n / c);
    const extra = n % c;
    subscribers.forEach((m, i) => {
      const start = per * i + Math.min(i, extra);
      const length = per + (i < extra ? 1 : 0);
      for (let p = start; p < start + length; p++) out[m.memberId].push(tp(topic, p));
    });
  }
  return out;
}

/** RoundRobinAssignor: all partitions dealt in turn, skipping members not subscribed to the topic. */
export function roundRobinAssign(
  members: readonly GroupMember[],
  partitionsPerTopic: Record<string, number>,
): Assignment {
  const sorted = check(members, partitionsPerTopic);
  const out = emptyAssignment(sorted);
  if (sorted.length === 0) return out;
  const all: TopicPartition[] = [];
  for (const topic of Object.keys(partitionsPerTopic).sort())
    for (let p = 0; p < partitionsPerTopic[topic]; p++) all.push(tp(topic, p));
  let next = 0;
  for (const x of all) {
    if (!sorted.some((m) => m.topics.includes(x.topic))) continue;
    while (!sorted[next % sorted.length].topics.includes(x.topic)) next++;
    out[sorted[next % sorted.length].memberId].push(x);
    next++;
  }
  return out;
}

/** StickyAssignor: balanced, keeping previous owners (see the module comment). */
export function stickyAssign(
  members: readonly GroupMember[],
  partitionsPerTopic: Record<string, number>,
): Assignment {
  const sorted = check(members, partitionsPerTopic);
  const topics = Object.keys(partitionsPerTopic);
  if (
    sorted.length > 0 &&
    sorted.every(
      (m) => m.topics.length === topics.length && topics.every((t) => m.topics.includes(t)),
    )
  ) {
    // every member subscribes to every topic: Kafka's constrained algorithm, exactly (sticky-constrained.ts)
    const claimed = new Set<string>();
    const deduped = members.map((m) => ({
      memberId: m.memberId,
      topics: m.topics,
      owned: (m.owned ?? []).filter((x) => {
        const k = key(x);
        if (claimed.has(k)) return false;
        claimed.add(k);
        return true;
      }),
    }));
    return constrainedStickyAssign(deduped, partitionsPerTopic).assignment;
  }
  const out = emptyAssignment(sorted);
  const potential = new Map<string, string[]>(); // partition key -> members that can take it
  const all: TopicPartition[] = [];
  for (const topic of Object.keys(partitionsPerTopic).sort()) {
    for (let p = 0; p < partitionsPerTopic[topic]; p++) {
      const x = tp(topic, p);
      all.push(x);
      potential.set(
        key(x),
        sorted.filter((m) => m.topics.includes(topic)).map((m) => m.memberId),
      );
    }
  }
  // 1. keep valid previous ownership (a partition claimed by two members stays with the first in id order)
  const owner = new Map<string, string>();
  for (const m of sorted) {
    for (const x of m.owned ?? []) {
      const k = key(x);
      if (!potential.has(k) || !m.topics.includes(x.topic) || owner.has(k)) continue;
      owner.set(k, m.memberId);
      out[m.memberId].push(tp(x.topic, x.partition));
    }
  }
  // 2. unassigned partitions, fewest potential members first, to the least loaded eligible member
  const unassigned = all
    .filter((x) => !owner.has(key(x)) && potential.get(key(x))!.length > 0)
    .sort(
      (a, b) => potential.get(key(a))!.length - potential.get(key(b))!.length || compareTp(a, b),
    );
  const leastLoaded = (candidates: readonly string[]): string =>
    candidates.reduce((best, id) =>
      out[id].length < out[best].length || (out[id].length === out[best].length && id < best)
        ? id
        : best,
    );
  for (const x of unassigned) {
    const id = leastLoaded(potential.get(key(x))!);
    owner.set(key(x), id);
    out[id].push(x);
  }
  // 3. balance: move a partition from a member with >= 2 more than an eligible member, until none
  for (let guard = 0; guard < 100000; guard++) {
    let moved = false;
    const byLoad = [...sorted].sort(
      (a, b) =>
        out[b.memberId].length - out[a.memberId].length || (a.memberId < b.memberId ? -1 : 1),
    );
    for (const from of byLoad) {
      const candidates = [...out[from.memberId]].sort(compareTp);
      for (const x of candidates) {
        const eligible = potential
          .get(key(x))!
          .filter((id) => out[id].length + 2 <= out[from.memberId].length);
        if (eligible.length === 0) continue;
        const to = leastLoaded(eligible);
        out[from.memberId] = out[from.memberId].filter((y) => key(y) !== key(x));
        out[to].push(x);
        owner.set(key(x), to);
        moved = true;
        break;
      }
      if (moved) break;
    }
    if (!moved) break;
  }
  return out;
}

/** What a cooperative rebalance does: the target, and the first round with moving partitions revoked. */
export interface CooperativeAssignment {
  /** The sticky target every member reaches after the second round. */
  target: Assignment;
  /** First round: each member keeps only partitions it owned and still gets; moving partitions are unowned. */
  firstRound: Assignment;
  /** Partitions each member must revoke (give up) in the first round. */
  revoked: Assignment;
  /** Whether a second rebalance is needed (some partition changes owner). */
  needsSecondRound: boolean;
}

/**
 * CooperativeStickyAssignor (KIP-429): the sticky target; in the first round a partition whose
 * owner changes is assigned to nobody (its owner revokes it), then the member that revoked it
 * rejoins and the second round hands it to its new owner.
 */
export function cooperativeStickyAssign(
  members: readonly GroupMember[],
  partitionsPerTopic: Record<string, number>,
): CooperativeAssignment {
  const target = stickyAssign(members, partitionsPerTopic);
  const previousOwner = new Map<string, string>();
  for (const m of members)
    for (const x of m.owned ?? [])
      if (!previousOwner.has(key(x))) previousOwner.set(key(x), m.memberId);
  const firstRound: Assignment = {};
  const revoked: Assignment = {};
  let needsSecondRound = false;
  for (const id of Object.keys(target)) {
    firstRound[id] = target[id].filter((x) => {
      const prev = previousOwner.get(key(x));
      if (prev !== undefined && prev !== id && target[prev] !== undefined) {
        needsSecondRound = true;
        return false;
      }
      return true;
    });
    revoked[id] = [];
  }
  for (const m of members) {
    if (target[m.memberId] === undefined) continue;
    const now = new Set(target[m.memberId].map(key));
    revoked[m.memberId] = (m.owned ?? [])
      .filter((x) => !now.has(key(x)))
      .map((x) => tp(x.topic, x.partition));
  }
  return { target, firstRound, revoked, needsSecondRound };
}

/** The assignment `assignor` gives (for cooperative-sticky: the target after both rounds). */
export function assignPartitions(
  assignor: AssignorName,
  members: readonly GroupMember[],
  partitionsPerTopic: Record<string, number>,
): Assignment {
  switch (assignor) {
    case 'range':
      return rangeAssign(members, partitionsPerTopic);
    case 'roundrobin':
      return roundRobinAssign(members, partitionsPerTopic);
    case 'sticky':
      return stickyAssign(members, partitionsPerTopic);
    case 'cooperative-sticky':
      return cooperativeStickyAssign(members, partitionsPerTopic).target;
    default:
      throw new ParameterError(
        'partition.assignment.strategy',
        assignor,
        `must be one of ${assignorNames.join(', ')}`,
      );
  }
}

/** Number of partitions whose owner differs between two assignments (partitions that move). */
export function partitionsMoved(before: Assignment, after: Assignment): number {
  const owner = new Map<string, string>();
  for (const [id, xs] of Object.entries(before)) for (const x of xs) owner.set(key(x), id);
  let moved = 0;
  for (const [id, xs] of Object.entries(after))
    for (const x of xs) if (owner.has(key(x)) && owner.get(key(x)) !== id) moved++;
  return moved;
}
