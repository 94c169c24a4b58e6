/**
 * Kafka's configuration knobs under their real names, with the real defaults per version
 * (`profile`: `kafka@4.x`, the default, `kafka@3.x` or `kafka@2.x` where a default changed), and validation
 * that throws a {@link ParameterError} naming the knob, its value and what is allowed.
 *
 * Sources: ProducerConfig.java, ConsumerConfig.java and server Defaults.java in apache/kafka;
 * KIP-679 (acks=all and idempotence by default from 3.0), KIP-1030 (linger.ms 5 from 4.0),
 * KIP-735 (session.timeout.ms 45000 from 3.0).
 */
import { ParameterError, requireInteger } from '../../errors';
import { rejectUnknownKeys } from '../common/config';
import { assignorNames } from './assignors';
import type { AssignorName } from './assignors';

export const kafkaProfiles = ['kafka@4.x', 'kafka@3.x', 'kafka@2.x'] as const;
export type KafkaProfile = (typeof kafkaProfiles)[number];

/** `acks`: 0 (no acknowledgement), 1 (leader wrote it), 'all' (= -1: the whole current ISR has it). */
export type Acks = 0 | 1 | 'all';

export interface ProducerConfig {
  acks: Acks;
  'batch.size': number;
  'linger.ms': number;
  retries: number;
  'retry.backoff.ms': number;
  'request.timeout.ms': number;
  'delivery.timeout.ms': number;
  'max.in.flight.requests.per.connection': number;
  'enable.idempotence': boolean;
  'partitioner.adaptive.partitioning.enable': boolean;
  'partitioner.ignore.keys': boolean;
}

export interface ConsumerConfig {
  'session.timeout.ms': number;
  'heartbeat.interval.ms': number;
  'max.poll.interval.ms': number;
  'max.poll.records': number;
  'enable.auto.commit': boolean;
  'auto.commit.interval.ms': number;
  /** One assignor by its short name (range, roundrobin, sticky, cooperative-sticky). */
  'partition.assignment.strategy': AssignorName;
  'auto.offset.reset': 'earliest' | 'latest';
  'fetch.max.wait.ms': number;
}

export interface TopicConfig {
  /** Partition count (broker default `num.partitions` = 1). */
  partitions: number;
  'replication.factor': number;
  'min.insync.replicas': number;
  'unclean.leader.election.enable': boolean;
}

export interface BrokerConfig {
  'replica.lag.time.max.ms': number;
  'replica.fetch.wait.max.ms': number;
  'replica.fetch.backoff.ms': number;
  /** KRaft: a broker without a heartbeat for this long is fenced (leaderships moved, removed from ISRs). */
  'broker.session.timeout.ms': number;
  'group.initial.rebalance.delay.ms': number;
}

/**
 * Producer defaults: 4.x acks=all, idempotence, linger.ms 5 (KIP-1030); 3.x acks=all and
 * idempotence (KIP-679) with linger.ms 0; 2.x acks=1, no idempotence, linger.ms 0.
 */
export function producerDefaults(profile: KafkaProfile = 'kafka@4.x'): ProducerConfig {
  const p = checkProfile(profile);
  const v4 = p === 'kafka@4.x';
  const v3up = p !== 'kafka@2.x';
  return {
    acks: v3up ? 'all' : 1,
    'batch.size': 16384,
    'linger.ms': v4 ? 5 : 0,
    retries: 2147483647,
    'retry.backoff.ms': 100,
    'request.timeout.ms': 30000,
    'delivery.timeout.ms': 120000,
    'max.in.flight.requests.per.connection': 5,
    'enable.idempotence': v3up,
    'partitioner.adaptive.partitioning.enable': true,
    'partitioner.ignore.keys': false,
  };
}

export function consumerDefaults(profile: KafkaProfile = 'kafka@4.x'): ConsumerConfig {
  const v3up = checkProfile(profile) !== 'kafka@2.x';
  return {
    'session.timeout.ms': v3up ? 45000 : 10000,
    'heartbeat.interval.ms': 3000,
    'max.poll.interval.ms': 300000,
    'max.poll.records': 500,
    'enable.auto.commit': true,
    'auto.commit.interval.ms': 5000,
    // the default list is [RangeAssignor, CooperativeStickyAssignor]: effectively range
    'partition.assignment.strategy': 'range',
    'auto.offset.reset': 'latest',
    'fetch.max.wait.ms': 500,
  };
}

