import { ParameterError, WorkBudgetError, requireFinite } from '../errors';
import type { Distribution } from '../random/distribution';
import { RandomStreams } from '../random/streams';
import type { Rng } from '../random/xoshiro128';
import { EventList, PRIORITY_OFFSET } from './event-list';
import { Jobs } from './jobs';
import {
  DEFAULT_MAX_EVENTS_PER_INSTANT,
  STALL_CHECK_EVERY,
  checkRunOptions,
  stalledTimeError,
} from './run-options';
import type { EventHandler, RunOptions, RunResult, SimulationOptions } from './run-options';

export { DEFAULT_MAX_EVENTS_PER_INSTANT } from './run-options';
export type { EventHandler, RunOptions, RunResult, SimulationOptions } from './run-options';

/**
 * The discrete-event kernel: a clock, a future-event list ({@link EventList}, which this class
 * extends) and the random streams of one run.
 *
 * Events are integer ids into typed arrays (time, tie-break key, handler id, integer argument);
 * the future-event list is an indexed 4-ary min-heap of ids whose times sit inline in a
 * Float64Array, so the hot loop allocates nothing. Handlers are registered once
 * (`sim.handler(fn)` returns a handler id) and receive one integer argument, typically a job id
 * or a server index; there are no promises, generators or closures per event.
 *
 * Ordering is deterministic: by time, then by `priority` (smaller first, integers in
 * [-4095, 4095], default 0), then by insertion order (FIFO among equals). Ties are resolved by a
 * single key `(priority + 4096) * 2^40 + sequence`.
 *
 * Event ids are recycled once an event has fired or been cancelled: keep an id only while the
 * event is pending (clear it in the handler), as `cancel`/`reschedule` of a recycled id would hit
 * the newer event.
 *
 * ```ts
 * const sim = new Simulation({ seed: 42 });
 * const hello = sim.handler((n) => console.log(`event ${n} at ${sim.now}`));
 * sim.schedule(1.5, hello, 7);
 * sim.run({ until: 10 });
 * ```
 */
export class Simulation extends EventList {
  /**
   * The event budget of simulations created without `eventBudget` (Infinity by default). The
   * experiment runner sets it for the duration of a replication (`--max-events`), so a system that
   * does not estimate its work still cannot run away.
   */
  static defaultEventBudget = Infinity;

  // [0] the clock, [1] the delay argument of scheduleDelay. Doubles written per event live in a
  // typed array: V8 updates them in place (a double object field can be re-boxed on every write).
  private readonly slots = new Float64Array(2);

  /** The clock. */
  get now(): number {
    return this.slots[0];
  }

  /** The delay argument of {@link scheduleDelay}. */
  get delay(): number {
    return this.slots[1];
  }
  set delay(d: number) {
    this.slots[1] = d;
  }
  /** Events processed since construction. */
  eventsProcessed = 0;
  /** Named random streams derived from the seed: `sim.streams.get('lb.arrivals')`. */
  readonly streams: RandomStreams;
  /** The job table: integer job ids with typed-array attributes, shared by all components. */
  readonly jobs: Jobs;

  private readonly handlers: EventHandler[] = [];
  private readonly handlerNames: string[] = [];
  private stopRequested = false;
  private running = false;
  private readonly resetListeners: Array<() => void> = [];
  private maxPerInstant: number;
  /** Most events in all (see {@link SimulationOptions.eventBudget}). */
  readonly eventBudget: number;

  constructor(options: SimulationOptions = {}) {
    super();
    this.maxPerInstant =
      options.maxEventsPerInstant === undefined
        ? DEFAULT_MAX_EVENTS_PER_INSTANT
        : positiveCount('maxEventsPerInstant', options.maxEventsPerInstant);
    this.eventBudget =
      options.eventBudget === undefined
        ? Simulation.defaultEventBudget
        : positiveCount('eventBudget', options.eventBudget);
    this.streams = new RandomStreams(options.seed ?? 1);
    this.jobs = new Jobs();
  }

  /** The seed this run's streams derive from. */
  get seed(): number {
    return this.streams.seed;
  }

  /** Most events allowed at one instant (see {@link SimulationOptions.maxEventsPerInstant}). */
  get maxEventsPerInstant(): number {
    return this.maxPerInstant;
  }

  /**
   * Raises the per-instant limit to at least `n`: a block that legitimately schedules many events
   * at one time (a population of N users all sending at time 0) calls it with its own count.
   */
  allowEventsPerInstant(n: number): void {
    if (n > this.maxPerInstant) this.maxPerInstant = n;
  }

  /** Registers a handler once; returns its id for {@link schedule}. */
  handler(fn: EventHandler, name: string = `handler${this.handlers.length}`): number {
    if (typeof fn !== 'function')
      throw new ParameterError('fn', fn, 'must be a function (arg: number) => void');
    this.handlers.push(fn);
    this.handlerNames.push(name);
    return this.handlers.length - 1;
  }

