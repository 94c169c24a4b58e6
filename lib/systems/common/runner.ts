/**
 * The one warm-up-then-measure runner: a fresh simulation seeded by `seed`, the system built on
 * it, `warmup` simulated seconds discarded (the simulation's `resetStatistics()` restarts every
 * block's and system's statistics), then `duration` seconds measured. Every system's one-call
 * function (`simulateLoadBalancer`, `simulateReplication`, `simulateKafka`, ...) is this runner
 * plus the system's summary.
 *
 * Welch's graphical method or MSER-5 (lib/sim/warmup.ts) tell how long a warm-up must be; the
 * runner only applies the one it is given. Inside an experiment's replication (a warm-up
 * collection, lib/sim/warmup-report.ts) it also checks it: the work in progress `sim.jobs.live`
 * (jobs alive, the usual input of MSER on queue length) is sampled at {@link WARMUP_SAMPLES}
 * equally spaced times over the whole run, t_i = i (warmup + duration) / K, i = 0..K-1, by one
 * read-only handler, and MSER-5's truncation point on that series (m samples deleted: m times the
 * spacing, in seconds) is reported beside the fixed warm-up. The sampler draws no random number
 * and changes no state: the system's events keep their order (ties are broken by insertion
 * order, which extra events do not reorder), so every number of the run is unchanged.
 */
import { ParameterError, requireInteger, requireNonNegative, requirePositive } from '../../errors';
import { Simulation } from '../../sim/simulation';
import { mser5 } from '../../sim/warmup';
import { collectingWarmup, reportWarmup } from '../../sim/warmup-report';
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
  const sampler = collectingWarmup() ? new WorkInProgressSampler(sim, w.warmup + w.duration) : null;
  if (w.warmup > 0) {
    sim.run({ until: w.warmup });
    sim.resetStatistics();
  }
  sim.run({ until: w.warmup + w.duration });
  if (sampler) sampler.report(w.warmup, w.duration);
  return { sim, system, window: { start: w.warmup, end: w.warmup + w.duration } };
}

/** Samples of the work in progress per run for the MSER-5 check (100 batches of 5). */
export const WARMUP_SAMPLES = 500;

/**
 * Reads `sim.jobs.live` at t_i = i T / K (i = 0..K-1, K = {@link WARMUP_SAMPLES}) with one
 * handler that schedules its next sample; nothing else. The last sample is before T, so no event
 * of it is left pending after the run.
 */
class WorkInProgressSampler {
  readonly values: Float64Array = new Float64Array(WARMUP_SAMPLES);
  n = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly horizon: number,
  ) {
    const sample = sim.handler(() => {
      this.values[this.n++] = sim.jobs.live;
      if (this.n < WARMUP_SAMPLES) sim.scheduleAt((this.n * this.horizon) / WARMUP_SAMPLES, sample);
    }, 'warmup-sampler');
    sim.scheduleAt(0, sample);
  }

  /** MSER-5's truncation point on the samples, in seconds, reported beside the fixed warm-up. */
  report(warmup: number, duration: number): void {
    // a run stopped early (a system's sim.stop()) has fewer samples: MSER-5 on those it has
    if (this.n < 20) return;
    const { truncate, batches } = mser5(this.values.subarray(0, this.n));
    reportWarmup({
      deletedSeconds: warmup,
      mser5Seconds: (truncate * this.horizon) / WARMUP_SAMPLES,
      measuredSeconds: duration,
      series: 'jobs in system',
      samples: this.n,
      capped: truncate === 5 * Math.floor(batches / 2),
    });
  }
}
