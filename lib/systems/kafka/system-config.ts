/**
 * The configuration of one Kafka scenario (cluster, topics, producers, consumer groups, broker
 * failures), resolved and validated once by {@link resolveKafkaConfig}: every bad value is a
 * ParameterError naming its full path (`producers[0].config.linger.ms`), and every unknown key at
 * every level is one too, with the nearest known key suggested (lib/systems/common/config.ts).
 *
 * Kafka's own names for every knob (acks, linger.ms, batch.size, min.insync.replicas,
 * session.timeout.ms, ... in the `config` objects and topic specs, with the defaults of `profile`).
 * The clock is in seconds: failures (FailureSpec), `brokersRestoredAt`, the `processing` and
 * `interarrival` distributions are seconds; Kafka's `*.ms` settings and the keys ending in `Ms`
 * (networkDelayMs, startAtMs, stopAtMs, atMs, intervalMs) are milliseconds, converted once.
 */
import { ParameterError, requireInteger, requireNonNegative, requirePositive } from '../../errors';
import { keyPath, knownKeys, rejectUnknownKeys } from '../common/config';
import { resolveFailureSpec } from '../common/failures';
import type { FailureSpec, ResolvedFailureSpec } from '../common/failures';
import { brokerConfig, consumerConfig, kafkaProfiles, producerConfig, topicConfig } from './config';
import type { BrokerConfig, KafkaProfile, TopicConfig } from './config';
import { subscribedTopicNames } from './consumer-group';
import type { ConsumerGroupOptions } from './consumer-group';
import type { LagKind } from './group-lag';
import type { KeySpec, ProducerOptions } from './producer';
import { requireDelayDistribution } from '../../sim/delays';

/** One broker: how it fails (scheduled outages and/or mttf/mttr in seconds, lib/systems/common/failures.ts). */
export interface KafkaBrokerSpec {
  failures?: FailureSpec;
}

/** A topic: its name and Kafka's topic settings (partitions, replication.factor, min.insync.replicas, ...). */
export type KafkaTopicSpec = { name: string } & Partial<TopicConfig>;

/** A change of a group's membership at a time: a member joins, leaves (close()) or crashes. */
export interface MembershipChange {
  atMs: number;
  action: 'join' | 'leave' | 'crash';
  /** Which member leaves or crashes (default: the last one started). */
  member?: number;
}

/** A consumer group: the group's options plus scheduled membership changes and sampled lag. */
export interface KafkaGroupSpec extends ConsumerGroupOptions {
  membership?: MembershipChange[];
  /** Sample the group's lag (and its stalled partitions) every `intervalMs` into time series. */
  lag?: { intervalMs: number; kind?: LagKind };
}

export interface KafkaConfig {
  /** Default profile of producers and groups (`kafka@4.x` or `kafka@2.x` defaults). */
  profile?: KafkaProfile;
  /** Broker count (default 3), or one spec per broker (with its failures). */
  brokers?: number | KafkaBrokerSpec[];
  /** Broker (server) settings: replica.lag.time.max.ms, broker.session.timeout.ms, ... */
  broker?: Partial<BrokerConfig>;
  /** One-way network delay of every request and response, ms (default 0.5). */
  networkDelayMs?: number;
  /**
   * An operator restores every broker at this time (seconds): the FailureSpec's `restoredAt` of
   * every broker that sets none (failures stop then, an outage under way ends, no broker fails
   * afterwards; default: never, failures run to the end).
   */
  brokersRestoredAt?: number;
  topics: KafkaTopicSpec[];
  producers?: ProducerOptions[];
  groups?: KafkaGroupSpec[];
}

export const KAFKA_KEYS = knownKeys<KafkaConfig>()([
  'profile',
  'brokers',
  'broker',
  'networkDelayMs',
  'brokersRestoredAt',
  'topics',
  'producers',
  'groups',
]);
export const BROKER_SPEC_KEYS = knownKeys<KafkaBrokerSpec>()(['failures']);
export const TOPIC_SPEC_KEYS = knownKeys<KafkaTopicSpec>()([
  'name',
  'partitions',
  'replication.factor',
  'min.insync.replicas',
  'unclean.leader.election.enable',
]);
export const PRODUCER_KEYS = knownKeys<ProducerOptions>()([
  'name',
  'topic',
  'config',
  'profile',
  'recordBytes',
  'rate',
  'interarrival',
  'keys',
  'startAtMs',
  'stopAtMs',
]);
export const KEY_SPEC_KEYS = ['type', 'count', 'hotKeyShare'] as const;
export const GROUP_KEYS = knownKeys<KafkaGroupSpec>()([
  'groupId',
  'topic',
  'topics',
  'config',
  'profile',
  'members',
  'processing',
  'commit',
  'recordDeliveries',
  'membership',
  'lag',
]);
export const MEMBERSHIP_KEYS = knownKeys<MembershipChange>()(['atMs', 'action', 'member']);
export const LAG_KEYS = ['intervalMs', 'kind'] as const;
const lagKinds: readonly LagKind[] = ['backlog', 'records-lag', 'committed'];

