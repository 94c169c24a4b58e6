/**
 * The primary: it commits writes in order (each gets the next sequence number, its binlog / WAL
 * position), ships them to every live replica, and returns each commit to its client when the
 * mode allows (config.ts; MySQL 8.4 Reference Manual §19.4.10, PostgreSQL `synchronous_commit`
 * and `synchronous_standby_names`):
 * - async: at once;
 * - MySQL semisync: when `rpl_semi_sync_source_wait_for_replica_count` replicas have acknowledged
 *   the write in their relay log; when the oldest waiting commit has waited
 *   `rpl_semi_sync_source_timeout` ms the source falls back to async (every waiting commit returns),
 *   and turns semisync back on when a replica's acknowledgements catch up with the last commit
 *   (plugin/semisync/semisync_source.cc: commitTrx, switch_off, try_switch_on). At AFTER_SYNC a
 *   waiting commit is invisible to other sessions until it returns; at AFTER_COMMIT it is visible
 *   at once. With `rpl_semi_sync_source_wait_no_replica` OFF the source switches off at once when
 *   fewer than the count of replicas are connected (remove_slave), instead of waiting the timeout;
 * - PostgreSQL sync: when FIRST n (the first n streaming standbys by priority, i.e. node order)
 *   or ANY n standbys report the `synchronous_commit` level; while fewer are streaming, commits
 *   block: there is no fallback (syncrep.c, SyncRepGetSyncRecPtr: FIRST takes the oldest position
 *   of the n highest-priority standbys, ANY the n-th newest of all). Invisible while waiting.
 * - `synchronous_commit = off`: at once, before the local WAL flush (wal-writer.ts ships it later).
 *
 * Waiting commits are the last `waitLen` writes of the log (every commit waits while an earlier
 * one does), so the log's job column is their queue and they are released in commit order.
 */
import { Part } from './parts';
import type { Parts } from './parts';
import type { ClusterState } from './state';
import { NODE_BITS, NODE_MASK } from './state';
import type { ReplicationStats } from './statistics';

export class Primary extends Part {
  /** Handler of an acknowledgement event (argument: node | stream epoch << NODE_BITS). */
  readonly ackH: number;
  /** MySQL semisync on (Rpl_semi_sync_source_status), not fallen back to async. */
  semiOn = true;
  /** Times semisync switched off (Rpl_semi_sync_source_off_times): timeouts and too few replicas. */
  offTimes = 0;
  /** Commits waiting for acknowledgements: sequence numbers waitHead .. waitHead + waitLen − 1. */
  waitLen = 0;
  private waitHead = 0;
  private timerEvent = -1;
  private readonly timerH: number;

  constructor(state: ClusterState, stats: ReplicationStats, parts: Parts) {
    super(state, stats, parts);
    this.ackH = state.sim.handler((arg) => this.ack(arg), 'replication.ack');
    this.timerH = state.sim.handler(() => this.semiSyncTimer(), 'replication.semisyncTimeout');
  }

  /** A write has executed on the primary: commit it, ship it, and acknowledge it or let it wait. */
  commit(job: number): void {
    const sim = this.sim;
    const st = this.state;
    const seq = ++st.lastSeq;
    st.ensureLog(seq);
    const key = sim.jobs.attributes[st.aKey][job];
    st.wKey[seq] = key;
    st.wCommit[seq] = sim.now;
    st.wPrev[seq] = st.keyLast[key];
    st.wAcked[seq] = 0;
    st.wSeen[seq] = 0;
    st.keyLast[key] = seq;
    this.stats.writesCommitted++;
    if (st.walAsync) {
      this.parts.walWriter.written();
    } else {
      st.flushedPos = seq;
      const replicas = this.parts.replicas;
      for (let r = 0; r < st.nodeCount; r++) {
        if (st.isLiveReplica(r)) replicas.shipUpTo(r, seq);
      }
    }
    const wait = st.config.mode === 'semisync' ? this.semiOn : st.needsAck;
    if (!wait || !st.hideWaiting) st.visiblePos = seq;
    if (!wait) {
      this.acknowledge(seq, job);
      return;
    }
    if (this.waitLen === 0) this.waitHead = seq;
    st.wJob[seq] = job;
    this.waitLen++;
    this.releaseWaiters();
  }

  private acknowledge(seq: number, job: number): void {
    const sim = this.sim;
    const st = this.state;
    st.wAcked[seq] = 1;
    this.stats.writesAcked++;
    this.stats.writeLatency.record(sim.now - sim.jobs.born[job]);
    const s = sim.jobs.origin[job];
    st.sLastSeq[s] = seq;
    st.sLastAck[s] = sim.now;
    this.parts.routing.finish(job);
  }

