/**
 * What a Simulation is built with and how a run of it ends: the options, the run's end
 * conditions and result, and the checks of both (the kernel itself is lib/sim/simulation.ts).
 */
import { ParameterError, StalledTimeError } from '../errors';

/** An event handler: receives the integer argument it was scheduled with. */
export type EventHandler = (arg: number) => void;

/** How to end {@link Simulation.run}. At least one end must be given: a run never loops unbounded. */
export interface RunOptions {
  /** Process events with time <= until, then set the clock to `until` (if the list still holds events). */
  until?: number;
  /** Stop after this many more events. */
  maxEvents?: number;
  /** Checked after every event; the run stops when it returns true. Slower: a call per event. */
  stopWhen?: () => boolean;
  /**
   * Run until a component calls {@link Simulation.stop} (e.g. a Sink or Population with
   * `stopAfter`) or the event list empties. Bounded by `maxEvents` (default 1e10).
   */
  untilStopped?: boolean;
}

/** Why a run ended, the clock and how many events it processed. */
export interface RunResult {
  reason: 'until' | 'maxEvents' | 'stopWhen' | 'stopped' | 'empty';
  now: number;
  events: number;
}

/** Events between two checks that the clock moved (see {@link Simulation.run}). */
export const STALL_CHECK_EVERY = 1024;
/** Default {@link SimulationOptions.maxEventsPerInstant}. */
export const DEFAULT_MAX_EVENTS_PER_INSTANT = 1_000_000;

export interface SimulationOptions {
  seed?: number;
  /**
   * Most events allowed at one instant before the run stops with a {@link StalledTimeError}
   * (default 1e6): a model whose delays can all be 0 would otherwise loop forever at one time.
   */
  maxEventsPerInstant?: number;
  /**
   * Most events this simulation may process in all (default {@link Simulation.defaultEventBudget},
   * itself Infinity unless a runner such as `scalelab run --max-events` sets it); beyond it a run
   * throws a {@link WorkBudgetError}.
   */
  eventBudget?: number;
}
/** A run's ends, checked: `until` (Infinity when not given) and `maxEvents` (Infinity when unbounded). */
export function checkRunOptions(
  options: RunOptions,
  now: number,
): { until: number; maxEvents: number } {
  if (options == null || typeof options !== 'object') {
    throw new ParameterError(
      'options',
      options,
      'must give an end: { until }, { maxEvents }, { stopWhen } or { untilStopped: true }',
    );
  }
  const { stopWhen, untilStopped } = options;
  const until = options.until ?? Infinity;
  if (
    options.until !== undefined &&
    (typeof until !== 'number' || Number.isNaN(until) || until < now)
  ) {
    throw new ParameterError('until', until, `must be a time >= now (${now})`);
  }
  const maxEvents = options.maxEvents;
  if (maxEvents !== undefined && !(Number.isInteger(maxEvents) && maxEvents >= 0)) {
    throw new ParameterError('maxEvents', maxEvents, 'must be an integer >= 0');
  }
  if (stopWhen !== undefined && typeof stopWhen !== 'function')
    throw new ParameterError('stopWhen', stopWhen, 'must be a function () => boolean');
  if (
    until === Infinity &&
    maxEvents === undefined &&
    stopWhen === undefined &&
    untilStopped !== true
  ) {
    throw new ParameterError(
      'options',
      options,
      'must give an end: a finite until, maxEvents, stopWhen or untilStopped: true',
    );
  }
  return {
    until,
    maxEvents: maxEvents ?? (untilStopped && until === Infinity && !stopWhen ? 1e10 : Infinity),
  };
}

/**
 * The {@link StalledTimeError} of a run whose clock stopped at `t`: it names the handlers of the
 * current event and of every pending event at `t` (at most eight, in the order first met).
 */
export function stalledTimeError(
  t: number,
  limit: number,
  current: string,
  pending: Iterable<[number, string]>,
): StalledTimeError {
  const names = new Map<string, number>();
  names.set(current, 1);
  for (const [time, name] of pending) {
    if (time !== t) continue;
    names.set(name, (names.get(name) ?? 0) + 1);
  }
  const list = [...names.keys()].slice(0, 8);
  if (names.size > 8) list.push(`... ${names.size - 8} more`);
  return new StalledTimeError(t, limit, list);
}
