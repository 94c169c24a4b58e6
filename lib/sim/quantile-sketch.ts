import { ParameterError, requireInRange, requirePositive } from '../errors';

/**
 * Streaming quantiles with bounded memory and a guaranteed relative error (a log-bucketed
 * histogram in the manner of DDSketch, Masson, Rim & Lee, VLDB 2019).
 *
 * Bucket of x > 0: i = ceil(M g(x)), where g(x) = e + m (10/7 + m (-3/5 + m 6/35)) for
 * x = 2^e (1 + m), 0 <= m < 1 (DDSketch's cubically interpolated log2: continuous, increasing,
 * exact at powers of two, read from the float's bits without calling Math.log). M is chosen so
 * that every bucket (lo, hi] has hi/lo <= gamma = (1 + alpha)/(1 - alpha): M = 1/(h_min ln gamma)
 * with h_min the minimum of dg/d(ln x). The reported value for a bucket is 2 lo hi/(lo + hi), which
 * is within a relative error (hi - lo)/(hi + lo) <= alpha of every value in the bucket.
 *
 * So the q-quantile (the value of rank max(1, ceil(q n))) is reported within relative error
 * alpha, default 1 %, for values in [minValue, maxValue]; values at or below `minValue`
 * (including 0) are counted in a zero bucket and reported as 0 (absolute error <= minValue);
 * values above `maxValue` share its bucket (reported no higher than `max`, the exact maximum).
 * Results are also clamped to the exact [min, max].
 *
 * Memory is fixed: about log2(maxValue/minValue) M counters, 2,094 Float64 counters (17 KB)
 * for the defaults 1e-9 .. 1e9 at 1 %.
 */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
const HI = U32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;
const CA = 6 / 35;
const CB = -3 / 5;
const CC = 10 / 7;

/** The cubic log2 approximation g(x) (x a positive normal double). */
function approxLog2(x: number): number {
  F64[0] = x;
  const hi = U32[HI];
  const e = (hi >>> 20) - 1023;
  const m = ((hi & 0xfffff) * 4294967296 + U32[LO]) * 2.220446049250313e-16;
  return ((CA * m + CB) * m + CC) * m + e;
}

/** Inverse of {@link approxLog2}. */
function approxPow2(y: number): number {
  const e = Math.floor(y);
  const r = y - e;
  // solve ((A m + B) m + C) m = r for m in [0, 1): Newton from a linear start; f is increasing and concave
  let m = r;
  for (let k = 0; k < 50; k++) {
    const f = ((CA * m + CB) * m + CC) * m - r;
    const d = (3 * CA * m + 2 * CB) * m + CC;
    const next = m - f / d;
    if (Math.abs(next - m) < 1e-16) {
      m = next;
      break;
    }
    m = next;
  }
  return Math.pow(2, e) * (1 + m);
}

/** min over m in [0, 1] of (1 + m) g'(m): the slope of g against ln x. */
const H_MIN = (() => {
  let h = Infinity;
  for (let k = 0; k <= 10000; k++) {
    const m = k / 10000;
    h = Math.min(h, (1 + m) * ((3 * CA * m + 2 * CB) * m + CC));
  }
  return h * (1 - 1e-9);
})();

export class QuantileSketch {
  readonly relativeError: number;
  readonly minValue: number;
  readonly maxValue: number;
  count = 0;
  min = Infinity;
  max = -Infinity;
  private zeros = 0;
  private readonly multiplier: number;
  private readonly offset: number;
  private readonly counts: Float64Array;

  constructor(options: { relativeError?: number; minValue?: number; maxValue?: number } = {}) {
    this.relativeError = requireInRange('relativeError', options.relativeError ?? 0.01, 0, 0.5, { minOpen: true });
    this.minValue = requireInRange('minValue', options.minValue ?? 1e-9, 1e-300, 1e300, { minOpen: false });
    this.maxValue = requirePositive('maxValue', options.maxValue ?? 1e9);
    if (!(this.maxValue > this.minValue)) throw new ParameterError('maxValue', this.maxValue, `must be > minValue (${this.minValue})`);
    const gamma = (1 + this.relativeError) / (1 - this.relativeError);
    this.multiplier = 1 / (H_MIN * Math.log(gamma));
    this.offset = Math.ceil(approxLog2(this.minValue) * this.multiplier) | 0;
    const top = Math.ceil(approxLog2(this.maxValue) * this.multiplier) | 0;
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
    let i = (Math.ceil(approxLog2(x > this.maxValue ? this.maxValue : x) * this.multiplier) - this.offset) | 0;
    if (i < 0) i = 0;
    this.counts[i]++;
  }

  /**
   * Adds `values[0..n)` (same as n calls of {@link add}, in one tight loop). Written so every
   * loop variable is a float64 or int32 from a typed array (locals seeded from object fields or
   * joined with them would make V8 box values in the loop).
   */
  addBatch(values: Float64Array, n: number): void {
    if (n <= 0) return;
    const counts = this.counts;
    const last = counts.length - 1;
    const lo = this.minValue;
    const hi = this.maxValue;
    const mult = this.multiplier;
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
      const h = U32[HI];
      const m = ((h & 0xfffff) * 4294967296 + U32[LO]) * 2.220446049250313e-16;
      // an int32 index, rounded up (ceil)
      const y = (((CA * m + CB) * m + CC) * m + ((h >>> 20) - 1023)) * mult - off;
      let i = y | 0;
      if (i < y) i++;
      if (i < 0) i = 0;
      else if (i > last) i = last;
      counts[i]++;
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
        const lo = approxPow2((k - 1) / this.multiplier);
        const hi = approxPow2(k / this.multiplier);
        const est = (2 * lo * hi) / (lo + hi);
        return Math.min(this.max, Math.max(this.min, est));
      }
    }
    return this.max;
  }

  /** Adds another sketch with the same parameters. */
  merge(other: QuantileSketch): void {
    if (other.counts.length !== this.counts.length || other.multiplier !== this.multiplier || other.offset !== this.offset) {
      throw new ParameterError('other', 'QuantileSketch', 'must have the same relativeError, minValue and maxValue');
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
