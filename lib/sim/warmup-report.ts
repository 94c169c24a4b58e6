/**
 * The warm-up record of a run, handed from the kernel's runner to whoever is collecting: the
 * experiment framework collects around each replication (lib/experiment/run.ts `simulateTask`),
 * so every run of `common.measure` (lib/systems/common/runner.ts) inside it lands in that
 * replication's provenance without the experiment saying anything. Outside a collection,
 * {@link reportWarmup} does nothing and the runner does not sample at all.
 *
 * MSER-5 (White 1997; lib/sim/warmup.ts) is a diagnostic here: the runs keep the fixed warm-up
 * they were given (lab 01's study, test/experiment/warmup-study.ts, measured MSER-5's
 * data-dependent deletion biased low at these run lengths), and the record says where MSER-5
 * would have truncated.
 */

/** One run's warm-up: the deletion it applied and MSER-5's truncation point, in simulated seconds. */
export interface WarmupReport {
  /** Simulated seconds the run deleted as its warm-up (its fixed `warmup`). */
  deletedSeconds: number;
  /** MSER-5's truncation point on `series`, simulated seconds from the run's start. */
  mser5Seconds: number;
  /** Simulated seconds measured after the deletion. */
  measuredSeconds: number;
  /** The state variable MSER-5 read (e.g. 'jobs in system'). */
  series: string;
  /** How many equally spaced samples of it over the whole run. */
  samples: number;
  /**
   * MSER-5 chose its largest truncation, half the series: no stationary stretch was found (an
   * overloaded system, or a run that is a transient by design, e.g. a crash timeline).
   */
  capped: boolean;
}

let collected: WarmupReport[] | null = null;

/** True while {@link collectWarmup} is running (the runner samples only then). */
export function collectingWarmup(): boolean {
  return collected !== null;
}

/** Records one run's warm-up in the current collection; nothing outside one. */
export function reportWarmup(report: WarmupReport): void {
  if (collected !== null) collected.push(report);
}

/** Runs `fn`, collecting every {@link reportWarmup} made during it (nested collections stay apart). */
export function collectWarmup<T>(fn: () => T): { result: T; reports: WarmupReport[] } {
  const outer = collected;
  const reports: WarmupReport[] = [];
  collected = reports;
  try {
    return { result: fn(), reports };
  } finally {
    collected = outer;
  }
}
