/**
 * The one failure process every system uses: per component, scheduled outages and/or an
 * alternating renewal process of time to failure and time to repair, drawn from the component's
 * own random substream (`<name>.failures`), so adding a failing component leaves every other
 * draw unchanged (common random numbers across scenarios).
 *
 * With exponential times (`mttf`, `mttr`) the long-run availability is
 * A = MTTF / (MTTF + MTTR) (Trivedi, Probability and Statistics with Reliability, Queuing and
 * Computer Science Applications, 2nd ed., for any alternating renewal process by the
 * renewal-reward theorem). Scheduled outages and random failures may overlap: the component is
 * down while any cause holds, and crashes or recovers only when the first cause begins or the
 * last one ends.
 */
import { ParameterError, requireNonNegative, requirePositive } from '../../errors';
import type { Distribution } from '../../random/distribution';
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import { keyPath, rejectUnknownKeys } from './config';

/** A scheduled outage: down at `at` (simulated seconds), back `duration` later (Infinity: never). */
export interface Outage {
  at: number;
  duration: number;
}

/** How a component fails. Every field is optional; an empty spec never fails. */
export interface FailureSpec {
  /** Scheduled outages. */
  outages?: Outage[];
  /** Mean time to failure, seconds: exponential failures (needs `mttr` or `timeToRepair`). */
  mttf?: number;
  /** Mean time to repair, seconds (exponential). */
  mttr?: number;
  /** Time to failure as any distribution (instead of `mttf`). */
  timeToFailure?: Distribution;
  /** Time to repair as any distribution (instead of `mttr`). */
  timeToRepair?: Distribution;
  /**
   * From this time on the component stays up: an outage under way ends then, and no scheduled or
   * random failure begins at or after it (default Infinity). A run's "all repaired by t" phase.
   */
  restoredAt?: number;
}

export const FAILURE_SPEC_KEYS = [
  'outages',
  'mttf',
  'mttr',
  'timeToFailure',
  'timeToRepair',
  'restoredAt',
] as const;

/** Something that can crash and recover: a Station, a broker, a replica, a datacenter. */
export interface Failable {
  crash(): void;
  recover(): void;
}

/** A validated spec: outages sorted by start, the random process's two distributions or null. */
export interface ResolvedFailureSpec {
  readonly resolved: true;
  outages: Outage[];
  timeToFailure: Distribution | null;
  timeToRepair: Distribution | null;
  restoredAt: number;
}

function isDistribution(d: unknown): d is Distribution {
  return (
    d != null &&
    typeof (d as Distribution).sample === 'function' &&
    typeof (d as Distribution).mean === 'number'
  );
}

/** Validates a failure spec; `path` names it in errors (e.g. `backends[2].failures`). */
export function resolveFailureSpec(
  spec: FailureSpec | undefined,
  path: string,
): ResolvedFailureSpec {
  if (spec === undefined)
    return {
      resolved: true,
      outages: [],
      timeToFailure: null,
      timeToRepair: null,
      restoredAt: Infinity,
    };
  rejectUnknownKeys(spec, FAILURE_SPEC_KEYS, path);
  const outagesIn = spec.outages ?? [];
  if (!Array.isArray(outagesIn))
    throw new ParameterError(
      keyPath(path, 'outages'),
      outagesIn,
      'must be an array of { at, duration }',
    );
  const outages = outagesIn.map((o, i) => {
    const p = keyPath(keyPath(path, 'outages'), i);
    rejectUnknownKeys(o, ['at', 'duration'], p);
    const at = requireNonNegative(`${p}.at`, o.at);
    const d = o.duration;
    if (d !== Infinity) requirePositive(`${p}.duration`, d);
    return { at, duration: d };
  });
  outages.sort((a, b) => a.at - b.at);
  if (spec.mttf !== undefined && spec.timeToFailure !== undefined) {
    throw new ParameterError(
      keyPath(path, 'timeToFailure'),
      spec.timeToFailure.label,
      'give mttf or timeToFailure, not both',
    );
  }
  if (spec.mttr !== undefined && spec.timeToRepair !== undefined) {
    throw new ParameterError(
      keyPath(path, 'timeToRepair'),
      spec.timeToRepair.label,
      'give mttr or timeToRepair, not both',
    );
  }
  const ttf =
    spec.timeToFailure !== undefined
      ? spec.timeToFailure
      : spec.mttf !== undefined
        ? Exponential.withMean(requirePositive(keyPath(path, 'mttf'), spec.mttf))
        : null;
  const ttr =
    spec.timeToRepair !== undefined
      ? spec.timeToRepair
      : spec.mttr !== undefined
        ? Exponential.withMean(requirePositive(keyPath(path, 'mttr'), spec.mttr))
        : null;
  if (ttf !== null && !isDistribution(ttf))
    throw new ParameterError(keyPath(path, 'timeToFailure'), ttf, 'must be a Distribution');
  if (ttr !== null && !isDistribution(ttr))
    throw new ParameterError(keyPath(path, 'timeToRepair'), ttr, 'must be a Distribution');
  if ((ttf === null) !== (ttr === null)) {
    throw new ParameterError(
      ttf === null ? keyPath(path, 'mttf') : keyPath(path, 'mttr'),
      undefined,
      'random failures need both a time to failure (mttf) and a time to repair (mttr)',
    );
  }
  if (ttf !== null && !(ttf.mean > 0))
    throw new ParameterError(keyPath(path, 'timeToFailure'), ttf.label, 'must have a mean > 0');
  const restoredAt = spec.restoredAt ?? Infinity;
  if (restoredAt !== Infinity) requireNonNegative(keyPath(path, 'restoredAt'), restoredAt);
  return { resolved: true, outages, timeToFailure: ttf, timeToRepair: ttr, restoredAt };
}

