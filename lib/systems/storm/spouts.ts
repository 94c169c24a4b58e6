/**
 * The spout side of a Storm cluster: the tuple trees (one slot per tracked spout tuple: its spout
 * task, acker, XOR value in two 32-bit halves, attempt, emit time and timeout event), each spout
 * task's nextTuple loop gated by topology.max.spout.pending, backpressure and its executor's
 * health, completions (spout.ack) and failures (explicit, timeout after
 * topology.message.timeout.secs, or the spout's own worker dying) with replay by a reliable spout
 * [S-gmp]. The timeout is Storm's: a spout executor keeps its pending trees in a RotatingMap of 2
 * buckets (storm-client executor/spout/SpoutExecutor.java) rotated by a system tick every
 * topology.message.timeout.secs T from the executor's start (daemon/StormCommon.java sets the
 * spouts' topology.tick.tuple.freq.secs to T; Executor.setupTicks), so a tree expires at the
 * second tick after its emit: (T, 2T] after it, 1.5·T on average. A slot's serial number changes when it is released, so late messages of a finished
 * tree are recognised and ignored.
 */
import { grownFloat64, grownInt32 } from '../../sim/grown';
import type { StormCluster } from './cluster';
import { floorMod } from './java-hash';
import type { SpoutSpec } from './topology';

// job kinds of the messages the spout side sends and receives (see ./cluster.ts)
const K_INIT = 1;
const K_COMPLETE = 4;

export const T_FREE = 0;
export const T_PENDING = 1;
export const T_DONE = 2;

export class SpoutSide {
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
  /** When each spout task's executor (re)started: its ticks come every T from then. */
  readonly spStarted: Float64Array;
  readonly spParked: Uint8Array;
  private readonly replayPending: Uint8Array;
  readonly replayQueue: Array<
    Array<{ msgId: unknown; values: unknown[]; stream: string; attempt: number }>
  > = [];

  private readonly cl: StormCluster;
  private readonly tickH: number;
  private readonly replayH: number;
  private readonly timeoutH: number;

  constructor(cl: StormCluster, nTasks: number) {
    this.cl = cl;
    const sim = cl.sim;
    this.spPending = new Int32Array(nTasks);
    this.spStarted = new Float64Array(nTasks);
    this.spParked = new Uint8Array(nTasks);
    this.replayPending = new Uint8Array(nTasks);
    for (let i = 0; i < nTasks; i++) this.replayQueue.push([]);
    this.timeoutH = sim.handler((slot) => this.failTree(slot, 'timeout'), 'storm.timeout');
    this.tickH = sim.handler((task) => this.spoutTick(task), 'storm.nextTuple');
    this.replayH = sim.handler((task) => {
      this.replayPending[task] = 0;
      this.drainReplays(task);
    }, 'storm.replay');
    for (const c of cl.components)
      if (c.def.kind === 'spout') for (const t of c.tasks) sim.schedule(0, this.tickH, t);
  }

  /** A completion or failure from an acker reaches its spout task. */
  atSpout(job: number): void {
    const slot = this.cl.jTree[job];
    const ok =
      this.tSerial[slot] === this.cl.jSerial[job] &&
      this.tState[slot] !== T_FREE &&
      this.cl.execDown[this.cl.taskExec[this.cl.jTask[job]]] === 0;
    const kind = this.cl.jKind[job];
    this.cl.sim.jobs.free(job);
    if (!ok) return;
    if (kind === K_COMPLETE) this.completeTree(slot);
    else {
      this.cl.explicitFails++;
      this.failTree(slot, 'fail');
    }
  }

  /** May spout task `task` emit now (its executor up, no backpressure, below max.spout.pending)? */
  private mayEmit(task: number): boolean {
    return (
      this.cl.execDown[this.cl.taskExec[task]] === 0 &&
      !this.cl.throttled &&
      this.spPending[task] < this.cl.config.maxSpoutPending
    );
  }

  /**
   * Re-emits the task's failed tuples at once, as a reliable spout does on its next nextTuple
   * call (a Kafka spout seeks back to them): replays add to the new tuples, they do not replace them.
   */
  private drainReplays(task: number): void {
    const q = this.replayQueue[task];
    if (q.length === 0) return;
    const em = this.cl.spoutEmitter;
    em.begin(task, this.cl.workerOf(task));
    while (q.length > 0 && this.mayEmit(task)) {
      const r = q.shift() as { msgId: unknown; values: unknown[]; stream: string; attempt: number };
      this.cl.replayed++;
      if (this.cl.onReplay) this.cl.onReplay(r.msgId);
      em.attempt = r.attempt;
      em.emit(r.values, r.msgId, r.stream);
    }
  }

  /** nextTuple loop of one spout task. */
  private spoutTick(task: number): void {
    const cfg = this.cl.config;
    if (this.spParked[task] === 2) this.spParked[task] = 0; // a scheduled wake-up
    this.drainReplays(task);
    if (!this.mayEmit(task)) {
      this.spParked[task] = 1;
      return;
    }
    const c = this.cl.components[this.cl.taskComp[task]];
    const em = this.cl.spoutEmitter;
    em.begin(task, this.cl.workerOf(task));
    em.attempt = 1;
    const spec = c.def.spec as SpoutSpec;
    spec.nextTuple(em, this.cl.taskState[task]);
    const delay =
      em.emitted === 0
        ? cfg.spoutSleepSecs
        : spec.nextTupleInterval
          ? spec.nextTupleInterval.sample(c.intervalRng)
          : 0;
    // a spout that always emits with no interval and nothing to stop it (no max.spout.pending, no
    // backpressure) never lets the clock move: the kernel's StalledTimeError names storm.nextTuple
    this.spParked[task] = 2;
    this.cl.sim.schedule(delay, this.tickH, task);
  }

