import { ParameterError, requireInRange, requirePositive } from '../errors';

/**
 * Streaming quantiles with bounded memory and a guaranteed relative error: a log-linear
 * histogram (the bucketing of HdrHistogram, Tene; written here from the float's bits).
 *
 * A positive double x = 2^e (1 + f) goes to the bucket named by its exponent e and the top m
 * bits of its fraction f, i.e. the high 32-bit word of x shifted right by 20 - m: one shift, no
 * logarithm. A bucket [lo, hi) has hi/lo <= 1 + 2^-m, and the reported value 2 lo hi/(lo + hi)
 * is within relative error (hi - lo)/(hi + lo) <= 1/(2^{m+1} + 1) of every value in it. m is the
 * smallest number of bits that meets the requested `relativeError` (default 1 %: m = 6, so the
 * guaranteed error is 1/129 = 0.775 %; `guaranteedError` reports it).
 *
 * So the q-quantile (the value of rank max(1, ceil(q n))) is reported within that relative
 * error for values in [minValue, maxValue]; values at or below `minValue` (including 0) are
 * counted in a zero bucket and reported as 0 (absolute error <= minValue); values above
 * `maxValue` share its bucket. Results are also clamped to the exact [min, max].
 *
 * Memory is fixed: 2^m counters per octave of [minValue, maxValue]; 3,841 Float64 counters
 * (30 KB) for the defaults 1e-9 .. 1e9 at 1 %.
 */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
const HI = U32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

function highWord(x: number): number {
  F64[0] = x;
  return U32[HI];
}

function fromHighWord(h: number): number {
  U32[HI] = h >>> 0;
  U32[LO] = 0;
  return F64[0];
}

export class QuantileSketch {
  readonly relativeError: number;
  /** The error actually guaranteed, 1/(2^{m+1} + 1) <= relativeError. */
  readonly guaranteedError: number;
  readonly minValue: number;
  readonly maxValue: number;
  count = 0;
  min = Infinity;
  max = -Infinity;
  private zeros = 0;
  private readonly shift: number;
  private readonly offset: number;
  private readonly counts: Float64Array;

  constructor(options: { relativeError?: number; minValue?: number; maxValue?: number } = {}) {
    this.relativeError = requireInRange('relativeError', options.relativeError ?? 0.01, 1e-6, 0.3);
    this.minValue = requireInRange('minValue', options.minValue ?? 1e-9, 1e-300, 1e300);
    this.maxValue = requirePositive('maxValue', options.maxValue ?? 1e9);
    if (!(this.maxValue > this.minValue))
      throw new ParameterError('maxValue', this.maxValue, `must be > minValue (${this.minValue})`);
    let m = 0;
    while (1 / (2 ** (m + 1) + 1) > this.relativeError) m++;
    this.guaranteedError = 1 / (2 ** (m + 1) + 1);
    this.shift = 20 - m;
    this.offset = highWord(this.minValue) >>> this.shift;
    const top = highWord(this.maxValue) >>> this.shift;
    this.counts = new Float64Array(top - this.offset + 1);
  }

  /** Number of buckets (the memory bound). */
  get buckets(): number {
    return this.counts.length;
  }

  add(x: number): void {
    this.count++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (!(x > this.minValue)) {
      this.zeros++;
      return;
    }
    F64[0] = Math.min(x, this.maxValue);
    this.counts[(U32[HI] >>> this.shift) - this.offset]++;
  }

  /**
   * Adds `values[0..n)` (same as n calls of {@link add}, in one tight loop). Every loop variable
   * is a float64 or int32 (joining a loop value with one loaded from an object field would make
   * V8 box it on each iteration).
   */
  addBatch(values: Float64Array, n: number): void {
    if (n <= 0) return;
    const counts = this.counts;
    const lo = this.minValue;
    const hi = this.maxValue;
    const shift = this.shift;
    const off = this.offset;
    let min = values[0];
    let max = values[0];
    let zeros = 0;
    for (let k = 0; k < n; k++) {
      const x = values[k];
      if (x < min) min = x;
      if (x > max) max = x;
      if (!(x > lo)) {
        zeros++;
        continue;
      }
      F64[0] = Math.min(x, hi);
      counts[(U32[HI] >>> shift) - off]++;
    }
    this.count += n;
    this.zeros += zeros;
    this.min = Math.min(this.min, min);
    this.max = Math.max(this.max, max);
  }

  /**
   * The q-quantile (q in [0, 1]) of what was added: the estimate for the value of rank
   * max(1, ceil(q n)), clamped to [min, max]. NaN when empty.
   */
  quantile(q: number): number {
    requireInRange('q', q, 0, 1);
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = this.zeros;
    if (seen >= rank) return Math.max(this.min, Math.min(0, this.max));
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) {
        const k = i + this.offset;
        const lo = fromHighWord(k << this.shift);
        const hi = fromHighWord((k + 1) << this.shift);
        const est = (2 * lo * hi) / (lo + hi);
        return Math.min(this.max, Math.max(this.min, est));
      }
    }
    return this.max;
  }

  /** Adds another sketch with the same parameters. */
  merge(other: QuantileSketch): void {
    if (
      other.counts.length !== this.counts.length ||
      other.shift !== this.shift ||
      other.offset !== this.offset
    ) {
      throw new ParameterError(
        'other',
        'QuantileSketch',
        'must have the same relativeError, minValue and maxValue',
      );
    }
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.zeros += other.zeros;
    this.count += other.count;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  reset(): void {
    this.counts.fill(0);
    this.zeros = 0;
    this.count = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }
}
