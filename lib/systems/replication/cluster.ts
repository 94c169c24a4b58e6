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
import { ClusterRouting } from './routing';
import type { FailureProcess } from '../common/failures';
import { Clients } from './clients';
import { resolveReplicationConfig } from './resolve';
import type { ReplicationConfig, ResolvedReplicationConfig } from './config';
import { Failover } from './failover';
import { LagSampler } from './lag-series';
import type { LagSeries } from './lag-series';
import type { Parts } from './parts';
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
  /** With clients 'external': the caller's answer targets and key/session tables (called.ts). */
  private readonly called: CalledRequests | null;
  /** Where requests go (routing.ts). */
  private readonly routing: ClusterRouting;
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

    const parts = {} as Parts;
    this.called =
      c.clients === 'external' ? new CalledRequests(sim, c.keys, c.sessions, c.name) : null;
    // With ProxySQL weights: the draw of a replica (stream `<name>.route`).
    const routeRng = c.weights !== null ? sim.streams.get(`${c.name}.route`) : null;
    const routing = new ClusterRouting(
      state,
      this.stats,
      parts,
      this.stations,
      this.called,
      routeRng,
    );
    this.routing = routing;
    const done = target((job) => routing.requestDone(job));
    const failed = target((job) => routing.fail(job));
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
      st.onStart = (job) => routing.readStart(i, job);
      this.stations.push(st);
    }
    parts.routing = routing;
    this.parts = parts;
    parts.replicas = new Replicas(state, this.stats, parts);
    parts.primary = new Primary(state, this.stats, parts);
    parts.ryw = new ReadYourWrites(state, this.stats, parts);
    parts.failover = new Failover(state, this.stats, parts, this.stations);
    parts.walWriter = new WalWriter(state, this.stats, parts);
    parts.proxysql = new ProxySqlMonitor(state, this.stats, parts);

    this.clients =
      c.clients === 'external' ? null : new Clients(state, (job, kind) => routing.route(job, kind));
    routing.clients = this.clients;
    this.reads = target((job) => (this.calledOnly(), routing.enter(job, READ)));
    this.writes = target((job) => (this.calledOnly(), routing.enter(job, WRITE)));
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
}