  /** The oldest waiting commit returns to its client. */
  private releaseHead(): void {
    const seq = this.waitHead++;
    this.waitLen--;
    if (seq > this.state.visiblePos) this.state.visiblePos = seq;
    this.acknowledge(seq, this.state.wJob[seq]);
  }

  /** Is write `seq` acknowledged enough to return to the client? */
  private ready(seq: number): boolean {
    const st = this.state;
    const c = st.config;
    const n = st.nodeCount;
    if (c.mode === 'semisync') {
      let count = 0;
      for (let r = 0; r < n; r++)
        if (r !== st.primary && st.retired[r] === 0 && st.ackPos[r] >= seq) count++;
      return count >= c.rpl_semi_sync_source_wait_for_replica_count;
    }
    const { method, num } = c.synchronous_standby_names;
    let count = 0;
    for (let r = 0; r < n; r++) {
      if (r === st.primary || st.retired[r] === 1 || st.up[r] === 0 || st.streaming[r] === 0)
        continue;
      if (method === 'FIRST') {
        if (st.ackPos[r] < seq) return false;
        if (++count === num) return true;
      } else if (st.ackPos[r] >= seq && ++count === num) return true;
    }
    return false;
  }

  /** Returns every waiting commit that is now acknowledged enough, in order; arms the semisync timer. */
  releaseWaiters(): void {
    const c = this.state.config;
    if (
      c.mode === 'semisync' &&
      this.semiOn &&
      !c.rpl_semi_sync_source_wait_no_replica &&
      this.semiSyncClients() < c.rpl_semi_sync_source_wait_for_replica_count
    ) {
      this.switchOff();
      return;
    }
    while (this.waitLen > 0 && this.ready(this.waitHead)) this.releaseHead();
    if (c.mode === 'semisync' && this.waitLen > 0 && this.timerEvent < 0) {
      const deadline = this.state.wCommit[this.waitHead] + c.rpl_semi_sync_source_timeout / 1000;
      this.timerEvent = this.sim.scheduleAt(Math.max(this.sim.now, deadline), this.timerH);
    }
  }

  /** rpl_semi_sync_source_timeout expired for the oldest waiting commit: fall back to async. */
  private semiSyncTimer(): void {
    this.timerEvent = -1;
    if (this.waitLen === 0) return;
    const deadline =
      this.state.wCommit[this.waitHead] + this.state.config.rpl_semi_sync_source_timeout / 1000;
    if (this.sim.now < deadline) {
      this.timerEvent = this.sim.scheduleAt(deadline, this.timerH);
      return;
    }
    this.stats.semiSyncTimeouts++;
    this.switchOff();
  }

  /** Semisync off (switch_off): every waiting commit returns, later ones do not wait. */
  private switchOff(): void {
    this.semiOn = false;
    this.offTimes++;
    while (this.waitLen > 0) this.releaseHead();
    if (this.timerEvent >= 0) this.sim.cancel(this.timerEvent);
    this.timerEvent = -1;
  }

  /** Semisync replicas connected to the primary (rpl_semi_sync_source_clients). */
  private semiSyncClients(): number {
    const st = this.state;
    if (st.primary < 0) return 0;
    let n = 0;
    for (let r = 0; r < st.nodeCount; r++) if (st.isLiveReplica(r)) n++;
    return n;
  }

  /** An acknowledgement from a standby of the current stream: its position advances by one. */
  private ack(arg: number): void {
    const st = this.state;
    const r = arg & NODE_MASK;
    if (arg >> NODE_BITS !== st.streamEpoch[r] || st.up[r] === 0) return;
    const pos = ++st.ackPos[r];
    if (st.streaming[r] === 0 && pos >= st.catchUpTarget[r]) st.streaming[r] = 1;
    const c = st.config;
    if (
      c.mode === 'semisync' &&
      !this.semiOn &&
      pos >= st.lastSeq &&
      (c.rpl_semi_sync_source_wait_no_replica ||
        this.semiSyncClients() >= c.rpl_semi_sync_source_wait_for_replica_count)
    )
      this.semiOn = true;
    this.releaseWaiters();
  }

  /** The primary crashed: every waiting commit fails (its client gets an error), the timer stops. */
  failWaiting(): void {
    const st = this.state;
    while (this.waitLen > 0) {
      const job = st.wJob[this.waitHead++];
      this.waitLen--;
      this.parts.routing.fail(job);
    }
    if (this.timerEvent >= 0) this.sim.cancel(this.timerEvent);
    this.timerEvent = -1;
  }
}
