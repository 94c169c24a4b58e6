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
 * it falls below the low one. Daemon failures: ./daemons.ts.
 *
 * The spout side (trees, nextTuple loops, replays) is ./spouts.ts, the bolts' acks and the acker
 * ./acking.ts, the routes and groupings ./routing.ts, the per-component runtime and the job kinds
 * ./runtime.ts, the components and executor stations built from the topology ./cluster-setup.ts.
 *
 * Simplifications: one anchor per tuple (no multi-anchoring); spout executors have no queue;
 * a worker's transfer thread and serialization cost are folded into `transferLatency`; the
 * timeout is exact (Storm's rotating maps expire between T and T·(1 + 1/buckets)).
 */
import type { Rng } from '../../random/xoshiro128';
import { grownInt32 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import { Latency } from '../common/latency';
import { buildRoutes } from './routing';
import { K_COMPLETE, K_FAILED, K_TUPLE } from './runtime';
import type { ComponentRuntime } from './runtime';
import { placeExecutors, placeWorkers } from './placement';
import type { Executor } from './placement';
import type { ResolvedStormConfig } from './config';
import { DEFAULT_STREAM } from './topology';
import type { BoltSpec, SpoutSpec, Tuple, TopologyContext } from './topology';
import { TupleView, BoltEmitter, SpoutEmitter } from './collectors';
import { SpoutSide } from './spouts';
import { atAcker, runBolt } from './acking';
import { addComponents, addExecutorStations } from './cluster-setup';

export { K_ACK, K_COMPLETE, K_FAIL, K_FAILED, K_INIT, K_TUPLE } from './runtime';
export type { ComponentRuntime, Route } from './runtime';

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

  /** The spout side: tuple trees, pending counts, nextTuple loops, replays (./spouts.ts). */
  readonly spouts: SpoutSide;

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
  /** Called with the message id of every replay the cluster makes (StormSystem's `onReplay`). */
  onReplay: ((messageId: unknown) => void) | null = null;
  timelineAcked: number[] = [];
  timelineFailed: number[] = [];

  readonly ids: Rng;
  private readonly transferRng: Rng;
  private readonly hopH: number;
  private readonly highMark: number;
  private readonly lowMark: number;
  readonly tuple: TupleView;
  readonly boltEmitter: BoltEmitter;
  readonly spoutEmitter: SpoutEmitter;
  readonly out: Int32Array = new Int32Array(4096);

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
    this.ids = sim.streams.get('storm.tupleIds');
    this.transferRng = sim.streams.get('storm.transfer');
    this.completeLatency = new Latency(sim);
    this.highMark = Math.max(1, Math.ceil(config.highWatermark * config.receiveBufferSize));
    this.lowMark = Math.floor(config.lowWatermark * config.receiveBufferSize);

    addComponents(this);
    this.executors = placeExecutors(
      this.components.map((c) => ({
        id: c.def.id,
        parallelism: c.def.parallelism,
        tasks: c.tasks,
      })),
      this.ackerTasks,
      config.workers,
    );
    this.workerNode = Int32Array.from(
      placeWorkers(config.workers, config.supervisors, config.slotsPerSupervisor),
    );
    this.execDown = new Int32Array(this.executors.length);
    this.execOverHigh = new Uint8Array(this.executors.length);

    this.tuple = new TupleView(this);
    this.boltEmitter = new BoltEmitter(this);
    this.spoutEmitter = new SpoutEmitter(this);
    const executedTarget = { accept: (job: number) => this.executed(job) };
    addExecutorStations(this, executedTarget);
    // routes: per component, per stream, per sending task
    buildRoutes(sim, this.components, this.executors);
    // per task state
    for (const c of this.components) {
      for (const t of c.tasks) this.prepareTask(c, t);
    }
    this.hopH = sim.handler((job) => this.deliver(job), 'storm.transfer');
    this.spouts = new SpoutSide(this, nTasks);
    sim.onReset(() => this.resetStatistics());
  }

  /** Calls the component's prepare/open for a task (again after its worker restarts: state is lost). */
  prepareTask(c: ComponentRuntime, task: number): void {
    const ctx: TopologyContext = {
      componentId: c.def.id,
      taskId: task,
      taskIndex: this.taskPos[task],
      componentTasks: c.tasks,
    };
    const spec = c.def.spec as BoltSpec & SpoutSpec;
    this.taskState[task] =
      c.def.kind === 'bolt'
        ? spec.prepare
          ? spec.prepare(ctx)
          : undefined
        : spec.open
          ? spec.open(ctx)
          : undefined;
  }

  /** The worker running a task. */
  workerOf(task: number): number {
    return this.executors[this.taskExec[task]].worker;
  }

  /** A new job id with room in the attribute arrays. */
  allocJob(): number {
    const job = this.sim.jobs.alloc();
    if (job >= this.jKind.length) {
      const n = Math.max(job + 1, 2 * this.jKind.length);
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
      this.spouts.atSpout(job);
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
    else this.throttleArea += now - Math.max(this.throttleSince, this.observedFrom);
    this.throttled = on;
    if (!on) this.spouts.unparkAll();
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
    if (kind === K_TUPLE) runBolt(this, job, task);
    else atAcker(this, job, task);
    this.jValues[job] = null;
    this.sim.jobs.free(job);
  }

  /** Fraction of the observed time the spouts were throttled by backpressure. */
  get throttledFraction(): number {
    const now = this.sim.now;
    const area =
      this.throttleArea +
      (this.throttled ? now - Math.max(this.throttleSince, this.observedFrom) : 0);
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