/** True when the spec can ever take the component down. */
export function failsEver(spec: ResolvedFailureSpec): boolean {
  return spec.outages.length > 0 || spec.timeToFailure !== null;
}

/** One down interval: from `at` to `until` (NaN while still down). */
export interface DownInterval {
  at: number;
  until: number;
}

/** Down intervals kept for timelines; older ones are dropped beyond this many. */
export const MAX_DOWN_INTERVALS = 10000;

const CAUSE_RANDOM = -1;
const CAUSE_MANUAL = -2;

/**
 * Drives one component's crashes and recoveries. Listeners (`onCrash`, `onRecover`) let other
 * parts react (a health checker, a detector, a timeline) without the component knowing them.
 *
 * Statistics since start or `sim.resetStatistics()`: `failures` (crashes), `downtime`,
 * `availability` (time-weighted fraction up over the observed time).
 */
export class FailureProcess {
  readonly name: string;
  readonly spec: ResolvedFailureSpec;
  /** True while the component is up. */
  up = true;
  /** Crashes since start or reset. */
  failures = 0;
  /** Down intervals since time 0 (not reset: a timeline), at most {@link MAX_DOWN_INTERVALS}. */
  readonly intervals: DownInterval[] = [];
  private readonly sim: Simulation;
  private readonly component: Failable;
  private readonly rng: Rng;
  private readonly listenersCrash: Array<() => void> = [];
  private readonly listenersRecover: Array<() => void> = [];
  private causes = 0;
  private downSince = NaN;
  private downArea = 0;
  private observedFrom: number;
  private readonly crashH: number;
  private readonly recoverH: number;
  private restored = false;
  private manualCauses = 0;

  constructor(
    sim: Simulation,
    component: Failable,
    spec: FailureSpec | ResolvedFailureSpec | undefined,
    options: { name: string; stream?: Rng },
  ) {
    if (options == null || typeof options.name !== 'string' || !options.name)
      throw new ParameterError('name', options?.name, 'must be a non-empty string');
    if (
      component == null ||
      typeof component.crash !== 'function' ||
      typeof component.recover !== 'function'
    ) {
      throw new ParameterError(
        `${options.name}.component`,
        component,
        'must have crash() and recover()',
      );
    }
    this.sim = sim;
    this.name = options.name;
    this.component = component;
    this.spec = isResolved(spec) ? spec : resolveFailureSpec(spec, `${options.name}.failures`);
    this.rng = options.stream ?? sim.streams.get(`${options.name}.failures`);
    this.observedFrom = sim.now;
    // event argument: outage index >= 0, or CAUSE_RANDOM
    this.crashH = sim.handler((cause) => this.begin(cause), `${options.name}.crash`);
    this.recoverH = sim.handler((cause) => this.end(cause), `${options.name}.recover`);
    this.spec.outages.forEach((o, i) => sim.scheduleAt(Math.max(o.at, sim.now), this.crashH, i));
    if (this.spec.timeToFailure !== null)
      sim.schedule(
        this.draw(this.spec.timeToFailure, 'time to failure'),
        this.crashH,
        CAUSE_RANDOM,
      );
    if (this.spec.restoredAt !== Infinity)
      sim.scheduleAt(
        Math.max(this.spec.restoredAt, sim.now),
        sim.handler(() => this.restore(), `${options.name}.restored`),
        0,
      );
    sim.onReset(() => {
      this.failures = 0;
      this.downArea = 0;
      this.observedFrom = this.sim.now;
      if (!this.up) this.downSince = this.sim.now;
    });
  }