export function topicDefaults(): TopicConfig {
  return {
    partitions: 1,
    'replication.factor': 1,
    'min.insync.replicas': 1,
    'unclean.leader.election.enable': false,
  };
}

export function brokerDefaults(): BrokerConfig {
  return {
    'replica.lag.time.max.ms': 30000,
    'replica.fetch.wait.max.ms': 500,
    'replica.fetch.backoff.ms': 1000,
    'broker.session.timeout.ms': 9000,
    'group.initial.rebalance.delay.ms': 3000,
  };
}

function checkProfile(profile: unknown): KafkaProfile {
  if (!kafkaProfiles.includes(profile as KafkaProfile))
    throw new ParameterError('profile', profile, `must be one of ${kafkaProfiles.join(', ')}`);
  return profile as KafkaProfile;
}

/** An unknown (often misspelled) setting is a ParameterError with the nearest known name. */
function unknownKeys(given: object, known: object): void {
  rejectUnknownKeys(given, Object.keys(known), '');
}

function bool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ParameterError(name, v, 'must be true or false');
  return v;
}

/**
 * Producer settings: defaults of `profile` overridden by `overrides`, checked as KafkaProducer
 * checks them (apache/kafka clients/.../producer/ProducerConfig.java
 * postProcessAndValidateIdempotenceConfigs; KafkaProducer.java configureDeliveryTimeout):
 * - idempotence needs retries > 0, acks=all and max.in.flight.requests.per.connection <= 5: an
 *   explicit `enable.idempotence: true` that breaks one is a ConfigException (ParameterError); the
 *   default idempotence is turned off instead;
 * - `delivery.timeout.ms` must be >= `linger.ms` + `request.timeout.ms`: an explicit value below is
 *   an error, the default is raised to that sum.
 */
export function producerConfig(
  overrides: Partial<ProducerConfig> & { acks?: Acks | -1 | '0' | '1' | '-1' } = {},
  profile: KafkaProfile = 'kafka@4.x',
): ProducerConfig {
  const d = producerDefaults(profile);
  unknownKeys(overrides, d);
  const c = { ...d, ...overrides } as ProducerConfig & { acks: unknown };
  const a = c.acks as unknown;
  const acks: Acks =
    a === 'all' || a === -1 || a === '-1'
      ? 'all'
      : a === 1 || a === '1'
        ? 1
        : a === 0 || a === '0'
          ? 0
          : (() => {
              throw new ParameterError('acks', a, 'must be 0, 1, all (or -1)');
            })();
  requireInteger('batch.size', c['batch.size'], 0);
  requireInteger('linger.ms', c['linger.ms'], 0);
  requireInteger('retries', c.retries, 0, 2147483647);
  requireInteger('retry.backoff.ms', c['retry.backoff.ms'], 0);
  requireInteger('request.timeout.ms', c['request.timeout.ms'], 0);
  requireInteger('delivery.timeout.ms', c['delivery.timeout.ms'], 0);
  requireInteger(
    'max.in.flight.requests.per.connection',
    c['max.in.flight.requests.per.connection'],
    1,
  );
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(overrides, k);
  const lingerAndRequest = Math.min(c['linger.ms'] + c['request.timeout.ms'], 2147483647);
  if (c['delivery.timeout.ms'] < lingerAndRequest) {
    if (has('delivery.timeout.ms'))
      throw new ParameterError(
        'delivery.timeout.ms',
        c['delivery.timeout.ms'],
        `must be >= linger.ms + request.timeout.ms (${lingerAndRequest})`,
      );
    c['delivery.timeout.ms'] = lingerAndRequest; // KafkaProducer: the default is raised (with a warning)
  }
  bool('partitioner.adaptive.partitioning.enable', c['partitioner.adaptive.partitioning.enable']);
  bool('partitioner.ignore.keys', c['partitioner.ignore.keys']);
  let idempotence = bool('enable.idempotence', c['enable.idempotence']);
  const explicit = has('enable.idempotence');
  if (idempotence) {
    // Kafka: each rule broken with an explicit enable.idempotence=true is a ConfigException; the default is turned off
    if (c.retries === 0) {
      if (explicit)
        throw new ParameterError(
          'retries',
          0,
          'must be non-zero when using the idempotent producer (enable.idempotence=true)',
        );
      idempotence = false;
    }
    if (acks !== 'all') {
      if (explicit)
        throw new ParameterError(
          'enable.idempotence',
          true,
          `requires acks=all (got acks=${acks})`,
        );
      idempotence = false;
    }
    if (c['max.in.flight.requests.per.connection'] > 5) {
      if (explicit)
        throw new ParameterError(
          'max.in.flight.requests.per.connection',
          c['max.in.flight.requests.per.connection'],
          'must be <= 5 with enable.idempotence=true',
        );
      idempotence = false;
    }
  }
  return { ...c, acks, 'enable.idempotence': idempotence };
}

