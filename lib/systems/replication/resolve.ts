/**
 * Resolves a replication configuration once: every default filled in (config.ts gives each knob,
 * its default and its source), every bad value a ParameterError naming the knob, its value and the
 * valid range, and every unknown key, at every level, a ParameterError with the nearest known key.
 */
import {
  ParameterError,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requirePositive,
} from '../../errors';
import type { Distribution } from '../../random/distribution';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import { rejectUnknownKeys } from '../common/config';
import { failsEver, resolveFailureSpec } from '../common/failures';
import {
  MAX_REPLICAS,
  REPLICA_CRASH_KEYS,
  REPLICATION_CONFIG_KEYS,
  STANDBY_NAMES_KEYS,
} from './config';
import type { ReplicaCrash, ReplicationConfig, ResolvedReplicationConfig } from './config';
import { requireDelayDistribution } from '../../sim/delays';
import { choice, resolveLoad } from './resolve-load';

function distribution(name: string, value: unknown, fallback: Distribution): Distribution {
  if (value === undefined) return fallback;
  if (value == null || typeof (value as Distribution).sample !== 'function')
    throw new ParameterError(name, value, 'must be a Distribution (e.g. new Exponential(rate))');
  const d = requireDelayDistribution(name, value, { positive: false }); // a duration: no value below 0
  if (!(d.mean >= 0)) throw new ParameterError(`${name}.mean`, d.mean, 'must be a duration >= 0');
  return d;
}

