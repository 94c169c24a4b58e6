/**
 * Crashes, recoveries and failover, driven by one {@link FailureProcess} per database node
 * (lib/systems/common/failures.ts; stream `replication.db<i>.failures`). The user-facing knobs map
 * onto failure specs: `replicaCrashes: [{ replica, at, duration }]` become scheduled outages of
 * those replicas, `replicaFailures` (mttf/mttr or distributions) the random failures of every
 * replica, `primaryCrashAt: t` an outage of node 0 (the initial primary) from t for ever.
 *
 * A replica crash stops it serving: its request station is crashed with `onCrash: 'fail'`, so the
 * reads waiting or in service there fail back to their clients at once (a client connected to a
 * dead MySQL or PostgreSQL replica gets a connection error), as do reads waiting for it to apply
 * a session's write; its stream and apply in flight are lost, its relay log kept. On recovery it
 * reconnects and catches up from its received position.
 *
 * A primary crash fails its requests and the commits waiting for acknowledgements and cuts every
 * stream. After `detectionDelay` (Patroni `ttl`) the up replica with the largest received
 * position is chosen; it is promoted once it has replayed its relay log. Committed writes beyond
 * its position are lost, counted as acknowledged (the client was told) or not, and as seen (a read
 * on the primary had returned them: MySQL's AFTER_COMMIT wait point, async). With
 * `synchronous_commit = off` the acknowledged commits not yet flushed at the crash are counted
 * apart (`lostUnflushed`: what even the primary's own crash recovery loses). A crashed primary
 * is retired: it does not rejoin (that would take pg_rewind or a re-clone).
 */
import type { Station } from '../../sim/station';
import { FailureProcess } from '../common/failures';
import type { FailureSpec } from '../common/failures';
import type { ResolvedReplicationConfig } from './config';
import { Part } from './parts';
import type { Parts } from './parts';
import type { ClusterState } from './state';
import type { ReplicationStats } from './statistics';

/** The failure spec of each node from the configuration's replicaCrashes and primaryCrashAt. */
export function nodeFailureSpecs(c: ResolvedReplicationConfig): FailureSpec[] {
  const specs: FailureSpec[] = [
    {
      outages: c.primaryCrashAt !== Infinity ? [{ at: c.primaryCrashAt, duration: Infinity }] : [],
    },
  ];
  const random = c.replicaFailures;
  for (let r = 1; r <= c.replicas; r++) {
    const outages = random.outages.map((o) => ({ at: o.at, duration: o.duration }));
    for (const crash of c.replicaCrashes)
      if (crash.replica === r) outages.push({ at: crash.at, duration: crash.duration });
    const spec: FailureSpec = { outages };
    if (random.timeToFailure !== null && random.timeToRepair !== null) {
      spec.timeToFailure = random.timeToFailure;
      spec.timeToRepair = random.timeToRepair;
    }
    specs.push(spec);
  }
  return specs;
}

export class Failover extends Part {
  /** Each node's failure process: availability, downtime, crash and recovery listeners. */
  readonly processes: FailureProcess[] = [];
  /** Time the promoted replica became primary (NaN if none) and its node (-1). */
  failoverAt = NaN;
  promoted = -1;
  private promoting = -1;
  private readonly promoteH: number;
  private readonly stations: readonly Station[];

  constructor(
    state: ClusterState,
    stats: ReplicationStats,
    parts: Parts,
    stations: readonly Station[],
  ) {
    super(state, stats, parts);
    this.stations = stations;
    this.promoteH = state.sim.handler(() => this.promote(), 'replication.promote');
    const specs = nodeFailureSpecs(state.config);
    for (let r = 0; r < state.nodeCount; r++) {
      const component = { crash: () => this.crash(r), recover: () => this.recover(r) };
      this.processes.push(
        new FailureProcess(state.sim, component, specs[r], { name: `${state.config.name}.db${r}` }),
      );
    }
  }

