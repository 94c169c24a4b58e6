/**
 * Configuration of a primary–replica database cluster, with the real systems' knob names and
 * defaults, and the lists of its known keys (resolve.ts validates it).
 *
 * Modes (subsystems.md §7.4; MySQL 8.4 Reference Manual §19.4.10 "Semisynchronous Replication";
 * PostgreSQL docs `synchronous_commit`, `synchronous_standby_names`):
 * - `async`: the commit returns once the primary has committed (default of both products).
 * - `semisync` (MySQL): the commit waits for `rpl_semi_sync_source_wait_for_replica_count` (1)
 *   replica acknowledgements (a replica acknowledges once the event is written and flushed to its
 *   relay log); after `rpl_semi_sync_source_timeout` (10000 ms) without them the source falls back
 *   to asynchronous replication, and returns to semisynchronous when a replica catches up. The
 *   wait point `rpl_semi_sync_source_wait_point` is AFTER_SYNC (the default since 5.7: the source
 *   waits after syncing its binlog, before the storage-engine commit, so no other session sees the
 *   write before a replica has it) or AFTER_COMMIT (it waits after the engine commit: other
 *   sessions read the write at once, and a crash before the acknowledgement loses a write that
 *   was seen). `rpl_semi_sync_source_wait_no_replica` (ON): with OFF the source switches to async
 *   at once when fewer than the count of semisync replicas are connected, instead of waiting out
 *   the timeout (plugin/semisync/semisync_source.cc, `remove_slave`). Before MySQL 8.0.26 the
 *   knobs were `rpl_semi_sync_master_*`; the old name of the timeout is accepted.
 * - `sync` (PostgreSQL): `synchronous_standby_names = FIRST n (…)` or `ANY n (…)`; the commit waits
 *   until the synchronous standbys report the level `synchronous_commit` asks for: `remote_write`
 *   (received), `on` (flushed, the default), `remote_apply` (replayed); `local` does not wait.
 *   While fewer than n standbys are connected, commits block: there is no fallback. As in
 *   PostgreSQL (xact.c: RecordTransactionCommit waits in SyncRepWaitForLSN before
 *   ProcArrayEndTransaction), a waiting commit is not yet visible to other sessions.
 * - `synchronous_commit = off` (PostgreSQL, mode `async` or `sync`): the commit returns before
 *   its WAL is flushed, even locally; the WAL writer flushes every `wal_writer_delay` (200 ms) or
 *   once `wal_writer_flush_after` (1 MB) is pending, and only flushed WAL is sent to standbys
 *   (walsender.c sends up to the flush position). A crash loses the acknowledged commits not yet
 *   flushed: here at most `wal_writer_delay` of them (PostgreSQL's documented bound is three
 *   times that, because its WAL writer flushes whole pages when busy; that is not modelled).
 */
import type { Distribution } from '../../random/distribution';
import { knownKeys } from '../common/config';
import type { FailureSpec, ResolvedFailureSpec } from '../common/failures';