/** Consumer settings: defaults of `profile` overridden by `overrides`, checked. */
export function consumerConfig(
  overrides: Partial<ConsumerConfig> = {},
  profile: KafkaProfile = 'kafka@4.x',
): ConsumerConfig {
  const d = consumerDefaults(profile);
  unknownKeys(overrides, d);
  const c = { ...d, ...overrides };
  // broker group.min.session.timeout.ms / group.max.session.timeout.ms defaults
  requireInteger('session.timeout.ms', c['session.timeout.ms'], 6000, 1800000);
  requireInteger('heartbeat.interval.ms', c['heartbeat.interval.ms'], 1);
  if (c['heartbeat.interval.ms'] >= c['session.timeout.ms']) {
    throw new ParameterError(
      'heartbeat.interval.ms',
      c['heartbeat.interval.ms'],
      `must be lower than session.timeout.ms (${c['session.timeout.ms']}), typically <= 1/3 of it`,
    );
  }
  requireInteger('max.poll.interval.ms', c['max.poll.interval.ms'], 1);
  requireInteger('max.poll.records', c['max.poll.records'], 1);
  bool('enable.auto.commit', c['enable.auto.commit']);
  requireInteger('auto.commit.interval.ms', c['auto.commit.interval.ms'], 0);
  if (!assignorNames.includes(c['partition.assignment.strategy'])) {
    throw new ParameterError(
      'partition.assignment.strategy',
      c['partition.assignment.strategy'],
      `must be one of ${assignorNames.join(', ')}`,
    );
  }
  if (c['auto.offset.reset'] !== 'earliest' && c['auto.offset.reset'] !== 'latest') {
    throw new ParameterError(
      'auto.offset.reset',
      c['auto.offset.reset'],
      'must be earliest or latest',
    );
  }
  requireInteger('fetch.max.wait.ms', c['fetch.max.wait.ms'], 0);
  return c;
}

/** Topic settings checked against the cluster size (`brokers`). */
export function topicConfig(overrides: Partial<TopicConfig> = {}, brokers = Infinity): TopicConfig {
  const d = topicDefaults();
  unknownKeys(overrides, d);
  const c = { ...d, ...overrides };
  requireInteger('partitions', c.partitions, 1, 100000);
  requireInteger('replication.factor', c['replication.factor'], 1, 32767);
  if (c['replication.factor'] > brokers) {
    throw new ParameterError(
      'replication.factor',
      c['replication.factor'],
      `must be <= the number of brokers (${brokers}) (InvalidReplicationFactorException)`,
    );
  }
  requireInteger('min.insync.replicas', c['min.insync.replicas'], 1);
  if (c['min.insync.replicas'] > c['replication.factor']) {
    throw new ParameterError(
      'min.insync.replicas',
      c['min.insync.replicas'],
      `must be <= replication.factor (${c['replication.factor']}), or acks=all could never succeed`,
    );
  }
  bool('unclean.leader.election.enable', c['unclean.leader.election.enable']);
  return c;
}

export function brokerConfig(overrides: Partial<BrokerConfig> = {}): BrokerConfig {
  const d = brokerDefaults();
  unknownKeys(overrides, d);
  const c = { ...d, ...overrides };
  for (const k of Object.keys(d) as Array<keyof BrokerConfig>)
    requireInteger(k, c[k], k === 'group.initial.rebalance.delay.ms' ? 0 : 1);
  return c;
}
