/**
 * Configuration of a primary–replica database cluster, with the real systems' knob names and
 * defaults, and its validation (every bad value is a ParameterError naming the knob).
 *
 * Modes (subsystems.md §7.4; MySQL 8.4 Reference Manual §19.4.10 "Semisynchronous Replication";
 * PostgreSQL docs `synchronous_commit`, `synchronous_standby_names`):
 * - `async`: the commit returns once the primary has committed (default of both products).
 * - `semisync` (MySQL): the commit waits for `rpl_semi_sync_source_wait_for_replica_count` (1)
 *   replica acknowledgements (a replica acknowledges once the event is written and flushed to its
 *   relay log); after `rpl_semi_sync_source_timeout` (10000 ms) without them the source falls back
 *   to asynchronous replication, and returns to semisynchronous when a replica catches up. The
 *   wait point is AFTER_SYNC (the default, lossless). Before MySQL 8.0.26 the knob was called
 *   `rpl_semi_sync_master_timeout`; both names are accepted.
 * - `sync` (PostgreSQL): `synchronous_standby_names = FIRST n (…)` or `ANY n (…)`; the commit waits
 *   until the synchronous standbys report the level `synchronous_commit` asks for: `remote_write`
 *   (received), `on` (flushed, the default), `remote_apply` (replayed); `local` does not wait.
 *   While fewer than n standbys are connected, commits block: there is no fallback.
 */
import { ParameterError, requireInteger, requireNonNegative, requirePositive } from '../../errors';
import type { Distribution } from '../../random/distribution';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import { knownKeys, rejectUnknownKeys } from '../common/config';
import { failsEver, resolveFailureSpec } from '../common/failures';
import type { FailureSpec, ResolvedFailureSpec } from '../common/failures';

export type ReplicationMode = 'async' | 'semisync' | 'sync';
export type SynchronousCommit = 'local' | 'remote_write' | 'on' | 'remote_apply';
export type ReadRouting = 'primary' | 'replicas' | 'read-your-writes';
export type ReadYourWritesMethod = 'pin-primary' | 'wait-for-apply';

/** A replica crash: replica `replica` (1-based, as in `replicas`) goes down at `at` for `duration` seconds. */
export interface ReplicaCrash {
  replica: number;
  at: number;
  duration: number;
}

/** A write burst: the write rate is `rate` on [start, start + duration). */
export interface WriteBurst {
  start: number;
  duration: number;
  rate: number;
}

export interface ReplicationConfig {
  /** Number of replicas R (0 allowed: a single primary). */
  replicas: number;
  mode?: ReplicationMode;
  /** MySQL semisync: acknowledgements to wait for (default 1). */
  rpl_semi_sync_source_wait_for_replica_count?: number;
  /** MySQL semisync: milliseconds to wait before falling back to async (default 10000). */
  rpl_semi_sync_source_timeout?: number;
  /** Old name (MySQL < 8.0.26) of rpl_semi_sync_source_timeout. */
  rpl_semi_sync_master_timeout?: number;
  /** PostgreSQL: the level a synchronous commit waits for (default 'on'). */
  synchronous_commit?: SynchronousCommit;
  /** PostgreSQL `synchronous_standby_names` as `{ method: 'FIRST' | 'ANY', num }` (default FIRST 1). */
  synchronous_standby_names?: { method: 'FIRST' | 'ANY'; num: number };

  /** 'open' (Poisson sources of writes and reads) or 'closed' (users with think time). Default 'open'. */
  clients?: 'open' | 'closed';
  /** Open clients: writes per second (default 100). */
  writeRate?: number;
  /** Open clients: reads per second (default 0). */
  readRate?: number;
  /** Open clients: a period with another write rate. */
  writeBurst?: WriteBurst;
  /** Open clients: number of sessions requests are spread over uniformly (default 100). */
  sessions?: number;
  /** Closed clients: number of users (each one session). */
  users?: number;
  /** Closed clients: mean think time in seconds (exponential). */
  thinkTime?: number;
  /** Closed clients: fraction of requests that are writes. */
  writeFraction?: number;
  /** Number of keys (default 1000) and the Zipf exponent of their popularity (default 1; 0 = uniform). */
  keys?: number;
  keySkew?: number;

