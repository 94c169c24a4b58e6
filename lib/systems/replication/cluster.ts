/**
 * A primary and R replicas on the simulation kernel.
 *
 * Requests (reads and writes, each on a key drawn from a Zipf popularity, each in a session) come
 * from open Poisson sources or a closed population. Every database node is a kernel `Station`
 * (`servers` connections); the primary executes and commits writes there, in commit order it gives
 * each write a sequence number (the binlog / WAL position) and ships it to every connected replica
 * over a link (FIFO and in order, as one TCP stream: a send waits for the link, takes
 * `writeBytes / linkBandwidth`, then arrives after a `linkLatency` draw, never before the previous
 * one). A replica appends what it receives to its relay log and applies it on an apply `Station`
 * of `replica_parallel_workers` servers, dispatched in commit order: a transaction is dispatched
 * only when fewer than W are in flight and (W > 1) no in-flight transaction writes the same key;
 * it becomes visible when every earlier one has (`replica_preserve_commit_order`).
 *
 * Modes (see config.ts): async acknowledges at commit; semisync waits for k relay-log
 * acknowledgements, falls back to async after `rpl_semi_sync_source_timeout` ms and returns when a
 * replica catches up; sync (PostgreSQL) waits for FIRST/ANY n streaming standbys at the
 * `synchronous_commit` level and blocks while there are too few.
 *
 * Lag: a write's replay lag on a replica is (applied time − commit time on the primary), what
 * PostgreSQL reports as `pg_stat_replication.replay_lag`; the sampled lag at time t is
 * t − (commit time of the oldest committed, not yet applied write), 0 when none, as MySQL's
 * `Seconds_Behind_Source`, and in transactions (last committed − last applied).
 *
 * A read on a replica takes its snapshot when its service starts; it is stale if the key's latest
 * committed version on the primary is not yet applied there; its staleness is the time since the
 * first unapplied version of the key committed.
 *
 * Faults: a replica crash loses its in-flight stream, apply and requests but keeps its relay log;
 * on recovery the primary resends everything from the replica's received position (catch-up). A
 * primary crash fails its requests and waiting commits; after `detectionDelay` the up replica with
 * the largest received position is promoted once it has replayed its relay log; committed writes
 * beyond its position are lost, counted as acknowledged or not.
 */
import { ParameterError } from '../../errors';
import { Deterministic } from '../../random/deterministic';
import type { Distribution } from '../../random/distribution';
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import { Zipf } from '../../random/zipf';
import { grownFloat64, grownInt32 } from '../../sim/grown';
import { Population } from '../../sim/population';
import { QuantileSketch } from '../../sim/quantile-sketch';
import type { Simulation } from '../../sim/simulation';
import { Source } from '../../sim/source';
import { Station } from '../../sim/station';
import { Tally } from '../../sim/tally';
import { target } from '../../sim/target';
import { resolveReplicationConfig } from './config';
import type { ReplicationConfig, ResolvedReplicationConfig } from './config';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

const NODE_BITS = 6; // node ids < 64 packed into event arguments with an epoch
const NODE_MASK = (1 << NODE_BITS) - 1;
const READ = 0;
const WRITE = 1;

/** Mean and quantiles of a tally plus sketch. */
export interface Distribution3 {
  count: number;
  mean: number;
  p50: number;
  p99: number;
}

export interface ReplicaLagSummary {
  /** Node index (0 is the initial primary; replicas are 1..R). */
  node: number;
  /** Replay lag of writes applied since the last reset, seconds. */
  lag: Distribution3;
  receivedPos: number;
  appliedPos: number;
}

export interface ReplicationSummary {
  elapsed: number;
  writesCommitted: number;
  writesAcknowledged: number;
  /** Writes refused or cut off (no primary, crashed node, failed while waiting for acknowledgements). */
  writesFailed: number;
  writeThroughput: number;
  /** Client-observed write latency (arrival to acknowledgement). */
  writeLatency: Distribution3;
  readsCompleted: number;
  readsFailed: number;
  readThroughput: number;
  readLatency: Distribution3;
  /** Reads served by replicas, and the stale ones among them. */
  replicaReads: number;
  staleReads: number;
  /** staleReads / all reads completed. */
  staleReadRate: number;
  staleness: Distribution3;
  /** Reads (on replicas) that did not see their own session's last acknowledged write. */
  rywViolations: number;
  /** Reads that waited for a replica to apply the session's last write (wait-for-apply). */
  rywWaits: number;
  /** Of those, reads that gave up after rywWaitTimeout and went to the primary. */
  rywTimeouts: number;
  /** Replay lag over every replica. */
  lag: Distribution3;
  replicas: ReplicaLagSummary[];
  semiSyncTimeouts: number;
  /** Whether MySQL semisync is on at the end (Rpl_semi_sync_source_status). */
  semiSyncOn: boolean;
  /** Acknowledged / unacknowledged committed writes lost at failover. */
  lostAcknowledged: number;
  lostUnacknowledged: number;
  /** Time the promoted replica became primary (NaN if none) and its node index (-1). */
  failoverAt: number;
  promoted: number;
  /** Writes still waiting for acknowledgements at the end (blocked sync commits). */
  waitingCommits: number;
}

