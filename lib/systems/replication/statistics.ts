/**
 * A replication cluster's statistics since the start or the last `sim.resetStatistics()`:
 * counters of writes and reads, the client-observed write and read latencies, the staleness of
 * stale reads and each replica's replay lag, all in the one {@link LatencySummary} shape of
 * lib/systems/common/latency.ts (a Welford tally and the kernel's 1 % quantile sketch).
 *
 * Replay lag of a write on a replica: applied time − commit time on the primary, what
 * PostgreSQL reports as `pg_stat_replication.replay_lag`. The cluster-wide lag merges every
 * replica's tally and sketch.
 */
import { Observations } from '../../sim/observations';
import type { QuantileSketch } from '../../sim/quantile-sketch';
import { Latency, summarizeLatency } from '../common/latency';
import type { LatencySummary } from '../common/latency';
import type { ClusterState } from './state';
import type { OverloadSummary } from '../common/overload';

export interface ReplicaLagSummary {
  /** Node index (0 is the initial primary; replicas are 1..R). */
  node: number;
  /** Replay lag of writes applied since the last reset, seconds. */
  lag: LatencySummary;
  receivedPos: number;
  appliedPos: number;
  /** Fraction of the observed time the node was up (its failure process). */
  availability: number;
}

/** `overloaded`: a node's request or apply queue, or a replica's replay backlog, grew without bound over the run. */
export interface ReplicationSummary extends OverloadSummary {
  elapsed: number;
  writesCommitted: number;
  writesAcknowledged: number;
  /** Writes refused or cut off (no primary, crashed node, failed while waiting for acknowledgements). */
  writesFailed: number;
  writeThroughput: number;
  /** Client-observed write latency (arrival to acknowledgement). */
  writeLatency: LatencySummary;
  readsCompleted: number;
  /** Reads refused or cut off: no node to serve them, or their node crashed (the client's connection is reset). */
  readsFailed: number;
  readThroughput: number;
  readLatency: LatencySummary;
  /** Reads served by replicas (counted at service start), and the stale ones among them. */
  replicaReads: number;
  staleReads: number;
  /** staleReads / all reads completed. */
  staleReadRate: number;
  staleness: LatencySummary;
  /** Reads (on replicas) that did not see their own session's last acknowledged write. */
  rywViolations: number;
  /** Reads that waited for a replica to apply the session's last write (wait-for-apply). */
  rywWaits: number;
  /** Of those, reads that gave up after rywWaitTimeout and went to the primary. */
  rywTimeouts: number;
  /** Replay lag over every replica. */
  lag: LatencySummary;
  replicas: ReplicaLagSummary[];
  semiSyncTimeouts: number;
  /** Times semisync switched off, by timeout or too few replicas (Rpl_semi_sync_source_off_times; not reset). */
  semiSyncOffTimes: number;
  /** Whether MySQL semisync is on at the end (Rpl_semi_sync_source_status). */
  semiSyncOn: boolean;
  /** Times ProxySQL shunned a replica for replication lag (SHUNNED_REPLICATION_LAG). */
  lagShuns: number;
  /** Acknowledged / unacknowledged committed writes lost at failover. */
  lostAcknowledged: number;
  lostUnacknowledged: number;
  /** Writes lost at failover that a read on the primary had returned (seen by another session, e.g. at AFTER_COMMIT). */
  lostSeen: number;
  /** Acknowledged commits not yet flushed to the primary's WAL when it crashed (synchronous_commit = off). */
  lostUnflushed: number;
  /** Time the promoted replica became primary (NaN if none) and its node index (-1). */
  failoverAt: number;
  promoted: number;
  /** Writes still waiting for acknowledgements at the end (blocked sync commits). */
  waitingCommits: number;
}

/** What the summary needs from the other parts of the cluster at the time it is taken. */
export interface SummaryContext {
  semiSyncOn: boolean;
  semiSyncOffTimes: number;
  waitingCommits: number;
  failoverAt: number;
  promoted: number;
  availability: (node: number) => number;
}

