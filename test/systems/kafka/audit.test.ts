import { Simulation } from '../../../lib/sim/simulation';
import { Deterministic } from '../../../lib/random/deterministic';
import { ParameterError } from '../../../lib/errors';
import {
  KafkaCluster,
  Producer,
  ConsumerGroup,
  producerConfig,
  simulateKafka,
  partitionForKey,
  stickyAssign,
  cooperativeStickyAssign,
} from '../../../lib/systems/kafka';
import type { Acks, ProducerConfig } from '../../../lib/systems/kafka';
import { skipped } from '../../../lib/systems/kafka/group-lag';
import { rebalanceLag } from '../../../lib/labs/lab09/rebalance-lag';

// Issue 16, Kafka points 1-4, 6 and 7: where an audit found the simulator apart from Kafka's own sources.

function setup(
  config: Partial<ProducerConfig> & { acks: Acks },
  minIsr = 1,
  seed = 1,
  networkDelayMs = 0.5,
) {
  const sim = new Simulation({ seed });
  const cluster = new KafkaCluster(sim, { brokers: 3, networkDelayMs });
  cluster.createTopic('t', {
    partitions: 1,
    'replication.factor': 3,
    'min.insync.replicas': minIsr,
  });
  const producer = new Producer(cluster, { topic: 't', config: { 'linger.ms': 0, ...config } });
  const partition = cluster.topic('t').partitions[0];
  const copies = (id: number): number =>
    partition.replicas.filter((r) => cluster.inLog(r.log, id)).length;
  const produce = (n: number, gapS = 0.001): void => {
    for (let i = 0; i < n; i++) {
      producer.send(-1);
      sim.run({ until: sim.now + gapS });
    }
  };
  return { sim, cluster, producer, partition, copies, produce };
}

describe('1. acks=all with min.insync.replicas (core/src/main/scala/kafka/cluster/Partition.scala, checkEnoughReplicasReachOffset)', () => {
  it('records appended while the followers stall are not acknowledged when the ISR shrinks to the leader: NOT_ENOUGH_REPLICAS_AFTER_APPEND, then NOT_ENOUGH_REPLICAS', () => {
    const s = setup({ acks: 'all' }, 2);
    let singleCopyAcks = 0;
    s.producer.onAck = (id) => {
      if (s.copies(id) < 2) singleCopyAcks++;
    };
    s.produce(20);
    s.sim.run({ until: s.sim.now + 0.1 });
    expect(s.producer.counts.acked).toBe(20);
    s.cluster.setFetchingPaused(1, true);
    s.cluster.setFetchingPaused(2, true);
    s.produce(5);
    s.sim.run({ until: s.sim.now + 45 }); // replica.lag.time.max.ms = 30 s, checked every 15 s
    expect(s.partition.isr.size).toBe(1);
    expect(s.producer.counts.acked).toBe(20); // never acknowledged with one copy
    expect(s.producer.errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND).toBeGreaterThanOrEqual(1);
    expect(s.producer.errors.NOT_ENOUGH_REPLICAS).toBeGreaterThanOrEqual(1);
    // the followers come back, rejoin the ISR, and the retries (idempotent: already in the log) are acknowledged
    s.cluster.setFetchingPaused(1, false);
    s.cluster.setFetchingPaused(2, false);
    s.sim.run({ until: s.sim.now + 2 });
    expect(s.partition.isr.size).toBe(3);
    expect(s.producer.counts.acked).toBe(25);
    expect(s.partition.replicas[0].log).toHaveLength(25); // no record appended twice
    expect(singleCopyAcks).toBe(0);
  });
});

describe('4. acks=0 to a crashed leader (clients/.../producer/internals/Sender.java: sendProducerData drains only to ready nodes)', () => {
  it('records sent while the leader is down wait in the accumulator and go to the new leader: only what was on the wire at the crash is lost', () => {
    const s = setup({ acks: 0 }, 1, 1, 5);
    s.produce(200, 0.01);
    s.cluster.crashBroker(0);
    s.produce(500, 0.01); // 5 s of records before the controller fences broker 0 (9 s)
    s.sim.run({ until: s.sim.now + 10 });
    s.cluster.recoverBroker(0);
    s.sim.run({ until: s.sim.now + 5 });
    expect(s.partition.replicas[s.partition.leader].broker).not.toBe(0);
    // followers trail the leader by about a fetch round trip (2 x 5 ms) at 100 records/s: a record or two at the crash
    expect(s.cluster.acknowledgedLost('t')).toBeLessThanOrEqual(3);
    expect(s.partition.replicas[s.partition.leader].log.length).toBeGreaterThanOrEqual(697);
  });
});