/** The validated configuration: every default filled in, every value checked. */
export interface ResolvedKafkaConfig {
  readonly resolved: true;
  brokers: number;
  brokerFailures: ResolvedFailureSpec[];
  broker: BrokerConfig;
  networkDelayMs: number;
  brokersRestoredAt: number;
  topics: KafkaTopicSpec[];
  producers: ProducerOptions[];
  groups: KafkaGroupSpec[];
}

/** Runs `fn`, prefixing the parameter of any ParameterError it throws with `path`. */
function at<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ParameterError && !e.parameter.startsWith(path))
      throw new ParameterError(keyPath(path, e.parameter), e.value, e.expected);
    throw e;
  }
}

function list<T>(value: T[] | undefined, path: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ParameterError(path, value, 'must be an array');
  return value;
}

/** Validates a Kafka scenario (see {@link KafkaConfig}); throws a ParameterError naming the path of the first bad value. */
export function resolveKafkaConfig(config: KafkaConfig | ResolvedKafkaConfig): ResolvedKafkaConfig {
  if ((config as ResolvedKafkaConfig)?.resolved === true) return config as ResolvedKafkaConfig;
  const c = config as KafkaConfig;
  rejectUnknownKeys(c, KAFKA_KEYS, '');
  const profile = c.profile ?? 'kafka@4.x';
  if (!kafkaProfiles.includes(profile))
    throw new ParameterError('profile', profile, `must be one of ${kafkaProfiles.join(', ')}`);
  const b = c.brokers ?? 3;
  const specs = Array.isArray(b)
    ? b
    : Array.from({ length: requireInteger('brokers', b, 1, 1000) }, (): KafkaBrokerSpec => ({}));
  if (specs.length < 1 || specs.length > 1000)
    throw new ParameterError('brokers', specs.length, 'must list 1 to 1000 brokers');
  const brokerFailures = specs.map((s, i) => {
    const p = keyPath('brokers', i);
    rejectUnknownKeys(s, BROKER_SPEC_KEYS, p);
    return resolveFailureSpec(s.failures, keyPath(p, 'failures'));
  });
  const brokers = specs.length;
  const broker = at('broker', () => brokerConfig(c.broker ?? {}));
  const networkDelayMs = requireNonNegative('networkDelayMs', c.networkDelayMs ?? 0.5);
  const brokersRestoredAt =
    c.brokersRestoredAt === undefined
      ? Infinity
      : requireNonNegative('brokersRestoredAt', c.brokersRestoredAt);
  const topics = list(c.topics, 'topics');
  if (topics.length === 0)
    throw new ParameterError(
      'topics',
      c.topics,
      'must list at least one topic { name, partitions, ... }',
    );
  const names = new Set<string>();
  topics.forEach((t, i) => {
    const p = keyPath('topics', i);
    rejectUnknownKeys(t, TOPIC_SPEC_KEYS, p);
    if (typeof t.name !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(t.name))
      throw new ParameterError(`${p}.name`, t.name, 'must be 1-249 characters of [a-zA-Z0-9._-]');
    if (names.has(t.name))
      throw new ParameterError(`${p}.name`, t.name, 'already exists (TopicExistsException)');
    names.add(t.name);
    const { name: _name, ...settings } = t;
    at(p, () => topicConfig(settings, brokers));
  });
  const topic = (path: string, name: unknown): void => {
    if (typeof name !== 'string' || !names.has(name))
      throw new ParameterError(
        path,
        name,
        `must name a topic of topics (${[...names].join(', ')})`,
      );
  };
  const producerNames = new Set<string>();
  const producers = list(c.producers, 'producers').map((pr, i) => {
    const p = keyPath('producers', i);
    rejectUnknownKeys(pr, PRODUCER_KEYS, p);
    topic(`${p}.topic`, pr.topic);
    const name = pr.name ?? (i === 0 ? 'producer' : `producer${i}`);
    if (typeof name !== 'string' || name.length === 0 || producerNames.has(name))
      throw new ParameterError(`${p}.name`, name, 'must be a non-empty name no other producer has');
    producerNames.add(name);
    at(`${p}.config`, () => producerConfig(pr.config ?? {}, pr.profile ?? profile));
    if (pr.keys !== undefined) resolveKeys(pr.keys, `${p}.keys`);
    if (pr.rate !== undefined) requireNonNegative(`${p}.rate`, pr.rate);
    if (pr.interarrival !== undefined && typeof pr.interarrival?.sample !== 'function')
      throw new ParameterError(
        `${p}.interarrival`,
        pr.interarrival,
        'must be a Distribution (seconds)',
      );
    if (pr.interarrival !== undefined)
      requireDelayDistribution(`${p}.interarrival`, pr.interarrival, { positive: false });
    if (pr.recordBytes !== undefined) requirePositive(`${p}.recordBytes`, pr.recordBytes);
    if (pr.startAtMs !== undefined) requireNonNegative(`${p}.startAtMs`, pr.startAtMs);
    if (pr.stopAtMs !== undefined) requireNonNegative(`${p}.stopAtMs`, pr.stopAtMs);
    return { ...pr, name, profile: pr.profile ?? profile };
  });
  const groupIds = new Set<string>();
  const groups = list(c.groups, 'groups').map((g, i) => {
    const p = keyPath('groups', i);
    rejectUnknownKeys(g, GROUP_KEYS, p);
    if (typeof g.groupId !== 'string' || g.groupId.length === 0 || groupIds.has(g.groupId))
      throw new ParameterError(
        `${p}.groupId`,
        g.groupId,
        'must be a non-empty group.id no other group has',
      );
    groupIds.add(g.groupId);
    subscribedTopicNames(g, [...names], p);
    at(`${p}.config`, () => consumerConfig(g.config ?? {}, g.profile ?? profile));
    if (g.processing == null || typeof g.processing.sample !== 'function')
      throw new ParameterError(
        `${p}.processing`,
        g.processing,
        'must be a Distribution of the processing time per record (seconds)',
      );
    requireDelayDistribution(`${p}.processing`, g.processing, { positive: false });
    const members = requireInteger(`${p}.members`, g.members ?? 1, 0, 10000);
    list(g.membership, `${p}.membership`).forEach((m, j) => {
      const q = keyPath(`${p}.membership`, j);
      rejectUnknownKeys(m, MEMBERSHIP_KEYS, q);
      requireNonNegative(`${q}.atMs`, m.atMs);
      if (m.action !== 'join' && m.action !== 'leave' && m.action !== 'crash')
        throw new ParameterError(`${q}.action`, m.action, 'must be join, leave or crash');
      if (m.member !== undefined) requireInteger(`${q}.member`, m.member, 0, 10000);
    });
    if (g.lag !== undefined) {
      rejectUnknownKeys(g.lag, LAG_KEYS, `${p}.lag`);
      requirePositive(`${p}.lag.intervalMs`, g.lag.intervalMs);
      if (g.lag.kind !== undefined && !lagKinds.includes(g.lag.kind))
        throw new ParameterError(
          `${p}.lag.kind`,
          g.lag.kind,
          `must be one of ${lagKinds.join(', ')}`,
        );
    }
    return { ...g, members, profile: g.profile ?? profile };
  });
  return {
    resolved: true,
    brokers,
    brokerFailures,
    broker,
    networkDelayMs,
    brokersRestoredAt,
    topics,
    producers,
    groups,
  };
}

function resolveKeys(keys: KeySpec, path: string): void {
  rejectUnknownKeys(keys, KEY_SPEC_KEYS, path);
  if (keys.type === 'none') {
    if (Object.keys(keys).some((k) => k !== 'type'))
      throw new ParameterError(path, keys, "{ type: 'none' } takes no other key");
  } else if (keys.type === 'uniform') {
    requireInteger(`${path}.count`, keys.count, 1);
    const h = keys.hotKeyShare ?? 0;
    if (!(typeof h === 'number' && h >= 0 && h <= 1))
      throw new ParameterError(`${path}.hotKeyShare`, h, 'must be a number in [0, 1]');
  } else
    throw new ParameterError(
      `${path}.type`,
      (keys as { type: unknown }).type,
      'must be none or uniform',
    );
}
