import { Simulation } from '../../../lib/sim/simulation';
import { Deterministic } from '../../../lib/random/deterministic';
import { Exponential } from '../../../lib/random/exponential';
import { ParameterError } from '../../../lib/errors';
import {
  KafkaCluster,
  Producer,
  ConsumerGroup,
  simulateKafka,
  resolveKafkaConfig,
  stickyAssign,
} from '../../../lib/systems/kafka';
import type { KafkaConfig } from '../../../lib/systems/kafka';

// Issue 16, point 9: a consumer group subscribed to several topics, as KafkaConsumer.subscribe(Collection<String>).
// Oracles: the RangeAssignor and RoundRobinAssignor Javadoc examples (two consumers, two topics of three
// partitions), and clients/src/test/java/org/apache/kafka/clients/consumer/internals/AbstractStickyAssignorTest.java
// (testTwoConsumersTwoTopicsSixPartitions, testTopicBalanceAfterReassignment), run here through the group's rebalance.

function group(
  assignor: string,
  partitions: [number, number],
  members: number,
  names: [string, string] = ['topic1', 'topic2'],
) {
  const sim = new Simulation({ seed: 3 });
  const c = new KafkaCluster(sim, { brokers: 1 });
  c.createTopic(names[0], { partitions: partitions[0] });
  c.createTopic(names[1], { partitions: partitions[1] });
  const g = new ConsumerGroup(c, {
    groupId: 'g',
    topics: names,
    members,
    processing: new Deterministic(0.001),
    config: { 'partition.assignment.strategy': assignor as 'range' },
  });
  sim.run({ until: 5 });
  return { sim, c, g };
}

/** member → "topic-partition" list, sorted. */
function listing(g: ConsumerGroup): string[][] {
  const a = g.assignmentByTopic();
  return Object.keys(a)
    .sort()
    .map((id) =>
      Object.entries(a[id])
        .flatMap(([t, ps]) => ps.map((p) => `${t}-${p}`))
        .sort(),
    );
}

describe('a group over two topics: the assignment is over the union of the partitions', () => {
  it('two topics of 12 with 2 consumers: each consumer holds 6 partitions of EACH topic under range, roundrobin, sticky and cooperative-sticky', () => {
    for (const assignor of ['range', 'roundrobin', 'sticky', 'cooperative-sticky']) {
      const { g } = group(assignor, [12, 12], 2, ['orders', 'payments']);
      const a = g.assignmentByTopic();
      expect(Object.keys(a)).toHaveLength(2);
      for (const id of Object.keys(a))
        for (const t of ['orders', 'payments']) expect(a[id][t]).toHaveLength(6);
      // every partition of every topic owned exactly once
      expect(g.owner.every((o) => o >= 0)).toBe(true);
      expect(g.partitions).toHaveLength(24);
    }
  });

  it('RangeAssignor Javadoc: C0 [t0p0, t0p1, t1p0, t1p1], C1 [t0p2, t1p2] (range per topic)', () => {
    const { g } = group('range', [3, 3], 2, ['t0', 't1']);
    expect(listing(g)).toEqual([
      ['t0-0', 't0-1', 't1-0', 't1-1'],
      ['t0-2', 't1-2'],
    ]);
  });

  it('RoundRobinAssignor Javadoc: C0 [t0p0, t0p2, t1p1], C1 [t0p1, t1p0, t1p2] (all partitions sorted by topic then partition)', () => {
    const { g } = group('roundrobin', [3, 3], 2, ['t0', 't1']);
    expect(listing(g)).toEqual([
      ['t0-0', 't0-2', 't1-1'],
      ['t0-1', 't1-0', 't1-2'],
    ]);
  });

  it('AbstractStickyAssignorTest.testTwoConsumersTwoTopicsSixPartitions through the group: the two members get what the assignor gives consumer1 and consumer2', () => {
    const { g } = group('sticky', [3, 3], 2);
    // Kafka's expected assignment: consumer1 [topic1-0, topic1-2, topic2-1], consumer2 [topic1-1, topic2-0, topic2-2]
    const kafka = [
      ['topic1-0', 'topic1-2', 'topic2-1'],
      ['topic1-1', 'topic2-0', 'topic2-2'],
    ];
    const got = listing(g);
    expect([...got].sort()).toEqual([...kafka].sort());
    // and exactly what the assignor gives the group's member ids
    const ids = Object.keys(g.assignmentByTopic()).sort();
    const direct = stickyAssign(
      ids.map((id) => ({ memberId: id, topics: ['topic1', 'topic2'], owned: [] })),
      { topic1: 3, topic2: 3 },
    );
    expect(got).toEqual(ids.map((id) => direct[id].map((x) => `${x.topic}-${x.partition}`).sort()));
  });

  it('testTopicBalanceAfterReassignment through the group: one member holds both topics of 12; a second joins (cooperative-sticky) and each ends with 6 of each', () => {
    const { sim, g } = group('cooperative-sticky', [12, 12], 1);
    expect(listing(g)[0]).toHaveLength(24);
    g.addMember();
    sim.run({ until: 15 });
    const a = g.assignmentByTopic();
    expect(Object.keys(a)).toHaveLength(2);
    for (const id of Object.keys(a))
      for (const t of ['topic1', 'topic2']) expect(a[id][t]).toHaveLength(6);
    expect(g.stats.partitionsMoved).toBe(12); // only the 12 that change owner move
  });
});

