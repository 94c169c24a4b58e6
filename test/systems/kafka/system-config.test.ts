import { ParameterError } from '../../../lib/errors';
import { Deterministic } from '../../../lib/random/deterministic';
import { Exponential } from '../../../lib/random/exponential';
import { FAILURE_SPEC_KEYS } from '../../../lib/systems/common/failures';
import {
  BROKER_SPEC_KEYS,
  GROUP_KEYS,
  KAFKA_KEYS,
  KEY_SPEC_KEYS,
  LAG_KEYS,
  MEMBERSHIP_KEYS,
  PRODUCER_KEYS,
  TOPIC_SPEC_KEYS,
  brokerDefaults,
  consumerDefaults,
  producerDefaults,
  resolveKafkaConfig,
  simulateKafka,
  topicDefaults,
} from '../../../lib/systems/kafka';
import type { KafkaConfig } from '../../../lib/systems/kafka';

// The contract (issue 14): every unknown key at every level is a ParameterError naming its path and
// suggesting the nearest known key; every bad value names its full path.

/** A config that sets every known key at every level. */
function everyKey(): KafkaConfig {
  return {
    profile: 'kafka@4.x',
    brokers: [
      { failures: { outages: [{ at: 1, duration: 0.5 }], mttf: 1e4, mttr: 1 } },
      {
        failures: {
          timeToFailure: Exponential.withMean(1e4),
          timeToRepair: new Deterministic(1),
          restoredAt: 5,
        },
      },
      {},
    ],
    broker: brokerDefaults(),
    networkDelayMs: 1,
    brokersRestoredAt: 5,
    topics: [
      {
        name: 'events',
        ...topicDefaults(),
        partitions: 4,
        'replication.factor': 3,
        'min.insync.replicas': 2,
      },
    ],
    producers: [
      {
        name: 'p',
        topic: 'events',
        config: producerDefaults(),
        profile: 'kafka@4.x',
        recordBytes: 500,
        rate: 100,
        interarrival: Exponential.withMean(0.01),
        keys: { type: 'uniform', count: 10, hotKeyShare: 0.1 },
        startAtMs: 0,
        stopAtMs: 4000,
      },
    ],
    groups: [
      {
        groupId: 'g',
        topic: 'events',
        config: { ...consumerDefaults(), 'enable.auto.commit': true },
        profile: 'kafka@4.x',
        members: 2,
        processing: new Deterministic(0.001),
        commit: 'auto',
        recordDeliveries: true,
        membership: [{ atMs: 2000, action: 'crash', member: 0 }],
        lag: { intervalMs: 500, kind: 'backlog' },
      },
      { groupId: 'g2', topics: ['events'], processing: new Deterministic(0.001) },
    ],
  };
}

const sorted = (xs: readonly string[]) => [...xs].sort();
/** Sets a key the types do not allow (the point of these tests). */
const set = (obj: unknown, key: string, value: unknown): void => {
  (obj as Record<string, unknown>)[key] = value;
};
const brokersOf = (c: KafkaConfig) => c.brokers as Array<{ failures: { outages: object[] } }>;

describe('Kafka config: the known-key lists are complete', () => {
  it('a config with every known key resolves, and each level has exactly the listed keys', () => {
    const c = everyKey();
    expect(() => resolveKafkaConfig(c)).not.toThrow();
    const brokers = c.brokers as Array<{ failures?: object }>;
    expect(sorted(Object.keys(c))).toEqual(sorted(KAFKA_KEYS));
    expect(sorted(Object.keys(brokers[0]))).toEqual(sorted(BROKER_SPEC_KEYS));
    expect(
      sorted(
        [...Object.keys(brokers[0].failures!), ...Object.keys(brokers[1].failures!)].filter(
          (k, i, a) => a.indexOf(k) === i,
        ),
      ),
    ).toEqual(sorted(FAILURE_SPEC_KEYS));
    expect(sorted(Object.keys(c.topics[0]))).toEqual(sorted(TOPIC_SPEC_KEYS));
    expect(sorted(Object.keys(c.producers![0]))).toEqual(sorted(PRODUCER_KEYS));
    expect(sorted(Object.keys(c.producers![0].keys!))).toEqual(sorted(KEY_SPEC_KEYS));
    // topic and topics exclude each other: the second group subscribes with topics
    expect(
      sorted([...new Set([...Object.keys(c.groups![0]), ...Object.keys(c.groups![1])])]),
    ).toEqual(sorted(GROUP_KEYS));
    expect(sorted(Object.keys(c.groups![0].membership![0]))).toEqual(sorted(MEMBERSHIP_KEYS));
    expect(sorted(Object.keys(c.groups![0].lag!))).toEqual(sorted(LAG_KEYS));
  });

  it('the every-key config runs', () => {
    const s = simulateKafka(everyKey(), { seed: 1, duration: 6 });
    expect(s.producers.p.sent).toBeGreaterThan(0);
    expect(s.groups.g.lagSeries!.t).toHaveLength(13); // every 500 ms over 6 s, both ends
    expect(s.brokers[0].failures).toBe(1); // the outage at 1 s; mttf = 10^7 ms fails nothing more
  });
});