/** The sampled lag time series: times and, per replica node, lag in seconds and in transactions. */
export interface LagSeries {
  t: number[];
  nodes: number[];
  seconds: number[][];
  transactions: number[][];
}

class Stat {
  readonly tally = new Tally();
  readonly sketch = new QuantileSketch({ minValue: 1e-7, maxValue: 1e7 });
  add(x: number): void {
    this.tally.add(x);
    this.sketch.add(math.max(x, 1e-7));
  }
  reset(): void {
    this.tally.reset();
    this.sketch.reset();
  }
  summary(): Distribution3 {
    const n = this.tally.count;
    return { count: n, mean: this.tally.meanOrNaN, p50: n > 0 ? this.sketch.quantile(0.5) : NaN, p99: n > 0 ? this.sketch.quantile(0.99) : NaN };
  }
}

/** A primary–replica database cluster inside a simulation (see the file comment). */
export class ReplicationCluster {
  readonly config: ResolvedReplicationConfig;
  readonly sim: Simulation;
  /** Number of database nodes, R + 1. */
  readonly nodeCount: number;
  /** Current primary node, -1 during a primary outage. */
  primary = 0;
  /** Request stations and apply stations, per node. */
  readonly stations: Station[] = [];
  readonly applyStations: Station[] = [];
  /** Called on every transaction a replica applies, in the order applied: (node, seq). */
  onApply: ((node: number, seq: number) => void) | null = null;

  /** Last committed sequence number on the (current) primary. */
  lastSeq = 0;
  /** Per node: up, retired (an old primary), received / applied / acknowledged positions. */
  readonly up: Uint8Array;
  readonly retired: Uint8Array;
  readonly receivedPos: Int32Array;
  readonly appliedPos: Int32Array;
  readonly ackPos: Int32Array;

  // node state
  private readonly epoch: Int32Array; // liveness epoch (requests, apply)
  private readonly streamEpoch: Int32Array; // replication-stream epoch (shipments, acks)
  private readonly shippedPos: Int32Array;
  private readonly nextDispatch: Int32Array;
  private readonly streaming: Uint8Array;
  private readonly catchUpTarget: Int32Array;
  private readonly linkFree: Float64Array;
  private readonly lastArrival: Float64Array;
  private readonly lastAck: Float64Array;
  private readonly ringSize: number;
  private readonly ring: Uint8Array;
  private readonly keyBusy: Int32Array | null;
  private readonly rywHeapTarget: number[][];
  private readonly rywHeapJob: number[][];
  // write log, indexed by sequence number
  private wKey: Int32Array = new Int32Array(1024);
  private wPrev: Int32Array = new Int32Array(1024);
  private wCommit: Float64Array = new Float64Array(1024);
  private wAcked: Uint8Array = new Uint8Array(1024);
  private readonly keyLast: Int32Array;
  // sessions
  private readonly sLastSeq: Int32Array;
  private readonly sLastAck: Float64Array;
  // waiting commits (seq order)
  private waitSeq: Int32Array = new Int32Array(256);
  private waitJob: Int32Array = new Int32Array(256);
  private waitHead = 0;
  private waitLen = 0;
  private semiOn = true;
  private timerEvent = -1;
  private promoting = -1;
  private rr = 0;
  // attributes
  private readonly aNode: number;
  private readonly aEpoch: number;
  private readonly aKey: number;
  private readonly aKind: number;
  private readonly aSessionSeq: number;
  private readonly aWaitEvent: number;
  // handlers
  private readonly arriveH: number;
  private readonly ackH: number;
  private readonly timerH: number;
  private readonly sampleH: number;
  private readonly crashH: number;
  private readonly recoverH: number;
  private readonly primaryCrashH: number;
  private readonly promoteH: number;
  private readonly rywTimeoutH: number;
  // random streams
  private readonly linkRng: Rng;
  private readonly flushRng: Rng;
  private readonly keyRng: Rng;
  private readonly sessionRng: Rng;
  private readonly mixRng: Rng;
  private readonly zipf: Zipf | null;
  private readonly needsAck: boolean;
  private readonly ackAtApply: boolean;
  private readonly ackFlush: boolean;
  private readonly population: Population | null = null;
  private readonly sources: Source[] = [];

  // statistics
  private writesCommitted = 0;
  private writesAcked = 0;
  private writesFailed = 0;
  private readsCompleted = 0;
  private readsFailed = 0;
  private replicaReads = 0;
  private staleReads = 0;
  private rywViolations = 0;
  private rywWaits = 0;
  private rywTimeouts = 0;
  private semiSyncTimeouts = 0;
  private lostAcked = 0;
  private lostUnacked = 0;
  private failoverAt = NaN;
  private promoted = -1;
  private statsStart = 0;
  private readonly writeLatency = new Stat();
  private readonly readLatency = new Stat();
  private readonly staleness = new Stat();
  private readonly lagStats: Stat[] = [];
  private readonly series: LagSeries;

