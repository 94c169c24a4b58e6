/**
 * Calls between components, and waiting for their answers, on the kernel's job table.
 *
 * A caller (a job `parent` inside some component) opens a wait with {@link Calls.wait}: how many
 * calls it will make (`count`), how many successful answers it needs (`need`: all of them, the
 * first k of n, or the first one), an optional caller-side `timeout`, and where the parent goes
 * when the wait ends (`then`, any JobTarget). It then makes each call with {@link Calls.child}
 * (a new job id, whose attributes it may set) handed to a callee: any JobTarget, e.g. a Station
 * whose `to` is {@link Calls.reply} and whose `dropTo`/`failTo` is {@link Calls.error}, or a
 * whole service that, when done, sends the job to `calls.reply` itself. A callee may be a
 * caller in turn: the child is then the parent of its own calls.
 *
 * The wait ends, exactly once, when `need` answers succeeded (outcome OK), when so many failed
 * that `need` can no longer be met (ERROR), or at the timeout (TIMEOUT); `calls.outcome[parent]`
 * says which, and the parent is handed to `then`. Answers that come after the wait ended are
 * discarded (`calls.late` counts them): the work they did is wasted, as a real server's work for
 * a caller that gave up is (a hedged request's loser, a timed-out call). Fire-and-forget calls
 * ({@link Calls.send}) have no parent; their answer only frees the job.
 *
 * Hot path: typed arrays indexed by job id (parent of a child, the wait's epoch, counts), one
 * event per timeout (cancelled when the wait ends first), no closures or promises per call.
 * Epochs make late answers safe even after the parent's id was freed and reused: every wait that
 * ends increments its job's epoch, and an answer counts only if its recorded epoch still matches.
 */
import { ParameterError, requireInteger } from '../../errors';
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import type { JobTarget } from '../../sim/target';

/** The wait's answer came in: `need` calls succeeded. */
export const CALL_OK = 0;
/** Too many calls failed (refused, dropped, crashed) for `need` to be met. */
export const CALL_ERROR = 1;
/** The caller's timeout fired first. */
export const CALL_TIMEOUT = 2;
export type CallOutcome = typeof CALL_OK | typeof CALL_ERROR | typeof CALL_TIMEOUT;

export interface WaitOptions {
  /** Calls the parent will make in this wait (default 1). */
  count?: number;
  /** Successful answers needed (default `count`: wait for all; 1: the first answer). */
  need?: number;
  /** Caller-side timeout, seconds from now (default Infinity: wait for ever). */
  timeout?: number;
  /** Where the parent goes when the wait ends. */
  then: JobTarget;
}

const NO_PARENT = -1;
const registry = new WeakMap<Simulation, Calls>();

/** Calls and waits of one simulation: `Calls.of(sim)` returns the one instance. */
export class Calls {
  /** Send answered calls here (a callee's `to`). */
  readonly reply: JobTarget;
  /** Send failed calls here (a callee's `dropTo` / `failTo`). */
  readonly error: JobTarget;
  /** Outcome of the parent's last ended wait: CALL_OK, CALL_ERROR or CALL_TIMEOUT. */
  outcome: Uint8Array;
  /** The child's parent job, or -1 (fire-and-forget or not a child). */
  parentOf: Int32Array;
  /** A small integer the caller attached to the child (an edge of its call graph, a replica index). */
  edgeOf: Int32Array;
  /** When the child was sent (its round-trip time is now minus this when it answers). */
  sentAt: Float64Array;
  /** Called for every answer that counts, before the parent's wait is updated (per-edge statistics). */
  onAnswer: ((child: number, parent: number, ok: boolean) => void) | null = null;
  /** Calls made (children sent), answers that succeeded or failed, and answers that came too late. */
  calls = 0;
  answered = 0;
  failed = 0;
  late = 0;
  /** Waits opened and ended by outcome. */
  waits = 0;
  waitsOk = 0;
  waitsError = 0;
  waitsTimedOut = 0;
  private readonly sim: Simulation;
  private cap: number;
  private epoch: Int32Array;
  private childEpoch: Int32Array;
  private needed: Int32Array; // successes still needed
  private spare: Int32Array; // failures the wait can still absorb
  private timeoutEvent: Int32Array;
  private open: Uint8Array;
  private waitEpoch: Int32Array; // the parent's epoch when its current wait opened
  private readonly thenOf: Array<JobTarget | null> = [];
  private readonly timeoutH: number;
  private readonly resumeH: number;

