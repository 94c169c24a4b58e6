import { requireInteger } from '../errors';
import { OBSERVATION_BUFFER, Observations } from './observations';
import type { QuantileSketch } from './quantile-sketch';
import type { Simulation } from './simulation';
import { Tally } from './tally';
import type { JobTarget } from './target';

/**
 * Where jobs leave an open system: records each job's time in system (now - born) in a Welford
 * tally and a 1 % quantile sketch, then frees the job id. With `stopAfter: n` it stops the run
 * after the n-th job (counted since construction or the last statistics reset).
 */
export class Sink implements JobTarget {
  readonly name: string;
  /** Jobs absorbed (since the last reset). */
  count = 0;
  private readonly obs: Observations;
  stopAfter: number;
  /** Called with each job just before it is freed. */
  onExit: ((job: number) => void) | null = null;
  private readonly sim: Simulation;

  constructor(
    sim: Simulation,
    options: { name?: string; stopAfter?: number; quantiles?: boolean } = {},
  ) {
    this.sim = sim;
    this.name = options.name ?? 'sink';
    this.stopAfter =
      options.stopAfter === undefined
        ? Infinity
        : requireInteger('stopAfter', options.stopAfter, 1);
    this.obs = new Observations(options.quantiles !== false);
    sim.onReset(() => {
      this.count = 0;
      this.obs.reset();
    });
  }

  /** Welford tally of times in system. */
  get responseTime(): Tally {
    return this.obs.tallied();
  }

  /** 1 % quantile sketch of times in system (null if `quantiles: false`). */
  get responseQuantiles(): QuantileSketch | null {
    return this.obs.sketched();
  }

  accept(job: number): void {
    const sim = this.sim;
    const r = sim.now - sim.jobs.born[job];
    const o = this.obs;
    o.values[o.n++] = r;
    if (o.n === OBSERVATION_BUFFER) o.flush();
    if (this.onExit !== null) this.onExit(job);
    sim.jobs.free(job);
    if (++this.count >= this.stopAfter) sim.stop();
  }
}