export class ReplicationStats {
  writesCommitted = 0;
  writesAcked = 0;
  writesFailed = 0;
  readsCompleted = 0;
  readsFailed = 0;
  replicaReads = 0;
  staleReads = 0;
  rywViolations = 0;
  rywWaits = 0;
  rywTimeouts = 0;
  semiSyncTimeouts = 0;
  lagShuns = 0;
  /** Lost writes are not reset: a failover is counted once, whenever it happens. */
  lostAcked = 0;
  lostUnacked = 0;
  lostSeen = 0;
  lostUnflushed = 0;
  readonly writeLatency: Latency;
  readonly readLatency: Latency;
  readonly staleness: Latency;
  /** Replay lag per node (the primary's stays empty). */
  readonly lag: Latency[] = [];
  private statsStart: number;
  private readonly state: ClusterState;

  constructor(state: ClusterState) {
    const sim = state.sim;
    this.state = state;
    this.writeLatency = new Latency(sim);
    this.readLatency = new Latency(sim);
    this.staleness = new Latency(sim);
    for (let r = 0; r < state.nodeCount; r++) this.lag.push(new Latency(sim));
    this.statsStart = sim.now;
    sim.onReset(() => this.reset());
  }

  private reset(): void {
    this.writesCommitted = 0;
    this.writesAcked = 0;
    this.writesFailed = 0;
    this.readsCompleted = 0;
    this.readsFailed = 0;
    this.replicaReads = 0;
    this.staleReads = 0;
    this.rywViolations = 0;
    this.rywWaits = 0;
    this.rywTimeouts = 0;
    this.semiSyncTimeouts = 0;
    this.lagShuns = 0;
    this.statsStart = this.state.sim.now;
  }

  summary(ctx: SummaryContext): Omit<ReplicationSummary, keyof OverloadSummary> {
    const s = this.state;
    const elapsed = s.sim.now - this.statsStart;
    const all = new Observations(true);
    const replicas: ReplicaLagSummary[] = [];
    for (let r = 0; r < s.nodeCount; r++) {
      const o = this.lag[r].observations;
      if (o.tallied().count === 0 && (r === s.primary || s.retired[r] === 1)) continue;
      all.tallied().merge(o.tallied());
      (all.sketched() as QuantileSketch).merge(o.sketched() as QuantileSketch);
      replicas.push({
        node: r,
        lag: summarizeLatency(o),
        receivedPos: s.receivedPos[r],
        appliedPos: s.appliedPos[r],
        availability: ctx.availability(r),
      });
    }
    return {
      elapsed,
      writesCommitted: this.writesCommitted,
      writesAcknowledged: this.writesAcked,
      writesFailed: this.writesFailed,
      writeThroughput: elapsed > 0 ? this.writesAcked / elapsed : NaN,
      writeLatency: this.writeLatency.summary(),
      readsCompleted: this.readsCompleted,
      readsFailed: this.readsFailed,
      readThroughput: elapsed > 0 ? this.readsCompleted / elapsed : NaN,
      readLatency: this.readLatency.summary(),
      replicaReads: this.replicaReads,
      staleReads: this.staleReads,
      staleReadRate: this.readsCompleted > 0 ? this.staleReads / this.readsCompleted : NaN,
      staleness: this.staleness.summary(),
      rywViolations: this.rywViolations,
      rywWaits: this.rywWaits,
      rywTimeouts: this.rywTimeouts,
      lag: summarizeLatency(all),
      replicas,
      semiSyncTimeouts: this.semiSyncTimeouts,
      semiSyncOffTimes: ctx.semiSyncOffTimes,
      semiSyncOn: ctx.semiSyncOn,
      lagShuns: this.lagShuns,
      lostAcknowledged: this.lostAcked,
      lostUnacknowledged: this.lostUnacked,
      lostSeen: this.lostSeen,
      lostUnflushed: this.lostUnflushed,
      failoverAt: ctx.failoverAt,
      promoted: ctx.promoted,
      waitingCommits: ctx.waitingCommits,
    };
  }
}