/** Fills defaults and checks every knob; throws ParameterError naming the first bad one. */
export function resolveReplicationConfig(config: ReplicationConfig): ResolvedReplicationConfig {
  if (config == null || typeof config !== 'object')
    throw new ParameterError('config', config, 'must be an object');
  rejectUnknownKeys(config, REPLICATION_CONFIG_KEYS, '');
  const replicas = requireInteger('replicas', config.replicas, 0, MAX_REPLICAS);
  const mode = choice('mode', config.mode, ['async', 'semisync', 'sync'] as const, 'async');
  const k = requireInteger(
    'rpl_semi_sync_source_wait_for_replica_count',
    config.rpl_semi_sync_source_wait_for_replica_count ?? 1,
    1,
    65535,
  );
  if (mode === 'semisync' && k > replicas) {
    throw new ParameterError(
      'rpl_semi_sync_source_wait_for_replica_count',
      k,
      `must be <= replicas (${replicas})`,
    );
  }
  if (
    config.rpl_semi_sync_source_timeout !== undefined &&
    config.rpl_semi_sync_master_timeout !== undefined
  ) {
    throw new ParameterError(
      'rpl_semi_sync_master_timeout',
      config.rpl_semi_sync_master_timeout,
      'give rpl_semi_sync_source_timeout or its old name, not both',
    );
  }
  const timeoutName =
    config.rpl_semi_sync_master_timeout !== undefined
      ? 'rpl_semi_sync_master_timeout'
      : 'rpl_semi_sync_source_timeout';
  const timeout = requireNonNegative(
    timeoutName,
    config.rpl_semi_sync_source_timeout ?? config.rpl_semi_sync_master_timeout ?? 10000,
  );
  const waitPoint = choice(
    'rpl_semi_sync_source_wait_point',
    config.rpl_semi_sync_source_wait_point,
    ['AFTER_SYNC', 'AFTER_COMMIT'] as const,
    'AFTER_SYNC',
  );
  const waitNoReplica = config.rpl_semi_sync_source_wait_no_replica ?? true;
  if (typeof waitNoReplica !== 'boolean')
    throw new ParameterError(
      'rpl_semi_sync_source_wait_no_replica',
      waitNoReplica,
      'must be true (ON) or false (OFF)',
    );
  const synchronous_commit = choice(
    'synchronous_commit',
    config.synchronous_commit,
    ['off', 'local', 'remote_write', 'on', 'remote_apply'] as const,
    'on',
  );
  if (synchronous_commit === 'off' && mode === 'semisync') {
    throw new ParameterError(
      'synchronous_commit',
      synchronous_commit,
      "is PostgreSQL's: 'off' needs mode 'async' or 'sync', not MySQL 'semisync'",
    );
  }
  const walWriterDelay = requireInRange(
    'wal_writer_delay',
    config.wal_writer_delay ?? 200,
    1,
    10000,
  );
  const walWriterFlushAfter = requireNonNegative(
    'wal_writer_flush_after',
    config.wal_writer_flush_after ?? 1048576,
  );
  const ssn = config.synchronous_standby_names ?? { method: 'FIRST' as const, num: 1 };
  if (ssn != null && typeof ssn === 'object')
    rejectUnknownKeys(ssn, STANDBY_NAMES_KEYS, 'synchronous_standby_names');
  if (ssn == null || (ssn.method !== 'FIRST' && ssn.method !== 'ANY')) {
    throw new ParameterError(
      'synchronous_standby_names.method',
      ssn?.method,
      "must be 'FIRST' or 'ANY'",
    );
  }
  const num = requireInteger('synchronous_standby_names.num', ssn.num, 1, MAX_REPLICAS);
  if (
    mode === 'sync' &&
    synchronous_commit !== 'local' &&
    synchronous_commit !== 'off' &&
    num > replicas
  ) {
    throw new ParameterError(
      'synchronous_standby_names.num',
      num,
      `must be <= replicas (${replicas})`,
    );
  }
  const {
    clients,
    name,
    weights,
    discipline,
    writeRate,
    readRate,
    writeBurst,
    sessions,
    users,
    thinkTime,
    writeFraction,
  } = resolveLoad(config, replicas);
  const keys = requireInteger('keys', config.keys ?? 1000, 1, 1e8);
  const keySkew = config.keySkew ?? 1;
  if (!(typeof keySkew === 'number' && keySkew >= 0 && keySkew <= 100))
    throw new ParameterError('keySkew', keySkew, 'must be a number in [0, 100]');
  const servers = requireInteger('servers', config.servers ?? 8, 1, 1e6);
  const workers = requireInteger(
    'replica_parallel_workers',
    config.replica_parallel_workers ?? 1,
    1,
    1024,
  );
  const linkBandwidth = config.linkBandwidth ?? Infinity;
  if (!(typeof linkBandwidth === 'number' && linkBandwidth > 0))
    throw new ParameterError(
      'linkBandwidth',
      linkBandwidth,
      'must be a number > 0 (bytes/s) or Infinity',
    );
  const writeBytes = requireNonNegative('writeBytes', config.writeBytes ?? 1000);
  const readRouting = choice(
    'readRouting',
    config.readRouting,
    ['primary', 'replicas', 'read-your-writes'] as const,
    'replicas',
  );
  const rywMethod = choice(
    'rywMethod',
    config.rywMethod,
    ['pin-primary', 'wait-for-apply'] as const,
    'pin-primary',
  );
  const rywWindow = requireNonNegative('rywWindow', config.rywWindow ?? 1);
  const rywWaitTimeout = config.rywWaitTimeout ?? Infinity;
  if (!(typeof rywWaitTimeout === 'number' && rywWaitTimeout > 0))
    throw new ParameterError(
      'rywWaitTimeout',
      rywWaitTimeout,
      'must be a number of seconds > 0 (Infinity: no timeout)',
    );
  const max_replication_lag = requireNonNegative(
    'max_replication_lag',
    config.max_replication_lag ?? 0,
  );
  const lagInterval = requirePositive(
    'mysql-monitor_replication_lag_interval',
    config['mysql-monitor_replication_lag_interval'] ?? 10000,
  );
  const lagCount = requireInteger(
    'mysql-monitor_replication_lag_count',
    config['mysql-monitor_replication_lag_count'] ?? 1,
    1,
    10,
  );
  const lagWhenNull = requireNonNegative(
    'mysql-monitor_slave_lag_when_null',
    config['mysql-monitor_slave_lag_when_null'] ?? 60,
  );
  const defaultLink = new Deterministic(0.0005);
  let linkLatencies: Distribution[];
  if (Array.isArray(config.linkLatency)) {
    const list = config.linkLatency as readonly Distribution[];
    if (list.length !== replicas)
      throw new ParameterError(
        'linkLatency',
        list,
        `an array needs one Distribution per replica (${replicas})`,
      );
    const per = list.map((d, i) => distribution(`linkLatency[${i}]`, d, defaultLink));
    linkLatencies = [per.length > 0 ? per[0] : defaultLink, ...per];
  } else {
    const d = distribution('linkLatency', config.linkLatency, defaultLink);
    linkLatencies = new Array<Distribution>(replicas + 1).fill(d);
  }
  const crashesIn = config.replicaCrashes ?? [];
  if (!Array.isArray(crashesIn))
    throw new ParameterError(
      'replicaCrashes',
      crashesIn,
      'must be an array of { replica, at, duration }',
    );
  const crashes = crashesIn.map((c: ReplicaCrash, i: number) => {
    if (c == null || typeof c !== 'object')
      throw new ParameterError(`replicaCrashes[${i}]`, c, 'must be { replica, at, duration }');
    rejectUnknownKeys(c, REPLICA_CRASH_KEYS, `replicaCrashes[${i}]`);
    return {
      replica: requireInteger(`replicaCrashes[${i}].replica`, c.replica, 1, Math.max(1, replicas)),
      at: requireNonNegative(`replicaCrashes[${i}].at`, c.at),
      duration: requirePositive(`replicaCrashes[${i}].duration`, c.duration),
    };
  });
  if (crashes.length > 0 && replicas === 0)
    throw new ParameterError('replicaCrashes', config.replicaCrashes, 'needs replicas >= 1');
  const replicaFailures = resolveFailureSpec(config.replicaFailures, 'replicaFailures');
  if (failsEver(replicaFailures) && replicas === 0)
    throw new ParameterError('replicaFailures', config.replicaFailures, 'needs replicas >= 1');
  const primaryCrashAt =
    config.primaryCrashAt === undefined
      ? Infinity
      : requireNonNegative('primaryCrashAt', config.primaryCrashAt);
  const detectionDelay = requireNonNegative('detectionDelay', config.detectionDelay ?? 30);
  const sampleInterval = requirePositive('sampleInterval', config.sampleInterval ?? 1);
  return {
    replicas,
    mode,
    rpl_semi_sync_source_wait_for_replica_count: k,
    rpl_semi_sync_source_timeout: timeout,
    rpl_semi_sync_source_wait_point: waitPoint,
    rpl_semi_sync_source_wait_no_replica: waitNoReplica,
    synchronous_commit,
    wal_writer_delay: walWriterDelay,
    wal_writer_flush_after: walWriterFlushAfter,
    synchronous_standby_names: { method: ssn.method, num },
    clients,
    name,
    weights,
    discipline,
    writeRate,
    readRate,
    writeBurst,
    sessions,
    users,
    thinkTime,
    writeFraction,
    keys,
    keySkew,
    servers,
    commitTime: distribution('commitTime', config.commitTime, new Exponential(1000)),
    readTime: distribution('readTime', config.readTime, new Exponential(500)),
    applyTime: distribution('applyTime', config.applyTime, new Exponential(200)),
    replica_parallel_workers: workers,
    linkLatency: linkLatencies[0],
    linkLatencies,
    linkBandwidth,
    writeBytes,
    replicaFlushTime: distribution(
      'replicaFlushTime',
      config.replicaFlushTime,
      new Deterministic(0.0002),
    ),
    readRouting,
    rywMethod,
    rywWindow,
    rywWaitTimeout,
    max_replication_lag,
    'mysql-monitor_replication_lag_interval': lagInterval,
    'mysql-monitor_replication_lag_count': lagCount,
    'mysql-monitor_slave_lag_when_null': lagWhenNull,
    replicaCrashes: crashes,
    replicaFailures,
    primaryCrashAt,
    detectionDelay,
    sampleInterval,
  };
}
