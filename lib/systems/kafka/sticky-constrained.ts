/**
 * The sticky assignors' algorithm when every member subscribes to the same topics (Kafka's
 * ConstrainedAssignmentBuilder in apache/kafka clients/src/main/java/org/apache/kafka/clients/
 * consumer/internals/AbstractStickyAssignor.java), step for step, without racks:
 * - quotas: minQuota = ⌊N/C⌋, maxQuota = ⌈N/C⌉, and N mod C members may hold maxQuota;
 * - each member, in the iteration order of Java's HashMap of member ids, keeps its owned
 *   partitions sorted by (partition, topic) — which spreads what it keeps over the topics — up to
 *   its quota (maxQuota while members above minQuota are still expected); the rest may be revoked;
 * - the unassigned partitions (sorted by topic, then partition) are dealt round robin to the
 *   members under minQuota (sorted by id), then to those at exactly minQuota;
 * - a partition dealt to a member other than the one that may revoke it is "transferring ownership"
 *   (what the cooperative protocol revokes in its first round).
 */
import type { Assignment, GroupMember, TopicPartition } from './assignors';

// Java's String.hashCode and HashMap bucket index: the order HashMap<String, ...> iterates keys in.
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Keys in the order a java.util.HashMap filled with them (in this order) iterates them (no treeified bins). */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  let cap = 16;
  while (keys.length > cap * 0.75) cap *= 2;
  const bucket = (k: string): number => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (cap - 1);
  };
  return keys
    .map((k, i) => ({ k, b: bucket(k), i }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.k);
}

const byPartitionThenTopic = (a: TopicPartition, b: TopicPartition): number =>
  a.partition - b.partition || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0);
const keyOf = (x: TopicPartition): string => `${x.topic}\u0000${x.partition}`;

/**
 * The constrained sticky assignment of `members` (all subscribed to every topic of
 * `partitionsPerTopic`), each with the partitions it owned (already de-duplicated), and the
 * partitions transferring ownership (partition key → new owner).
 */
export function constrainedStickyAssign(
  members: readonly GroupMember[],
  partitionsPerTopic: Record<string, number>,
): { assignment: Assignment; transferring: Map<string, string> } {
  const topics = Object.keys(partitionsPerTopic).sort();
  const total = topics.reduce((s, t) => s + partitionsPerTopic[t], 0);
  const C = members.length;
  const minQuota = Math.floor(total / C);
  const maxQuota = Math.ceil(total / C);
  const expectedOver = total % C;
  let currentOver = 0;
  const assignment: Assignment = {};
  for (const m of members) assignment[m.memberId] = [];
  const assigned = new Set<string>();
  const maybeRevoked = new Map<string, string>();
  const under: string[] = [];
  let exactlyMin: string[] = [];
  const owned = new Map(
    members.map((m) => [
      m.memberId,
      [...(m.owned ?? [])]
        .filter(
          (x) =>
            partitionsPerTopic[x.topic] !== undefined && x.partition < partitionsPerTopic[x.topic],
        )
        .sort(byPartitionThenTopic),
    ]),
  );
  for (const id of javaHashMapOrder(members.map((m) => m.memberId))) {
    const own = owned.get(id)!;
    const mine = assignment[id];
    const keep = (n: number): void => {
      for (const x of own.slice(0, n)) {
        mine.push({ topic: x.topic, partition: x.partition });
        assigned.add(keyOf(x));
      }
      for (const x of own.slice(n)) maybeRevoked.set(keyOf(x), id);
    };
    if (own.length < minQuota) {
      keep(own.length);
      under.push(id);
    } else if (own.length >= maxQuota && currentOver < expectedOver) {
      currentOver++;
      if (currentOver === expectedOver) exactlyMin = [];
      keep(maxQuota);
    } else {
      keep(minQuota);
      if (currentOver < expectedOver) exactlyMin.push(id);
    }
  }
  const unassigned: TopicPartition[] = [];
  for (const t of topics)
    for (let p = 0; p < partitionsPerTopic[t]; p++)
      if (!assigned.has(`${t}\u0000${p}`)) unassigned.push({ topic: t, partition: p });
  under.sort();
  exactlyMin.sort();
  const transferring = new Map<string, string>();
  const give = (x: TopicPartition, id: string): number => {
    assignment[id].push(x);
    const prev = maybeRevoked.get(keyOf(x));
    if (prev !== undefined && prev !== id) transferring.set(keyOf(x), id);
    return assignment[id].length;
  };
  // assignRoundRobin, with the LinkedList iterator's next/remove as an index
  let it = 0;
  let fromIterator: boolean;
  for (const x of unassigned) {
    let id: string;
    if (it < under.length) {
      id = under[it++];
      fromIterator = true;
    } else if (under.length === 0 && exactlyMin.length === 0) {
      throw new Error('No more unfilled consumers to be assigned.');
    } else if (under.length === 0) {
      id = exactlyMin.shift()!;
      fromIterator = false;
    } else {
      it = 0;
      id = under[it++];
      fromIterator = true;
    }
    const count = give(x, id);
    if (count === minQuota) {
      if (fromIterator) {
        under.splice(it - 1, 1);
        it--;
      }
      exactlyMin.push(id);
    } else if (count === maxQuota) currentOver++;
  }
  return { assignment, transferring };
}
