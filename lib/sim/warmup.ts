import { ParameterError, requireInteger } from '../errors';
import { grownFloat64 } from './grown';

/**
 * MSER-5 warm-up detection (White 1997; White, Cobb & Spratt 2000; used by JMT): average the
 * series in batches of `batchSize` (5), then choose the truncation d (in batches, d <= half the
 * batches) minimising MSER(d) = sum_{i>d} (Z_i - mean_{>d})^2 / (k - d)^2. Returns the number of
 * raw observations to delete (d * batchSize) and the statistic.
 */
export function mser5(
  series: ArrayLike<number>,
  batchSize: number = 5,
): { truncate: number; batches: number; mser: number } {
  requireInteger('batchSize', batchSize, 1);
  if (series == null || typeof series.length !== 'number')
    throw new ParameterError('series', series, 'must be an array of numbers');
  const k = Math.floor(series.length / batchSize);
  if (k < 4)
    throw new ParameterError(
      'series',
      `length ${series.length}`,
      `must hold at least ${4 * batchSize} observations`,
    );
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < batchSize; j++) s += series[i * batchSize + j];
    z[i] = s / batchSize;
  }
  // suffix sums for O(k)
  const suf = new Float64Array(k + 1);
  const suf2 = new Float64Array(k + 1);
  for (let i = k - 1; i >= 0; i--) {
    suf[i] = suf[i + 1] + z[i];
    suf2[i] = suf2[i + 1] + z[i] * z[i];
  }
  let best = 0;
  let bestVal = Infinity;
  for (let d = 0; d <= Math.floor(k / 2); d++) {
    const m = k - d;
    const mean = suf[d] / m;
    const sse = Math.max(0, suf2[d] - m * mean * mean);
    const v = sse / (m * m);
    if (v < bestVal) {
      bestVal = v;
      best = d;
    }
  }
  return { truncate: best * batchSize, batches: k, mser: bestVal };
}

/** Drops the first `count` observations (a fixed warm-up) or the MSER-5 truncation (`'mser5'`). */
export function deleteWarmup(series: ArrayLike<number>, warmup: number | 'mser5'): number[] {
  const arr = Array.from(series);
  const d =
    warmup === 'mser5' ? mser5(arr).truncate : requireInteger('warmup', warmup, 0, arr.length);
  return arr.slice(d);
}

/**
 * A series of observations kept in order (for MSER-5, which needs the whole series): append with
 * `add(x)`; `values` holds the first `n`. Grows by doubling.
 */
export class ObservationSeries {
  values: Float64Array = new Float64Array(1024);
  n = 0;

  add(x: number): void {
    if (this.n === this.values.length) this.values = grownFloat64(this.values, 2 * this.n);
    this.values[this.n++] = x;
  }
}

/** A steady-state estimate from one run after MSER-5 deletion (see {@link steadyState}). */
export interface SteadyState {
  /** Observations deleted from the start (the MSER-5 truncation point). */
  truncated: number;
  /** Observations kept. */
  count: number;
  mean: number;
  /** The requested quantiles of the kept observations (exact: the ⌈n q⌉-th smallest). */
  quantiles: number[];
}

/**
 * Steady-state mean and quantiles of one run's series: the first d observations are deleted,
 * d the MSER-5 truncation point ({@link mser5}), and the mean and exact empirical quantiles
 * (inverse of the empirical distribution, Hyndman & Fan type 1) of the rest returned with d.
 * A series too short for MSER-5 (fewer than 20 observations) is kept whole.
 */
export function steadyState(
  series: ArrayLike<number>,
  n: number = series.length,
  quantiles: readonly number[] = [],
): SteadyState {
  const view =
    series instanceof Float64Array
      ? series.subarray(0, n)
      : Float64Array.from({ length: n }, (_, i) => series[i]);
  const d = n >= 20 ? mser5(view).truncate : 0;
  const kept = view.slice(d);
  let s = 0;
  for (let i = 0; i < kept.length; i++) s += kept[i];
  const qs = quantiles.map((q) =>
    kept.length === 0
      ? NaN
      : select(kept, Math.min(kept.length - 1, Math.max(0, Math.ceil(q * kept.length) - 1))),
  );
  return {
    truncated: d,
    count: kept.length,
    mean: kept.length > 0 ? s / kept.length : NaN,
    quantiles: qs,
  };
}

/** The k-th smallest of `a` (0-based), reordering `a` in place: Hoare's quickselect, median-of-three pivots. */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three to a[mid]
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
