import { ParameterError, requireInteger } from '../errors';
import { confidenceInterval, type ConfidenceInterval } from './confidence';
import { deleteWarmup } from './warmup';

/**
 * Non-overlapping batch means for one long run (Law 2015, 9.5.3): after warm-up deletion, split
 * the n observations into `batches` (default 20) equal batches (the remainder at the start is
 * dropped), and form a t interval from the batch means. Batches must be long enough to be nearly
 * independent; `lag1` reports the lag-1 autocorrelation of the batch means (|lag1| > 0.2 suggests
 * fewer, longer batches).
 */
export function batchMeans(
  series: ArrayLike<number>,
  options: { batches?: number; warmup?: number | 'mser5'; level?: number } = {},
): ConfidenceInterval & { batchSize: number; deleted: number; lag1: number } {
  const b = requireInteger('batches', options.batches ?? 20, 2);
  const data = deleteWarmup(series, options.warmup ?? 0);
  const deleted = (series.length as number) - data.length;
  const size = Math.floor(data.length / b);
  if (size < 1)
    throw new ParameterError(
      'series',
      `length ${series.length}`,
      `must hold at least ${b} observations after warm-up`,
    );
  const start = data.length - size * b;
  const means = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    let s = 0;
    for (let j = 0; j < size; j++) s += data[start + i * size + j];
    means[i] = s / size;
  }
  const ci = confidenceInterval(means, options.level ?? 0.95);
  let num = 0;
  let den = 0;
  for (let i = 0; i < b; i++) {
    const d = means[i] - ci.mean;
    den += d * d;
    if (i > 0) num += d * (means[i - 1] - ci.mean);
  }
  return { ...ci, batchSize: size, deleted: deleted + start, lag1: den > 0 ? num / den : 0 };
}