describe('Kafka config: unknown keys at every level', () => {
  const cases: Array<[string, (c: KafkaConfig) => void, string, string]> = [
    ['top level', (c) => set(c, 'brokrs', 3), 'brokrs', 'brokers'],
    ['a broker', (c) => set(brokersOf(c)[2], 'failure', {}), 'brokers[2].failure', 'failures'],
    [
      'a broker failure spec',
      (c) => set(brokersOf(c)[0].failures, 'mtbf', 5),
      'brokers[0].failures.mtbf',
      'mttf',
    ],
    [
      'an outage',
      (c) => set(brokersOf(c)[0].failures.outages[0], 'durtion', 5),
      'brokers[0].failures.outages[0].durtion',
      'duration',
    ],
    [
      'server settings',
      (c) => set(c.broker, 'replica.lag.time.max', 1),
      'broker.replica.lag.time.max',
      'replica.lag.time.max.ms',
    ],
    [
      'a topic',
      (c) => set(c.topics[0], 'min.insync.replica', 1),
      'topics[0].min.insync.replica',
      'min.insync.replicas',
    ],
    ['a producer', (c) => set(c.producers![0], 'rates', 1), 'producers[0].rates', 'rate'],
    [
      'producer settings',
      (c) => set(c.producers![0].config, 'linger.m', 1),
      'producers[0].config.linger.m',
      'linger.ms',
    ],
    ['a key spec', (c) => set(c.producers![0].keys, 'cout', 1), 'producers[0].keys.cout', 'count'],
    ['a group', (c) => set(c.groups![0], 'member', 1), 'groups[0].member', 'members'],
    [
      'consumer settings',
      (c) => set(c.groups![0].config, 'session.timeout', 1),
      'groups[0].config.session.timeout',
      'session.timeout.ms',
    ],
    [
      'a membership change',
      (c) => set(c.groups![0].membership![0], 'at', 1),
      'groups[0].membership[0].at',
      'atMs',
    ],
    [
      'the lag option',
      (c) => set(c.groups![0].lag, 'interval', 1),
      'groups[0].lag.interval',
      'intervalMs',
    ],
  ];
  it.each(cases)(
    '%s: a ParameterError naming the path and the nearest key',
    (_, mutate, path, near) => {
      const c = everyKey();
      mutate(c);
      let err: unknown = null;
      try {
        resolveKafkaConfig(c);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).parameter).toBe(path);
      expect((err as ParameterError).message).toContain(`did you mean "${near}"?`);
    },
  );

  it('simulateKafka checks before it runs', () => {
    expect(() =>
      simulateKafka({ topics: [{ name: 't' }], producer: [] } as never, { duration: 1 }),
    ).toThrow(/did you mean "producers"/);
  });
});

describe('Kafka config: bad values name their full path', () => {
  const cases: Array<[string, (c: KafkaConfig) => void, RegExp]> = [
    [
      'linger.ms < 0',
      (c) => (c.producers![0].config!['linger.ms'] = -1),
      /^producers\[0\]\.config\.linger\.ms = -1/,
    ],
    [
      'acks',
      (c) => (c.producers![0].config!.acks = 2 as never),
      /^producers\[0\]\.config\.acks = 2/,
    ],
    [
      'min.insync.replicas > replication.factor',
      (c) => (c.topics[0]['min.insync.replicas'] = 4),
      /^topics\[0\]\.min\.insync\.replicas = 4/,
    ],
    [
      'replication.factor > brokers',
      (c) => (c.brokers = 2),
      /^topics\[0\]\.replication\.factor = 3/,
    ],
    ['an unknown topic', (c) => (c.groups![0].topic = 'nope'), /^groups\[0\]\.topic = "nope"/],
    [
      'a duplicate topic',
      (c) => c.topics.push({ name: 'events' }),
      /^topics\[1\]\.name = "events".*TopicExistsException/,
    ],
    [
      'session.timeout.ms',
      (c) => (c.groups![0].config!['session.timeout.ms'] = 10),
      /^groups\[0\]\.config\.session\.timeout\.ms = 10/,
    ],
    [
      'mttf without mttr',
      (c) => (c.brokers = [{ failures: { mttf: 10 } }, {}, {}]),
      /^brokers\[0\]\.failures\.mttr/,
    ],
    [
      'a membership action',
      (c) => (c.groups![0].membership![0].action = 'explode' as never),
      /^groups\[0\]\.membership\[0\]\.action = "explode"/,
    ],
    [
      'the lag kind',
      (c) => (c.groups![0].lag!.kind = 'lagging' as never),
      /^groups\[0\]\.lag\.kind = "lagging"/,
    ],
    [
      'hotKeyShare',
      (c) => (c.producers![0].keys = { type: 'uniform', count: 3, hotKeyShare: 2 }),
      /^producers\[0\]\.keys\.hotKeyShare = 2/,
    ],
    ['no topics', (c) => (c.topics = []), /^topics = \[\]/],
    ['networkDelayMs', (c) => (c.networkDelayMs = -1), /^networkDelayMs = -1/],
  ];
  it.each(cases)('%s', (_, mutate, message) => {
    const c = everyKey();
    mutate(c);
    expect(() => resolveKafkaConfig(c)).toThrow(ParameterError);
    expect(() => resolveKafkaConfig(c)).toThrow(message);
  });
});