function twoTopics(over: Partial<KafkaConfig> = {}): KafkaConfig {
  return {
    brokers: 3,
    topics: [
      { name: 'orders', partitions: 4, 'replication.factor': 3 },
      { name: 'payments', partitions: 6, 'replication.factor': 3 },
    ],
    producers: [
      {
        name: 'orders',
        topic: 'orders',
        rate: 600,
        keys: { type: 'uniform', count: 30 },
        stopAtMs: 4000,
      },
      {
        name: 'payments',
        topic: 'payments',
        rate: 400,
        keys: { type: 'uniform', count: 30 },
        stopAtMs: 4000,
      },
    ],
    groups: [
      {
        groupId: 'g',
        topics: ['orders', 'payments'],
        members: 3,
        processing: Exponential.withMean(0.0005),
        commit: 'after-processing',
        config: { 'auto.offset.reset': 'earliest' },
      },
    ],
    ...over,
  };
}

describe('a group over two topics: the poll loop, the summary, reproducibility', () => {
  it('conservation: every record of every topic is consumed exactly once (manual commits, no failures)', () => {
    const sim = new Simulation({ seed: 9 });
    const c = new KafkaCluster(sim, { brokers: 1 });
    c.createTopic('orders', { partitions: 4 });
    c.createTopic('payments', { partitions: 6 });
    const po = new Producer(c, { topic: 'orders', rate: 800, stopAtMs: 4000 });
    const pp = new Producer(c, { topic: 'payments', rate: 500, stopAtMs: 4000 });
    const g = new ConsumerGroup(c, {
      groupId: 'g',
      topics: ['orders', 'payments'],
      members: 3,
      processing: Exponential.withMean(0.0005),
      commit: 'after-processing',
      recordDeliveries: true,
      config: { 'auto.offset.reset': 'earliest' },
    });
    sim.run({ until: 8 });
    const sent = po.counts.sent + pp.counts.sent;
    expect(po.counts.sent).toBeGreaterThan(2500);
    expect(pp.counts.sent).toBeGreaterThan(1500);
    const d = g.deliveries!;
    expect(d.record.length).toBe(sent);
    expect(new Set(d.record).size).toBe(sent);
    expect(g.stats.duplicates).toBe(0);
    let notOnce = 0;
    for (let id = 0; id < sent; id++) if (g.timesProcessed(id) !== 1) notOnce++;
    expect(notOnce).toBe(0);
    // each topic's records all processed; committed offsets at each partition's HW, nothing left
    const perTopic = { orders: 0, payments: 0 } as Record<string, number>;
    for (const id of d.record) perTopic[c.recordTopic[id]]++;
    expect(perTopic).toEqual({ orders: po.counts.sent, payments: pp.counts.sent });
    g.partitions.forEach((partition, p) => expect(g.committed[p]).toBe(partition.highWatermark));
    expect(g.totalBacklog()).toBe(0);
    expect(g.endToEndOf('orders').summary().count + g.endToEndOf('payments').summary().count).toBe(
      g.endToEnd.summary().count,
    );
  });

  it("the summary keeps backlog and end-to-end latency per topic (summing to the group's), and is reproducible", () => {
    const s = simulateKafka(twoTopics(), { seed: 4, duration: 6 });
    const g = s.groups.g;
    expect(Object.keys(g.topics)).toEqual(['orders', 'payments']);
    expect(g.topics.orders.endToEnd.count + g.topics.payments.endToEnd.count).toBe(
      g.endToEnd.count,
    );
    expect(g.topics.orders.backlogEnd + g.topics.payments.backlogEnd).toBe(g.backlogEnd);
    expect(g.processed).toBe(s.producers.orders.sent + s.producers.payments.sent);
    const a = JSON.stringify(s);
    expect(JSON.stringify(simulateKafka(twoTopics(), { seed: 4, duration: 6 }))).toBe(a);
    expect(JSON.stringify(simulateKafka(twoTopics(), { seed: 5, duration: 6 }))).not.toBe(a);
  });

  it('a one-topic group through `topics: [t]` is the same as `topic: t`', () => {
    const one = twoTopics({
      groups: [
        { groupId: 'g', topic: 'orders', members: 2, processing: Exponential.withMean(0.0005) },
      ],
    });
    const list = twoTopics({
      groups: [
        { groupId: 'g', topics: ['orders'], members: 2, processing: Exponential.withMean(0.0005) },
      ],
    });
    expect(JSON.stringify(simulateKafka(list, { seed: 2, duration: 3 }))).toBe(
      JSON.stringify(simulateKafka(one, { seed: 2, duration: 3 })),
    );
  });
});