  /** Node r goes down: the primary (failover follows) or a replica. */
  private crash(r: number): void {
    const st = this.state;
    if (st.retired[r] === 1 || st.up[r] === 0) return;
    if (r === st.primary) this.primaryCrash();
    else this.replicaCrash(r);
  }

  private recover(r: number): void {
    const st = this.state;
    if (st.retired[r] === 1 || st.up[r] === 1) return;
    st.up[r] = 1;
    this.stations[r].recover();
    const replicas = this.parts.replicas;
    replicas.recover(r);
    replicas.reconnect(r);
    replicas.dispatch(r);
  }

  private replicaCrash(r: number): void {
    this.state.up[r] = 0;
    this.parts.ryw.failAll(r);
    this.parts.replicas.crash(r);
    this.stations[r].crash();
    if (this.promoting === r) {
      this.promoting = -1;
      this.promote();
    }
    this.parts.primary.releaseWaiters(); // FIRST n: the next standby in the list may now be synchronous
  }

  private primaryCrash(): void {
    const st = this.state;
    const p = st.primary;
    // synchronous_commit = off: acknowledged commits whose WAL never reached the primary's disk
    for (let s = st.flushedPos + 1; s <= st.lastSeq; s++)
      if (st.wAcked[s] === 1) this.stats.lostUnflushed++;
    st.up[p] = 0;
    st.retired[p] = 1;
    st.primary = -1;
    for (let r = 0; r < st.nodeCount; r++) st.streamEpoch[r]++; // the stream from p is cut
    this.parts.primary.failWaiting();
    this.stations[p].crash();
    this.sim.schedule(st.config.detectionDelay, this.promoteH);
  }

  /** Picks the up replica with the largest received position; it becomes primary once it has replayed it. */
  private promote(): void {
    const st = this.state;
    let best = -1;
    for (let r = 0; r < st.nodeCount; r++) {
      if (
        st.up[r] === 1 &&
        st.retired[r] === 0 &&
        (best < 0 || st.receivedPos[r] > st.receivedPos[best])
      )
        best = r;
    }
    if (best < 0) return; // no candidate: the cluster stays without a primary
    this.promoting = best;
    if (st.appliedPos[best] === st.receivedPos[best]) this.finishPromotion();
  }

  /** After an apply on replica r: true if r was being promoted and has now replayed its relay log (it is the primary now). */
  caughtUp(r: number): boolean {
    const st = this.state;
    if (this.promoting !== r || st.appliedPos[r] !== st.receivedPos[r]) return false;
    this.finishPromotion();
    return true;
  }

  private finishPromotion(): void {
    const st = this.state;
    const c = this.promoting;
    this.promoting = -1;
    const P = st.receivedPos[c];
    for (let s = st.lastSeq; s > P; s--) {
      if (st.wAcked[s] === 1) this.stats.lostAcked++;
      else this.stats.lostUnacked++;
      if (st.wSeen[s] === 1) this.stats.lostSeen++;
      const key = st.wKey[s];
      if (st.keyLast[key] === s) {
        let f = st.wPrev[s];
        while (f > P) f = st.wPrev[f];
        st.keyLast[key] = f;
      }
    }
    st.lastSeq = P;
    st.visiblePos = P;
    st.flushedPos = P;
    for (let s = 0; s < st.sLastSeq.length; s++) if (st.sLastSeq[s] > P) st.sLastSeq[s] = 0;
    st.primary = c;
    // reads waiting for this node to apply a session's write: the new primary has every surviving write
    this.parts.ryw.serveAll(c);
    this.failoverAt = this.sim.now;
    this.promoted = c;
    this.parts.primary.semiOn = true;
    for (let r = 0; r < st.nodeCount; r++) {
      if (r === c || st.retired[r] === 1) continue;
      st.streamEpoch[r]++;
      if (st.up[r] === 1) this.parts.replicas.reconnect(r);
    }
  }
}
