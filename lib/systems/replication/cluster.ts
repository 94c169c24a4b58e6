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
 * from open Poisson sources or a closed population (clients.ts), or, with `clients: 'external'`,
 * from a caller through the `reads` and `writes` entries (called.ts). Every database node is a kernel `Station`
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
import { ParameterError } from '../../errors';
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import { target, type JobTarget } from '../../sim/target';
import { CalledRequests } from './called';
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
  private readonly clients: Clients | null;
  private readonly replay: ReplayGrowth;
  private rr = 0;
  /** With clients 'external': the caller's answer targets and key/session tables (called.ts). */
  private readonly called: CalledRequests | null;
  /** With ProxySQL weights: the draw of a replica (stream `<name>.route`). */
  private readonly routeRng: Rng | null;
  /** Entries of a called cluster (clients 'external'): a read, routed as reads are; a write, to the primary. */
  readonly reads: JobTarget;
  readonly writes: JobTarget;

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
        name: c.name === 'replication' ? `db${i}` : `${c.name}.db${i}`,
        discipline: c.discipline,
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

    this.called =
      c.clients === 'external' ? new CalledRequests(sim, c.keys, c.sessions, c.name) : null;
    this.clients =
      c.clients === 'external' ? null : new Clients(state, (job, kind) => this.route(job, kind));
    this.routeRng = c.weights !== null ? sim.streams.get(`${c.name}.route`) : null;
    this.reads = target((job) => this.enter(job, READ));
    this.writes = target((job) => this.enter(job, WRITE));
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
    if (this.clients !== null) this.clients.stop();
  }

  /** A called cluster's answered requests go here (default `Calls.of(sim).reply`). */
  get to(): JobTarget {
    return this.calledOnly().to;
  }

  set to(t: JobTarget) {
    this.calledOnly().to = t;
  }

  /** A called cluster's refused or failed requests go here (default `Calls.of(sim).error`). */
  get error(): JobTarget {
    return this.calledOnly().error;
  }

  set error(t: JobTarget) {
    this.calledOnly().error = t;
  }

  /** Called cluster: the key (1..keys) request `job` reads or writes; set before `accept`. */
  setKey(job: number, key: number): void {
    this.calledOnly().setKey(job, key);
  }

  /** Called cluster: the session (0..sessions-1) of request `job`; set before `accept`. */
  setSession(job: number, session: number): void {
    this.calledOnly().setSession(job, session);
  }

  private calledOnly(): CalledRequests {
    if (this.called === null)
      throw new ParameterError(
        'clients',
        this.config.clients,
        "must be 'external' for a cluster called through reads and writes",
      );
    return this.called;
  }

  /** A request from the caller: its kind, key and session, then routed as the clients' are. */
  private enter(job: number, kind: number): void {
    const called = this.calledOnly();
    const st = this.state;
    const jobs = this.sim.jobs;
    const key = called.takeKey(job);
    jobs.origin[job] = called.takeSession(job);
    jobs.attributes[st.aKind][job] = kind;
    jobs.attributes[st.aKey][job] = key > 0 ? key : called.drawKey();
    this.route(job, kind);
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

  /**
   * A live replica ProxySQL has not shunned for lag, -1 if none: by ProxySQL's weights (a draw
   * with probability weight / Σ weights over the eligible, MySrvC's random pick) or round robin.
   */
  private pickReplica(): number {
    const st = this.state;
    const n = st.nodeCount;
    const shunned = this.parts.proxysql.shunned;
    const w = this.config.weights;
    if (w !== null) {
      let total = 0;
      for (let r = 0; r < n; r++) if (st.isLiveReplica(r) && shunned[r] === 0) total += w[r];
      if (total === 0) return -1;
      let u = (this.routeRng as Rng).next() * total;
      let last = -1;
      for (let r = 0; r < n; r++)
        if (st.isLiveReplica(r) && shunned[r] === 0) {
          last = r;
          if ((u -= w[r]) < 0) return r;
        }
      return last;
    }
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
    if (this.clients !== null) this.clients.finish(job);
    else (this.called as CalledRequests).to.accept(job);
  }

  private fail(job: number): void {
    if (this.sim.jobs.attributes[this.state.aKind][job] === WRITE) this.stats.writesFailed++;
    else this.stats.readsFailed++;
    if (this.clients !== null) this.clients.finish(job);
    else (this.called as CalledRequests).error.accept(job);
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