describe('2. ordering through a leader failover (RecordAccumulator.java reenqueue/insertInSequenceOrder; idempotent sequence numbers)', () => {
  const inversions = (config: Partial<ProducerConfig>): { inv: number; duplicates: number } => {
    const s = setup({ acks: 'all', ...config }, 1, 3, 2);
    s.produce(300, 0.002);
    s.cluster.crashBroker(0);
    s.produce(300, 0.002);
    s.sim.run({ until: s.sim.now + 60 });
    s.cluster.recoverBroker(0);
    s.sim.run({ until: s.sim.now + 5 });
    const log = s.partition.replicas[s.partition.leader].log;
    // records are sent in id order: count first appearances after a later record, and repeated appearances
    const seen = new Set<number>();
    let inv = 0;
    let duplicates = 0;
    let last = -1;
    for (const id of log) {
      if (seen.has(id)) {
        duplicates++;
        continue;
      }
      seen.add(id);
      if (id < last) inv++;
      last = Math.max(last, id);
    }
    expect(s.producer.counts.acked + s.producer.counts.failed).toBe(600);
    return { inv, duplicates };
  };
  it('one request in flight keeps the order, with or without idempotence', () => {
    expect(
      inversions({ 'max.in.flight.requests.per.connection': 1, 'enable.idempotence': false }).inv,
    ).toBe(0);
    expect(inversions({ 'max.in.flight.requests.per.connection': 1 })).toEqual({
      inv: 0,
      duplicates: 0,
    });
  });
  it('idempotence keeps the order with five in flight and appends nothing twice; without it the retries duplicate', () => {
    expect(inversions({ 'max.in.flight.requests.per.connection': 5 })).toEqual({
      inv: 0,
      duplicates: 0,
    });
    expect(
      inversions({ 'max.in.flight.requests.per.connection': 5, 'enable.idempotence': false })
        .duplicates,
    ).toBeGreaterThan(0);
  });
});

describe('3. batching under backpressure with linger.ms=0 (RecordAccumulator.java: append to the last batch of the deque until drained)', () => {
  it('kafka@3.x (acks=all, linger.ms=0) with one request in flight over a slow link keeps up with the offered rate', () => {
    // d = 10 ms one way: an acks=all request takes about 4d = 40 ms; one record per request would cap at 25/s
    const run = (profile: 'kafka@3.x' | 'kafka@2.x') =>
      simulateKafka(
        {
          profile,
          brokers: 3,
          networkDelayMs: 10,
          topics: [{ name: 't', partitions: 1, 'replication.factor': 3 }],
          producers: [
            { topic: 't', rate: 200, config: { 'max.in.flight.requests.per.connection': 1 } },
          ],
        },
        { seed: 2, warmup: 2, duration: 10 },
      ).producers.producer;
    const p = run('kafka@3.x');
    // Poisson(2000) records in 10 s: sd 45, so 4 sd is 18/s
    expect(Math.abs(p.throughput - 200)).toBeLessThan(18);
    // 200/s x 40 ms: about 8 records share a request
    expect(p.requests / p.sent).toBeLessThan(0.25);
    expect(producerConfig({}, 'kafka@3.x')).toMatchObject({
      acks: 'all',
      'linger.ms': 0,
      'enable.idempotence': true,
    });
    const old = run('kafka@2.x'); // acks=1: about 2d per request, still batched under backpressure
    expect(Math.abs(old.throughput - 200)).toBeLessThan(18);
  });
});