  /** Servers (connections served at once) per database node (default 8). */
  servers?: number;
  /** Time to execute and commit one write on the primary (default exponential, mean 1 ms). */
  commitTime?: Distribution;
  /** Time to serve one read (default exponential, mean 2 ms). */
  readTime?: Distribution;
  /** Time to apply one transaction on a replica (default exponential, mean 5 ms: 200 tx/s per apply thread). */
  applyTime?: Distribution;
  /**
   * Apply workers per replica (MySQL `replica_parallel_workers`; default 1, single-threaded as
   * PostgreSQL's startup process and MySQL before 8.0.27). With more, transactions touching
   * different keys apply in parallel (WRITESET dependency tracking) and still commit in source
   * order (`replica_preserve_commit_order` = ON): a worker that has finished waits for its
   * predecessors to commit, so at most W transactions are in flight and W workers give less than
   * W times the capacity of one.
   */
  replica_parallel_workers?: number;
  /** One-way network latency primary → replica and back (default 0.5 ms constant). */
  linkLatency?: Distribution;
  /** Link bandwidth in bytes per second (default Infinity). */
  linkBandwidth?: number;
  /** Bytes of replication stream per write (default 1000). */
  writeBytes?: number;
  /** Time for a replica to write and flush a received event to its relay log / WAL (default 0.2 ms). */
  replicaFlushTime?: Distribution;

  /** Where reads go (default 'replicas'). */
  readRouting?: ReadRouting;
  /** Read-your-writes method (default 'pin-primary'). */
  rywMethod?: ReadYourWritesMethod;
  /** pin-primary: seconds a session's reads stay on the primary after its last write (default 1). */
  rywWindow?: number;
  /**
   * wait-for-apply: seconds a read waits for the replica to apply the session's last write before
   * it goes to the primary instead (MySQL `WAIT_FOR_EXECUTED_GTID_SET(gtids, timeout)`; default
   * Infinity, i.e. no timeout, as with timeout 0 there).
   */
  rywWaitTimeout?: number;
  /**
   * ProxySQL `max_replication_lag` (seconds; 0, the default, disables it): a replica whose lag
   * (age of its oldest unapplied write) exceeds it gets no reads until it catches up.
   */
  max_replication_lag?: number;

  replicaCrashes?: readonly ReplicaCrash[];
  /**
   * Random failures of every replica, each on its own stream `replication.db<i>.failures`
   * (lib/systems/common/failures.ts: `mttf`/`mttr` in seconds, exponential, or `timeToFailure` /
   * `timeToRepair` distributions; `outages` here apply to every replica). None by default.
   */
  replicaFailures?: FailureSpec;
  /** Time the primary crashes (none by default). */
  primaryCrashAt?: number;
  /** Seconds from the primary crash to the promotion decision (default 30, Patroni `ttl`). */
  detectionDelay?: number;

  /** Interval of the lag time series in seconds (default 1). */
  sampleInterval?: number;
}

/** A checked configuration with every default filled in. */
export interface ResolvedReplicationConfig {
  replicas: number;
  mode: ReplicationMode;
  rpl_semi_sync_source_wait_for_replica_count: number;
  rpl_semi_sync_source_timeout: number;
  synchronous_commit: SynchronousCommit;
  synchronous_standby_names: { method: 'FIRST' | 'ANY'; num: number };
  clients: 'open' | 'closed';
  writeRate: number;
  readRate: number;
  writeBurst: WriteBurst | null;
  sessions: number;
  users: number;
  thinkTime: number;
  writeFraction: number;
  keys: number;
  keySkew: number;
  servers: number;
  commitTime: Distribution;
  readTime: Distribution;
  applyTime: Distribution;
  replica_parallel_workers: number;
  linkLatency: Distribution;
  linkBandwidth: number;
  writeBytes: number;
  replicaFlushTime: Distribution;
  readRouting: ReadRouting;
  rywMethod: ReadYourWritesMethod;
  rywWindow: number;
  rywWaitTimeout: number;
  max_replication_lag: number;
  replicaCrashes: ReplicaCrash[];
  replicaFailures: ResolvedFailureSpec;
  primaryCrashAt: number;
  detectionDelay: number;
  sampleInterval: number;
}

/** Every key of {@link ReplicationConfig}: any other is a ParameterError with a did-you-mean. */
export const REPLICATION_CONFIG_KEYS = knownKeys<ReplicationConfig>()([
  'replicas', 'mode', 'rpl_semi_sync_source_wait_for_replica_count', 'rpl_semi_sync_source_timeout',
  'rpl_semi_sync_master_timeout', 'synchronous_commit', 'synchronous_standby_names', 'clients', 'writeRate',
  'readRate', 'writeBurst', 'sessions', 'users', 'thinkTime', 'writeFraction', 'keys', 'keySkew', 'servers',
  'commitTime', 'readTime', 'applyTime', 'replica_parallel_workers', 'linkLatency', 'linkBandwidth',
  'writeBytes', 'replicaFlushTime', 'readRouting', 'rywMethod', 'rywWindow', 'rywWaitTimeout',
  'max_replication_lag', 'replicaCrashes', 'replicaFailures', 'primaryCrashAt', 'detectionDelay', 'sampleInterval',
]);
export const STANDBY_NAMES_KEYS = ['method', 'num'] as const;
export const WRITE_BURST_KEYS = knownKeys<WriteBurst>()(['start', 'duration', 'rate']);
export const REPLICA_CRASH_KEYS = knownKeys<ReplicaCrash>()(['replica', 'at', 'duration']);

