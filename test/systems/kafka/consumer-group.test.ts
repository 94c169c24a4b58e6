import { Simulation } from '../../../lib/sim/simulation';
import { Deterministic } from '../../../lib/random/deterministic';
import { Exponential } from '../../../lib/random/exponential';
import { KafkaCluster, Producer, ConsumerGroup } from '../../../lib/systems/kafka';
import type { CommitMode } from '../../../lib/systems/kafka';

// Oracles: Kafka docs (Introduction: one consumer per partition within a group, every group sees every
// record; design §4.6 delivery semantics) as summarised in ../shared/reference/subsystems.md §4.3 and §4.6.
function cluster(seed: number, partitions: number, brokers = 1) {
  const sim = new Simulation({ seed });
  const c = new KafkaCluster(sim, { brokers });
  c.createTopic('t', { partitions });
  return { sim, c };
}

describe('consumer groups: delivery invariants without failures', () => {
  it('offsets are contiguous, per-key order is kept, each record goes to exactly one member of each group', () => {
    const { sim, c } = cluster(11, 6);
    const producer = new Producer(c, {
      topic: 't',
      rate: 1500,
      keys: { type: 'uniform', count: 50 },
      stopAtMs: 8000,
    });
    const groups = [3, 4].map(
      (n, i) =>
        new ConsumerGroup(c, {
          groupId: `g${i}`,
          topic: 't',
          members: n,
          processing: Exponential.withMean(0.001),
          recordDeliveries: true,
          config: { 'auto.offset.reset': 'earliest' },
        }),
    );
    sim.run({ until: 12 });
    const parts = c.topic('t').partitions;
    // every record in exactly one partition log, once, at a unique offset; offsets 0..LEO-1
    const seen = new Set<number>();
    let bad = 0;
    for (const p of parts)
      for (const id of p.replicas[0].log) {
        if (seen.has(id) || c.recordPartition[id] !== p.index) bad++;
        seen.add(id);
      }
    expect(bad).toBe(0);
    expect(seen.size).toBe(producer.counts.sent);
    for (const g of groups) {
      const d = g.deliveries!;
      expect(d.record.length).toBe(producer.counts.sent);
      expect(new Set(d.record).size).toBe(producer.counts.sent); // exactly once per group
      expect(g.stats.duplicates).toBe(0);
      // one member per partition, and per-key order kept in processing order
      const memberOfPartition = new Map<number, number>();
      const lastPerKey = new Map<number, number>();
      let wrongMember = 0;
      let outOfOrder = 0;
      d.record.forEach((id, i) => {
        const p = c.recordPartition[id];
        if (!memberOfPartition.has(p)) memberOfPartition.set(p, d.member[i]);
        if (d.member[i] !== memberOfPartition.get(p)) wrongMember++;
        const k = c.recordKey[id];
        if (id <= (lastPerKey.get(k) ?? -1)) outOfOrder++; // ids increase in send order
        lastPerKey.set(k, id);
      });
      expect(wrongMember).toBe(0);
      expect(outOfOrder).toBe(0);
    }
  });

  it('P = 4, C = 6: two members stay idle, the four others each own one partition', () => {
    const { sim, c } = cluster(2, 4);
    new Producer(c, { topic: 't', rate: 400 });
    const g = new ConsumerGroup(c, {
      groupId: 'g',
      topic: 't',
      members: 6,
      processing: new Deterministic(0.001),
      config: { 'auto.offset.reset': 'earliest' },
    });
    sim.run({ until: 10 });
    const a = Object.values(g.assignment());
    expect(a.filter((x) => x.length === 0)).toHaveLength(2);
    expect(a.filter((x) => x.length === 1)).toHaveLength(4);
    expect(g.members.filter((m) => m.processed === 0)).toHaveLength(2);
  });

  it('saturated group throughput is min(C, P) x per-consumer rate', () => {
    for (const [members, partitions] of [
      [2, 4],
      [4, 4],
      [6, 4],
    ]) {
      const { sim, c } = cluster(5, partitions);
      new Producer(c, { topic: 't', rate: 3000 });
      const g = new ConsumerGroup(c, {
        groupId: 'g',
        topic: 't',
        members,
        processing: new Deterministic(0.002),
        config: { 'auto.offset.reset': 'earliest' },
      });
      sim.run({ until: 5 });
      const before = g.stats.processed;
      sim.run({ until: 15 });
      const rate = (g.stats.processed - before) / 10; // per second
      // deterministic 2 ms per record: 500/s per busy consumer, all busy under a backlog
      expect(Math.abs(rate - Math.min(members, partitions) * 500)).toBeLessThan(5);
    }
  });
});