export type ReplicationMode = 'async' | 'semisync' | 'sync';
export type SynchronousCommit = 'off' | 'local' | 'remote_write' | 'on' | 'remote_apply';
export type SemiSyncWaitPoint = 'AFTER_SYNC' | 'AFTER_COMMIT';
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
  /** MySQL semisync: where the commit waits, 'AFTER_SYNC' (default) or 'AFTER_COMMIT' (see the file comment). */
  rpl_semi_sync_source_wait_point?: SemiSyncWaitPoint;
  /** MySQL semisync: keep waiting (the timeout) when too few replicas are connected (default true); false switches to async at once. */
  rpl_semi_sync_source_wait_no_replica?: boolean;
  /** PostgreSQL: the level a commit waits for (default 'on'; 'off' does not even wait for the local WAL flush). */
  synchronous_commit?: SynchronousCommit;
  /** PostgreSQL: milliseconds between WAL writer flushes (default 200), with synchronous_commit = 'off'. */
  wal_writer_delay?: number;
  /** PostgreSQL: bytes of pending WAL that make the WAL writer flush at once (default 1048576, 1 MB; 0: every commit). */
  wal_writer_flush_after?: number;
  /** PostgreSQL `synchronous_standby_names` as `{ method: 'FIRST' | 'ANY', num }` (default FIRST 1). */
  synchronous_standby_names?: { method: 'FIRST' | 'ANY'; num: number };

  /**
   * 'open' (Poisson sources of writes and reads), 'closed' (users with think time), or 'external':
   * no load of its own, the cluster is called by another component through its `reads` and
   * `writes` entries (called.ts). Default 'open'.
   */
  clients?: 'open' | 'closed' | 'external';
  /** Prefix of the cluster's stream, station and failure names (default 'replication'), so two clusters in one simulation draw apart. */
  name?: string;
  /**
   * ProxySQL `mysql_servers.weight` of each replica in the reader hostgroup (replica 1 first):
   * reads go to a live, unshunned replica drawn with probability weight / Σ weights, as ProxySQL's
   * connection pool picks a server (MySrvC random by weight). Default: round robin over the replicas.
   */
  weights?: readonly number[];
  /** Queueing discipline of each node's request station: 'fifo' (default) or 'ps' (the connections share the CPU). */
  discipline?: 'fifo' | 'ps';
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
  /**
   * One-way network latency primary → replica and back (default 0.5 ms constant): one
   * Distribution for every replica, or an array of one per replica (replica 1 first), so that
   * near and far standbys differ (FIRST n waits for the first n by priority, ANY n for the fastest).
   */
  linkLatency?: Distribution | readonly Distribution[];
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
   * ProxySQL `max_replication_lag` (seconds; 0, the default, disables it), read as ProxySQL reads
   * it (proxysql.ts): its monitor polls each replica's `Seconds_Behind_Master` every
   * `mysql-monitor_replication_lag_interval` and shuns (SHUNNED_REPLICATION_LAG) a replica whose
   * reading exceeds it `mysql-monitor_replication_lag_count` times in a row; a shunned replica gets
   * no reads until a reading is back at or under it.
   */
  max_replication_lag?: number;
  /** ProxySQL: milliseconds between replication-lag checks (default 10000). */
  'mysql-monitor_replication_lag_interval'?: number;
  /** ProxySQL: consecutive readings above max_replication_lag before shunning (default 1). */
  'mysql-monitor_replication_lag_count'?: number;
  /** ProxySQL: the lag in seconds assumed when Seconds_Behind_Master is NULL (default 60). */
  'mysql-monitor_slave_lag_when_null'?: number;

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
  rpl_semi_sync_source_wait_point: SemiSyncWaitPoint;
  rpl_semi_sync_source_wait_no_replica: boolean;
  synchronous_commit: SynchronousCommit;
  wal_writer_delay: number;
  wal_writer_flush_after: number;
  synchronous_standby_names: { method: 'FIRST' | 'ANY'; num: number };
  clients: 'open' | 'closed' | 'external';
  name: string;
  /** Per node (index 0 the initial primary, weight 1), ProxySQL's weight; null for round robin. */
  weights: Float64Array | null;
  discipline: 'fifo' | 'ps';
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
  /** Replica 1's link latency (every replica's unless an array was given). */
  linkLatency: Distribution;
  /** Link latency per node (index 0, the initial primary, repeats replica 1's). */
  linkLatencies: Distribution[];
  linkBandwidth: number;
  writeBytes: number;
  replicaFlushTime: Distribution;
  readRouting: ReadRouting;
  rywMethod: ReadYourWritesMethod;
  rywWindow: number;
  rywWaitTimeout: number;
  max_replication_lag: number;
  'mysql-monitor_replication_lag_interval': number;
  'mysql-monitor_replication_lag_count': number;
  'mysql-monitor_slave_lag_when_null': number;
  replicaCrashes: ReplicaCrash[];
  replicaFailures: ResolvedFailureSpec;
  primaryCrashAt: number;
  detectionDelay: number;
  sampleInterval: number;
}

/** Every key of {@link ReplicationConfig}: any other is a ParameterError with a did-you-mean. */
export const REPLICATION_CONFIG_KEYS = knownKeys<ReplicationConfig>()([
  'replicas',
  'mode',
  'rpl_semi_sync_source_wait_for_replica_count',
  'rpl_semi_sync_source_timeout',
  'rpl_semi_sync_master_timeout',
  'rpl_semi_sync_source_wait_point',
  'rpl_semi_sync_source_wait_no_replica',
  'synchronous_commit',
  'wal_writer_delay',
  'wal_writer_flush_after',
  'synchronous_standby_names',
  'clients',
  'name',
  'weights',
  'discipline',
  'writeRate',
  'readRate',
  'writeBurst',
  'sessions',
  'users',
  'thinkTime',
  'writeFraction',
  'keys',
  'keySkew',
  'servers',
  'commitTime',
  'readTime',
  'applyTime',
  'replica_parallel_workers',
  'linkLatency',
  'linkBandwidth',
  'writeBytes',
  'replicaFlushTime',
  'readRouting',
  'rywMethod',
  'rywWindow',
  'rywWaitTimeout',
  'max_replication_lag',
  'mysql-monitor_replication_lag_interval',
  'mysql-monitor_replication_lag_count',
  'mysql-monitor_slave_lag_when_null',
  'replicaCrashes',
  'replicaFailures',
  'primaryCrashAt',
  'detectionDelay',
  'sampleInterval',
]);
export const STANDBY_NAMES_KEYS = ['method', 'num'] as const;
export const WRITE_BURST_KEYS = knownKeys<WriteBurst>()(['start', 'duration', 'rate']);
export const REPLICA_CRASH_KEYS = knownKeys<ReplicaCrash>()(['replica', 'at', 'duration']);

/** Largest number of replicas (node ids are packed into event arguments). */
export const MAX_REPLICAS = 63;
