/**
 * What every part of a replication cluster shares (the primary, the replicas, read-your-writes,
 * failover, the statistics): per node, whether it is up or retired (an old primary) and its
 * positions in the replication stream; the write log indexed by sequence number (the binlog /
 * WAL position); each key's and each session's last write; the job attributes.
 *
 * Positions (PostgreSQL `pg_stat_replication` write/flush/replay LSNs, MySQL's received and
 * executed GTID sets): `receivedPos` (in the relay log / WAL), `appliedPos` (replayed, visible to
 * reads), `ackPos` (what the primary has heard back: received, or applied for `remote_apply`).
 *
 * Lag of a replica now, two ways:
 * - the true lag: t − (commit time of the oldest committed write it has not applied, on the wire
 *   or in its relay log), 0 when none; in transactions, last committed − last applied;
 * - MySQL's `Seconds_Behind_Source` as MySQL computes it (sql/rpl_replica.cc, SHOW REPLICA
 *   STATUS): NULL (NaN) when the receiver (I/O) thread is not connected and the applier has
 *   nothing left; 0 when the applier has applied everything in the relay log, however much is
 *   still on the wire; else time(now) − the timestamp of the event being applied (here its commit
 *   time on the source), both in whole seconds, never below 0.
 *
 * Visibility on the primary: `visiblePos` is the last write other sessions can read there. It
 * trails `lastSeq` while commits wait for standbys at MySQL's AFTER_SYNC wait point or in
 * PostgreSQL sync (the commit is not yet visible), and equals it otherwise (async,
 * AFTER_COMMIT, `synchronous_commit = off`). `flushedPos` is the last write on the primary's disk
 * (and shippable): it trails `lastSeq` only with `synchronous_commit = off`.
 */
import type { Rng } from '../../random/xoshiro128';
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import type { ResolvedReplicationConfig } from './config';

/** Node ids < 64 are packed into event arguments with a stream epoch. */
export const NODE_BITS = 6;
export const NODE_MASK = (1 << NODE_BITS) - 1;
/** Request kinds (the `replication.kind` attribute). */
export const READ = 0;
export const WRITE = 1;

export class ClusterState {
  readonly sim: Simulation;
  readonly config: ResolvedReplicationConfig;
  /** Number of database nodes, R + 1 (node 0 is the initial primary). */
  readonly nodeCount: number;
  /** Current primary node, -1 during a primary outage. */
  primary = 0;
  /** Last committed sequence number on the (current) primary. */
  lastSeq = 0;
  /** Last write visible to other sessions on the primary, and last write flushed to its WAL (see above). */
  visiblePos = 0;
  flushedPos = 0;
  readonly up: Uint8Array;
  readonly retired: Uint8Array;
  readonly receivedPos: Int32Array;
  readonly appliedPos: Int32Array;
  readonly ackPos: Int32Array;
  /** Replication-stream epoch per node: shipments and acknowledgements of an older stream are dropped. */
  readonly streamEpoch: Int32Array;
  /** PostgreSQL: the standby is `streaming` (caught up since it (re)connected), not in `catchup`. */
  readonly streaming: Uint8Array;
  readonly catchUpTarget: Int32Array;
  // the write log, by sequence number: key, previous write of the key, commit time, acknowledged,
  // the client's job while it waits for acknowledgements
  wKey: Int32Array = new Int32Array(1024);
  wPrev: Int32Array = new Int32Array(1024);
  wCommit: Float64Array = new Float64Array(1024);
  wAcked: Uint8Array = new Uint8Array(1024);
  wJob: Int32Array = new Int32Array(1024);
  /** A read on the primary saw this write (the version it returned). */
  wSeen: Uint8Array = new Uint8Array(1024);
  /** Each key's last committed write (0: none). */
  readonly keyLast: Int32Array;
  /** Each session's last acknowledged write, and when it was acknowledged. */
  readonly sLastSeq: Int32Array;
  readonly sLastAck: Float64Array;
  // job attributes
  readonly aNode: number;
  readonly aKey: number;
  readonly aKind: number;
  readonly aSessionSeq: number;
  readonly aWaitEvent: number;
  /** Random streams of the link (latency of shipments and acknowledgements) and of replica flushes. */
  readonly linkRng: Rng;
  readonly flushRng: Rng;
  /** True when commits wait for standbys (semisync, or sync above `local`). */
  readonly needsAck: boolean;
  /** The standbys acknowledge at apply (`remote_apply`), else at receipt. */
  readonly ackAtApply: boolean;
  /** The acknowledgement follows a relay-log / WAL flush (semisync, `on`). */
  readonly ackFlush: boolean;
  /** A waiting commit is invisible to other sessions until it returns (AFTER_SYNC, PostgreSQL sync). */
  readonly hideWaiting: boolean;
  /** PostgreSQL `synchronous_commit = off`: the WAL writer flushes later (wal-writer.ts). */
  readonly walAsync: boolean;

