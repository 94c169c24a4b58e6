import { QuantileSketch } from './quantile-sketch';
import { Tally } from './tally';

/** Buffer length of {@link Observations}. */
export const OBSERVATION_BUFFER = 256;

/**
 * A batch of observations on their way into a Welford {@link Tally} and (optionally) a
 * {@link QuantileSketch}. Hot paths append with two typed-array writes
 * (`o.values[o.n++] = x; if (o.n === OBSERVATION_BUFFER) o.flush();`) and the statistics are
 * updated 256 at a time in a tight loop, which keeps event handlers small enough for the JIT to
 * inline. Read results through `tallied()` / `sketched()`, which flush first.
 */
export class Observations {
  readonly values: Float64Array = new Float64Array(OBSERVATION_BUFFER);
  n = 0;
  private readonly tally = new Tally();
  private readonly sketch: QuantileSketch | null;

  constructor(quantiles: boolean) {
    this.sketch = quantiles ? new QuantileSketch() : null;
  }

  /** Appends one observation (for code outside the hot path). */
  add(x: number): void {
    this.values[this.n++] = x;
    if (this.n === OBSERVATION_BUFFER) this.flush();
  }

  flush(): void {
    this.tally.addBatch(this.values, this.n);
    if (this.sketch !== null) this.sketch.addBatch(this.values, this.n);
    this.n = 0;
  }

  /** The tally, up to date. */
  tallied(): Tally {
    if (this.n > 0) this.flush();
    return this.tally;
  }

  /** The sketch (null if quantiles are off), up to date. */
  sketched(): QuantileSketch | null {
    if (this.n > 0) this.flush();
    return this.sketch;
  }

  /** The q-quantile, or NaN without a sketch or data. */
  quantile(q: number): number {
    const s = this.sketched();
    return s !== null && s.count > 0 ? s.quantile(q) : NaN;
  }

  reset(): void {
    this.n = 0;
    this.tally.reset();
    if (this.sketch !== null) this.sketch.reset();
  }
}
