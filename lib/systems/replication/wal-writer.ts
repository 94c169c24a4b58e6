/**
 * PostgreSQL's WAL writer under `synchronous_commit = off` (src/backend/postmaster/walwriter.c,
 * XLogBackgroundFlush in src/backend/access/transam/xlog.c; docs §28.4 "Asynchronous Commit"):
 * the commit returns before its WAL is flushed; the WAL writer flushes every `wal_writer_delay`
 * (default 200 ms), or at once when `wal_writer_flush_after` bytes (default 1 MB) are pending.
 * The walsender sends only flushed WAL, so the standbys get a write after its flush: an
 * asynchronous commit adds up to `wal_writer_delay` to the replication lag, and a crash of the
 * primary loses the acknowledged commits not yet flushed, λ·wal_writer_delay/2 on average
 * (at most wal_writer_delay of commits; PostgreSQL documents three times that as its worst case,
 * since a busy WAL writer flushes whole pages only, which is not modelled).
 */
import { Part } from './parts';
import type { Parts } from './parts';
import type { ClusterState } from './state';
import type { ReplicationStats } from './statistics';

export class WalWriter extends Part {
  private readonly tickH: number;
  private readonly flushAfterWrites: number;

  constructor(state: ClusterState, stats: ReplicationStats, parts: Parts) {
    super(state, stats, parts);
    const c = state.config;
    this.tickH = state.sim.handler(() => this.tick(), 'replication.walWriter');
    this.flushAfterWrites = c.writeBytes > 0 ? c.wal_writer_flush_after / c.writeBytes : Infinity;
    if (state.walAsync) state.sim.schedule(c.wal_writer_delay / 1000, this.tickH);
  }

  /** An asynchronous commit has written its WAL: flush now if wal_writer_flush_after is reached. */
  written(): void {
    const st = this.state;
    if (st.lastSeq - st.flushedPos >= this.flushAfterWrites) this.flush();
  }

  private tick(): void {
    this.flush();
    this.sim.schedule(this.state.config.wal_writer_delay / 1000, this.tickH);
  }

  /** Flushes every written commit and ships it to the live standbys. */
  flush(): void {
    const st = this.state;
    if (st.primary < 0 || st.flushedPos >= st.lastSeq) return;
    st.flushedPos = st.lastSeq;
    const replicas = this.parts.replicas;
    for (let r = 0; r < st.nodeCount; r++) {
      if (st.isLiveReplica(r)) replicas.shipUpTo(r, st.flushedPos);
    }
  }
}
