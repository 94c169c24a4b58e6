/**
 * A primary and R replicas on the simulation kernel: the clients, the routing of their requests,
 * and the parts that do the rest, each in its own file:
 * - primary.ts: commit in order, ship, wait for acknowledgements (async, MySQL semisync with its
 *   timeout fallback, PostgreSQL sync FIRST/ANY n at a `synchronous_commit` level);
 * - replicas.ts: the link, the relay log, apply in commit order (parallel workers with WRITESET
 *   conflicts), acknowledgements, catch-up after a reconnect;
 * - read-your-writes.ts: reads that wait for a replica to apply their session's last write;
 * - failover.ts: crashes and recoveries through FailureProcess, promotion, lost writes;
 * - wal-writer.ts: PostgreSQL's WAL writer under `synchronous_commit = off`;
 * - proxysql.ts: ProxySQL's replication-lag checks behind `max_replication_lag`;
 * - statistics.ts and lag-series.ts: the summary (LatencySummary everywhere) and the lag series.
 *
 * Requests (reads and writes, each on a key drawn from a Zipf popularity, each in a session) come
 * from open Poisson sources or a closed population (clients.ts). Every database node is a kernel `Station`
 * (`servers` connections) that fails its requests back to their clients when it crashes. Writes
 * go to the primary; reads to the primary, round robin over the replicas (skipping those ProxySQL
 * has shunned for `max_replication_lag` at its last check), or read-your-writes (pin the session
 * to the primary for `rywWindow` after its writes, or wait for apply).
 *
 * A read on the primary returns the key's last version visible there (state.ts `visiblePos`) and
 * marks it seen, so a failover can count the lost writes another session had read.
 *
 * A read on a replica takes its snapshot when its service starts; it is stale if the key's latest
 * committed version on the primary is not yet applied there; its staleness is the time since the
 * first unapplied version of the key committed. Lag: see state.ts and statistics.ts.
 */
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import { target } from '../../sim/target';
import type { FailureProcess } from '../common/failures';
import { Clients } from './clients';
import { resolveReplicationConfig } from './resolve';
import type { ReplicationConfig, ResolvedReplicationConfig } from './config';
import { Failover } from './failover';
import { LagSampler } from './lag-series';
import type { LagSeries } from './lag-series';
import type { Parts, Routing } from './parts';
import { Primary } from './primary';
import { ProxySqlMonitor } from './proxysql';
import { ReadYourWrites } from './read-your-writes';
import { Replicas } from './replicas';
import { ClusterState, READ, WRITE } from './state';
import { ReplicationStats } from './statistics';
import type { ReplicationSummary } from './statistics';
import { WalWriter } from './wal-writer';
import { joinOverload, overloadOf } from '../common/overload';
import { ReplayGrowth } from './replay-growth';

/** A primary–replica database cluster inside a simulation (see the file comment). */
export class ReplicationCluster {
  readonly config: ResolvedReplicationConfig;
  readonly sim: Simulation;
  /** Number of database nodes, R + 1. */
  readonly nodeCount: number;
  /** Request stations, per node. */
  readonly stations: Station[] = [];
  private readonly state: ClusterState;
  private readonly stats: ReplicationStats;
  private readonly parts: Parts;
  private readonly lag: LagSampler;
  private readonly clients: Clients;
  private readonly replay: ReplayGrowth;
  private rr = 0;

