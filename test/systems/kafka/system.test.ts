import { Deterministic } from '../../../lib/random/deterministic';
import { Exponential } from '../../../lib/random/exponential';
import { Simulation } from '../../../lib/sim/simulation';
import { emptyLatency } from '../../../lib/systems/common/latency';
import { KafkaSystem, simulateKafka } from '../../../lib/systems/kafka';
import type { KafkaConfig } from '../../../lib/systems/kafka';

// The system contract (issue 14) for Kafka: built on a simulation it is handed, one call to run,
// statistics that restart on sim.resetStatistics(), broker failures through the shared
// FailureProcess, latencies in the one LatencySummary shape.

function scenario(over: Partial<KafkaConfig> = {}): KafkaConfig {
  return {
    brokers: 3,
    topics: [{ name: 't', partitions: 4, 'replication.factor': 3, 'min.insync.replicas': 2 }],
    producers: [{ topic: 't', rate: 1000, keys: { type: 'uniform', count: 40 } }],
    groups: [
      {
        groupId: 'g',
        topic: 't',
        members: 2,
        processing: Exponential.withMean(0.0005),
        config: { 'auto.offset.reset': 'earliest' },
      },
    ],
    ...over,
  };
}

describe('simulateKafka', () => {
  it('is reproducible: the same seed gives the same summary, another seed another', () => {
    const a = JSON.stringify(simulateKafka(scenario(), { seed: 4, duration: 6 }));
    expect(JSON.stringify(simulateKafka(scenario(), { seed: 4, duration: 6 }))).toBe(a);
    expect(JSON.stringify(simulateKafka(scenario(), { seed: 5, duration: 6 }))).not.toBe(a);
  });

  it('measures only after the warm-up: Poisson counts of the window (λ·T ± 4√(λT))', () => {
    const s = simulateKafka(scenario(), { seed: 2, warmup: 5, duration: 10 });
    expect(s.window).toEqual({ start: 5, end: 15 });
    const p = s.producers.producer;
    // 1000 records/s for 10 s: Poisson(10,000), sd 100
    expect(Math.abs(p.sent - 10000)).toBeLessThan(400);
    expect(Math.abs(p.throughput - 1000)).toBeLessThan(40);
    // capacity 2 × 2000/s ≫ 1000/s: the group keeps up, so it processes what arrives (plus at most the backlog at the start)
    const g = s.groups.g;
    expect(Math.abs(g.throughput - 1000)).toBeLessThan(40);
    expect(g.idleMembers).toBe(0);
    expect(g.endToEnd.count).toBe(g.processed);
    expect(Object.keys(p.latency).sort()).toEqual(Object.keys(emptyLatency()).sort());
    expect(Object.keys(g.endToEnd).sort()).toEqual(Object.keys(emptyLatency()).sort());
    // a record is processed after its leader and the ISR have it, so end-to-end exceeds processing alone
    expect(g.endToEnd.mean).toBeGreaterThan(0.0005);
    expect(p.latency.p50).toBeLessThanOrEqual(p.latency.p99);
  });

  it('statistics restart on sim.resetStatistics(): producer, group and cluster counters, latencies', () => {
    const sim = new Simulation({ seed: 3 });
    const system = new KafkaSystem(sim, scenario());
    sim.run({ until: 5 });
    const p = system.producers[0];
    const g = system.groups[0];
    expect(p.counts.sent).toBeGreaterThan(3000);
    expect(g.stats.processed).toBeGreaterThan(0);
    sim.resetStatistics();
    expect(p.counts).toEqual({
      sent: 0,
      acked: 0,
      failed: 0,
      requests: 0,
      duplicatesAvoided: 0,
      recordsWithErrors: 0,
    });
    expect(p.latency.count).toBe(0);
    expect(g.stats.processed).toBe(0);
    expect(g.endToEnd.count).toBe(0);
    expect(g.members.every((m) => m.processed === 0)).toBe(true);
    expect(system.summary().window).toEqual({ start: 5, end: 5 });
  });
});