  constructor(sim: Simulation, config: ReplicationConfig) {
    const c = resolveReplicationConfig(config);
    this.config = c;
    this.sim = sim;
    const n = c.replicas + 1;
    this.nodeCount = n;
    this.up = new Uint8Array(n).fill(1);
    this.retired = new Uint8Array(n);
    this.receivedPos = new Int32Array(n);
    this.appliedPos = new Int32Array(n);
    this.ackPos = new Int32Array(n);
    this.epoch = new Int32Array(n);
    this.streamEpoch = new Int32Array(n);
    this.shippedPos = new Int32Array(n);
    this.nextDispatch = new Int32Array(n).fill(1);
    this.streaming = new Uint8Array(n).fill(1);
    this.catchUpTarget = new Int32Array(n);
    this.linkFree = new Float64Array(n);
    this.lastArrival = new Float64Array(n);
    this.lastAck = new Float64Array(n);
    const W = c.replica_parallel_workers;
    let rs = 2;
    while (rs <= W) rs *= 2;
    this.ringSize = rs;
    this.ring = new Uint8Array(n * rs);
    this.keyBusy = W > 1 ? new Int32Array(n * (c.keys + 1)) : null;
    this.rywHeapTarget = Array.from({ length: n }, () => []);
    this.rywHeapJob = Array.from({ length: n }, () => []);
    this.keyLast = new Int32Array(c.keys + 1);
    this.sLastSeq = new Int32Array(c.sessions);
    this.sLastAck = new Float64Array(c.sessions);
    this.needsAck = c.mode === 'semisync' || (c.mode === 'sync' && c.synchronous_commit !== 'local');
    this.ackAtApply = c.mode === 'sync' && c.synchronous_commit === 'remote_apply';
    this.ackFlush = c.mode === 'semisync' || (c.mode === 'sync' && c.synchronous_commit === 'on');
    const jobs = sim.jobs;
    this.aNode = jobs.defineAttribute('replication.node');
    this.aEpoch = jobs.defineAttribute('replication.epoch');
    this.aKey = jobs.defineAttribute('replication.key');
    this.aKind = jobs.defineAttribute('replication.kind');
    this.aSessionSeq = jobs.defineAttribute('replication.sessionSeq');
    this.aWaitEvent = jobs.defineAttribute('replication.waitEvent');
    this.linkRng = sim.streams.get('replication.link');
    this.flushRng = sim.streams.get('replication.flush');
    this.keyRng = sim.streams.get('replication.keys');
    this.sessionRng = sim.streams.get('replication.sessions');
    this.mixRng = sim.streams.get('replication.mix');
    this.zipf = c.keySkew > 0 && c.keys > 1 ? new Zipf(c.keys, c.keySkew) : null;

    const done = target((job) => this.requestDone(job));
    const applied = target((job) => this.applyDone(job));
    const service = (job: number, rng: Rng) => (sim.jobs.attributes[this.aKind][job] === WRITE ? c.commitTime : c.readTime).sample(rng);
    for (let i = 0; i < n; i++) {
      const st = new Station(sim, { name: `db${i}`, service, servers: c.servers, to: done });
      st.onStart = (job) => this.readStart(i, job);
      this.stations.push(st);
      this.applyStations.push(new Station(sim, { name: `db${i}.apply`, service: c.applyTime, servers: W, to: applied, quantiles: false }));
      this.lagStats.push(new Stat());
    }

    this.arriveH = sim.handler((arg) => this.arrive(arg), 'replication.arrive');
    this.ackH = sim.handler((arg) => this.ack(arg), 'replication.ack');
    this.timerH = sim.handler(() => this.semiSyncTimer(), 'replication.semisyncTimeout');
    this.sampleH = sim.handler(() => this.sample(), 'replication.sample');
    this.crashH = sim.handler((i) => this.replicaCrash(i), 'replication.replicaCrash');
    this.recoverH = sim.handler((node) => this.replicaRecover(node), 'replication.replicaRecover');
    this.primaryCrashH = sim.handler(() => this.primaryCrash(), 'replication.primaryCrash');
    this.promoteH = sim.handler(() => this.promote(), 'replication.promote');
    this.rywTimeoutH = sim.handler((job) => this.rywTimeout(job), 'replication.rywTimeout');

    // clients
    if (c.clients === 'open') {
      const toWrite = target((job) => this.acceptOpen(job, WRITE));
      const toRead = target((job) => this.acceptOpen(job, READ));
      const b = c.writeBurst;
      if (b !== null && b.duration > 0) {
        const base = c.writeRate;
        const maxRate = math.max(base, b.rate);
        if (maxRate > 0) {
          const end = b.start + b.duration;
          const rate = (t: number) => (t >= b.start && t < end ? b.rate : base);
          this.sources.push(new Source(sim, { name: 'replication.writes', rate, maxRate, to: toWrite }));
        }
      } else if (c.writeRate > 0) {
        this.sources.push(new Source(sim, { name: 'replication.writes', interarrival: new Exponential(c.writeRate), to: toWrite }));
      }
      if (c.readRate > 0) this.sources.push(new Source(sim, { name: 'replication.reads', interarrival: new Exponential(c.readRate), to: toRead }));
    } else {
      const think: Distribution = c.thinkTime > 0 ? Exponential.withMean(c.thinkTime) : new Deterministic(0);
      this.population = new Population(sim, { name: 'replication.users', size: c.users, think, to: target((job) => this.acceptClosed(job)) });
    }

    // faults
    c.replicaCrashes.forEach((crash, i) => sim.scheduleAt(math.max(sim.now, crash.at), this.crashH, i));
    if (c.primaryCrashAt !== Infinity) sim.scheduleAt(math.max(sim.now, c.primaryCrashAt), this.primaryCrashH);

    // lag series
    const replicaNodes: number[] = [];
    for (let i = 1; i < n; i++) replicaNodes.push(i);
    this.series = { t: [], nodes: replicaNodes, seconds: replicaNodes.map(() => []), transactions: replicaNodes.map(() => []) };
    sim.schedule(0, this.sampleH, 0, 4095);
    this.statsStart = sim.now;
    sim.onReset(() => this.resetStatistics());
  }