describe('typed errors for the subscription', () => {
  const errorOf = (f: () => unknown): ParameterError => {
    try {
      f();
    } catch (e) {
      if (e instanceof ParameterError) return e;
      throw e;
    }
    throw new Error('no error');
  };
  const withGroup = (g: object) =>
    twoTopics({ groups: [{ groupId: 'g', processing: new Deterministic(0.001), ...g }] });

  it('an unknown topic is named by its path, with the nearest topic suggested', () => {
    const e = errorOf(() => resolveKafkaConfig(withGroup({ topics: ['orders', 'paymets'] })));
    expect(e.parameter).toBe('groups[0].topics[1]');
    expect(e.value).toBe('paymets');
    expect(e.message).toContain('did you mean "payments"?');
    const f = errorOf(() => resolveKafkaConfig(withGroup({ topic: 'order' })));
    expect(f.parameter).toBe('groups[0].topic');
    expect(f.message).toContain('did you mean "orders"?');
  });

  it('topic and topics together, neither, an empty list or a repeated topic are ParameterErrors', () => {
    const both = errorOf(() =>
      resolveKafkaConfig(withGroup({ topic: 'orders', topics: ['payments'] })),
    );
    expect(both.parameter).toBe('groups[0].topics');
    expect(both.message).toContain('must not be given with topic');
    expect(errorOf(() => resolveKafkaConfig(withGroup({}))).parameter).toBe('groups[0].topic');
    expect(errorOf(() => resolveKafkaConfig(withGroup({ topics: [] }))).parameter).toBe(
      'groups[0].topics',
    );
    expect(
      errorOf(() => resolveKafkaConfig(withGroup({ topics: ['orders', 'orders'] }))).parameter,
    ).toBe('groups[0].topics[1]');
    expect(errorOf(() => resolveKafkaConfig(withGroup({ topicz: ['orders'] }))).message).toContain(
      'did you mean',
    );
  });

  it('the ConsumerGroup constructor checks the same', () => {
    const sim = new Simulation({ seed: 1 });
    const c = new KafkaCluster(sim, { brokers: 1 });
    c.createTopic('orders', { partitions: 2 });
    const e = errorOf(
      () =>
        new ConsumerGroup(c, {
          groupId: 'g',
          topics: ['ordrs'],
          processing: new Deterministic(0.001),
        }),
    );
    expect(e.parameter).toBe('topics[0]');
    expect(e.message).toContain('did you mean "orders"?');
    expect(
      errorOf(
        () =>
          new ConsumerGroup(c, {
            groupId: 'g',
            topic: 'orders',
            topics: ['orders'],
            processing: new Deterministic(0.001),
          }),
      ).parameter,
    ).toBe('topics');
  });
});