  constructor(sim: Simulation, config: ReplicationConfig) {
    const c = resolveReplicationConfig(config);
    this.config = c;
    this.sim = sim;
    const state = new ClusterState(sim, c);
    this.state = state;
    this.nodeCount = state.nodeCount;
    this.stats = new ReplicationStats(state);

    const routing: Routing = {
      toNode: (node, job) => this.toNode(node, job),
      toPrimary: (job) => this.toPrimary(job),
      fail: (job) => this.fail(job),
      finish: (job) => this.finish(job),
    };
    const done = target((job) => this.requestDone(job));
    const failed = target((job) => this.fail(job));
    const service = (job: number, rng: Rng) =>
      (sim.jobs.attributes[state.aKind][job] === WRITE ? c.commitTime : c.readTime).sample(rng);
    for (let i = 0; i < state.nodeCount; i++) {
      const st = new Station(sim, {
        name: `db${i}`,
        service,
        servers: c.servers,
        to: done,
        onCrash: 'fail',
        failTo: failed,
      });
      st.onStart = (job) => this.readStart(i, job);
      this.stations.push(st);
    }
    const parts = { routing } as Parts;
    this.parts = parts;
    parts.replicas = new Replicas(state, this.stats, parts);
    parts.primary = new Primary(state, this.stats, parts);
    parts.ryw = new ReadYourWrites(state, this.stats, parts);
    parts.failover = new Failover(state, this.stats, parts, this.stations);
    parts.walWriter = new WalWriter(state, this.stats, parts);
    parts.proxysql = new ProxySqlMonitor(state, this.stats, parts);

    this.clients = new Clients(state, (job, kind) => this.route(job, kind));
    this.lag = new LagSampler(state);
    this.replay = new ReplayGrowth(state);
  }

  /** Current primary node, -1 during a primary outage. */
  get primary(): number {
    return this.state.primary;
  }

  /** Last committed sequence number on the (current) primary. */
  get lastSeq(): number {
    return this.state.lastSeq;
  }

  /** Per node: up, retired (an old primary), received / applied / acknowledged positions. */
  get up(): Uint8Array {
    return this.state.up;
  }

  get retired(): Uint8Array {
    return this.state.retired;
  }

  get receivedPos(): Int32Array {
    return this.state.receivedPos;
  }

  get appliedPos(): Int32Array {
    return this.state.appliedPos;
  }

  get ackPos(): Int32Array {
    return this.state.ackPos;
  }

  /** Apply stations, per node. */
  get applyStations(): Station[] {
    return this.parts.replicas.applyStations;
  }

  /** Each node's failure process (crashes, recoveries, availability, downtime). */
  get failures(): readonly FailureProcess[] {
    return this.parts.failover.processes;
  }

  /** Called on every transaction a replica applies, in the order applied: (node, seq). */
  get onApply(): ((node: number, seq: number) => void) | null {
    return this.parts.replicas.onApply;
  }

  set onApply(fn: ((node: number, seq: number) => void) | null) {
    this.parts.replicas.onApply = fn;
  }

  /** Stops the client sources (open clients): lets the replicas drain in tests. */
  stopClients(): void {
    this.clients.stop();
  }

  /** True while MySQL semisync is on (not fallen back to async). */
  get semiSyncOn(): boolean {
    return this.parts.primary.semiOn;
  }

  /** The sampled lag time series (replica nodes 1..R). */
  get lagSeries(): LagSeries {
    return this.lag.series;
  }

  /**
   * Lag of replica `node` now: the true lag (seconds since the oldest commit it has not applied,
   * and transactions behind) and MySQL's Seconds_Behind_Source as MySQL computes it (whole
   * seconds, 0 while the applier has nothing in the relay log, NaN for NULL; state.ts).
   */
  lagNow(node: number): { seconds: number; transactions: number; secondsBehindSource: number } {
    const st = this.state;
    return {
      seconds: st.lagSeconds(node),
      transactions: st.lagTransactions(node),
      secondsBehindSource: st.secondsBehindSource(node),
    };
  }

  /** ProxySQL's verdict on replica `node` at its last check: true while SHUNNED_REPLICATION_LAG. */
  shunnedForLag(node: number): boolean {
    return this.parts.proxysql.shunned[node] === 1;
  }