  /** Stops the client sources (open clients): lets the replicas drain in tests. */
  stopClients(): void {
    for (const s of this.sources) s.stop();
  }

  /** True while MySQL semisync is on (not fallen back to async). */
  get semiSyncOn(): boolean {
    return this.semiOn;
  }

  /** The sampled lag time series (replica nodes 1..R). */
  get lagSeries(): LagSeries {
    return this.series;
  }

  /** Lag of replica `node` now: seconds since the oldest unapplied commit, and transactions behind. */
  lagNow(node: number): { seconds: number; transactions: number } {
    const a = this.appliedPos[node];
    const behind = math.max(0, this.lastSeq - a);
    return { seconds: behind > 0 ? this.sim.now - this.wCommit[a + 1] : 0, transactions: behind };
  }

  // ---- clients and routing -----------------------------------------------------------------------

  private drawKey(): number {
    return this.zipf !== null ? this.zipf.sample(this.keyRng) : 1 + math.floor(this.keyRng.next() * this.config.keys);
  }

  private acceptOpen(job: number, kind: number): void {
    const jobs = this.sim.jobs;
    jobs.origin[job] = math.floor(this.sessionRng.next() * this.config.sessions);
    jobs.attributes[this.aKind][job] = kind;
    jobs.attributes[this.aKey][job] = this.drawKey();
    this.route(job, kind);
  }

  private acceptClosed(job: number): void {
    const jobs = this.sim.jobs;
    const kind = this.mixRng.next() < this.config.writeFraction ? WRITE : READ;
    jobs.attributes[this.aKind][job] = kind;
    jobs.attributes[this.aKey][job] = this.drawKey();
    this.route(job, kind);
  }

  private route(job: number, kind: number): void {
    if (kind === WRITE) {
      this.toPrimary(job);
      return;
    }
    const c = this.config;
    // read-your-writes is judged against the session's last write acknowledged before this read was issued
    this.sim.jobs.attributes[this.aSessionSeq][job] = this.sLastSeq[this.sim.jobs.origin[job]];
    if (c.readRouting === 'primary') {
      this.toPrimary(job);
      return;
    }
    if (c.readRouting === 'read-your-writes') {
      const s = this.sim.jobs.origin[job];
      const last = this.sLastSeq[s];
      if (last > 0) {
        if (c.rywMethod === 'pin-primary') {
          if (this.sim.now - this.sLastAck[s] < c.rywWindow) {
            this.toPrimary(job);
            return;
          }
        } else {
          const r = this.pickReplica();
          if (r < 0) this.toPrimary(job);
          else if (this.appliedPos[r] >= last) this.toNode(r, job);
          else {
            this.rywWaits++;
            this.heapPush(r, last, job);
            const a = this.sim.jobs.attributes;
            a[this.aNode][job] = r;
            a[this.aWaitEvent][job] = c.rywWaitTimeout === Infinity ? -1 : this.sim.schedule(c.rywWaitTimeout, this.rywTimeoutH, job);
          }
          return;
        }
      }
    }
    const r = this.pickReplica();
    if (r < 0) this.toPrimary(job);
    else this.toNode(r, job);
  }

  /** Round robin over the up replicas (within max_replication_lag when set); -1 if none. */
  private pickReplica(): number {
    const n = this.nodeCount;
    const maxLag = this.config.max_replication_lag;
    for (let i = 1; i <= n; i++) {
      const idx = (this.rr + i) % n;
      if (idx !== this.primary && this.up[idx] === 1 && this.retired[idx] === 0 && (maxLag === 0 || this.lagNow(idx).seconds <= maxLag)) {
        this.rr = idx;
        return idx;
      }
    }
    return -1;
  }

  private toPrimary(job: number): void {
    if (this.primary < 0) this.fail(job);
    else this.toNode(this.primary, job);
  }

  private toNode(node: number, job: number): void {
    const a = this.sim.jobs.attributes;
    a[this.aNode][job] = node;
    a[this.aEpoch][job] = this.epoch[node];
    this.stations[node].accept(job);
  }

  private finish(job: number): void {
    if (this.population !== null) this.population.accept(job);
    else this.sim.jobs.free(job);
  }