  /** Calls `fn` after every crash. */
  onCrash(fn: () => void): void {
    this.listenersCrash.push(fn);
  }

  /** Calls `fn` after every recovery. */
  onRecover(fn: () => void): void {
    this.listenersRecover.push(fn);
  }

  /** Takes the component down now, until {@link repairNow} (a manual cause, as an operator's kill). */
  crashNow(): void {
    this.begin(CAUSE_MANUAL);
  }

  /** Ends a manual outage begun by {@link crashNow}. */
  repairNow(): void {
    this.end(CAUSE_MANUAL);
  }

  /** Time spent down since start or reset. */
  get downtime(): number {
    return (
      this.downArea + (this.up ? 0 : this.sim.now - Math.max(this.downSince, this.observedFrom))
    );
  }

  /** Fraction of the observed time up (NaN before any time has passed). */
  get availability(): number {
    const elapsed = this.sim.now - this.observedFrom;
    return elapsed > 0 ? 1 - this.downtime / elapsed : NaN;
  }

  private draw(d: Distribution, what: string): number {
    const x = d.sample(this.rng);
    if (!(x >= 0 && x !== Infinity))
      throw new ParameterError(`${this.name}.failures ${what}`, x, 'must be a finite number >= 0');
    return x;
  }

  /** `restoredAt`: the spec's causes end now and never begin again (manual crashes still work). */
  private restore(): void {
    this.restored = true;
    if (this.causes > this.manualCauses) {
      this.causes = this.manualCauses + 1;
      this.release();
    }
  }

  private begin(cause: number): void {
    if (this.restored && cause !== CAUSE_MANUAL) return;
    if (cause === CAUSE_MANUAL) this.manualCauses++;
    if (cause >= 0) {
      const d = this.spec.outages[cause].duration;
      if (d !== Infinity) this.sim.schedule(d, this.recoverH, cause);
    } else if (cause === CAUSE_RANDOM) {
      this.sim.schedule(
        this.draw(this.spec.timeToRepair as Distribution, 'time to repair'),
        this.recoverH,
        CAUSE_RANDOM,
      );
    }
    if (this.causes++ > 0) return;
    this.up = false;
    this.downSince = this.sim.now;
    this.failures++;
    if (this.intervals.length >= MAX_DOWN_INTERVALS) this.intervals.shift();
    this.intervals.push({ at: this.sim.now, until: NaN });
    this.component.crash();
    for (const fn of this.listenersCrash) fn();
  }

  private end(cause: number): void {
    if (this.restored && cause !== CAUSE_MANUAL) return;
    if (cause === CAUSE_MANUAL) {
      if (this.manualCauses === 0) return;
      this.manualCauses--;
    }
    if (cause === CAUSE_RANDOM)
      this.sim.schedule(
        this.draw(this.spec.timeToFailure as Distribution, 'time to failure'),
        this.crashH,
        CAUSE_RANDOM,
      );
    this.release();
  }

  /** One cause ends: the component recovers when it was the last. */
  private release(): void {
    if (this.causes === 0) return;
    if (--this.causes > 0) return;
    this.up = true;
    this.downArea += this.sim.now - Math.max(this.downSince, this.observedFrom);
    const last = this.intervals[this.intervals.length - 1];
    if (last !== undefined && Number.isNaN(last.until)) last.until = this.sim.now;
    this.component.recover();
    for (const fn of this.listenersRecover) fn();
  }
}

function isResolved(
  spec: FailureSpec | ResolvedFailureSpec | undefined,
): spec is ResolvedFailureSpec {
  return spec !== undefined && (spec as ResolvedFailureSpec).resolved === true;
}