describe('6. a graceful leave (clients/.../consumer/internals/ConsumerCoordinator.java close → maybeAutoCommitOffsetsSync only with auto-commit)', () => {
  const leaveMidBatch = (enableAutoCommit: boolean) => {
    const sim = new Simulation({ seed: 5 });
    const c = new KafkaCluster(sim, { brokers: 1 });
    c.createTopic('t', { partitions: 1 });
    const producer = new Producer(c, { topic: 't', config: { acks: 1, 'linger.ms': 0 } });
    for (let i = 0; i < 400; i++) producer.send(-1);
    const g = new ConsumerGroup(c, {
      groupId: 'g',
      topic: 't',
      members: 1,
      processing: new Deterministic(0.01),
      config: {
        'auto.offset.reset': 'earliest',
        'enable.auto.commit': enableAutoCommit,
        'max.poll.records': 100,
      },
    });
    sim.run({ until: 4.5 }); // joined after group.initial.rebalance.delay.ms (3 s), mid-batch of 100 records
    const processedAtLeave = g.processedPosition[0];
    g.leave(0);
    const committedAtLeave = g.committed[0];
    g.addMember();
    sim.run({ until: 20 });
    return {
      processedAtLeave,
      committedAtLeave,
      skipped: skipped(g),
      processed: g.stats.processed,
    };
  };
  it('with manual commits close() commits nothing: the rest of the batch is redelivered, nothing is skipped', () => {
    const r = leaveMidBatch(false);
    expect(r.committedAtLeave).toBeLessThanOrEqual(r.processedAtLeave);
    expect(r.skipped).toBe(0);
    expect(r.processed).toBeGreaterThanOrEqual(400);
  });
  it('with auto-commit close() commits the polled positions, past the rest of the batch', () => {
    const r = leaveMidBatch(true);
    expect(r.committedAtLeave).toBeGreaterThan(r.processedAtLeave);
    expect(r.skipped).toBe(r.committedAtLeave - r.processedAtLeave);
  });
});

describe('7. producerConfig as KafkaProducer (clients/.../producer/ProducerConfig.java postProcessAndValidateIdempotenceConfigs; KafkaProducer.configureDeliveryTimeout)', () => {
  it('retries=0 with explicit idempotence is a ConfigException; retries=0 alone turns default idempotence off', () => {
    expect(() => producerConfig({ retries: 0, 'enable.idempotence': true })).toThrow(
      ParameterError,
    );
    expect(() => producerConfig({ retries: 0, 'enable.idempotence': true })).toThrow(/retries/);
    expect(producerConfig({ retries: 0 })['enable.idempotence']).toBe(false);
    expect(producerConfig({ acks: 1 })['enable.idempotence']).toBe(false);
    expect(() => producerConfig({ acks: 1, 'enable.idempotence': true })).toThrow(/acks=all/);
    expect(
      producerConfig({ 'max.in.flight.requests.per.connection': 6 })['enable.idempotence'],
    ).toBe(false);
    expect(() =>
      producerConfig({ 'max.in.flight.requests.per.connection': 6, 'enable.idempotence': true }),
    ).toThrow(/max.in.flight/);
  });
  it('request.timeout.ms above the default delivery.timeout.ms raises the default; an explicit delivery.timeout.ms below fails', () => {
    expect(producerConfig({ 'request.timeout.ms': 200000 })['delivery.timeout.ms']).toBe(200005); // linger.ms 5 + request.timeout.ms
    expect(
      producerConfig({ 'request.timeout.ms': 200000 }, 'kafka@2.x')['delivery.timeout.ms'],
    ).toBe(200000);
    expect(() =>
      producerConfig({ 'request.timeout.ms': 200000, 'delivery.timeout.ms': 120000 }),
    ).toThrow(/delivery.timeout.ms/);
  });
});

describe('8. offline partitions and the stalled band', () => {
  it("cluster.offline: the crashed leader's partition is offline until the controller fences it (broker.session.timeout.ms = 9 s)", () => {
    const s = simulateKafka(
      {
        brokers: [{ failures: { outages: [{ at: 2, duration: 20 }] } }, {}, {}],
        topics: [{ name: 't', partitions: 3, 'replication.factor': 3 }],
      },
      { seed: 1, duration: 30 },
    );
    // broker 0 leads partition 0 only (replicas of p on brokers p, p+1, p+2): 9 partition-seconds
    expect(s.cluster.offline).toBeCloseTo(9, 9);
  });
  it('the stalled-partitions band of the rebalance figure stays within [0, P]', async () => {
    const t = await rebalanceLag.run(
      { durationS: 24, eventAtS: 12, partitions: 6, consumers: 2, assignors: ['range'] },
      { seed: 2, replications: 2 },
    );
    const fig = rebalanceLag.figures(t, rebalanceLag.resolve({ partitions: 6 }))[1] as unknown as {
      data: Array<{ y?: unknown[] }>;
    };
    expect(fig.data.length).toBeGreaterThan(0);
    for (const trace of fig.data)
      for (const y of trace.y ?? []) if (typeof y === 'number') expect(y).toBeLessThanOrEqual(6);
  });
});

