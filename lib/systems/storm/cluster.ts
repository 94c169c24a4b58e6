/**
 * The Storm cluster in simulated time: workers on supervisors, executors (threads) as kernel
 * Stations (one server, FIFO, a bounded receive queue of topology.executor.receive.buffer.size)
 * running their tasks' bolt functions, transfers between workers costing one network hop
 * (same-worker transfers are free, which localOrShuffle exploits), and reliability as Storm does
 * it [S-gmp]: each spout tuple with a message id starts a tuple tree; every emitted tuple gets a
 * random 64-bit edge id, kept as two 32-bit halves; the acker task chosen by
 * floorMod(List.hashCode([rootId]), ackers) XORs every edge id created or acked, and the tree is
 * complete exactly when the XOR returns to 0 after the spout's init; then `ack(msgId)` on the spout
 * task, or `fail(msgId)` on an explicit fail or after topology.message.timeout.secs; a reliable
 * spout replays. topology.max.spout.pending caps each spout task's un-acked trees; backpressure
 * (Storm 1.x style) stops every spout while any receive queue is above the high watermark until
 * it falls below the low one. Daemon failures: ./failures.ts.
 *
 * Simplifications: one anchor per tuple (no multi-anchoring); spout executors have no queue;
 * a worker's transfer thread and serialization cost are folded into `transferLatency`; the
 * timeout is exact (Storm's rotating maps expire between T and T·(1 + 1/buckets)).
 */