describe('consumer groups: crashes, commits and rebalances', () => {
  function crashScenario(commit: CommitMode) {
    const { sim, c } = cluster(3, 1);
    const producer = new Producer(c, { topic: 't', config: { 'linger.ms': 0 } });
    for (let i = 0; i < 3000; i++) producer.send(-1);
    const g = new ConsumerGroup(c, {
      groupId: 'g',
      topic: 't',
      members: 2,
      processing: new Deterministic(0.002),
      commit,
      config: {
        'auto.offset.reset': 'earliest',
        'max.poll.records': 400,
        ...(commit === 'auto'
          ? { 'auto.commit.interval.ms': 1500 }
          : { 'enable.auto.commit': false }),
      },
    });
    sim.run({ until: 4.63 });
    const worker = g.members.find((m) => m.processed > 0)!;
    const processed = worker.processed;
    const committed = g.committed[0];
    g.crash(worker.index);
    sim.run({ until: 80 });
    return { g, processed, committed, total: 3000 };
  }

  it.each(['auto', 'after-processing'] as const)(
    'at-least-once (%s): a crash n records past the last commit gives exactly n duplicates',
    (mode) => {
      const r = crashScenario(mode);
      const n = r.processed - r.committed;
      expect(n).toBeGreaterThan(0);
      expect(r.g.stats.duplicates).toBe(n);
      expect(r.g.skipped()).toBe(0);
      expect(r.g.stats.processed).toBe(r.total + n);
      expect(r.g.stats.expired).toBe(1);
    },
  );

  it('at-most-once (commit before processing): the records committed but not processed are lost, none duplicated', () => {
    const r = crashScenario('before-processing');
    const lost = r.committed - r.processed;
    expect(lost).toBeGreaterThan(0);
    expect(r.g.skipped()).toBe(lost);
    expect(r.g.stats.duplicates).toBe(0);
    expect(r.g.stats.processed).toBe(r.total - lost);
  });

  it('a crashed member is replaced only after session.timeout.ms', () => {
    const { sim, c } = cluster(3, 2);
    new Producer(c, { topic: 't', rate: 200 });
    const g = new ConsumerGroup(c, {
      groupId: 'g',
      topic: 't',
      members: 2,
      processing: new Deterministic(0.001),
      config: { 'auto.offset.reset': 'earliest', 'session.timeout.ms': 10000 },
    });
    sim.run({ until: 10 });
    g.crash(0);
    sim.run({ until: 19 });
    expect(g.stats.rebalances).toBe(1);
    sim.run({ until: 22 });
    expect(g.stats.rebalances).toBe(2);
    expect(g.assignment()[g.members[1].memberId]).toEqual([0, 1]);
    expect(g.rebalanceTimes[1] - 10).toBeGreaterThan(7); // last heartbeat + 10 s
  });

  it('eager rebalances stop every partition; cooperative-sticky pauses only the moved ones', () => {
    const paused: Record<string, number> = {};
    for (const assignor of ['sticky', 'cooperative-sticky'] as const) {
      const { sim, c } = cluster(8, 6);
      new Producer(c, { topic: 't', rate: 600 });
      const g = new ConsumerGroup(c, {
        groupId: 'g',
        topic: 't',
        members: 2,
        processing: new Deterministic(0.0025),
        recordDeliveries: true,
        config: {
          'auto.offset.reset': 'earliest',
          'partition.assignment.strategy': assignor,
          'max.poll.records': 200,
        },
      });
      sim.run({ until: 10 });
      const before = { ...g.assignment() };
      // every 1 ms: which partitions are stalled (unowned, or their owner waits for SyncGroup)
      const stallMs = new Array(6).fill(0);
      const probe = sim.handler(() => {
        for (let p = 0; p < 6; p++) {
          const o = g.owner[p];
          if (o < 0 || g.members[o].waitingSync) stallMs[p] += 1;
        }
        if (sim.now < 20) sim.schedule(0.001, probe);
      });
      sim.schedule(0, probe);
      g.addMember();
      sim.run({ until: 20 });
      const after = g.assignment();
      // both end sticky: 2 partitions move to the new member, the others stay
      expect(Object.values(after).map((x) => x.length)).toEqual([2, 2, 2]);
      const stayed = Object.entries(before).flatMap(([id, ps]) =>
        ps.filter((p) => after[id].includes(p)),
      );
      expect(stayed).toHaveLength(4);
      paused[assignor] = stayed.reduce((a, p) => a + stallMs[p], 0);
      expect(g.stats.duplicates).toBe(0);
    }
    // eager: every partition stalls for the join round (partition-milliseconds); cooperative: those that stay never do
    expect(paused.sticky).toBeGreaterThan(100);
    expect(paused['cooperative-sticky']).toBe(0);
  });
});