  /** Name a handler was registered with (for tracing). */
  handlerName(id: number): string {
    return this.handlerNames[id];
  }

  /** Schedules handler `handler` with `arg` after `delay` (>= 0); returns the event id. */
  schedule(delay: number, handler: number, arg: number = 0, priority: number = 0): number {
    // the fast path passes no doubles to further calls (they would be boxed when not inlined)
    if (
      !(delay >= 0 && delay !== Infinity) ||
      priority !== 0 ||
      !(handler >= 0 && handler < this.handlers.length)
    ) {
      this.checkEvent('delay', delay, handler, priority);
    }
    if (this.freeTop === 0) this.grow();
    const id = this.freeIds[--this.freeTop];
    this.evTime[id] = this.now + delay;
    this.enqueue(id, handler, arg, priority);
    return id;
  }

  /**
   * Hot-path form of {@link schedule} for building blocks: set `sim.delay`, then call
   * `sim.scheduleDelay(handler, arg)`. Identical in effect to `schedule(sim.delay, handler, arg)`,
   * but no double crosses a call boundary: V8 boxes (heap-allocates) a double passed to a call it
   * does not inline, and the blocks' handlers are too large to inline everything.
   */
  scheduleDelay(handler: number, arg: number): number {
    const slots = this.slots;
    const delay = slots[1];
    if (!(delay >= 0 && delay !== Infinity) || !(handler >= 0 && handler < this.handlers.length)) {
      this.checkEvent('delay', delay, handler, 0);
    }
    if (this.freeTop === 0) this.grow();
    const id = this.freeIds[--this.freeTop];
    this.evTime[id] = slots[0] + delay;
    this.enqueue(id, handler, arg, 0);
    return id;
  }

  /**
   * Draws a delay from `dist` with `rng` and schedules `handler(arg)` after it; returns the event
   * id. The blocks use this for service, think and inter-arrival times: it takes and returns no
   * doubles, so it can stay a separate compiled function with the sampler inlined inside it,
   * instead of a sampler call whose double result would be heap-allocated.
   */
  scheduleSample(dist: Distribution, rng: Rng, handler: number, arg: number): number {
    const slots = this.slots;
    if (dist.sampleInto !== undefined) dist.sampleInto(rng, slots, 1);
    else slots[1] = dist.sample(rng);
    const d = slots[1];
    // the insertion written out (not a call of scheduleDelay, which would check the delay again)
    // and the error messages in cold methods: a smaller function for the JIT to inline whole
    if (!(d >= 0 && d !== Infinity)) this.badSample(dist);
    if (!(handler >= 0 && handler < this.handlers.length)) this.checkEvent('delay', 0, handler, 0);
    if (this.freeTop === 0) this.grow();
    const id = this.freeIds[--this.freeTop];
    this.evTime[id] = slots[0] + d;
    this.enqueue(id, handler, arg, 0);
    return id;
  }

  /** Throws the ParameterError of a sample that is not a delay, left in `slots[1]` (cold path). */
  private badSample(dist: Distribution): never {
    throw new ParameterError(
      `${dist.label} sample`,
      this.slots[1],
      'must be a finite number >= 0 (a delay)',
    );
  }

  /** Schedules at absolute time `time` (>= now). */
  scheduleAt(time: number, handler: number, arg: number = 0, priority: number = 0): number {
    if (
      !(time >= this.now && time !== Infinity) ||
      priority !== 0 ||
      !(handler >= 0 && handler < this.handlers.length)
    ) {
      this.checkEvent('time', time, handler, priority);
    }
    if (this.freeTop === 0) this.grow();
    const id = this.freeIds[--this.freeTop];
    this.evTime[id] = time;
    this.enqueue(id, handler, arg, priority);
    return id;
  }

  /** Validation of schedule/scheduleAt arguments (cold path); throws ParameterError. */
  private checkEvent(
    kind: 'delay' | 'time',
    value: number,
    handler: number,
    priority: number,
  ): void {
    if (kind === 'delay' && !(value >= 0 && value !== Infinity))
      throw new ParameterError('delay', value, 'must be a finite number >= 0');
    if (kind === 'time' && !(value >= this.now && value !== Infinity))
      throw new ParameterError('time', value, `must be a finite time >= now (${this.now})`);
    if (
      priority !== 0 &&
      !(Number.isInteger(priority) && priority > -PRIORITY_OFFSET && priority < PRIORITY_OFFSET)
    ) {
      throw new ParameterError('priority', priority, 'must be an integer in [-4095, 4095]');
    }
    if (!(Number.isInteger(handler) && handler >= 0 && handler < this.handlers.length)) {
      throw new ParameterError(
        'handler',
        handler,
        `must be a registered handler id in [0, ${this.handlers.length - 1}]`,
      );
    }
  }