  constructor(sim: Simulation, c: ResolvedReplicationConfig) {
    this.sim = sim;
    this.config = c;
    const n = c.replicas + 1;
    this.nodeCount = n;
    this.up = new Uint8Array(n).fill(1);
    this.retired = new Uint8Array(n);
    this.receivedPos = new Int32Array(n);
    this.appliedPos = new Int32Array(n);
    this.ackPos = new Int32Array(n);
    this.streamEpoch = new Int32Array(n);
    this.streaming = new Uint8Array(n).fill(1);
    this.catchUpTarget = new Int32Array(n);
    this.keyLast = new Int32Array(c.keys + 1);
    this.sLastSeq = new Int32Array(c.sessions);
    this.sLastAck = new Float64Array(c.sessions);
    const jobs = sim.jobs;
    this.aNode = jobs.defineAttribute('replication.node');
    this.aKey = jobs.defineAttribute('replication.key');
    this.aKind = jobs.defineAttribute('replication.kind');
    this.aSessionSeq = jobs.defineAttribute('replication.sessionSeq');
    this.aWaitEvent = jobs.defineAttribute('replication.waitEvent');
    this.linkRng = sim.streams.get(`${c.name}.link`);
    this.flushRng = sim.streams.get(`${c.name}.flush`);
    this.needsAck =
      c.mode === 'semisync' ||
      (c.mode === 'sync' && c.synchronous_commit !== 'local' && c.synchronous_commit !== 'off');
    this.ackAtApply = c.mode === 'sync' && c.synchronous_commit === 'remote_apply';
    this.ackFlush = c.mode === 'semisync' || (c.mode === 'sync' && c.synchronous_commit === 'on');
    this.hideWaiting =
      this.needsAck &&
      !(c.mode === 'semisync' && c.rpl_semi_sync_source_wait_point === 'AFTER_COMMIT');
    this.walAsync = c.mode !== 'semisync' && c.synchronous_commit === 'off';
  }

  /** Makes room in the write log for sequence number `seq`. */
  ensureLog(seq: number): void {
    if (seq < this.wKey.length) return;
    const n = this.wKey.length * 2;
    this.wKey = grownInt32(this.wKey, n);
    this.wPrev = grownInt32(this.wPrev, n);
    this.wCommit = grownFloat64(this.wCommit, n);
    this.wAcked = grownUint8(this.wAcked, n);
    this.wJob = grownInt32(this.wJob, n);
    this.wSeen = grownUint8(this.wSeen, n);
  }

  /** True when node r is a replica that can receive the stream and serve reads. */
  isLiveReplica(r: number): boolean {
    return r !== this.primary && this.up[r] === 1 && this.retired[r] === 0;
  }

  /** Seconds since the oldest commit node r has not applied (0 when none). */
  lagSeconds(node: number): number {
    const a = this.appliedPos[node];
    return this.lastSeq > a ? this.sim.now - this.wCommit[a + 1] : 0;
  }

  /**
   * MySQL's Seconds_Behind_Source of node r now, as SHOW REPLICA STATUS computes it (see the file
   * comment): NaN (NULL) for a node that is down, the primary, retired, or disconnected with
   * nothing left to apply; 0 when it has applied its whole relay log; else whole seconds since
   * the commit of the transaction being applied.
   */
  secondsBehindSource(node: number): number {
    if (this.up[node] === 0 || node === this.primary || this.retired[node] === 1) return NaN;
    const a = this.appliedPos[node];
    if (a >= this.receivedPos[node]) return this.primary >= 0 ? 0 : NaN;
    return Math.max(0, Math.floor(this.sim.now) - Math.floor(this.wCommit[a + 1]));
  }

  /** Committed transactions node r has not applied. */
  lagTransactions(node: number): number {
    return Math.max(0, this.lastSeq - this.appliedPos[node]);
  }
}
