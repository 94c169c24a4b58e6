/**
 * The replicas' side of the stream: the link from the primary, the relay log, and apply.
 *
 * Link: FIFO and in order, as one TCP stream: a send waits for the link, takes
 * `writeBytes / linkBandwidth`, then arrives after a draw of that replica's `linkLatency`, never
 * before the previous one. A replica appends what it receives to its relay log (`receivedPos`), acknowledges it when
 * the mode asks (after a `replicaFlushTime` flush for semisync and `synchronous_commit = on`, at
 * apply for `remote_apply`), and applies it on an apply `Station` of `replica_parallel_workers`
 * servers, dispatched in commit order: a transaction is dispatched only when fewer than W are in
 * flight and (W > 1) no in-flight transaction writes the same key (MySQL WRITESET dependency
 * tracking); it becomes visible when every earlier one has (`replica_preserve_commit_order`), which
 * a small ring of "applied, not yet visible" flags per replica tracks.
 *
 * A crash loses the stream in flight and the transactions being applied (the apply station is
 * crashed with `onCrash: 'lose'`) but keeps the relay log; {@link reconnect} rewinds a diverged relay
 * log to the primary's last position and has the primary resend everything after the replica's
 * received position (catch-up; PostgreSQL's standby is in `catchup` until it has it all).
 */
import { ParameterError } from '../../errors';
import { Station } from '../../sim/station';
import { target } from '../../sim/target';
import { Part } from './parts';
import type { Parts } from './parts';
import type { ClusterState } from './state';
import { NODE_BITS, NODE_MASK } from './state';
import type { ReplicationStats } from './statistics';

export class Replicas extends Part {
  /** The apply station of every node (the primary's stays idle). */
  readonly applyStations: Station[] = [];
  /** Called on every transaction a replica applies, in the order applied: (node, seq). */
  onApply: ((node: number, seq: number) => void) | null = null;
  private readonly shippedPos: Int32Array;
  private readonly nextDispatch: Int32Array;
  private readonly linkFree: Float64Array;
  private readonly lastArrival: Float64Array;
  private readonly lastAck: Float64Array;
  private readonly ringSize: number;
  private readonly ring: Uint8Array;
  private readonly keyBusy: Int32Array | null;
  private readonly arriveH: number;

  constructor(state: ClusterState, stats: ReplicationStats, parts: Parts) {
    super(state, stats, parts);
    const sim = state.sim;
    const c = state.config;
    const n = state.nodeCount;
    this.shippedPos = new Int32Array(n);
    this.nextDispatch = new Int32Array(n).fill(1);
    this.linkFree = new Float64Array(n);
    this.lastArrival = new Float64Array(n);
    this.lastAck = new Float64Array(n);
    const W = c.replica_parallel_workers;
    let rs = 2;
    while (rs <= W) rs *= 2;
    this.ringSize = rs;
    this.ring = new Uint8Array(n * rs);
    this.keyBusy = W > 1 ? new Int32Array(n * (c.keys + 1)) : null;
    const applied = target((job) => this.applyDone(job));
    for (let i = 0; i < n; i++) {
      this.applyStations.push(
        new Station(sim, {
          name: c.name === 'replication' ? `db${i}.apply` : `${c.name}.db${i}.apply`,
          service: c.applyTime,
          servers: W,
          to: applied,
          quantiles: false,
          onCrash: 'lose',
        }),
      );
    }
    this.arriveH = sim.handler((arg) => this.arrive(arg), 'replication.arrive');
  }

  /** Ships every write after the replica's shipped position up to `seq`, in order. */
  shipUpTo(r: number, seq: number): void {
    const st = this.state;
    const c = st.config;
    const sim = this.sim;
    const tx = c.linkBandwidth === Infinity ? 0 : c.writeBytes / c.linkBandwidth;
    const arg = r | (st.streamEpoch[r] << NODE_BITS);
    for (let s = this.shippedPos[r] + 1; s <= seq; s++) {
      const start = Math.max(sim.now, this.linkFree[r]);
      this.linkFree[r] = start + tx;
      const lat = c.linkLatencies[r].sample(st.linkRng);
      if (!(lat >= 0 && lat !== Infinity))
        throw new ParameterError('linkLatency sample', lat, 'must be a finite number >= 0');
      const t = Math.max(this.lastArrival[r], this.linkFree[r] + lat);
      this.lastArrival[r] = t;
      sim.scheduleAt(t, this.arriveH, arg);
    }
    if (seq > this.shippedPos[r]) this.shippedPos[r] = seq;
  }