  /** The simulation's call layer (created on first use). */
  static of(sim: Simulation): Calls {
    let c = registry.get(sim);
    if (c === undefined) {
      c = new Calls(sim);
      registry.set(sim, c);
    }
    return c;
  }

  private constructor(sim: Simulation) {
    this.sim = sim;
    this.cap = 0;
    this.outcome = new Uint8Array(0);
    this.parentOf = new Int32Array(0);
    this.edgeOf = new Int32Array(0);
    this.sentAt = new Float64Array(0);
    this.epoch = new Int32Array(0);
    this.childEpoch = new Int32Array(0);
    this.needed = new Int32Array(0);
    this.spare = new Int32Array(0);
    this.timeoutEvent = new Int32Array(0);
    this.open = new Uint8Array(0);
    this.waitEpoch = new Int32Array(0);
    this.reply = { accept: (child: number) => this.answer(child, true) };
    this.error = { accept: (child: number) => this.answer(child, false) };
    this.timeoutH = sim.handler((parent) => this.end(parent, CALL_TIMEOUT), 'calls.timeout');
    this.resumeH = sim.handler((parent) => this.resume(parent), 'calls.resume');
    this.ensure(sim.jobs.capacity);
    sim.onReset(() => {
      this.calls = 0;
      this.answered = 0;
      this.failed = 0;
      this.late = 0;
      this.waits = 0;
      this.waitsOk = 0;
      this.waitsError = 0;
      this.waitsTimedOut = 0;
    });
  }

  /** Opens a wait for `parent` (which must not be waiting already). */
  wait(parent: number, options: WaitOptions): void {
    if (parent >= this.cap) this.ensure(this.sim.jobs.capacity);
    if (this.open[parent] === 1 || this.thenOf[parent] != null)
      throw new ParameterError(
        'parent',
        parent,
        'is already waiting for calls, or not yet handed on from its last wait (one wait at a time per job)',
      );
    const count = options.count ?? 1;
    const need = options.need ?? count;
    if (count !== 1) requireInteger('count', count, 1);
    if (need !== count) requireInteger('need', need, 1, count);
    const then = options.then;
    if (then == null || typeof then.accept !== 'function')
      throw new ParameterError('then', then, 'must be a JobTarget (an object with accept(job))');
    const timeout = options.timeout ?? Infinity;
    if (!(timeout >= 0))
      throw new ParameterError('timeout', timeout, 'must be a number >= 0 (seconds) or Infinity');
    this.open[parent] = 1;
    this.waitEpoch[parent] = this.epoch[parent];
    this.needed[parent] = need;
    this.spare[parent] = count - need;
    this.thenOf[parent] = then;
    this.waits++;
    this.timeoutEvent[parent] =
      timeout !== Infinity ? this.sim.schedule(timeout, this.timeoutH, parent) : -1;
  }

  /**
   * A new job for one call of `parent`'s current wait; hand it to the callee's `accept`. If that
   * wait has already ended (an earlier call of the same fan-out failed at once), the call is still
   * made, and its answer will be discarded as late.
   */
  child(parent: number, edge: number = 0): number {
    if (!(parent >= 0 && parent < this.cap && this.thenOfOpened(parent)))
      throw new ParameterError('parent', parent, 'has no wait: call calls.wait(parent, ...) first');
    const jobs = this.sim.jobs;
    const child = jobs.alloc();
    if (child >= this.cap) this.ensure(jobs.capacity);
    jobs.born[child] = this.sim.now;
    jobs.origin[child] = jobs.origin[parent];
    jobs.priority[child] = jobs.priority[parent];
    this.parentOf[child] = parent;
    this.childEpoch[child] = this.waitEpoch[parent];
    this.edgeOf[child] = edge;
    this.sentAt[child] = this.sim.now;
    this.calls++;
    return child;
  }

