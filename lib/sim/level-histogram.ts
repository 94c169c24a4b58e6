/**
 * A time-weighted histogram of an integer level (the number of jobs in a station): bin i < B
 * holds the time spent at exactly level i, bin B the time at levels >= B. Divided by the observed
 * time it is the level's time-average distribution, so P(N >= i) is the sum of bins i..B
 * (for M/M/1, rho^i).
 */
export class LevelHistogram {
  /** B: levels >= B share the last bin. */
  readonly bins: number;
  private readonly time: Float64Array;

  constructor(bins: number) {
    this.bins = bins;
    this.time = new Float64Array(bins + 1);
  }

  /** `dt` more time spent at `level`. */
  add(level: number, dt: number): void {
    this.time[level < this.bins ? level : this.bins] += dt;
  }

  reset(): void {
    this.time.fill(0);
  }

  /**
   * Time fractions over `elapsed`, counting `openDt` more at `level` (the current level's time not
   * yet added); they sum to 1 (NaN when no time has passed).
   */
  distribution(elapsed: number, level: number, openDt: number): Float64Array {
    const out = new Float64Array(this.time.length);
    if (!(elapsed > 0)) return out.fill(NaN);
    for (let i = 0; i < out.length; i++) out[i] = this.time[i] / elapsed;
    out[level < this.bins ? level : this.bins] += openDt / elapsed;
    return out;
  }
}