import { Deterministic } from '../../random/deterministic';
import type { Distribution } from '../../random/distribution';
import type { Rng } from '../../random/xoshiro128';
import { grownFloat64, grownInt32 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import { Latency } from '../common/latency';
import { AllGrouper, FieldsGrouper, GlobalGrouper, PartialKeyGrouper, ShuffleGrouper } from './groupings';
import type { Grouper } from './groupings';
import { floorMod } from './java-hash';
import { placeExecutors, placeWorkers } from './placement';
import type { Executor } from './placement';
import type { ResolvedStormConfig } from './config';
import { DEFAULT_STREAM } from './topology';
import type { BoltSpec, ComponentDef, SpoutSpec, Tuple, TopologyContext } from './topology';
import { TupleView, BoltEmitter, SpoutEmitter } from './collectors';

const math = Math;

// job kinds
export const K_TUPLE = 0;
export const K_INIT = 1;
export const K_ACK = 2;
export const K_FAIL = 3;
export const K_COMPLETE = 4;
export const K_FAILED = 5;

// tree states
const T_FREE = 0;
const T_PENDING = 1;
const T_DONE = 2;

/** One subscription route from a sending task's stream: the grouper, or null for direct. */
export interface Route {
  component: number;
  grouper: Grouper | null;
}

export interface ComponentRuntime {
  def: ComponentDef;
  index: number;
  tasks: number[];
  streamNames: string[];
  /** Routes per stream index, per sending task (by position in tasks). */
  routes: Route[][][];
  executeLatency: Distribution | null;
  /** Stream of the spout's nextTupleInterval draws (`storm.<id>.nextTuple`). */
  intervalRng: Rng;
}

export class StormCluster {
  readonly sim: Simulation;
  readonly config: ResolvedStormConfig;
  readonly components: ComponentRuntime[] = [];
  readonly componentIndex = new Map<string, number>();
  readonly executors: Executor[];
  /** Station of each executor (null for spout executors). */
  readonly stations: Array<Station | null> = [];
  readonly ackerTasks: number[] = [];
  /** Per task id: component index (-1 for ackers), executor, position in its component. */
  readonly taskComp: Int32Array;
  readonly taskExec: Int32Array;
  readonly taskPos: Int32Array;
  readonly taskState: unknown[] = [];
  /** Worker's current supervisor (changes when Nimbus reassigns it). */
  readonly workerNode: Int32Array;
  /** Causes holding each executor down (its worker, its node, its own failure). */
  readonly execDown: Int32Array;

  // job attributes, indexed by sim.jobs ids
  jKind: Int32Array = new Int32Array(1024);
  jTask: Int32Array = new Int32Array(1024);
  jSrc: Int32Array = new Int32Array(1024);
  jStream: Int32Array = new Int32Array(1024);
  jHi: Int32Array = new Int32Array(1024);
  jLo: Int32Array = new Int32Array(1024);
  jTree: Int32Array = new Int32Array(1024);
  jSerial: Int32Array = new Int32Array(1024);
  readonly jValues: Array<unknown[] | null> = [];

  // tuple trees, indexed by slot
  tState: Int32Array = new Int32Array(256);
  tSerial: Int32Array = new Int32Array(256);
  tSpoutTask: Int32Array = new Int32Array(256);
  tAcker: Int32Array = new Int32Array(256);
  tInit: Int32Array = new Int32Array(256);
  tHi: Int32Array = new Int32Array(256);
  tLo: Int32Array = new Int32Array(256);
  tAttempt: Int32Array = new Int32Array(256);
  tExecuted: Int32Array = new Int32Array(256);
  tTimeout: Int32Array = new Int32Array(256);
  tEmitted: Float64Array = new Float64Array(256);
  readonly tMsg: unknown[] = [];
  readonly tValues: Array<unknown[] | null> = [];
  readonly tStream: string[] = [];
  private freeSlots: number[] = [];
  private nextSlot = 0;

  // spout tasks: pending trees, parked, replay queues
  readonly spPending: Int32Array;
  readonly spParked: Uint8Array;
  private readonly replayPending: Uint8Array;
  readonly replayQueue: Array<Array<{ msgId: unknown; values: unknown[]; stream: string; attempt: number }>> = [];

  // statistics (restart on sim.resetStatistics)
  spoutEmitted = 0;
  acked = 0;
  failed = 0;
  timedOut = 0;
  explicitFails = 0;
  crashFails = 0;
  replayed = 0;
  ackedAfterReplay = 0;
  replayedExecutions = 0;
  transfersRemote = 0;
  transfersLocal = 0;
  readonly taskExecuted: Float64Array;
  readonly taskEmitted: Float64Array;
  readonly completeLatency: Latency;
  throttled = false;
  private overHigh = 0;
  private readonly execOverHigh: Uint8Array;
  private throttleSince = 0;
  private throttleArea = 0;
  private observedFrom = 0;
  /** Binned timeline (null when off): acked and failed trees per bin. */
  timelineBin = 0;
  timelineAcked: number[] = [];
  timelineFailed: number[] = [];

  readonly ids: Rng;
  private readonly transferRng: Rng;
  private readonly hopH: number;
  private readonly tickH: number;
  private readonly replayH: number;
  private readonly timeoutH: number;
  private readonly highMark: number;
  private readonly lowMark: number;
  readonly tuple: TupleView;
  readonly boltEmitter: BoltEmitter;
  readonly spoutEmitter: SpoutEmitter;
  readonly out = new Int32Array(4096);

  constructor(sim: Simulation, config: ResolvedStormConfig) {
    this.sim = sim;
    this.config = config;
    const topo = config.topology;
    const T = topo.totalTasks;
    for (let a = 0; a < config.ackers; a++) this.ackerTasks.push(T + 1 + a);
    const nTasks = T + 1 + config.ackers;
    this.taskComp = new Int32Array(nTasks).fill(-1);
    this.taskExec = new Int32Array(nTasks);
    this.taskPos = new Int32Array(nTasks);
    this.taskExecuted = new Float64Array(nTasks);
    this.taskEmitted = new Float64Array(nTasks);
    this.spPending = new Int32Array(nTasks);
    this.spParked = new Uint8Array(nTasks);
    this.replayPending = new Uint8Array(nTasks);
    for (let i = 0; i < nTasks; i++) this.replayQueue.push([]);
    this.ids = sim.streams.get('storm.tupleIds');
    this.transferRng = sim.streams.get('storm.transfer');
    this.completeLatency = new Latency(sim);
    this.highMark = math.max(1, math.ceil(config.highWatermark * config.receiveBufferSize));
    this.lowMark = math.floor(config.lowWatermark * config.receiveBufferSize);

    topo.components.forEach((def, index) => {
      const tasks = [...topo.tasks[def.id]];
      this.componentIndex.set(def.id, index);
      const lat = def.kind === 'bolt' ? (def.spec as BoltSpec).executeLatency ?? null : null;
      this.components.push({ def, index, tasks, streamNames: Object.keys(def.streams), routes: [], executeLatency: lat, intervalRng: sim.streams.get(`storm.${def.id}.nextTuple`) });
      tasks.forEach((t, i) => {
        this.taskComp[t] = index;
        this.taskPos[t] = i;
      });
    });
    this.executors = placeExecutors(
      this.components.map((c) => ({ id: c.def.id, parallelism: c.def.parallelism, tasks: c.tasks })),
      this.ackerTasks,
      config.workers,
    );
    this.workerNode = Int32Array.from(placeWorkers(config.workers, config.supervisors, config.slotsPerSupervisor));
    this.execDown = new Int32Array(this.executors.length);
    this.execOverHigh = new Uint8Array(this.executors.length);

    this.tuple = new TupleView(this);
    this.boltEmitter = new BoltEmitter(this);
    this.spoutEmitter = new SpoutEmitter(this);
    const executedTarget = { accept: (job: number) => this.executed(job) };
    const defaultLatency = new Deterministic(0.0001);
    this.executors.forEach((e, ei) => {
      for (const t of e.tasks) this.taskExec[t] = ei;
      const comp = e.component === '__acker' ? null : this.components[this.componentIndex.get(e.component) as number];
      if (comp !== null && comp.def.kind === 'spout') {
        this.stations.push(null);
        return;
      }
      const dist = comp === null ? config.ackerExecuteLatency : comp.executeLatency ?? defaultLatency;
      const name = `storm.${e.component}.executor${ei}`;
      this.stations.push(
        new Station(sim, { name, service: dist, servers: 1, capacity: config.receiveBufferSize, to: executedTarget, onCrash: 'lose', quantiles: false }),
      );
    });
    // routes: per component, per stream, per sending task
    for (const c of this.components) {
      c.routes = c.streamNames.map((stream) =>
        c.tasks.map((task) => {
          const routes: Route[] = [];
          for (const sub of this.components) {
            for (const s of sub.def.inputs) {
              if (s.source !== c.def.id || s.stream !== stream) continue;
              routes.push({ component: sub.index, grouper: this.grouperFor(c, stream, task, sub, s.grouping, s.fields) });
            }
          }
          return routes;
        }),
      );
    }
    // per task state
    for (const c of this.components) {
      for (const t of c.tasks) this.prepareTask(c, t);
    }
    this.hopH = sim.handler((job) => this.deliver(job), 'storm.transfer');
    this.timeoutH = sim.handler((slot) => this.failTree(slot, 'timeout'), 'storm.timeout');
    this.tickH = sim.handler((task) => this.spoutTick(task), 'storm.nextTuple');
    this.replayH = sim.handler((task) => {
      this.replayPending[task] = 0;
      this.drainReplays(task);
    }, 'storm.replay');
    for (const c of this.components) if (c.def.kind === 'spout') for (const t of c.tasks) sim.schedule(0, this.tickH, t);
    sim.onReset(() => this.resetStatistics());
  }

  private grouperFor(src: ComponentRuntime, stream: string, task: number, sub: ComponentRuntime, grouping: string, fields: readonly string[]): Grouper | null {
    const rng = this.sim.streams.get(`storm.${src.def.id}.${task}.${sub.def.id}.shuffle`);
    const targets = sub.tasks;
    const indices = fields.map((f) => src.def.streams[stream].indexOf(f));
    switch (grouping) {
      case 'fields':
        return new FieldsGrouper(targets, indices);
      case 'partialKey':
        return new PartialKeyGrouper(targets, indices);
      case 'all':
        return new AllGrouper(targets);
      case 'global':
        return new GlobalGrouper(targets);
      case 'direct':
        return null;
      case 'localOrShuffle': {
        const w = this.executors[this.taskExecOf(task)].worker;
        const local = targets.filter((t) => this.executors[this.taskExecOf(t)].worker === w);
        return new ShuffleGrouper(local.length > 0 ? local : targets, rng);
      }
      default:
        return new ShuffleGrouper(targets, rng);
    }
  }

  private taskExecOf(task: number): number {
    return this.executors.findIndex((e) => e.tasks.includes(task));
  }

  /** Calls the component's prepare/open for a task (again after its worker restarts: state is lost). */
  prepareTask(c: ComponentRuntime, task: number): void {
    const ctx: TopologyContext = { componentId: c.def.id, taskId: task, taskIndex: this.taskPos[task], componentTasks: c.tasks };
    const spec = c.def.spec as BoltSpec & SpoutSpec;
    this.taskState[task] = c.def.kind === 'bolt' ? (spec.prepare ? spec.prepare(ctx) : undefined) : spec.open ? spec.open(ctx) : undefined;
  }

  /** The worker running a task. */
  workerOf(task: number): number {
    return this.executors[this.taskExec[task]].worker;
  }

  /** A new job id with room in the attribute arrays. */
  allocJob(): number {
    const job = this.sim.jobs.alloc();
    if (job >= this.jKind.length) {
      const n = math.max(job + 1, 2 * this.jKind.length);
      this.jKind = grownInt32(this.jKind, n);
      this.jTask = grownInt32(this.jTask, n);
      this.jSrc = grownInt32(this.jSrc, n);
      this.jStream = grownInt32(this.jStream, n);
      this.jHi = grownInt32(this.jHi, n);
      this.jLo = grownInt32(this.jLo, n);
      this.jTree = grownInt32(this.jTree, n);
      this.jSerial = grownInt32(this.jSerial, n);
    }
    return job;
  }

  /** Sends a job from `fromWorker` to its task: free within a worker, one hop between workers. */
  send(job: number, fromWorker: number): void {
    const task = this.jTask[job];
    const w = this.executors[this.taskExec[task]].worker;
    if (w === fromWorker) {
      this.transfersLocal++;
      this.deliver(job);
    } else {
      this.transfersRemote++;
      this.sim.schedule(this.config.transferLatency.sample(this.transferRng), this.hopH, job);
    }
  }

  /** A job reaches its task's executor now (refused there if the executor is down). */
  deliver(job: number): void {
    const task = this.jTask[job];
    const kind = this.jKind[job];
    if (kind === K_COMPLETE || kind === K_FAILED) {
      this.atSpout(job);
      return;
    }
    const e = this.taskExec[task];
    const st = this.stations[e] as Station;
    st.accept(job);
    if (st.inSystem >= this.highMark && this.execOverHigh[e] === 0 && this.config.backpressure) {
      this.execOverHigh[e] = 1;
      if (this.overHigh++ === 0) this.setThrottle(true);
    }
  }

  private setThrottle(on: boolean): void {
    const now = this.sim.now;
    if (on) this.throttleSince = now;
    else this.throttleArea += now - math.max(this.throttleSince, this.observedFrom);
    this.throttled = on;
    if (!on) this.unparkAll();
  }

  /** After service at an executor: run the bolt or the acker on the job. */
  private executed(job: number): void {
    const task = this.jTask[job];
    const e = this.taskExec[task];
    if (this.execOverHigh[e] === 1 && (this.stations[e] as Station).inSystem <= this.lowMark) {
      this.execOverHigh[e] = 0;
      if (--this.overHigh === 0) this.setThrottle(false);
    }
    const kind = this.jKind[job];
    if (kind === K_TUPLE) this.runBolt(job, task);
    else this.atAcker(job, task);
    this.jValues[job] = null;
    this.sim.jobs.free(job);
  }

  private runBolt(job: number, task: number): void {
    const c = this.components[this.taskComp[task]];
    this.taskExecuted[task]++;
    const slot = this.jTree[job];
    const tracked = slot >= 0 && this.tSerial[slot] === this.jSerial[job] && this.tState[slot] === T_PENDING;
    if (tracked) this.tExecuted[slot]++;
    const em = this.boltEmitter;
    em.begin(job, task, tracked ? slot : -1, this.workerOf(task));
    this.tuple.bind(job, c);
    (c.def.spec as BoltSpec).execute(this.tuple, em, this.taskState[task]);
    if (!tracked) return;
    // ack (or fail) the input: XOR of its edge id and every anchored child's edge id
    const msg = this.allocJob();
    this.jKind[msg] = em.failed ? K_FAIL : K_ACK;
    this.jTask[msg] = this.tAcker[slot];
    this.jTree[msg] = slot;
    this.jSerial[msg] = this.tSerial[slot];
    this.jHi[msg] = this.jHi[job] ^ em.xorHi;
    this.jLo[msg] = this.jLo[job] ^ em.xorLo;
    this.send(msg, em.worker);
  }

  private atAcker(job: number, task: number): void {
    this.taskExecuted[task]++;
    const slot = this.jTree[job];
    // a stale message (tree gone), or a tree whose acker died since: its XOR state is lost
    if (this.tSerial[slot] !== this.jSerial[job] || this.tState[slot] !== T_PENDING || this.tAcker[slot] !== task || this.tInit[slot] < 0) return;
    const kind = this.jKind[job];
    if (kind === K_FAIL) {
      this.tState[slot] = T_DONE;
      this.toSpout(slot, K_FAILED, task);
      return;
    }
    if (kind === K_INIT) this.tInit[slot] = 1;
    this.tHi[slot] ^= this.jHi[job];
    this.tLo[slot] ^= this.jLo[job];
    if (this.tInit[slot] === 1 && this.tHi[slot] === 0 && this.tLo[slot] === 0) {
      this.tState[slot] = T_DONE;
      this.toSpout(slot, K_COMPLETE, task);
    }
  }

  private toSpout(slot: number, kind: number, ackerTask: number): void {
    const msg = this.allocJob();
    this.jKind[msg] = kind;
    this.jTask[msg] = this.tSpoutTask[slot];
    this.jTree[msg] = slot;
    this.jSerial[msg] = this.tSerial[slot];
    this.send(msg, this.workerOf(ackerTask));
  }

  private atSpout(job: number): void {
    const slot = this.jTree[job];
    const ok = this.tSerial[slot] === this.jSerial[job] && this.tState[slot] !== T_FREE && this.execDown[this.taskExec[this.jTask[job]]] === 0;
    const kind = this.jKind[job];
    this.sim.jobs.free(job);
    if (!ok) return;
    if (kind === K_COMPLETE) this.completeTree(slot);
    else {
      this.explicitFails++;
      this.failTree(slot, 'fail');
    }
  }

  // ---- spout side ----------------------------------------------------------------------------

  /** May spout task `task` emit now (its executor up, no backpressure, below max.spout.pending)? */
  private mayEmit(task: number): boolean {
    return this.execDown[this.taskExec[task]] === 0 && !this.throttled && this.spPending[task] < this.config.maxSpoutPending;
  }

  /**
   * Re-emits the task's failed tuples at once, as a reliable spout does on its next nextTuple
   * call (a Kafka spout seeks back to them): replays add to the new tuples, they do not replace them.
   */
  private drainReplays(task: number): void {
    const q = this.replayQueue[task];
    if (q.length === 0) return;
    const em = this.spoutEmitter;
    em.begin(task, this.workerOf(task));
    while (q.length > 0 && this.mayEmit(task)) {
      const r = q.shift() as { msgId: unknown; values: unknown[]; stream: string; attempt: number };
      this.replayed++;
      em.attempt = r.attempt;
      em.emit(r.values, r.msgId, r.stream);
    }
  }

  /** nextTuple loop of one spout task. */
  private spoutTick(task: number): void {
    const cfg = this.config;
    if (this.spParked[task] === 2) this.spParked[task] = 0; // a scheduled wake-up
    this.drainReplays(task);
    if (!this.mayEmit(task)) {
      this.spParked[task] = 1;
      return;
    }
    const c = this.components[this.taskComp[task]];
    const em = this.spoutEmitter;
    em.begin(task, this.workerOf(task));
    em.attempt = 1;
    const spec = c.def.spec as SpoutSpec;
    spec.nextTuple(em, this.taskState[task]);
    const delay = em.emitted === 0 ? cfg.spoutSleepSecs : spec.nextTupleInterval ? spec.nextTupleInterval.sample(c.intervalRng) : 0;
    this.spParked[task] = 2;
    this.sim.schedule(delay, this.tickH, task);
  }

  /** Wakes a parked spout task now. */
  unpark(task: number): void {
    if (this.spParked[task] !== 1) return;
    this.spParked[task] = 2;
    this.sim.schedule(0, this.tickH, task);
  }

  private unparkAll(): void {
    for (const c of this.components) if (c.def.kind === 'spout') for (const t of c.tasks) this.unpark(t);
  }

  /** A new tree slot for a tracked spout tuple. */
  newTree(task: number, msgId: unknown, values: unknown[], stream: string, attempt: number): number {
    let slot: number;
    if (this.freeSlots.length > 0) slot = this.freeSlots.pop() as number;
    else {
      slot = this.nextSlot++;
      if (slot >= this.tState.length) this.growTrees(2 * this.tState.length);
    }
    this.tState[slot] = T_PENDING;
    this.tSpoutTask[slot] = task;
    // root id: 64 random bits; acker = floorMod(List.hashCode([Long rootId]), ackers)
    const hi = this.ids.nextInt32();
    const lo = this.ids.nextInt32();
    this.tAcker[slot] = this.ackerTasks[floorMod((31 + (hi ^ lo)) | 0, this.ackerTasks.length)];
    this.tInit[slot] = 0;
    this.tHi[slot] = 0;
    this.tLo[slot] = 0;
    this.tAttempt[slot] = attempt;
    this.tExecuted[slot] = 0;
    this.tEmitted[slot] = this.sim.now;
    this.tMsg[slot] = msgId;
    this.tValues[slot] = values;
    this.tStream[slot] = stream;
    this.tTimeout[slot] = this.sim.schedule(this.config.timeoutSecs, this.timeoutH, slot);
    this.spPending[task]++;
    return slot;
  }

  private growTrees(n: number): void {
    this.tState = grownInt32(this.tState, n);
    this.tSerial = grownInt32(this.tSerial, n);
    this.tSpoutTask = grownInt32(this.tSpoutTask, n);
    this.tAcker = grownInt32(this.tAcker, n);
    this.tInit = grownInt32(this.tInit, n);
    this.tHi = grownInt32(this.tHi, n);
    this.tLo = grownInt32(this.tLo, n);
    this.tAttempt = grownInt32(this.tAttempt, n);
    this.tExecuted = grownInt32(this.tExecuted, n);
    this.tTimeout = grownInt32(this.tTimeout, n);
    this.tEmitted = grownFloat64(this.tEmitted, n);
  }

  /** Sends the spout's init (XOR of the spout tuple's edge ids) to the tree's acker. */
  sendInit(slot: number, hi: number, lo: number, worker: number): void {
    const msg = this.allocJob();
    this.jKind[msg] = K_INIT;
    this.jTask[msg] = this.tAcker[slot];
    this.jTree[msg] = slot;
    this.jSerial[msg] = this.tSerial[slot];
    this.jHi[msg] = hi;
    this.jLo[msg] = lo;
    this.send(msg, worker);
  }

  private releaseTree(slot: number): number {
    const task = this.tSpoutTask[slot];
    this.tState[slot] = T_FREE;
    this.tSerial[slot] = (this.tSerial[slot] + 1) | 0;
    this.tMsg[slot] = undefined;
    this.tValues[slot] = null;
    this.freeSlots.push(slot);
    this.spPending[task]--;
    return task;
  }

  private completeTree(slot: number): void {
    this.sim.cancel(this.tTimeout[slot]);
    this.completeLatency.record(this.sim.now - this.tEmitted[slot]);
    this.acked++;
    if (this.tAttempt[slot] > 1) this.ackedAfterReplay++;
    this.bin(this.timelineAcked);
    const msgId = this.tMsg[slot];
    const task = this.releaseTree(slot);
    const spec = this.components[this.taskComp[task]].def.spec as SpoutSpec;
    if (spec.ack) spec.ack(msgId, this.taskState[task]);
    this.unpark(task);
  }

  /** A tree fails (explicit fail, timeout, or its spout's worker died): spout.fail or replay. */
  failTree(slot: number, why: 'fail' | 'timeout' | 'crash'): void {
    if (why !== 'timeout') this.sim.cancel(this.tTimeout[slot]);
    else this.timedOut++;
    if (why === 'crash') this.crashFails++;
    this.failed++;
    this.bin(this.timelineFailed);
    this.replayedExecutions += this.tExecuted[slot];
    const msgId = this.tMsg[slot];
    const values = this.tValues[slot] as unknown[];
    const stream = this.tStream[slot];
    const attempt = this.tAttempt[slot];
    const task = this.releaseTree(slot);
    const spec = this.components[this.taskComp[task]].def.spec as SpoutSpec;
    if (spec.fail) spec.fail(msgId, this.taskState[task]);
    else {
      this.replayQueue[task].push({ msgId, values, stream, attempt: attempt + 1 });
      if (this.replayPending[task] === 0) {
        this.replayPending[task] = 1;
        this.sim.schedule(0, this.replayH, task);
      }
    }
    this.unpark(task);
  }

  /** Pending trees (slots) of a spout task, or held by an acker task. */
  pendingSlots(pred: (slot: number) => boolean): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.nextSlot; s++) if (this.tState[s] !== T_FREE && pred(s)) out.push(s);
    return out;
  }

  /** Trees waiting at an acker that died: its XOR state is gone, so they can only time out. */
  forgetAckerTrees(ackerTask: number): void {
    for (const s of this.pendingSlots((x) => this.tAcker[x] === ackerTask && this.tState[x] === T_PENDING)) this.tInit[s] = -1;
  }

  /** Trees of a spout task whose worker died: its pending map is gone; the source replays them. */
  dropSpoutTrees(spoutTask: number): void {
    for (const s of this.pendingSlots((x) => this.tSpoutTask[x] === spoutTask)) this.failTree(s, 'crash');
  }

  private bin(series: number[]): void {
    if (this.timelineBin <= 0) return;
    const i = math.floor(this.sim.now / this.timelineBin);
    while (series.length <= i) series.push(0);
    series[i]++;
  }

  /** Fraction of the observed time the spouts were throttled by backpressure. */
  get throttledFraction(): number {
    const now = this.sim.now;
    const area = this.throttleArea + (this.throttled ? now - math.max(this.throttleSince, this.observedFrom) : 0);
    return now > this.observedFrom ? area / (now - this.observedFrom) : NaN;
  }

  private resetStatistics(): void {
    this.spoutEmitted = 0;
    this.acked = 0;
    this.failed = 0;
    this.timedOut = 0;
    this.explicitFails = 0;
    this.crashFails = 0;
    this.replayed = 0;
    this.ackedAfterReplay = 0;
    this.replayedExecutions = 0;
    this.transfersRemote = 0;
    this.transfersLocal = 0;
    this.taskExecuted.fill(0);
    this.taskEmitted.fill(0);
    this.throttleArea = 0;
    this.observedFrom = this.sim.now;
  }
}

export type { Tuple };
export { DEFAULT_STREAM };