  /** A standby's acknowledgement to the primary: one link latency (+ a flush) later, in order. */
  private sendAck(r: number, flush: boolean): void {
    const st = this.state;
    const c = st.config;
    let t = this.sim.now + c.linkLatencies[r].sample(st.linkRng);
    if (flush) t += c.replicaFlushTime.sample(st.flushRng);
    t = Math.max(t, this.lastAck[r]);
    this.lastAck[r] = t;
    this.sim.scheduleAt(t, this.parts.primary.ackH, r | (st.streamEpoch[r] << NODE_BITS));
  }

  private arrive(arg: number): void {
    const st = this.state;
    const r = arg & NODE_MASK;
    if (arg >> NODE_BITS !== st.streamEpoch[r] || st.up[r] === 0) return;
    st.receivedPos[r]++;
    if (st.needsAck && !st.ackAtApply) this.sendAck(r, st.ackFlush);
    this.dispatch(r);
  }

  /** Hands the next transactions of replica r's relay log to its apply workers, in commit order. */
  dispatch(r: number): void {
    const st = this.state;
    if (st.up[r] === 0 || r === st.primary) return;
    const W = st.config.replica_parallel_workers;
    const jobs = this.sim.jobs;
    const K = st.config.keys + 1;
    while (
      this.nextDispatch[r] <= st.receivedPos[r] &&
      this.nextDispatch[r] - st.appliedPos[r] - 1 < W
    ) {
      const seq = this.nextDispatch[r];
      if (this.keyBusy !== null) {
        const k = r * K + st.wKey[seq];
        if (this.keyBusy[k] > 0) break; // the coordinator waits for the conflicting transaction
        this.keyBusy[k]++;
      }
      this.nextDispatch[r]++;
      const job = jobs.alloc();
      jobs.origin[job] = seq;
      jobs.attributes[st.aNode][job] = r;
      this.applyStations[r].accept(job);
    }
  }

  private applyDone(job: number): void {
    const sim = this.sim;
    const st = this.state;
    const jobs = sim.jobs;
    const r = jobs.attributes[st.aNode][job];
    const seq = jobs.origin[job];
    jobs.free(job);
    const mask = this.ringSize - 1;
    const base = r * this.ringSize;
    this.ring[base + (seq & mask)] = 1;
    if (this.keyBusy !== null) this.keyBusy[r * (st.config.keys + 1) + st.wKey[seq]]--;
    const lag = this.stats.lag[r];
    let a = st.appliedPos[r];
    while (this.ring[base + ((a + 1) & mask)] === 1) {
      this.ring[base + ((a + 1) & mask)] = 0;
      a++;
      st.appliedPos[r] = a;
      lag.record(sim.now - st.wCommit[a]);
      if (st.ackAtApply) this.sendAck(r, false);
      if (this.onApply !== null) this.onApply(r, a);
    }
    this.parts.ryw.release(r);
    if (!this.parts.failover.caughtUp(r)) this.dispatch(r);
  }

  /** Replica r crashed: its stream and the transactions being applied are lost; the relay log stays. */
  crash(r: number): void {
    const st = this.state;
    st.streamEpoch[r]++;
    st.streaming[r] = 0;
    this.applyStations[r].crash();
    this.nextDispatch[r] = st.appliedPos[r] + 1;
    this.ring.fill(0, r * this.ringSize, (r + 1) * this.ringSize);
    const K = st.config.keys + 1;
    if (this.keyBusy !== null) this.keyBusy.fill(0, r * K, (r + 1) * K);
  }

  /** Replica r is back: its apply workers serve again (the cluster reconnects its stream). */
  recover(r: number): void {
    this.applyStations[r].recover();
  }

  /** (Re)connects replica r to the current primary: positions reported, catch-up shipped. */
  reconnect(r: number): void {
    const st = this.state;
    const now = this.sim.now;
    if (st.receivedPos[r] > st.lastSeq) st.receivedPos[r] = st.lastSeq; // rewind a diverged relay log
    if (st.appliedPos[r] > st.lastSeq) st.appliedPos[r] = st.lastSeq;
    if (this.nextDispatch[r] > st.appliedPos[r] + 1) this.nextDispatch[r] = st.appliedPos[r] + 1;
    this.linkFree[r] = now;
    this.lastArrival[r] = now;
    this.lastAck[r] = now;
    this.shippedPos[r] = st.receivedPos[r];
    st.ackPos[r] = st.ackAtApply ? st.appliedPos[r] : st.receivedPos[r];
    st.catchUpTarget[r] = st.flushedPos;
    st.streaming[r] = st.ackPos[r] >= st.flushedPos ? 1 : 0;
    if (st.primary >= 0) this.shipUpTo(r, st.flushedPos);
  }
}
