import {
  rangeAssign,
  roundRobinAssign,
  stickyAssign,
  cooperativeStickyAssign,
  assignPartitions,
  partitionsMoved,
  tpLabel,
} from '../../../lib/systems/kafka';
import type { Assignment, GroupMember } from '../../../lib/systems/kafka';
import { ParameterError } from '../../../lib/errors';

// Oracles: the Javadoc examples of RangeAssignor, RoundRobinAssignor and StickyAssignor in apache/kafka
// clients/src/main/java/org/apache/kafka/clients/consumer/ (also ../shared/reference/subsystems.md §4.3).
const labels = (a: Assignment): Record<string, string[]> =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.map(tpLabel)]));
const parse = (s: string) => {
  const m = /^(t\d+)p(\d+)$/.exec(s)!;
  return { topic: m[1], partition: Number(m[2]) };
};
const all = (ids: string[], topics: string[]): GroupMember[] =>
  ids.map((memberId) => ({ memberId, topics }));

describe('RangeAssignor', () => {
  it('2 consumers, 2 topics x 3 partitions (Javadoc)', () => {
    const a = rangeAssign(all(['C0', 'C1'], ['t0', 't1']), { t0: 3, t1: 3 });
    expect(labels(a)).toEqual({ C0: ['t0p0', 't0p1', 't1p0', 't1p1'], C1: ['t0p2', 't1p2'] });
  });
  it('P = 4, C = 6 leaves two members with nothing', () => {
    const a = rangeAssign(all(['c0', 'c1', 'c2', 'c3', 'c4', 'c5'], ['t']), { t: 4 });
    expect(Object.values(a).filter((x) => x.length === 0)).toHaveLength(2);
    expect(Object.values(a).flat()).toHaveLength(4);
  });
  it('consumer i gets [i⌊P/C⌋ + min(i, P mod C), ...)', () => {
    const a = rangeAssign(all(['a', 'b', 'c'], ['t']), { t: 8 });
    expect(Object.values(a).map((x) => x.map((y) => y.partition))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
  });
});

describe('RoundRobinAssignor', () => {
  it('2 consumers, 2 topics x 3 partitions (Javadoc)', () => {
    const a = roundRobinAssign(all(['C0', 'C1'], ['t0', 't1']), { t0: 3, t1: 3 });
    expect(labels(a)).toEqual({ C0: ['t0p0', 't0p2', 't1p1'], C1: ['t0p1', 't1p0', 't1p2'] });
  });
  it('unequal subscriptions skip non-subscribers (Javadoc)', () => {
    const members: GroupMember[] = [
      { memberId: 'C0', topics: ['t0'] },
      { memberId: 'C1', topics: ['t0', 't1'] },
      { memberId: 'C2', topics: ['t0', 't1', 't2'] },
    ];
    expect(labels(roundRobinAssign(members, { t0: 1, t1: 2, t2: 3 }))).toEqual({
      C0: ['t0p0'],
      C1: ['t1p0'],
      C2: ['t1p1', 't2p0', 't2p1', 't2p2'],
    });
  });
  it('P = 4, C = 6 leaves two members with nothing', () => {
    const a = roundRobinAssign(all(['c0', 'c1', 'c2', 'c3', 'c4', 'c5'], ['t']), { t: 4 });
    expect(labels(a)).toEqual({
      c0: ['t-0'],
      c1: ['t-1'],
      c2: ['t-2'],
      c3: ['t-3'],
      c4: [],
      c5: [],
    });
  });
});

describe('StickyAssignor (Javadoc examples)', () => {
  const topics4 = { t0: 2, t1: 2, t2: 2, t3: 2 };
  it('example 1: fresh assignment equals round robin', () => {
    const a = stickyAssign(all(['C0', 'C1', 'C2'], ['t0', 't1', 't2', 't3']), topics4);
    expect(labels(a)).toEqual({
      C0: ['t0p0', 't1p1', 't3p0'],
      C1: ['t0p1', 't2p0', 't3p1'],
      C2: ['t1p0', 't2p1'],
    });
  });
  it('example 1: C1 leaves; sticky keeps every previous owner, round robin moves 5', () => {
    const members: GroupMember[] = [
      {
        memberId: 'C0',
        topics: ['t0', 't1', 't2', 't3'],
        owned: ['t0p0', 't1p1', 't3p0'].map(parse),
      },
      { memberId: 'C2', topics: ['t0', 't1', 't2', 't3'], owned: ['t1p0', 't2p1'].map(parse) },
    ];
    const sticky = stickyAssign(members, topics4);
    // the Javadoc lists C0: t0p0 t1p1 t3p0 t2p0 / C2: t1p0 t2p1 t0p1 t3p1 (the older general algorithm); Kafka's
    // ConstrainedAssignmentBuilder (AbstractStickyAssignor.java, every member on every topic) keeps the owned partitions
    // in (partition, topic) order and deals the free ones t0p1, t2p0, t3p1 round robin: the same 3 moves
    expect(labels(sticky)).toEqual({
      C0: ['t0p0', 't3p0', 't1p1', 't0p1'],
      C2: ['t1p0', 't2p1', 't2p0', 't3p1'],
    });
    const rr = roundRobinAssign(members, topics4);
    expect(labels(rr)).toEqual({
      C0: ['t0p0', 't1p0', 't2p0', 't3p0'],
      C2: ['t0p1', 't1p1', 't2p1', 't3p1'],
    });
    const before: Assignment = {
      C0: members[0].owned!.slice(),
      C1: ['t0p1', 't2p0', 't3p1'].map(parse),
      C2: members[1].owned!.slice(),
    };
    expect(partitionsMoved(before, sticky)).toBe(3); // only C1's three
    expect(partitionsMoved(before, rr)).toBe(5); // C1's three plus two needless moves
  });
  it('example 2: unequal subscriptions, then C0 removed', () => {
    const members: GroupMember[] = [
      { memberId: 'C0', topics: ['t0'] },
      { memberId: 'C1', topics: ['t0', 't1'] },
      { memberId: 'C2', topics: ['t0', 't1', 't2'] },
    ];
    const counts = { t0: 1, t1: 2, t2: 3 };
    const a = stickyAssign(members, counts);
    expect(labels(a)).toEqual({ C0: ['t0p0'], C1: ['t1p0', 't1p1'], C2: ['t2p0', 't2p1', 't2p2'] });
    const after = stickyAssign(
      [
        { ...members[1], owned: a.C1 },
        { ...members[2], owned: a.C2 },
      ],
      counts,
    );
    expect(labels(after)).toEqual({ C1: ['t1p0', 't1p1', 't0p0'], C2: ['t2p0', 't2p1', 't2p2'] });
    const rr = roundRobinAssign([members[1], members[2]], counts);
    expect(labels(rr)).toEqual({ C1: ['t0p0', 't1p1'], C2: ['t1p0', 't2p0', 't2p1', 't2p2'] });
  });
  it('a joining member takes partitions from the most loaded, counts differ by at most one', () => {
    const first = stickyAssign(all(['a', 'b'], ['t']), { t: 8 });
    const second = stickyAssign(
      [
        { memberId: 'a', topics: ['t'], owned: first.a },
        { memberId: 'b', topics: ['t'], owned: first.b },
        { memberId: 'c', topics: ['t'] },
      ],
      { t: 8 },
    );
    const sizes = Object.values(second)
      .map((x) => x.length)
      .sort();
    expect(sizes).toEqual([2, 3, 3]);
    expect(partitionsMoved(first, second)).toBe(2); // exactly the two the new member takes
    expect(second.c).toHaveLength(2);
  });
});

describe('CooperativeStickyAssignor (KIP-429)', () => {
  it('first round revokes only the partitions that move; the second hands them over', () => {
    const first = assignPartitions('cooperative-sticky', all(['a', 'b'], ['t']), { t: 6 });
    const members: GroupMember[] = [
      { memberId: 'a', topics: ['t'], owned: first.a },
      { memberId: 'b', topics: ['t'], owned: first.b },
      { memberId: 'c', topics: ['t'] },
    ];
    const r = cooperativeStickyAssign(members, { t: 6 });
    expect(r.needsSecondRound).toBe(true);
    expect(r.firstRound.c).toEqual([]);
    const revoked = [...r.revoked.a, ...r.revoked.b];
    expect(revoked).toHaveLength(2);
    expect(r.target.c.map(tpLabel).sort()).toEqual(revoked.map(tpLabel).sort());
    // everything not revoked stays where it was, in both rounds
    for (const id of ['a', 'b']) {
      const kept = members
        .find((m) => m.memberId === id)!
        .owned!.filter((x) => !revoked.some((y) => tpLabel(y) === tpLabel(x)));
      expect(r.firstRound[id].map(tpLabel)).toEqual(kept.map(tpLabel));
    }
  });
});

describe('assignor input checks', () => {
  it('rejects duplicate member ids, bad counts and unknown assignors', () => {
    expect(() => rangeAssign(all(['a', 'a'], ['t']), { t: 2 })).toThrow(ParameterError);
    expect(() => rangeAssign(all(['a'], ['t']), { t: -1 })).toThrow(ParameterError);
    expect(() => assignPartitions('nope' as never, all(['a'], ['t']), { t: 2 })).toThrow(
      ParameterError,
    );
  });
});