  /** Wakes a parked spout task now. */
  unpark(task: number): void {
    if (this.spParked[task] !== 1) return;
    this.spParked[task] = 2;
    this.cl.sim.schedule(0, this.tickH, task);
  }

  unparkAll(): void {
    for (const c of this.cl.components)
      if (c.def.kind === 'spout') for (const t of c.tasks) this.unpark(t);
  }

  /** A new tree slot for a tracked spout tuple. */
  newTree(
    task: number,
    msgId: unknown,
    values: unknown[],
    stream: string,
    attempt: number,
  ): number {
    let slot: number;
    if (this.freeSlots.length > 0) slot = this.freeSlots.pop() as number;
    else {
      slot = this.nextSlot++;
      if (slot >= this.tState.length) this.growTrees(2 * this.tState.length);
    }
    this.tState[slot] = T_PENDING;
    this.tSpoutTask[slot] = task;
    // root id: 64 random bits; acker = floorMod(List.hashCode([Long rootId]), ackers)
    const hi = this.cl.ids.nextInt32();
    const lo = this.cl.ids.nextInt32();
    this.tAcker[slot] =
      this.cl.ackerTasks[floorMod((31 + (hi ^ lo)) | 0, this.cl.ackerTasks.length)];
    this.tInit[slot] = 0;
    this.tHi[slot] = 0;
    this.tLo[slot] = 0;
    this.tAttempt[slot] = attempt;
    this.tExecuted[slot] = 0;
    this.tEmitted[slot] = this.cl.sim.now;
    this.tMsg[slot] = msgId;
    this.tValues[slot] = values;
    this.tStream[slot] = stream;
    this.tTimeout[slot] = this.cl.sim.schedule(this.timeoutDelay(task), this.timeoutH, slot);
    this.spPending[task]++;
    return slot;
  }

  /**
   * Time from now to the expiry of a tree spout task `task` emits now: the second of its executor's
   * ticks (every T from its start) after now, in (T, 2T].
   */
  private timeoutDelay(task: number): number {
    const T = this.cl.config.timeoutSecs;
    const since = this.cl.sim.now - this.spStarted[task];
    const ticks = Math.floor(since / T) + 1; // the first tick strictly after now
    return (ticks + 1) * T - since;
  }

  /** Spout task `task`'s executor started again (its worker restarted): its ticks restart. */
  executorStarted(task: number): void {
    this.spStarted[task] = this.cl.sim.now;
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
    const msg = this.cl.allocJob();
    this.cl.jKind[msg] = K_INIT;
    this.cl.jTask[msg] = this.tAcker[slot];
    this.cl.jTree[msg] = slot;
    this.cl.jSerial[msg] = this.tSerial[slot];
    this.cl.jHi[msg] = hi;
    this.cl.jLo[msg] = lo;
    this.cl.send(msg, worker);
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
    this.cl.sim.cancel(this.tTimeout[slot]);
    this.cl.completeLatency.record(this.cl.sim.now - this.tEmitted[slot]);
    this.cl.acked++;
    if (this.tAttempt[slot] > 1) this.cl.ackedAfterReplay++;
    this.bin(this.cl.timelineAcked);
    const msgId = this.tMsg[slot];
    const task = this.releaseTree(slot);
    const spec = this.cl.components[this.cl.taskComp[task]].def.spec as SpoutSpec;
    if (spec.ack) spec.ack(msgId, this.cl.taskState[task]);
    this.unpark(task);
  }

  /** A tree fails (explicit fail, timeout, or its spout's worker died): spout.fail or replay. */
  failTree(slot: number, why: 'fail' | 'timeout' | 'crash'): void {
    if (why !== 'timeout') this.cl.sim.cancel(this.tTimeout[slot]);
    else this.cl.timedOut++;
    if (why === 'crash') this.cl.crashFails++;
    this.cl.failed++;
    this.bin(this.cl.timelineFailed);
    this.cl.replayedExecutions += this.tExecuted[slot];
    const msgId = this.tMsg[slot];
    const values = this.tValues[slot] as unknown[];
    const stream = this.tStream[slot];
    const attempt = this.tAttempt[slot];
    const task = this.releaseTree(slot);
    const spec = this.cl.components[this.cl.taskComp[task]].def.spec as SpoutSpec;
    if (spec.fail) spec.fail(msgId, this.cl.taskState[task]);
    else {
      this.replayQueue[task].push({ msgId, values, stream, attempt: attempt + 1 });
      if (this.replayPending[task] === 0) {
        this.replayPending[task] = 1;
        this.cl.sim.schedule(0, this.replayH, task);
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
    for (const s of this.pendingSlots(
      (x) => this.tAcker[x] === ackerTask && this.tState[x] === T_PENDING,
    ))
      this.tInit[s] = -1;
  }

  /** Trees of a spout task whose worker died: its pending map is gone; the source replays them. */
  dropSpoutTrees(spoutTask: number): void {
    for (const s of this.pendingSlots((x) => this.tSpoutTask[x] === spoutTask))
      this.failTree(s, 'crash');
  }

  private bin(series: number[]): void {
    if (this.cl.timelineBin <= 0) return;
    const i = Math.floor(this.cl.sim.now / this.cl.timelineBin);
    while (series.length <= i) series.push(0);
    series[i]++;
  }
}
