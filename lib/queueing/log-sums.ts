/**
 * Sums of positive weights given by their logarithms, kept as (log scale, scaled sums) so that
 * weights like A^n / n! with n up to millions neither overflow nor underflow. Used by the
 * birth-death models (M/M/c/K, finite source, M/M/c P0).
 *
 * Tracks S0 = sum w_n, S1 = sum n w_n, Sx = sum max(n - c, 0) w_n and Sc = sum_{n >= c} w_n for a
 * threshold c.
 */

export class LogWeightedSums {
  private logScale = -Infinity;
  private s0 = 0;
  private s1 = 0;
  private sx = 0;
  private sc = 0;

  constructor(private readonly threshold = 0) {}

  /** Adds a single weight exp(logWeight) at state n. */
  add(logWeight: number, n: number): void {
    this.addBlock(logWeight, 1, n, Math.max(n - this.threshold, 0), n >= this.threshold ? 1 : 0);
  }

  /**
   * Adds a block of weights: total weight exp(logWeight), sum of n times weight exp(logWeight) * meanN,
   * sum of (n - c)+ times weight exp(logWeight) * meanExcess, and a fraction `atOrAbove` of it at n >= c.
   */
  addBlock(
    logWeight: number,
    relWeight: number,
    meanN: number,
    meanExcess: number,
    atOrAbove: number,
  ): void {
    if (logWeight === -Infinity || relWeight === 0) return;
    if (logWeight > this.logScale) {
      const shrink = Math.exp(this.logScale - logWeight);
      this.s0 *= shrink;
      this.s1 *= shrink;
      this.sx *= shrink;
      this.sc *= shrink;
      this.logScale = logWeight;
    }
    const w = relWeight * Math.exp(logWeight - this.logScale);
    this.s0 += w;
    this.s1 += w * meanN;
    this.sx += w * meanExcess;
    this.sc += w * atOrAbove;
  }

  /** ln S0. */
  get logTotal(): number {
    return this.logScale + Math.log(this.s0);
  }

  /** S1 / S0: the mean state. */
  get mean(): number {
    return this.s1 / this.s0;
  }

  /** Sx / S0: the mean excess over the threshold. */
  get meanExcess(): number {
    return this.sx / this.s0;
  }

  /** Sc / S0: the probability of a state n >= threshold. */
  get fractionAtOrAbove(): number {
    return this.sc / this.s0;
  }

  /** Probability of a state whose weight is exp(logWeight). */
  probability(logWeight: number): number {
    return Math.exp(logWeight - this.logTotal);
  }
}

/**
 * The truncated geometric block sum_{j=0}^{m} r^j with r = exp(logRatio): returns its logarithm and
 * the weighted mean of j and the share of the last term, all without overflow for any m and r (r > 1 included). Near r = 1 the mean
 * uses the series m/2 + x m (m+2) / 12 with x = ln r, which is exact to double precision there.
 */
export function geometricBlock(
  logRatio: number,
  m: number,
): { logSum: number; meanIndex: number; lastFraction: number } {
  const x = logRatio;
  if (x === -Infinity) return { logSum: 0, meanIndex: 0, lastFraction: m === 0 ? 1 : 0 }; // r = 0: only j = 0
  const y = (m + 1) * x;
  // lastFraction = r^m / sum_{j=0}^{m} r^j, the share of the block at j = m, without forming r^m.
  const lastFraction =
    x === 0
      ? 1 / (m + 1)
      : x > 0
        ? -Math.expm1(-x) / -Math.expm1(-y)
        : (Math.exp(m * x) * Math.expm1(x)) / Math.expm1(y);
  if (Math.abs(y) < 1e-4) {
    return {
      logSum: Math.log(m + 1) + (m * x) / 2,
      meanIndex: m / 2 + (x * m * (m + 2)) / 12,
      lastFraction,
    };
  }
  // sum = expm1(y) / expm1(x); log of each factor computed stably for either sign.
  const logExpm1Abs = (v: number) =>
    v > 0 ? v + Math.log1p(-Math.exp(-v)) : Math.log(-Math.expm1(v));
  const logSum = logExpm1Abs(y) - logExpm1Abs(x);
  // d/dx ln(sum) = (m+1)/(1 - e^{-y}) - 1/(1 - e^{-x}), written with expm1 for accuracy.
  const meanIndex = (m + 1) / -Math.expm1(-y) - 1 / -Math.expm1(-x);
  return { logSum, meanIndex, lastFraction };
}

/** Sums of a unimodal sequence of weights, each relative to the largest (the mode's weight is 1). */
export interface UnimodalSums {
  /** Index of the largest weight. */
  readonly mode: number;
  /** sum w_n / w_mode. */
  readonly total: number;
  /** sum n w_n / w_mode. */
  readonly first: number;
  /** sum max(n - threshold, 0) w_n / w_mode. */
  readonly excess: number;
  /** sum_{n >= threshold} w_n / w_mode. */
  readonly atOrAbove: number;
  /** w_0 / w_mode (may underflow to 0 when w_0 is negligible). */
  readonly atZero: number;
}

/**
 * Sums weights w_0..w_last given by ratios w_n / w_{n-1} = ratio(n) that do not increase with n (so
 * the weights rise to one mode, then fall: Poisson and birth-death weights). Walks down and up from
 * the mode multiplying ratios, so every term is <= 1: no logarithms, no overflow, and terms that
 * underflow are negligible next to the mode. O(last) multiplications.
 */
export function unimodalSums(
  last: number,
  ratio: (n: number) => number,
  threshold: number,
): UnimodalSums {
  // The mode is the last n whose ratio is >= 1 (binary search: ratio is non-increasing).
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ratio(mid) >= 1) lo = mid;
    else hi = mid - 1;
  }
  const mode = lo;
  let total = 0;
  let first = 0;
  let excess = 0;
  let atOrAbove = 0;
  const take = (n: number, w: number) => {
    total += w;
    first += n * w;
    if (n >= threshold) {
      atOrAbove += w;
      excess += (n - threshold) * w;
    }
  };
  let w = 1;
  take(mode, 1);
  for (let n = mode; n > 0 && w > 0; n--) {
    w /= ratio(n);
    take(n - 1, w);
  }
  const atZero = mode === 0 ? 1 : w;
  w = 1;
  for (let n = mode + 1; n <= last && w > 0; n++) {
    w *= ratio(n);
    take(n, w);
  }
  return { mode, total, first, excess, atOrAbove, atZero: Number.isFinite(atZero) ? atZero : 0 };
}