  /** One call from `parent` to `callee` and a wait for its answer: wait + child + accept. */
  call(
    parent: number,
    callee: JobTarget,
    then: JobTarget,
    timeout: number = Infinity,
    edge: number = 0,
  ): number {
    this.wait(parent, { count: 1, need: 1, timeout, then });
    const child = this.child(parent, edge);
    callee.accept(child);
    return child;
  }

  /** A fire-and-forget call (an asynchronous edge: a message onto a queue); returns the job. */
  send(callee: JobTarget, edge: number = 0): number {
    const jobs = this.sim.jobs;
    const child = jobs.alloc();
    if (child >= this.cap) this.ensure(jobs.capacity);
    jobs.born[child] = this.sim.now;
    this.parentOf[child] = NO_PARENT;
    this.edgeOf[child] = edge;
    this.sentAt[child] = this.sim.now;
    this.calls++;
    callee.accept(child);
    return child;
  }

  /** True while `parent` waits for calls. */
  isWaiting(parent: number): boolean {
    return parent >= 0 && parent < this.cap && this.open[parent] === 1;
  }

  /** True when `child`'s answer would be discarded (its caller's wait ended): work a callee may skip. */
  isAbandoned(child: number): boolean {
    const p = this.parentOf[child];
    return p !== NO_PARENT && (this.open[p] !== 1 || this.childEpoch[child] !== this.epoch[p]);
  }

  private answer(child: number, ok: boolean): void {
    const parent = this.parentOf[child];
    this.parentOf[child] = NO_PARENT;
    if (parent === NO_PARENT) {
      if (ok) this.answered++;
      else this.failed++;
      this.sim.jobs.free(child);
      return;
    }
    if (this.open[parent] !== 1 || this.childEpoch[child] !== this.epoch[parent]) {
      this.late++;
      this.sim.jobs.free(child);
      return;
    }
    if (ok) this.answered++;
    else this.failed++;
    if (this.onAnswer !== null) this.onAnswer(child, parent, ok);
    this.sim.jobs.free(child);
    if (ok) {
      if (--this.needed[parent] === 0) this.end(parent, CALL_OK);
    } else if (--this.spare[parent] < 0) {
      this.end(parent, CALL_ERROR);
    }
  }

  private thenOfOpened(parent: number): boolean {
    return this.open[parent] === 1 || this.epoch[parent] > this.waitEpoch[parent];
  }

  /**
   * The wait ends now; the parent moves on to `then` in a zero-delay event, so that a caller
   * still making the calls of a fan-out that ended at once is never re-entered.
   */
  private end(parent: number, outcome: CallOutcome): void {
    this.open[parent] = 0;
    this.epoch[parent]++;
    this.outcome[parent] = outcome;
    if (outcome === CALL_TIMEOUT) this.waitsTimedOut++;
    else {
      if (this.timeoutEvent[parent] >= 0) this.sim.cancel(this.timeoutEvent[parent]);
      if (outcome === CALL_OK) this.waitsOk++;
      else this.waitsError++;
    }
    this.timeoutEvent[parent] = -1;
    this.sim.schedule(0, this.resumeH, parent);
  }

  private resume(parent: number): void {
    const then = this.thenOf[parent] as JobTarget;
    this.thenOf[parent] = null;
    then.accept(parent);
  }

  private ensure(capacity: number): void {
    if (capacity <= this.cap) return;
    this.outcome = grownUint8(this.outcome, capacity);
    this.parentOf = grownInt32(this.parentOf, capacity);
    this.edgeOf = grownInt32(this.edgeOf, capacity);
    this.sentAt = grownFloat64(this.sentAt, capacity);
    this.epoch = grownInt32(this.epoch, capacity);
    this.childEpoch = grownInt32(this.childEpoch, capacity);
    this.needed = grownInt32(this.needed, capacity);
    this.spare = grownInt32(this.spare, capacity);
    this.timeoutEvent = grownInt32(this.timeoutEvent, capacity);
    this.open = grownUint8(this.open, capacity);
    this.waitEpoch = grownInt32(this.waitEpoch, capacity);
    for (let i = this.cap; i < capacity; i++) this.parentOf[i] = NO_PARENT;
    this.cap = capacity;
  }
}