/** Largest number of replicas (node ids are packed into event arguments). */
export const MAX_REPLICAS = 63;

function choice<T extends string>(name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !choices.includes(value as T)) throw new ParameterError(name, value, `must be one of ${choices.join(', ')}`);
  return value as T;
}

function distribution(name: string, value: unknown, fallback: Distribution): Distribution {
  if (value === undefined) return fallback;
  if (value == null || typeof (value as Distribution).sample !== 'function') throw new ParameterError(name, value, 'must be a Distribution (e.g. new Exponential(rate))');
  const d = value as Distribution;
  if (!(d.mean >= 0)) throw new ParameterError(`${name}.mean`, d.mean, 'must be a duration >= 0');
  return d;
}

/** Fills defaults and checks every knob; throws ParameterError naming the first bad one. */
export function resolveReplicationConfig(config: ReplicationConfig): ResolvedReplicationConfig {
  if (config == null || typeof config !== 'object') throw new ParameterError('config', config, 'must be an object');
  rejectUnknownKeys(config, REPLICATION_CONFIG_KEYS, '');
  const replicas = requireInteger('replicas', config.replicas, 0, MAX_REPLICAS);
  const mode = choice('mode', config.mode, ['async', 'semisync', 'sync'] as const, 'async');
  const k = requireInteger('rpl_semi_sync_source_wait_for_replica_count', config.rpl_semi_sync_source_wait_for_replica_count ?? 1, 1, 65535);
  if (mode === 'semisync' && k > replicas) {
    throw new ParameterError('rpl_semi_sync_source_wait_for_replica_count', k, `must be <= replicas (${replicas})`);
  }
  if (config.rpl_semi_sync_source_timeout !== undefined && config.rpl_semi_sync_master_timeout !== undefined) {
    throw new ParameterError('rpl_semi_sync_master_timeout', config.rpl_semi_sync_master_timeout, 'give rpl_semi_sync_source_timeout or its old name, not both');
  }
  const timeoutName = config.rpl_semi_sync_master_timeout !== undefined ? 'rpl_semi_sync_master_timeout' : 'rpl_semi_sync_source_timeout';
  const timeout = requireNonNegative(timeoutName, config.rpl_semi_sync_source_timeout ?? config.rpl_semi_sync_master_timeout ?? 10000);
  const synchronous_commit = choice('synchronous_commit', config.synchronous_commit, ['local', 'remote_write', 'on', 'remote_apply'] as const, 'on');
  const ssn = config.synchronous_standby_names ?? { method: 'FIRST' as const, num: 1 };
  if (ssn != null && typeof ssn === 'object') rejectUnknownKeys(ssn, STANDBY_NAMES_KEYS, 'synchronous_standby_names');
  if (ssn == null || (ssn.method !== 'FIRST' && ssn.method !== 'ANY')) {
    throw new ParameterError('synchronous_standby_names.method', ssn?.method, "must be 'FIRST' or 'ANY'");
  }
  const num = requireInteger('synchronous_standby_names.num', ssn.num, 1, MAX_REPLICAS);
  if (mode === 'sync' && synchronous_commit !== 'local' && num > replicas) {
    throw new ParameterError('synchronous_standby_names.num', num, `must be <= replicas (${replicas})`);
  }
  const clients = choice('clients', config.clients, ['open', 'closed'] as const, 'open');
  const writeRate = requireNonNegative('writeRate', config.writeRate ?? 100);
  const readRate = requireNonNegative('readRate', config.readRate ?? 0);
  let writeBurst: WriteBurst | null = null;
  if (config.writeBurst !== undefined) {
    const b = config.writeBurst;
    if (b != null && typeof b === 'object') rejectUnknownKeys(b, WRITE_BURST_KEYS, 'writeBurst');
    writeBurst = {
      start: requireNonNegative('writeBurst.start', b?.start),
      duration: requireNonNegative('writeBurst.duration', b?.duration),
      rate: requireNonNegative('writeBurst.rate', b?.rate),
    };
  }
  const sessions = requireInteger('sessions', config.sessions ?? 100, 1, 1e7);
  let users = 0;
  let thinkTime = 0;
  let writeFraction = 0;
  if (clients === 'closed') {
    users = requireInteger('users', config.users, 1, 1e7);
    thinkTime = requireNonNegative('thinkTime', config.thinkTime);
    writeFraction = config.writeFraction ?? NaN;
    if (!(writeFraction >= 0 && writeFraction <= 1)) throw new ParameterError('writeFraction', config.writeFraction, 'must be a number in [0, 1]');
  }
  const keys = requireInteger('keys', config.keys ?? 1000, 1, 1e8);
  const keySkew = config.keySkew ?? 1;
  if (!(typeof keySkew === 'number' && keySkew >= 0 && keySkew <= 100)) throw new ParameterError('keySkew', keySkew, 'must be a number in [0, 100]');
  const servers = requireInteger('servers', config.servers ?? 8, 1, 1e6);
  const workers = requireInteger('replica_parallel_workers', config.replica_parallel_workers ?? 1, 1, 1024);
  const linkBandwidth = config.linkBandwidth ?? Infinity;
  if (!(typeof linkBandwidth === 'number' && linkBandwidth > 0)) throw new ParameterError('linkBandwidth', linkBandwidth, 'must be a number > 0 (bytes/s) or Infinity');
  const writeBytes = requireNonNegative('writeBytes', config.writeBytes ?? 1000);
  const readRouting = choice('readRouting', config.readRouting, ['primary', 'replicas', 'read-your-writes'] as const, 'replicas');
  const rywMethod = choice('rywMethod', config.rywMethod, ['pin-primary', 'wait-for-apply'] as const, 'pin-primary');
  const rywWindow = requireNonNegative('rywWindow', config.rywWindow ?? 1);
  const rywWaitTimeout = config.rywWaitTimeout ?? Infinity;
  if (!(typeof rywWaitTimeout === 'number' && rywWaitTimeout > 0)) throw new ParameterError('rywWaitTimeout', rywWaitTimeout, 'must be a number of seconds > 0 (Infinity: no timeout)');
  const max_replication_lag = requireNonNegative('max_replication_lag', config.max_replication_lag ?? 0);
  const crashesIn = config.replicaCrashes ?? [];
  if (!Array.isArray(crashesIn)) throw new ParameterError('replicaCrashes', crashesIn, 'must be an array of { replica, at, duration }');
  const crashes = crashesIn.map((c: ReplicaCrash, i: number) => {
    if (c == null || typeof c !== 'object') throw new ParameterError(`replicaCrashes[${i}]`, c, 'must be { replica, at, duration }');
    rejectUnknownKeys(c, REPLICA_CRASH_KEYS, `replicaCrashes[${i}]`);
    return {
      replica: requireInteger(`replicaCrashes[${i}].replica`, c.replica, 1, Math.max(1, replicas)),
      at: requireNonNegative(`replicaCrashes[${i}].at`, c.at),
      duration: requirePositive(`replicaCrashes[${i}].duration`, c.duration),
    };
  });
  if (crashes.length > 0 && replicas === 0) throw new ParameterError('replicaCrashes', config.replicaCrashes, 'needs replicas >= 1');
  const replicaFailures = resolveFailureSpec(config.replicaFailures, 'replicaFailures');
  if (failsEver(replicaFailures) && replicas === 0) throw new ParameterError('replicaFailures', config.replicaFailures, 'needs replicas >= 1');
  const primaryCrashAt = config.primaryCrashAt === undefined ? Infinity : requireNonNegative('primaryCrashAt', config.primaryCrashAt);
  const detectionDelay = requireNonNegative('detectionDelay', config.detectionDelay ?? 30);
  const sampleInterval = requirePositive('sampleInterval', config.sampleInterval ?? 1);
  return {
    replicas,
    mode,
    rpl_semi_sync_source_wait_for_replica_count: k,
    rpl_semi_sync_source_timeout: timeout,
    synchronous_commit,
    synchronous_standby_names: { method: ssn.method, num },
    clients,
    writeRate,
    readRate,
    writeBurst,
    sessions: clients === 'closed' ? users : sessions,
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
    linkLatency: distribution('linkLatency', config.linkLatency, new Deterministic(0.0005)),
    linkBandwidth,
    writeBytes,
    replicaFlushTime: distribution('replicaFlushTime', config.replicaFlushTime, new Deterministic(0.0002)),
    readRouting,
    rywMethod,
    rywWindow,
    rywWaitTimeout,
    max_replication_lag,
    replicaCrashes: crashes,
    replicaFailures,
    primaryCrashAt,
    detectionDelay,
    sampleInterval,
  };
}