describe('9. string keys (clients/.../producer/internals/BuiltInPartitioner.java partitionForKey; common/utils/Utils.java murmur2 of the UTF-8 bytes)', () => {
  it('a string key goes to toPositive(murmur2(UTF-8 bytes)) mod P, the same partition every time; non-ASCII keys by their UTF-8 bytes', () => {
    const sim = new Simulation({ seed: 1 });
    const c = new KafkaCluster(sim, { brokers: 1 });
    c.createTopic('t', { partitions: 7 });
    const producer = new Producer(c, { topic: 't', config: { acks: 1 } });
    for (const key of ['user-42', 'order:2024-01', 'ключ', '鍵', '']) {
      const a = producer.send(key);
      const b = producer.send(key);
      expect(c.recordPartition[a]).toBe(partitionForKey(new TextEncoder().encode(key), 7));
      expect(c.recordPartition[b]).toBe(c.recordPartition[a]);
      expect(c.recordKey[b]).toBe(c.recordKey[a]);
    }
    // UtilsTest.testMurmur2 vector: "21" hashes to -973932308, so it goes to (-973932308 & 0x7fffffff) % 7
    expect(c.recordPartition[producer.send('21')]).toBe((-973932308 & 0x7fffffff) % 7);
  });
});

describe("5. sticky assignors as Kafka's own tests (clients/src/test/java/org/apache/kafka/clients/consumer/internals/AbstractStickyAssignorTest.java)", () => {
  const parts = (...xs: Array<[string, number]>) =>
    xs.map(([t, p]) => ({ topic: t, partition: p }));
  const sortTp = (xs: readonly { topic: string; partition: number }[]) =>
    [...xs].map((x) => `${x.topic}-${x.partition}`).sort();
  const member = (
    id: string,
    topics: string[],
    owned: Array<{ topic: string; partition: number }> = [],
  ) => ({ memberId: id, topics: topics, owned: owned });
  const all2 = ['topic1', 'topic2'];

  it('testTwoConsumersTwoTopicsSixPartitions', () => {
    const a = stickyAssign([member('consumer1', all2), member('consumer2', all2)], {
      topic1: 3,
      topic2: 3,
    });
    expect(a.consumer1).toEqual(parts(['topic1', 0], ['topic1', 2], ['topic2', 1]));
    expect(a.consumer2).toEqual(parts(['topic1', 1], ['topic2', 0], ['topic2', 2]));
  });

  it('testConsumerOwningMinQuotaExpectedMaxQuota', () => {
    const a = stickyAssign(
      [
        member('consumer1', all2, parts(['topic1', 0], ['topic2', 1])),
        member('consumer2', all2, parts(['topic1', 1], ['topic2', 2])),
      ],
      { topic1: 2, topic2: 3 },
    );
    expect(a.consumer1).toEqual(parts(['topic1', 0], ['topic2', 1], ['topic2', 0]));
    expect(a.consumer2).toEqual(parts(['topic1', 1], ['topic2', 2]));
  });

  it('testAddRemoveConsumerOneTopic: the joining member takes topic-2', () => {
    const first = stickyAssign([member('consumer1', ['topic'])], { topic: 3 });
    expect(first.consumer1).toEqual(parts(['topic', 0], ['topic', 1], ['topic', 2]));
    const c = cooperativeStickyAssign(
      [member('consumer1', ['topic'], first.consumer1), member('consumer2', ['topic'])],
      { topic: 3 },
    );
    expect(c.target.consumer1).toEqual(parts(['topic', 0], ['topic', 1]));
    expect(c.target.consumer2).toEqual(parts(['topic', 2]));
    expect(c.revoked.consumer1).toEqual(parts(['topic', 2])); // partitionsTransferringOwnership = {topic-2: consumer2}
    expect(c.firstRound.consumer2).toEqual([]);
  });

  it('testTopicBalanceAfterReassignment: two topics of 12, a second consumer gets 6 of each (not a whole topic)', () => {
    const count = (xs: readonly { topic: string }[], t: string) =>
      xs.filter((x) => x.topic === t).length;
    const a1 = stickyAssign([member('consumer1', all2)], { topic1: 12, topic2: 12 });
    const a2 = stickyAssign([member('consumer1', all2, a1.consumer1), member('consumer2', all2)], {
      topic1: 12,
      topic2: 12,
    });
    for (const id of ['consumer1', 'consumer2'])
      for (const t of all2) expect(count(a2[id], t)).toBe(6);
    const a4 = stickyAssign(
      [
        member('consumer1', all2, a2.consumer1),
        member('consumer2', all2, a2.consumer2),
        member('consumer3', all2),
        member('consumer4', all2),
      ],
      { topic1: 12, topic2: 12 },
    );
    for (const id of ['consumer1', 'consumer2', 'consumer3', 'consumer4'])
      for (const t of all2) expect(count(a4[id], t)).toBe(3);
    const back = stickyAssign(
      [member('consumer3', all2, a4.consumer3), member('consumer4', all2, a4.consumer4)],
      { topic1: 12, topic2: 12 },
    );
    for (const id of ['consumer3', 'consumer4'])
      for (const t of all2) expect(count(back[id], t)).toBe(6);
    // cooperative-sticky gives the same target (CooperativeStickyAssignorTest runs the same cases)
    expect(
      cooperativeStickyAssign(
        [member('consumer1', all2, a1.consumer1), member('consumer2', all2)],
        { topic1: 12, topic2: 12 },
      ).target,
    ).toEqual(a2);
  });

  it('testAddRemoveTwoConsumersTwoTopics, including which partitions move', () => {
    const a = stickyAssign([member('consumer1', all2), member('consumer2', all2)], {
      topic1: 3,
      topic2: 4,
    });
    expect(a.consumer1).toEqual(parts(['topic1', 0], ['topic1', 2], ['topic2', 1], ['topic2', 3]));
    expect(a.consumer2).toEqual(parts(['topic1', 1], ['topic2', 0], ['topic2', 2]));
    const c = cooperativeStickyAssign(
      [
        member('consumer1', all2, a.consumer1),
        member('consumer2', all2, a.consumer2),
        member('consumer3', all2),
        member('consumer4', all2),
      ],
      { topic1: 3, topic2: 4 },
    );
    const b = c.target;
    expect(sortTp(b.consumer1)).toEqual(sortTp(parts(['topic1', 0], ['topic2', 1])));
    expect(sortTp(b.consumer2)).toEqual(sortTp(parts(['topic2', 0], ['topic1', 1])));
    expect(sortTp(b.consumer3)).toEqual(sortTp(parts(['topic1', 2], ['topic2', 3])));
    expect(sortTp(b.consumer4)).toEqual(sortTp(parts(['topic2', 2])));
    // partitionsTransferringOwnership = {topic1-2: consumer3, topic2-3: consumer3, topic2-2: consumer4}
    expect(sortTp([...c.revoked.consumer1, ...c.revoked.consumer2])).toEqual([
      'topic1-2',
      'topic2-2',
      'topic2-3',
    ]);
    const d = stickyAssign(
      [member('consumer3', all2, b.consumer3), member('consumer4', all2, b.consumer4)],
      { topic1: 3, topic2: 4 },
    );
    expect(d.consumer3).toEqual(parts(['topic1', 2], ['topic2', 3], ['topic1', 0], ['topic2', 1]));
    expect(d.consumer4).toEqual(parts(['topic2', 2], ['topic1', 1], ['topic2', 0]));
  });
});

describe('the producer as a callee: onAck and onFail (a caller waiting for the acknowledgement, lib/systems/architecture)', () => {
  it('every record sent ends exactly once, in onAck or in onFail; with the only replica down and retries 0 it fails', () => {
    const s = setup(
      { acks: 'all', retries: 0, 'request.timeout.ms': 50, 'delivery.timeout.ms': 100 },
      1,
    );
    const acked = new Set<number>();
    const failed = new Set<number>();
    s.producer.onAck = (id) => acked.add(id);
    s.producer.onFail = (id) => failed.add(id);
    s.produce(10);
    s.sim.run({ until: s.sim.now + 0.1 });
    expect(acked.size).toBe(10);
    s.cluster.crashBroker(0);
    s.cluster.crashBroker(1);
    s.cluster.crashBroker(2);
    s.produce(5);
    s.sim.run({ until: s.sim.now + 5 });
    expect(failed.size).toBe(s.producer.counts.failed);
    expect(failed.size).toBeGreaterThan(0);
    for (const id of failed) expect(acked.has(id)).toBe(false);
    expect(acked.size + failed.size).toBe(s.producer.counts.sent);
  });
});
