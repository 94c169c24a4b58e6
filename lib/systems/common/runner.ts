/**
 * The one warm-up-then-measure runner: a fresh simulation seeded by `seed`, the system built on
 * it, `warmup` simulated seconds discarded (the simulation's `resetStatistics()` restarts every
 * block's and system's statistics), then `duration` seconds measured. Every system's one-call
 * function (`simulateLoadBalancer`, `simulateReplication`, `simulateKafka`, ...) is this runner
 * plus the system's summary.
 *
 * Welch's graphical method or MSER-5 (lib/sim/warmup.ts) tell how long a warm-up must be; the
 * runner only applies the one it is given.
 */
import { ParameterError, requireInteger, requireNonNegative, requirePositive } from '../../errors';
import { Simulation } from '../../sim/simulation';
import { rejectUnknownKeys } from './config';

export interface RunWindow {
  /** Seed of the run's random streams (default 1). Same seed and config, same numbers. */
  seed?: number;
  /** Simulated seconds measured after the warm-up. */
  duration: number;
  /** Simulated seconds run before statistics restart (default 0). */
  warmup?: number;
}

export const RUN_WINDOW_KEYS = ['seed', 'duration', 'warmup'] as const;

/** A validated run window. */
export function resolveRunWindow(options: RunWindow): Required<RunWindow> {
  if (options == null)
    throw new ParameterError('options', options, 'must be an object { seed?, duration, warmup? }');
  rejectUnknownKeys(options, RUN_WINDOW_KEYS, '');
  return {
    seed: requireInteger('seed', options.seed ?? 1, 0, 2 ** 53),
    duration: requirePositive('duration', options.duration),
    warmup: requireNonNegative('warmup', options.warmup ?? 0),
  };
}

export interface Measured<S> {
  sim: Simulation;
  system: S;
  /** When measurement started and ended (simulated seconds). */
  window: { start: number; end: number };
}

/**
 * Builds a system on a fresh simulation and runs it over the window: warm-up, statistics reset,
 * measurement. `build` is called once, at time 0, before any event.
 */
export function measure<S>(build: (sim: Simulation) => S, options: RunWindow): Measured<S> {
  const w = resolveRunWindow(options);
  const sim = new Simulation({ seed: w.seed });
  const system = build(sim);
  if (w.warmup > 0) {
    sim.run({ until: w.warmup });
    sim.resetStatistics();
  }
  sim.run({ until: w.warmup + w.duration });
  return { sim, system, window: { start: w.warmup, end: w.warmup + w.duration } };
}
