/**
 * A consumer group's options (KafkaConsumer's settings by their Kafka names in `config`, the
 * subscription, the members started at once, the processing time per record, when offsets are
 * committed), the state of one member, and the commit mode resolved against enable.auto.commit:
 * `auto` needs it on (Kafka's auto-commit, every auto.commit.interval.ms on poll), the manual
 * modes need it off (commitSync after or before processing); and the settings that are times in seconds.
 */
import { ParameterError } from '../../errors';
import type { Distribution } from '../../random/distribution';
import { consumerConfig } from './config';
import type { ConsumerConfig, KafkaProfile } from './config';

export const commitModes = ['auto', 'after-processing', 'before-processing'] as const;
export type CommitMode = (typeof commitModes)[number];

export interface ConsumerGroupOptions {
  groupId: string;
  /** The one topic the group subscribes to (shorthand of `topics: [topic]`; give one of the two). */
  topic?: string;
  /** The topics the group subscribes to (KafkaConsumer.subscribe(Collection<String>)). */
  topics?: string[];
  config?: Partial<ConsumerConfig>;
  profile?: KafkaProfile;
  /** Members started at once. Default 1. */
  members?: number;
  /** Processing time of one record, seconds. */
  processing: Distribution;
  /** When offsets are committed (default: auto if enable.auto.commit, else after-processing). */
  commit?: CommitMode;
  /** Keep every delivery (record, member, time) for checks. Default false. */
  recordDeliveries?: boolean;
}

export type MemberState = 'active' | 'dead' | 'left';

export interface Member {
  index: number;
  memberId: string;
  state: MemberState;
  /** Known to the coordinator as a member of the current group. */
  inGroup: boolean;
  assigned: number[];
  lastAssignment: number[];
  busy: boolean;
  parked: boolean;
  parkEvent: number;
  rejoinNeeded: boolean;
  joinSent: boolean;
  waitingSync: boolean;
  pendingAssignment: number[] | null;
  heartbeatPhase: number;
  pollTimeoutEvent: number;
  processEvent: number;
  batchPartition: number[];
  batchOffset: number[];
  batchRecord: number[];
  batchIndex: number;
  processed: number;
  lastAutoCommit: number;
  rotate: number;
}

/** The consumer config with enable.auto.commit set by the commit mode, and the mode (ParameterError when they contradict). */
export function resolveCommitMode(options: ConsumerGroupOptions): {
  config: ConsumerConfig;
  mode: CommitMode;
} {
  const explicitAuto =
    options.config && Object.prototype.hasOwnProperty.call(options.config, 'enable.auto.commit')
      ? options.config['enable.auto.commit']
      : undefined;
  const base = consumerConfig(options.config ?? {}, options.profile ?? 'kafka@4.x');
  const mode: CommitMode =
    options.commit ?? (base['enable.auto.commit'] ? 'auto' : 'after-processing');
  if (!commitModes.includes(mode))
    throw new ParameterError('commit', mode, `must be one of ${commitModes.join(', ')}`);
  if (mode === 'auto' && !base['enable.auto.commit'])
    throw new ParameterError('commit', mode, 'auto needs enable.auto.commit=true');
  if (mode !== 'auto' && explicitAuto === true)
    throw new ParameterError(
      'enable.auto.commit',
      true,
      `must be false with commit=${mode} (manual commits)`,
    );
  const config: ConsumerConfig = { ...base, 'enable.auto.commit': mode === 'auto' };
  return { config: config, mode: mode };
}

/** The consumer settings that are times, in seconds (converted once from Kafka's `*.ms`). */
export interface ConsumerTimes {
  sessionTimeout: number;
  heartbeatInterval: number;
  maxPollInterval: number;
  autoCommitInterval: number;
  fetchMaxWait: number;
}

/** session.timeout.ms, heartbeat.interval.ms, max.poll.interval.ms, auto.commit.interval.ms and fetch.max.wait.ms in seconds. */
export function consumerTimes(c: ConsumerConfig): ConsumerTimes {
  return {
    sessionTimeout: c['session.timeout.ms'] / 1000,
    heartbeatInterval: c['heartbeat.interval.ms'] / 1000,
    maxPollInterval: c['max.poll.interval.ms'] / 1000,
    autoCommitInterval: c['auto.commit.interval.ms'] / 1000,
    fetchMaxWait: c['fetch.max.wait.ms'] / 1000,
  };
}