  /**
   * Moves a pending event to absolute time `time` (>= now). It keeps its priority and becomes the
   * latest inserted among equals. Returns false if the event was not pending.
   */
  reschedule(id: number, time: number): boolean {
    if (!this.isPending(id)) return false;
    if (!(time >= this.now) || time === Infinity)
      throw new ParameterError('time', time, `must be a finite time >= now (${this.now})`);
    this.moveTo(id, time);
    return true;
  }

  /** Asks the current run to return after the event being processed. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Processes events in order until an end condition holds (see {@link RunOptions}) or the event
   * list is empty. Can be called again to continue.
   */
  run(options: RunOptions): RunResult {
    const { stopWhen } = options ?? {};
    const { until, maxEvents } = checkRunOptions(options, this.now);
    if (this.running)
      throw new ParameterError('run', 'nested', 'cannot be called from inside an event handler');
    this.stopRequested = false;
    this.running = true;
    const asked = this.eventsProcessed + maxEvents;
    const limit = asked < this.eventBudget ? asked : this.eventBudget;
    let reason: RunResult['reason'] = 'empty';
    const start = this.eventsProcessed;
    // The stall check costs nothing per event: the loop's one count test stops at `stop`, the
    // nearer of the run's limit and the next checkpoint (every STALL_CHECK_EVERY events). If the
    // clock reads the same at two checkpoints, every event between ran at that instant (the clock
    // never goes back); past maxEventsPerInstant such events the run stops with a StalledTimeError.
    let checkTime = this.slots[0];
    let sameFor = 0;
    let checkAt = this.eventsProcessed + STALL_CHECK_EVERY;
    let stop = limit < checkAt ? limit : checkAt;
    try {
      const handlers = this.handlers;
      while (this.size > 0) {
        if (this.eventsProcessed >= stop) {
          if (this.eventsProcessed >= limit) {
            if (limit < asked) this.overBudget();
            reason = 'maxEvents';
            break;
          }
          if (this.slots[0] === checkTime) {
            sameFor += STALL_CHECK_EVERY;
            if (sameFor > this.maxPerInstant) this.stalled(checkTime);
          } else {
            checkTime = this.slots[0];
            sameFor = 0;
          }
          checkAt = this.eventsProcessed + STALL_CHECK_EVERY;
          stop = limit < checkAt ? limit : checkAt;
        }
        const t = this.heapTime[0];
        if (t > until) {
          reason = 'until';
          break;
        }
        const id = this.heapId[0];
        this.removeTop();
        this.slots[0] = t;
        this.eventsProcessed++;
        const h = this.evCall[2 * id];
        const arg = this.evCall[2 * id + 1];
        this.evPos[id] = -1;
        this.freeIds[this.freeTop++] = id;
        handlers[h](arg);
        if (this.stopRequested) {
          reason = 'stopped';
          break;
        }
        if (stopWhen !== undefined && stopWhen()) {
          reason = 'stopWhen';
          break;
        }
      }
      if (reason === 'empty' && this.eventsProcessed >= limit && this.size > 0)
        reason = 'maxEvents';
      if ((reason === 'until' || reason === 'empty') && until !== Infinity && this.now < until)
        this.slots[0] = until;
    } finally {
      this.running = false;
    }
    return { reason, now: this.now, events: this.eventsProcessed - start };
  }

  /** Throws the {@link StalledTimeError} naming the handlers of the events at time `t` (cold path). */
  private stalled(t: number): never {
    const pending: Array<[number, string]> = [];
    for (let pos = 0; pos < this.size; pos++)
      pending.push([this.heapTime[pos], this.handlerNames[this.evCall[2 * this.heapId[pos]]]]);
    throw stalledTimeError(
      t,
      this.maxPerInstant,
      this.handlerNames[this.evCall[2 * this.heapId[0]]],
      pending,
    );
  }

  /** Throws the {@link WorkBudgetError} of a run past its event budget (cold path). */
  private overBudget(): never {
    throw new WorkBudgetError(
      'events',
      this.eventsProcessed,
      this.eventBudget,
      `this simulation (at t = ${this.now})`,
    );
  }

  /** Registers a callback run by {@link resetStatistics} (monitors use it for warm-up deletion). */
  onReset(fn: () => void): void {
    this.resetListeners.push(fn);
  }

  /**
   * Warm-up deletion: every component's statistics restart now (counts, tallies and sketches
   * empty; time-weighted averages restart from the current state). Jobs in the system keep their
   * times, so a job that arrived before the reset and leaves after it is counted at departure.
   */
  resetStatistics(): void {
    for (const fn of this.resetListeners) fn();
  }
}

function positiveCount(parameter: string, n: unknown): number {
  if (n === Infinity) return Infinity;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw new ParameterError(parameter, n, 'must be an integer >= 1 (or Infinity)');
  return n;
}

/** Throws unless `t` is a finite time. */
export function requireTime(parameter: string, t: unknown): number {
  return requireFinite(parameter, t);
}
