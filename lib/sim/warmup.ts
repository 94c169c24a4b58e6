import { ParameterError, requireInteger } from '../errors';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

/**
 * MSER-5 warm-up detection (White 1997; White, Cobb & Spratt 2000; used by JMT): average the
 * series in batches of `batchSize` (5), then choose the truncation d (in batches, d <= half the
 * batches) minimising MSER(d) = sum_{i>d} (Z_i - mean_{>d})^2 / (k - d)^2. Returns the number of
 * raw observations to delete (d * batchSize) and the statistic.
 */
export function mser5(series: ArrayLike<number>, batchSize: number = 5): { truncate: number; batches: number; mser: number } {
  requireInteger('batchSize', batchSize, 1);
  if (series == null || typeof series.length !== 'number') throw new ParameterError('series', series, 'must be an array of numbers');
  const k = math.floor(series.length / batchSize);
  if (k < 4) throw new ParameterError('series', `length ${series.length}`, `must hold at least ${4 * batchSize} observations`);
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
  for (let d = 0; d <= math.floor(k / 2); d++) {
    const m = k - d;
    const mean = suf[d] / m;
    const sse = math.max(0, suf2[d] - m * mean * mean);
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
  const d = warmup === 'mser5' ? mser5(arr).truncate : requireInteger('warmup', warmup, 0, arr.length);
  return arr.slice(d);
}