describe('consumer groups: max.poll.interval.ms and lag over time', () => {
  it('a member whose batch outlasts max.poll.interval.ms leaves, its commit fails, its records are redelivered', () => {
    const { sim, c } = cluster(6, 2);
    const producer = new Producer(c, { topic: 't', config: { 'linger.ms': 0 } });
    for (let i = 0; i < 400; i++) producer.send(-1);
    const g = new ConsumerGroup(c, {
      groupId: 'g',
      topic: 't',
      members: 2,
      processing: new Deterministic(0.05),
      commit: 'after-processing',
      config: {
        'auto.offset.reset': 'earliest',
        'enable.auto.commit': false,
        'max.poll.records': 200,
        'max.poll.interval.ms': 6000,
        'session.timeout.ms': 10000,
      },
    });
    sim.run({ until: 60 });
    // a 200-record batch takes 10 s > 6 s: both members are kicked out, rejoin, and process again (KIP-62)
    expect(g.stats.pollTimeouts).toBeGreaterThan(0);
    expect(g.stats.commitFailures).toBeGreaterThan(0);
    expect(g.stats.rebalances).toBeGreaterThan(1);
    expect(g.stats.duplicates).toBeGreaterThan(0);
  });

  it('trackLag samples the group total and each partition, and the total is the sum', () => {
    const { sim, c } = cluster(7, 3);
    new Producer(c, { topic: 't', rate: 900 });
    const g = new ConsumerGroup(c, {
      groupId: 'g',
      topic: 't',
      members: 1,
      processing: new Deterministic(0.002),
      config: { 'auto.offset.reset': 'earliest' },
    });
    const lag = g.trackLag(0.5);
    sim.run({ until: 10 });
    expect(lag.total.values.length).toBe(21);
    lag.total.values.forEach((v, i) =>
      expect(v).toBe(lag.partitions.reduce((s, p) => s + p.values[i], 0)),
    );
    // one consumer at 500/s against 900/s: the lag grows at about 400/s once it runs
    const slope = (lag.total.values[20] - lag.total.values[10]) / 5;
    expect(slope).toBeGreaterThan(300);
    expect(slope).toBeLessThan(500);
  });
});

describe('reproducibility', () => {
  it('the same seed gives the same run, another seed another', () => {
    const run = (seed: number) => {
      const { sim, c } = cluster(seed, 4);
      const p = new Producer(c, { topic: 't', rate: 800, keys: { type: 'uniform', count: 30 } });
      const g = new ConsumerGroup(c, {
        groupId: 'g',
        topic: 't',
        members: 3,
        processing: Exponential.withMean(0.003),
        config: { 'auto.offset.reset': 'earliest' },
      });
      sim.run({ until: 6 });
      g.addMember();
      sim.run({ until: 12 });
      return JSON.stringify([g.stats, p.counts, p.latency.mean, g.committed, g.rebalanceTimes]);
    };
    expect(run(9)).toBe(run(9));
    expect(run(10)).not.toBe(run(9));
  });
});