describe('broker failures through the shared FailureProcess', () => {
  const outage = (over: Partial<KafkaConfig> = {}): KafkaConfig => ({
    brokers: [{ failures: { outages: [{ at: 2, duration: 20 }] } }, {}, {}],
    topics: [{ name: 't', partitions: 1, 'replication.factor': 3, 'min.insync.replicas': 2 }],
    producers: [{ topic: 't', rate: 200, config: { acks: 'all' } }],
    ...over,
  });

  it('a scheduled outage of the leader: fenced after broker.session.timeout.ms, a clean election, nothing acknowledged lost', () => {
    const sim = new Simulation({ seed: 1 });
    const system = new KafkaSystem(sim, outage());
    const partition = system.cluster.topic('t').partitions[0];
    expect(partition.replicas[partition.leader].broker).toBe(0);
    sim.run({ until: (2000 + 9000 - 1) / 1000 });
    expect(system.cluster.alive[0]).toBe(false);
    expect(partition.replicas[partition.leader].broker).toBe(0); // not fenced yet
    sim.run({ until: (2000 + 9000 + 1) / 1000 });
    expect(partition.replicas[partition.leader].broker).toBe(1);
    sim.run({ until: 40 });
    const s = system.summary();
    expect(s.brokers[0]).toEqual({ up: true, failures: 1, downtime: 20, availability: 0.5 });
    expect(s.brokers[1]).toEqual({ up: true, failures: 0, downtime: 0, availability: 1 });
    expect(s.cluster.elections).toBe(1);
    expect(s.topics.t.acknowledgedLost).toBe(0);
    expect(s.producers.producer.failed).toBe(0);
    expect(s.producers.producer.acked).toBe(s.producers.producer.sent);
  });

  it('the same outage driven by hand (crashBroker / recoverBroker) gives the same run', () => {
    const byConfig = simulateKafka(outage(), { seed: 6, duration: 30 });
    const sim = new Simulation({ seed: 6 });
    const system = new KafkaSystem(sim, outage({ brokers: 3 }));
    sim.run({ until: 2 });
    system.cluster.crashBroker(0);
    sim.run({ until: 22 });
    system.cluster.recoverBroker(0);
    sim.run({ until: 30 });
    const byHand = system.summary();
    expect(byHand.producers).toEqual(byConfig.producers);
    expect(byHand.cluster).toEqual(byConfig.cluster);
  });

  it("brokersRestoredAt (the FailureSpec's restoredAt for every broker): random failures stop then, an outage under way ends then, every broker is up afterwards", () => {
    const failures = { mttf: 6, mttr: 4 };
    const sim = new Simulation({ seed: 9 });
    const system = new KafkaSystem(
      sim,
      outage({ brokers: [{ failures }, { failures }, { failures }], brokersRestoredAt: 30 }),
    );
    sim.run({ until: 60 });
    let crashes = 0;
    for (const f of system.brokerFailures) {
      for (const d of f!.intervals) {
        expect(d.at).toBeLessThan(30);
        expect(d.until).toBeLessThanOrEqual(30);
        crashes++;
      }
      expect(f!.up).toBe(true);
      // downtime is the sum of the down intervals
      expect(f!.downtime).toBeCloseTo(
        f!.intervals.reduce((s, d) => s + d.until - d.at, 0),
        6,
      );
    }
    expect(crashes).toBeGreaterThan(3); // about 30 s / 10 s per cycle per broker
    expect(system.cluster.alive).toEqual([true, true, true]);
  });
});

describe('consumer-group changes and lag as config', () => {
  const group = (membership: NonNullable<KafkaConfig['groups']>[number]['membership']) =>
    scenario({
      groups: [
        {
          groupId: 'g',
          topic: 't',
          members: 2,
          processing: new Deterministic(0.0005),
          membership,
          config: { 'auto.offset.reset': 'earliest', 'session.timeout.ms': 10000 },
          lag: { intervalMs: 250 },
        },
      ],
    });

  it('a join and a graceful leave each rebalance at once; a crash only after session.timeout.ms', () => {
    expect(
      simulateKafka(group([{ atMs: 8000, action: 'join' }]), { duration: 14 }).groups.g.rebalances,
    ).toBe(2);
    expect(
      simulateKafka(group([{ atMs: 8000, action: 'leave' }]), { duration: 14 }).groups.g.rebalances,
    ).toBe(2);
    const crashed = simulateKafka(group([{ atMs: 8000, action: 'crash', member: 0 }]), {
      duration: 14,
    }).groups.g;
    expect(crashed.rebalances).toBe(1); // noticed no earlier than 8 s − 3 s (last heartbeat) + 10 s
    const later = simulateKafka(group([{ atMs: 8000, action: 'crash', member: 0 }]), {
      duration: 20,
    }).groups.g;
    expect(later.expired).toBe(1);
    expect(later.rebalances).toBe(2);
  });

  it('the sampled lag has one point per interval, stalled partitions between 0 and P', () => {
    const s = simulateKafka(group([{ atMs: 8000, action: 'join' }]), { duration: 12 });
    const series = s.groups.g.lagSeries!;
    expect(series.t).toHaveLength(12000 / 250 + 1);
    series.t.forEach((t, i) => expect(t).toBeCloseTo(i * 0.25, 9));
    expect(series.lag.every((x) => x >= 0)).toBe(true);
    expect(series.stalled.every((x) => x >= 0 && x <= 4)).toBe(true);
    expect(series.stalled[0]).toBe(4); // nobody owns anything before the first assignment
    expect(series.stalled[series.t.length - 1]).toBe(0);
  });
});