  private fail(job: number): void {
    if (this.sim.jobs.attributes[this.aKind][job] === WRITE) this.writesFailed++;
    else this.readsFailed++;
    this.finish(job);
  }

  /** A read's snapshot, at its service start: stale or not, and read-your-writes. */
  private readStart(node: number, job: number): void {
    const a = this.sim.jobs.attributes;
    if (a[this.aKind][job] !== READ || node === this.primary) return;
    const applied = this.appliedPos[node];
    this.replicaReads++;
    const key = a[this.aKey][job];
    let s = this.keyLast[key];
    if (s > applied) {
      this.staleReads++;
      while (this.wPrev[s] > applied) s = this.wPrev[s];
      this.staleness.add(this.sim.now - this.wCommit[s]);
    }
    if (a[this.aSessionSeq][job] > applied) this.rywViolations++;
  }

  private requestDone(job: number): void {
    const jobs = this.sim.jobs;
    const a = jobs.attributes;
    const node = a[this.aNode][job];
    if (a[this.aEpoch][job] !== this.epoch[node] || this.up[node] === 0) {
      this.fail(job);
      return;
    }
    if (a[this.aKind][job] === WRITE) {
      if (node !== this.primary) this.fail(job);
      else this.commit(job);
      return;
    }
    this.readsCompleted++;
    this.readLatency.add(this.sim.now - jobs.born[job]);
    this.finish(job);
  }

  // ---- primary: commit, ship, wait for acknowledgements ------------------------------------------------

  private ensureLog(seq: number): void {
    if (seq < this.wKey.length) return;
    const n = this.wKey.length * 2;
    this.wKey = grownInt32(this.wKey, n);
    this.wPrev = grownInt32(this.wPrev, n);
    this.wCommit = grownFloat64(this.wCommit, n);
    const acked = new Uint8Array(n);
    acked.set(this.wAcked);
    this.wAcked = acked;
  }

  private commit(job: number): void {
    const sim = this.sim;
    const seq = ++this.lastSeq;
    this.ensureLog(seq);
    const key = sim.jobs.attributes[this.aKey][job];
    this.wKey[seq] = key;
    this.wCommit[seq] = sim.now;
    this.wPrev[seq] = this.keyLast[key];
    this.wAcked[seq] = 0;
    this.keyLast[key] = seq;
    this.writesCommitted++;
    for (let r = 0; r < this.nodeCount; r++) {
      if (r !== this.primary && this.up[r] === 1 && this.retired[r] === 0) this.shipUpTo(r, seq);
    }
    const wait = this.config.mode === 'semisync' ? this.semiOn : this.needsAck;
    if (!wait) {
      this.acknowledge(seq, job);
      return;
    }
    if (this.waitLen === this.waitSeq.length) this.growWait();
    const i = (this.waitHead + this.waitLen) % this.waitSeq.length;
    this.waitSeq[i] = seq;
    this.waitJob[i] = job;
    this.waitLen++;
    this.releaseWaiters();
  }

  private growWait(): void {
    const n = this.waitSeq.length;
    const s = new Int32Array(n * 2);
    const j = new Int32Array(n * 2);
    for (let k = 0; k < this.waitLen; k++) {
      s[k] = this.waitSeq[(this.waitHead + k) % n];
      j[k] = this.waitJob[(this.waitHead + k) % n];
    }
    this.waitSeq = s;
    this.waitJob = j;
    this.waitHead = 0;
  }

  private acknowledge(seq: number, job: number): void {
    const sim = this.sim;
    this.wAcked[seq] = 1;
    this.writesAcked++;
    this.writeLatency.add(sim.now - sim.jobs.born[job]);
    const s = sim.jobs.origin[job];
    this.sLastSeq[s] = seq;
    this.sLastAck[s] = sim.now;
    this.finish(job);
  }

  /** Ships every write after the replica's shipped position up to `seq`, in order. */
  private shipUpTo(r: number, seq: number): void {
    const c = this.config;
    const sim = this.sim;
    const tx = c.linkBandwidth === Infinity ? 0 : c.writeBytes / c.linkBandwidth;
    const arg = r | (this.streamEpoch[r] << NODE_BITS);
    for (let s = this.shippedPos[r] + 1; s <= seq; s++) {
      const start = math.max(sim.now, this.linkFree[r]);
      this.linkFree[r] = start + tx;
      const lat = c.linkLatency.sample(this.linkRng);
      if (!(lat >= 0 && lat !== Infinity)) throw new ParameterError('linkLatency sample', lat, 'must be a finite number >= 0');
      const t = math.max(this.lastArrival[r], this.linkFree[r] + lat);
      this.lastArrival[r] = t;
      sim.scheduleAt(t, this.arriveH, arg);
    }
    if (seq > this.shippedPos[r]) this.shippedPos[r] = seq;
  }

