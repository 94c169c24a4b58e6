import { ParameterError, requireInteger } from '../errors';
import { LevelHistogram } from './level-histogram';
import { Observations } from './observations';
import { growthTest } from './overload';
import type { QuantileSketch } from './quantile-sketch';
import type { Simulation } from './simulation';
import type { LevelStats } from './station-options';
import type { Tally } from './tally';

/**
 * A station's statistics, all streaming (the base of {@link Station}, which updates them):
 * arrivals, departures, drops and the crash counters; the time-weighted number in station and
 * busy servers, integrated at each change as area += level * (now - last change) (so L, Lq and
 * utilisation); Welford tallies of response and waiting time and a 1 % quantile sketch of
 * response times (batched by {@link Observations}); the availability (time-weighted fraction
 * up); optionally a time-weighted histogram of the number in station. `restartStatistics()`,
 * run by the simulation's `resetStatistics()`, restarts them from the current state.
 */
export class StationStatistics {
  readonly name: string;
  /** Jobs in the station now (waiting + in service). */
  inSystem = 0;
  /** Jobs in the station at the start of the observation (construction or the last reset). */
  inSystemAtStart = 0;
  /** Busy servers now. */
  busy = 0;
  arrivals = 0;
  departures = 0;
  drops = 0;
  /** Jobs freed by crashes with `onCrash: 'lose'` since start or reset. */
  lost = 0;
  /** Jobs handed to `failTo` by crashes with `onCrash: 'fail'` since start or reset. */
  failed = 0;
  /** Arrivals refused while down since start or reset (also counted in `arrivals`, not in `drops`). */
  refused = 0;
  /** Maximum number in station K (Infinity when unbounded). */
  readonly capacity: number;
  // time-weighted number in station and busy servers, integrated at each change. Doubles that
  // change per event live in a typed array: V8 stores them in place there, never boxing them.
  // [0] last change, [1] start of observation, [2] area of L, [3] area of busy, [4] sum of
  // arrival times of jobs present (for their ages at the end), [5] down time observed before the
  // current down period, [6] start of the current down period (or of observation, if later)
  protected readonly acc: Float64Array = new Float64Array(7);
  protected maxL = 0;
  protected readonly resp: Observations;
  protected readonly wait = new Observations(false);
  protected alive = true;
  // time-weighted histogram of inSystem (null when off)
  private hist: LevelHistogram | null;
  private histBins: number;
  protected readonly sim: Simulation;

  constructor(
    sim: Simulation,
    name: string,
    capacity: number,
    quantiles: boolean,
    histogramBins: number,
  ) {
    this.sim = sim;
    this.name = name;
    this.capacity = capacity;
    this.histBins = histogramBins;
    this.hist = histogramBins > 0 ? new LevelHistogram(histogramBins) : null;
    this.resp = new Observations(quantiles);
    this.acc[0] = sim.now;
    this.acc[1] = sim.now;
  }

  /** Welford tally of response (sojourn) times of departed jobs. */
  get responseTime(): Tally {
    return this.resp.tallied();
  }

  /** Welford tally of waiting times (arrival to service start; 0 under PS). */
  get waitingTime(): Tally {
    return this.wait.tallied();
  }

  /** 1 % quantile sketch of response times (null if `quantiles: false`). */
  get responseQuantiles(): QuantileSketch | null {
    return this.resp.sketched();
  }

  /** The q-quantile of response times (NaN without a sketch or data). */
  responseQuantile(q: number): number {
    return this.resp.quantile(q);
  }

  /** Time-weighted number of jobs in the station (waiting + in service) since start or reset. */
  get numberInSystem(): LevelStats {
    return this.level(this.acc[2], this.inSystem, this.maxL);
  }

  /** Time-weighted number of busy servers since start or reset (utilisation = mean / c). */
  get busyServers(): LevelStats {
    return this.level(this.acc[3], this.busy, NaN);
  }

  /** Sum of the ages (now - arrival) of the jobs inside now. */
  get ageSum(): number {
    return this.inSystem * this.sim.now - this.acc[4];
  }

  private level(area: number, value: number, max: number): LevelStats {
    const now = this.sim.now;
    const elapsed = now - this.acc[1];
    const integral = area + value * (now - this.acc[0]);
    return { value, max, elapsed, integral, mean: elapsed > 0 ? integral / elapsed : NaN };
  }

  /** Accumulates the areas (and the histogram) up to now; called before every change of inSystem or busy. */
  protected integrate(): void {
    const acc = this.acc;
    const now = this.sim.now;
    const dt = now - acc[0];
    const n = this.inSystem;
    acc[2] += n * dt;
    acc[3] += this.busy * dt;
    acc[0] = now;
    if (this.hist !== null) this.hist.add(n, dt);
  }

  /** True while the station is up (after construction and `recover()`; false after `crash()`). */
  get up(): boolean {
    return this.alive;
  }

  /** Fraction of the time since start or reset that the station was up (NaN before any time passed). */
  get availability(): number {
    const now = this.sim.now;
    const elapsed = now - this.acc[1];
    if (!(elapsed > 0)) return NaN;
    const down = this.acc[5] + (this.alive ? 0 : now - this.acc[6]);
    return 1 - down / elapsed;
  }

  /**
   * The station's own overload verdict since start or reset, without the caller passing the load:
   * an unbounded station whose number inside grew by more than a stable queue shows (the growth
   * test of `overload.ts` on n_now - n_start, the accepted arrivals and the departures). O(1): the
   * summary's `overloaded` reads it (with `unstable`), and so does `common.overloadOf`.
   */
  get overloaded(): boolean {
    return (
      this.capacity === Infinity &&
      growthTest(
        this.inSystem - this.inSystemAtStart,
        this.arrivals - this.drops - this.refused,
        this.departures,
      )
    );
  }

  /**
   * Time-weighted distribution of the number in station since start or reset (needs
   * `queueHistogram: B`): element i < B is the fraction of time with exactly i jobs inside,
   * element B the fraction with >= B; they sum to 1 (NaN before any time passed).
   */
  queueLengthDistribution(): Float64Array {
    const now = this.sim.now;
    return this.requireHistogram().distribution(
      now - this.acc[1],
      this.inSystem,
      now - this.acc[0],
    );
  }

  /** P(N >= i): time fraction with at least i jobs inside, i an integer in [0, B] (needs `queueHistogram: B`). */
  probabilityAtLeast(i: number): number {
    requireInteger('i', i, 0, this.requireHistogram().bins);
    const d = this.queueLengthDistribution();
    let p = 0;
    for (let j = d.length - 1; j >= i; j--) p += d[j];
    return p;
  }

  private requireHistogram(): LevelHistogram {
    if (this.hist === null)
      throw new ParameterError(
        'queueHistogram',
        this.histBins,
        `must be >= 1 (bins) on station ${this.name} to read its queue-length distribution`,
      );
    return this.hist;
  }

  /** Warm-up deletion: every statistic restarts now, the levels from their current values. */
  protected restartStatistics(): void {
    this.integrate();
    this.acc[1] = this.sim.now;
    this.acc[2] = 0;
    this.acc[3] = 0;
    this.maxL = this.inSystem;
    this.inSystemAtStart = this.inSystem;
    this.arrivals = 0;
    this.departures = 0;
    this.drops = 0;
    this.lost = 0;
    this.failed = 0;
    this.refused = 0;
    this.acc[5] = 0;
    this.acc[6] = this.sim.now;
    if (this.hist !== null) this.hist.reset();
    this.resp.reset();
    this.wait.reset();
  }
}
