/**
 * Intervals for one measured run or a few simulated ones: the mean and a 95% Student-t interval
 * of batch statistics (Law, Simulation Modeling and Analysis, §9.5.2: non-overlapping batch
 * means of one long run, here batches by scheduled send time), or of independent replications.
 */
import { confidenceInterval } from '../../sim/confidence';
import { quantileOf } from '../../measure/open-loop';

export interface Interval {
  mean: number;
  lo: number | null;
  hi: number | null;
}

export function intervalOf(values: readonly number[]): Interval {
  const ok = values.filter((v) => Number.isFinite(v));
  if (ok.length === 0) return { mean: NaN, lo: null, hi: null };
  if (ok.length < 2) return { mean: ok[0], lo: null, hi: null };
  const ci = confidenceInterval(ok, 0.95);
  return { mean: ci.mean, lo: ci.lower, hi: ci.upper };
}

/** The interval moved to centre on `mean` (its half-widths kept). */
function shifted(i: Interval, mean: number): Interval {
  return {
    mean: mean,
    lo: i.lo === null ? null : mean - (i.mean - i.lo),
    hi: i.hi === null ? null : mean + (i.hi - i.mean),
  };
}

/** Mean and p99 of responses with batch-means intervals over `batches` equal slices of the window. */
export function batchStatistics(
  responses: ArrayLike<number>,
  scheduled: ArrayLike<number>,
  duration: number,
  batches: number,
): { W: Interval; p99: Interval; count: number } {
  const slices: number[][] = Array.from({ length: batches }, () => []);
  for (let i = 0; i < responses.length; i++)
    slices[Math.min(batches - 1, Math.floor((scheduled[i] / duration) * batches))].push(
      responses[i],
    );
  const means = slices
    .filter((s) => s.length > 0)
    .map((s) => s.reduce((a, b) => a + b, 0) / s.length);
  const p99s = slices.filter((s) => s.length > 0).map((s) => quantileOf(s, 0.99));
  const all = Array.from(responses);
  const W = intervalOf(means);
  const p99 = intervalOf(p99s);
  // point estimates from the whole window (the batch p99s are biased low by the small batches)
  return {
    W: shifted(W, all.reduce((a, b) => a + b, 0) / Math.max(1, all.length)),
    p99: shifted(p99, quantileOf(all, 0.99)),
    count: all.length,
  };
}