  /** Is write `seq` acknowledged enough to return to the client? */
  private ready(seq: number): boolean {
    const c = this.config;
    const n = this.nodeCount;
    if (c.mode === 'semisync') {
      let count = 0;
      for (let r = 0; r < n; r++) if (r !== this.primary && this.retired[r] === 0 && this.ackPos[r] >= seq) count++;
      return count >= c.rpl_semi_sync_source_wait_for_replica_count;
    }
    const { method, num } = c.synchronous_standby_names;
    let count = 0;
    for (let r = 0; r < n; r++) {
      if (r === this.primary || this.retired[r] === 1 || this.up[r] === 0 || this.streaming[r] === 0) continue;
      if (method === 'FIRST') {
        if (this.ackPos[r] < seq) return false;
        if (++count === num) return true;
      } else if (this.ackPos[r] >= seq && ++count === num) return true;
    }
    return false;
  }

  private releaseWaiters(): void {
    while (this.waitLen > 0) {
      const seq = this.waitSeq[this.waitHead];
      if (!this.ready(seq)) break;
      const job = this.waitJob[this.waitHead];
      this.waitHead = (this.waitHead + 1) % this.waitSeq.length;
      this.waitLen--;
      this.acknowledge(seq, job);
    }
    if (this.config.mode === 'semisync' && this.waitLen > 0 && this.timerEvent < 0) {
      const deadline = this.wCommit[this.waitSeq[this.waitHead]] + this.config.rpl_semi_sync_source_timeout / 1000;
      this.timerEvent = this.sim.scheduleAt(math.max(this.sim.now, deadline), this.timerH);
    }
  }

  /** rpl_semi_sync_source_timeout expired for the oldest waiting commit: fall back to async. */
  private semiSyncTimer(): void {
    this.timerEvent = -1;
    if (this.waitLen === 0) return;
    const deadline = this.wCommit[this.waitSeq[this.waitHead]] + this.config.rpl_semi_sync_source_timeout / 1000;
    if (this.sim.now < deadline) {
      this.timerEvent = this.sim.scheduleAt(deadline, this.timerH);
      return;
    }
    this.semiOn = false;
    this.semiSyncTimeouts++;
    while (this.waitLen > 0) {
      const seq = this.waitSeq[this.waitHead];
      const job = this.waitJob[this.waitHead];
      this.waitHead = (this.waitHead + 1) % this.waitSeq.length;
      this.waitLen--;
      this.acknowledge(seq, job);
    }
  }

  private ack(arg: number): void {
    const r = arg & NODE_MASK;
    if (arg >> NODE_BITS !== this.streamEpoch[r] || this.up[r] === 0) return;
    const pos = ++this.ackPos[r];
    if (this.streaming[r] === 0 && pos >= this.catchUpTarget[r]) this.streaming[r] = 1;
    if (this.config.mode === 'semisync' && !this.semiOn && pos >= this.lastSeq) this.semiOn = true;
    this.releaseWaiters();
  }

  private sendAck(r: number, flush: boolean): void {
    const c = this.config;
    let t = this.sim.now + c.linkLatency.sample(this.linkRng);
    if (flush) t += c.replicaFlushTime.sample(this.flushRng);
    t = math.max(t, this.lastAck[r]);
    this.lastAck[r] = t;
    this.sim.scheduleAt(t, this.ackH, r | (this.streamEpoch[r] << NODE_BITS));
  }

  // ---- replica: receive, apply in order -----------------------------------------------------------

  private arrive(arg: number): void {
    const r = arg & NODE_MASK;
    if (arg >> NODE_BITS !== this.streamEpoch[r] || this.up[r] === 0) return;
    this.receivedPos[r]++;
    if (this.needsAck && !this.ackAtApply) this.sendAck(r, this.ackFlush);
    this.dispatch(r);
  }

  private dispatch(r: number): void {
    if (this.up[r] === 0 || r === this.primary) return;
    const W = this.config.replica_parallel_workers;
    const jobs = this.sim.jobs;
    const K = this.config.keys + 1;
    while (this.nextDispatch[r] <= this.receivedPos[r] && this.nextDispatch[r] - this.appliedPos[r] - 1 < W) {
      const seq = this.nextDispatch[r];
      if (this.keyBusy !== null) {
        const k = r * K + this.wKey[seq];
        if (this.keyBusy[k] > 0) break; // the coordinator waits for the conflicting transaction
        this.keyBusy[k]++;
      }
      this.nextDispatch[r]++;
      const job = jobs.alloc();
      jobs.origin[job] = seq;
      jobs.attributes[this.aNode][job] = r;
      jobs.attributes[this.aEpoch][job] = this.epoch[r];
      this.applyStations[r].accept(job);
    }
  }

  private applyDone(job: number): void {
    const sim = this.sim;
    const jobs = sim.jobs;
    const r = jobs.attributes[this.aNode][job];
    const e = jobs.attributes[this.aEpoch][job];
    const seq = jobs.origin[job];
    jobs.free(job);
    if (e !== this.epoch[r] || this.up[r] === 0) return;
    const mask = this.ringSize - 1;
    const base = r * this.ringSize;
    this.ring[base + (seq & mask)] = 1;
    if (this.keyBusy !== null) this.keyBusy[r * (this.config.keys + 1) + this.wKey[seq]]--;
    let a = this.appliedPos[r];
    while (this.ring[base + ((a + 1) & mask)] === 1) {
      this.ring[base + ((a + 1) & mask)] = 0;
      a++;
      this.appliedPos[r] = a;
      this.lagStats[r].add(sim.now - this.wCommit[a]);
      if (this.ackAtApply) this.sendAck(r, false);
      if (this.onApply !== null) this.onApply(r, a);
    }
    this.releaseRyw(r);
    if (this.promoting === r && this.appliedPos[r] === this.receivedPos[r]) this.finishPromotion();
    else this.dispatch(r);
  }