  /** Results since the start or the last `sim.resetStatistics()`. */
  summary(): ReplicationSummary {
    const f = this.parts.failover;
    const summary = this.stats.summary({
      semiSyncOn: this.parts.primary.semiOn,
      semiSyncOffTimes: this.parts.primary.offTimes,
      waitingCommits: this.parts.primary.waitLen,
      failoverAt: f.failoverAt,
      promoted: f.promoted,
      availability: (node) => f.processes[node].availability,
    });
    // a node's request or apply queue, or a replica's replay backlog, that grew without bound over the run
    return Object.assign(
      summary,
      joinOverload(overloadOf([...this.stations, ...this.applyStations]), this.replay.summary()),
    );
  }

  // ---- clients and routing -----------------------------------------------------------------------

  private route(job: number, kind: number): void {
    if (kind === WRITE) {
      this.toPrimary(job);
      return;
    }
    const c = this.config;
    const st = this.state;
    const session = this.sim.jobs.origin[job];
    // read-your-writes is judged against the session's last write acknowledged before this read was issued
    this.sim.jobs.attributes[st.aSessionSeq][job] = st.sLastSeq[session];
    if (c.readRouting === 'primary') {
      this.toPrimary(job);
      return;
    }
    if (c.readRouting === 'read-your-writes') {
      const last = st.sLastSeq[session];
      if (last > 0) {
        if (c.rywMethod === 'pin-primary') {
          if (this.sim.now - st.sLastAck[session] < c.rywWindow) {
            this.toPrimary(job);
            return;
          }
        } else {
          const r = this.pickReplica();
          if (r < 0) this.toPrimary(job);
          else if (st.appliedPos[r] >= last) this.toNode(r, job);
          else this.parts.ryw.wait(r, last, job);
          return;
        }
      }
    }
    const r = this.pickReplica();
    if (r < 0) this.toPrimary(job);
    else this.toNode(r, job);
  }

  /** Round robin over the up replicas that ProxySQL has not shunned for lag; -1 if none. */
  private pickReplica(): number {
    const st = this.state;
    const n = st.nodeCount;
    const shunned = this.parts.proxysql.shunned;
    for (let i = 1; i <= n; i++) {
      const idx = (this.rr + i) % n;
      if (st.isLiveReplica(idx) && shunned[idx] === 0) {
        this.rr = idx;
        return idx;
      }
    }
    return -1;
  }

  private toPrimary(job: number): void {
    if (this.state.primary < 0) this.fail(job);
    else this.toNode(this.state.primary, job);
  }

  private toNode(node: number, job: number): void {
    this.sim.jobs.attributes[this.state.aNode][job] = node;
    this.stations[node].accept(job);
  }

  private finish(job: number): void {
    this.clients.finish(job);
  }

  private fail(job: number): void {
    if (this.sim.jobs.attributes[this.state.aKind][job] === WRITE) this.stats.writesFailed++;
    else this.stats.readsFailed++;
    this.finish(job);
  }

  /** A read's snapshot, at its service start: stale or not, and read-your-writes. */
  private readStart(node: number, job: number): void {
    const st = this.state;
    const a = this.sim.jobs.attributes;
    if (a[st.aKind][job] !== READ) return;
    if (node === st.primary) {
      let v = st.keyLast[a[st.aKey][job]];
      while (v > st.visiblePos) v = st.wPrev[v];
      if (v > 0) st.wSeen[v] = 1;
      return;
    }
    const applied = st.appliedPos[node];
    this.stats.replicaReads++;
    const key = a[st.aKey][job];
    let s = st.keyLast[key];
    if (s > applied) {
      this.stats.staleReads++;
      while (st.wPrev[s] > applied) s = st.wPrev[s];
      this.stats.staleness.record(this.sim.now - st.wCommit[s]);
    }
    if (a[st.aSessionSeq][job] > applied) this.stats.rywViolations++;
  }

  /** A request has been served (its station was up all along: a crash fails what is inside). */
  private requestDone(job: number): void {
    const jobs = this.sim.jobs;
    if (jobs.attributes[this.state.aKind][job] === WRITE) {
      this.parts.primary.commit(job);
      return;
    }
    this.stats.readsCompleted++;
    this.stats.readLatency.record(this.sim.now - jobs.born[job]);
    this.finish(job);
  }
}
