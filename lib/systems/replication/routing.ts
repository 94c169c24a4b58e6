/**
 * The request path of a replication cluster (cluster.ts): where each request goes and what happens
 * when its node has served it. Writes go to the primary; reads to the primary, to a replica (by
 * ProxySQL's weights, a draw over the live, unshunned replicas, or round robin), or by
 * read-your-writes (pin the session to the primary for `rywWindow` after its writes, or wait for
 * apply). A read's snapshot is taken when its service starts: on a replica it is stale if the key's
 * latest committed version is not yet applied there (its staleness the time since the first
 * unapplied version committed); on the primary it marks the version it read as seen, so a failover
 * can count the lost writes another session had read. A served write is committed by the primary
 * (primary.ts), a served read is done. Done and failed requests go back to their clients, or, in a
 * called cluster, to the caller's `to` and `error` (called.ts).
 */
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import type { Station } from '../../sim/station';
import type { CalledRequests } from './called';
import type { Clients } from './clients';
import type { Parts, Routing } from './parts';
import type { ClusterState } from './state';
import { READ, WRITE } from './state';
import type { ReplicationStats } from './statistics';

export class ClusterRouting implements Routing {
  /** The open or closed clients (null in a called cluster); set once they exist. */
  clients: Clients | null = null;
  private rr = 0;
  private readonly sim: Simulation;

  constructor(
    private readonly state: ClusterState,
    private readonly stats: ReplicationStats,
    private readonly parts: Parts,
    private readonly stations: Station[],
    private readonly called: CalledRequests | null,
    private readonly routeRng: Rng | null,
  ) {
    this.sim = state.sim;
  }

  /** A request from the caller: its kind, key and session, then routed as the clients' are. */
  enter(job: number, kind: number): void {
    const called = this.called as CalledRequests;
    const st = this.state;
    const jobs = this.sim.jobs;
    const key = called.takeKey(job);
    jobs.origin[job] = called.takeSession(job);
    jobs.attributes[st.aKind][job] = kind;
    jobs.attributes[st.aKey][job] = key > 0 ? key : called.drawKey();
    this.route(job, kind);
  }

  route(job: number, kind: number): void {
    if (kind === WRITE) {
      this.toPrimary(job);
      return;
    }
    const c = this.state.config;
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
  pickReplica(): number {
    const st = this.state;
    const n = st.nodeCount;
    const shunned = this.parts.proxysql.shunned;
    const w = this.state.config.weights;
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

  toPrimary(job: number): void {
    if (this.state.primary < 0) this.fail(job);
    else this.toNode(this.state.primary, job);
  }

  toNode(node: number, job: number): void {
    this.sim.jobs.attributes[this.state.aNode][job] = node;
    this.stations[node].accept(job);
  }

  finish(job: number): void {
    if (this.clients !== null) this.clients.finish(job);
    else (this.called as CalledRequests).to.accept(job);
  }

  fail(job: number): void {
    if (this.sim.jobs.attributes[this.state.aKind][job] === WRITE) this.stats.writesFailed++;
    else this.stats.readsFailed++;
    if (this.clients !== null) this.clients.finish(job);
    else (this.called as CalledRequests).error.accept(job);
  }

  /** A read's snapshot, at its service start: stale or not, and read-your-writes. */
  readStart(node: number, job: number): void {
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
  requestDone(job: number): void {
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