  // ---- read-your-writes waiting (min-heap by target position, per replica) ----------------------------

  private heapPush(r: number, targetSeq: number, job: number): void {
    const t = this.rywHeapTarget[r];
    const j = this.rywHeapJob[r];
    let i = t.length;
    t.push(targetSeq);
    j.push(job);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] <= targetSeq) break;
      t[i] = t[p];
      j[i] = j[p];
      i = p;
    }
    t[i] = targetSeq;
    j[i] = job;
  }

  private heapPop(r: number): number {
    const t = this.rywHeapTarget[r];
    const j = this.rywHeapJob[r];
    const top = j[0];
    const lt = t.pop() as number;
    const lj = j.pop() as number;
    const n = t.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && t[c + 1] < t[c]) c++;
        if (t[c] >= lt) break;
        t[i] = t[c];
        j[i] = j[c];
        i = c;
      }
      t[i] = lt;
      j[i] = lj;
    }
    return top;
  }

  /** Pops the next waiting read with target <= upTo (cancelling its timeout), or -1. */
  private popWaiting(r: number, upTo: number): number {
    const t = this.rywHeapTarget[r];
    if (t.length === 0 || t[0] > upTo) return -1;
    const job = this.heapPop(r);
    const a = this.sim.jobs.attributes;
    const ev = a[this.aWaitEvent][job];
    if (ev >= 0) this.sim.cancel(ev);
    a[this.aWaitEvent][job] = -1;
    return job;
  }

  private releaseRyw(r: number): void {
    for (let job = this.popWaiting(r, this.appliedPos[r]); job >= 0; job = this.popWaiting(r, this.appliedPos[r])) this.toNode(r, job);
  }

  private failRyw(r: number): void {
    for (let job = this.popWaiting(r, Infinity); job >= 0; job = this.popWaiting(r, Infinity)) this.fail(job);
  }

  /** rywWaitTimeout expired: the read leaves the replica's waiting heap and goes to the primary. */
  private rywTimeout(job: number): void {
    const a = this.sim.jobs.attributes;
    a[this.aWaitEvent][job] = -1;
    const r = a[this.aNode][job];
    const t = this.rywHeapTarget[r];
    const j = this.rywHeapJob[r];
    const i = j.indexOf(job);
    if (i < 0) return;
    // remove entry i: move the last entry there and restore the heap order (up, then down)
    const lt = t.pop() as number;
    const lj = j.pop() as number;
    if (i < t.length) {
      let k = i;
      while (k > 0 && t[(k - 1) >> 1] > lt) {
        const p = (k - 1) >> 1;
        t[k] = t[p];
        j[k] = j[p];
        k = p;
      }
      for (;;) {
        let c = 2 * k + 1;
        if (c >= t.length) break;
        if (c + 1 < t.length && t[c + 1] < t[c]) c++;
        if (t[c] >= lt) break;
        t[k] = t[c];
        j[k] = j[c];
        k = c;
      }
      t[k] = lt;
      j[k] = lj;
    }
    this.rywTimeouts++;
    this.toPrimary(job);
  }

  // ---- faults ---------------------------------------------------------------------------------------

  private replicaCrash(i: number): void {
    const crash = this.config.replicaCrashes[i];
    const r = crash.replica;
    if (this.up[r] === 0 || this.retired[r] === 1 || r === this.primary) return;
    this.up[r] = 0;
    this.epoch[r]++;
    this.streamEpoch[r]++;
    this.streaming[r] = 0;
    this.failRyw(r);
    this.nextDispatch[r] = this.appliedPos[r] + 1;
    this.ring.fill(0, r * this.ringSize, (r + 1) * this.ringSize);
    if (this.keyBusy !== null) this.keyBusy.fill(0, r * (this.config.keys + 1), (r + 1) * (this.config.keys + 1));
    if (this.promoting === r) {
      this.promoting = -1;
      this.promote();
    }
    this.sim.schedule(crash.duration, this.recoverH, r);
    this.releaseWaiters(); // FIRST n: the next standby in the list may now be synchronous
  }

  private replicaRecover(r: number): void {
    if (this.retired[r] === 1) return;
    this.up[r] = 1;
    this.reconnect(r);
    this.dispatch(r);
  }

  /** (Re)connects replica r to the current primary: positions reported, catch-up shipped. */
  private reconnect(r: number): void {
    const now = this.sim.now;
    if (this.receivedPos[r] > this.lastSeq) this.receivedPos[r] = this.lastSeq; // rewind a diverged relay log
    if (this.appliedPos[r] > this.lastSeq) this.appliedPos[r] = this.lastSeq;
    if (this.nextDispatch[r] > this.appliedPos[r] + 1) this.nextDispatch[r] = this.appliedPos[r] + 1;
    this.linkFree[r] = now;
    this.lastArrival[r] = now;
    this.lastAck[r] = now;
    this.shippedPos[r] = this.receivedPos[r];
    this.ackPos[r] = this.ackAtApply ? this.appliedPos[r] : this.receivedPos[r];
    this.catchUpTarget[r] = this.lastSeq;
    this.streaming[r] = this.ackPos[r] >= this.lastSeq ? 1 : 0;
    if (this.primary >= 0) this.shipUpTo(r, this.lastSeq);
  }

  private primaryCrash(): void {
    const p = this.primary;
    if (p < 0) return;
    this.up[p] = 0;
    this.retired[p] = 1;
    this.epoch[p]++;
    this.primary = -1;
    for (let r = 0; r < this.nodeCount; r++) this.streamEpoch[r]++; // the stream from p is cut
    while (this.waitLen > 0) {
      const job = this.waitJob[this.waitHead];
      this.waitHead = (this.waitHead + 1) % this.waitSeq.length;
      this.waitLen--;
      this.fail(job);
    }
    if (this.timerEvent >= 0) this.sim.cancel(this.timerEvent);
    this.timerEvent = -1;
    this.sim.schedule(this.config.detectionDelay, this.promoteH);
  }

  /** Picks the up replica with the largest received position; it becomes primary once it has replayed it. */
  private promote(): void {
    let best = -1;
    for (let r = 0; r < this.nodeCount; r++) {
      if (this.up[r] === 1 && this.retired[r] === 0 && (best < 0 || this.receivedPos[r] > this.receivedPos[best])) best = r;
    }
    if (best < 0) return; // no candidate: the cluster stays without a primary
    this.promoting = best;
    if (this.appliedPos[best] === this.receivedPos[best]) this.finishPromotion();
  }

  private finishPromotion(): void {
    const c = this.promoting;
    this.promoting = -1;
    const P = this.receivedPos[c];
    for (let s = this.lastSeq; s > P; s--) {
      if (this.wAcked[s] === 1) this.lostAcked++;
      else this.lostUnacked++;
      const key = this.wKey[s];
      if (this.keyLast[key] === s) {
        let f = this.wPrev[s];
        while (f > P) f = this.wPrev[f];
        this.keyLast[key] = f;
      }
    }
    this.lastSeq = P;
    for (let s = 0; s < this.sLastSeq.length; s++) if (this.sLastSeq[s] > P) this.sLastSeq[s] = 0;
    this.primary = c;
    // reads waiting for this node to apply a session's write: the new primary has every surviving write
    for (let job = this.popWaiting(c, Infinity); job >= 0; job = this.popWaiting(c, Infinity)) this.toNode(c, job);
    this.failoverAt = this.sim.now;
    this.promoted = c;
    this.semiOn = true;
    for (let r = 0; r < this.nodeCount; r++) {
      if (r === c || this.retired[r] === 1) continue;
      this.streamEpoch[r]++;
      if (this.up[r] === 1) this.reconnect(r);
    }
  }

  // ---- statistics -----------------------------------------------------------------------------------

  private sample(): void {
    const s = this.series;
    s.t.push(this.sim.now);
    for (let i = 0; i < s.nodes.length; i++) {
      const r = s.nodes[i];
      if (r === this.primary || this.retired[r] === 1) {
        s.seconds[i].push(NaN);
        s.transactions[i].push(NaN);
      } else {
        const l = this.lagNow(r);
        s.seconds[i].push(l.seconds);
        s.transactions[i].push(l.transactions);
      }
    }
    this.sim.schedule(this.config.sampleInterval, this.sampleH, 0, 4095);
  }

  private resetStatistics(): void {
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
    this.writeLatency.reset();
    this.readLatency.reset();
    this.staleness.reset();
    for (const s of this.lagStats) s.reset();
    this.statsStart = this.sim.now;
  }

  /** Results since the start or the last `sim.resetStatistics()`. */
  summary(): ReplicationSummary {
    const elapsed = this.sim.now - this.statsStart;
    const all = new Stat();
    const replicas: ReplicaLagSummary[] = [];
    for (let r = 0; r < this.nodeCount; r++) {
      if (this.lagStats[r].tally.count === 0 && (r === this.primary || this.retired[r] === 1)) continue;
      all.tally.merge(this.lagStats[r].tally);
      all.sketch.merge(this.lagStats[r].sketch);
      replicas.push({ node: r, lag: this.lagStats[r].summary(), receivedPos: this.receivedPos[r], appliedPos: this.appliedPos[r] });
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
      lag: all.summary(),
      replicas,
      semiSyncTimeouts: this.semiSyncTimeouts,
      semiSyncOn: this.semiOn,
      lostAcknowledged: this.lostAcked,
      lostUnacknowledged: this.lostUnacked,
      failoverAt: this.failoverAt,
      promoted: this.promoted,
      waitingCommits: this.waitLen,
    };
  }
}
