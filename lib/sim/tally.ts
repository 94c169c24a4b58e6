/**
 * A streaming tally of observations (e.g. response times): count, mean, variance, min, max in
 * O(1) memory by Welford's online algorithm (Technometrics 4(3), 1962):
 * n += 1; d = x - mean; mean += d/n; m2 += d (x - mean); variance = m2/(n - 1).
 */

export class Tally {
  count = 0;
  mean = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  private m2 = 0;

  add(x: number): void {
    const n = ++this.count;
    const d = x - this.mean;
    this.mean += d / n;
    this.m2 += d * (x - this.mean);
    this.sum += x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Sample variance (divisor n - 1); NaN below two observations. */
  get variance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : NaN;
  }

  get stdDev(): number {
    return Math.sqrt(this.variance);
  }

  /** Mean or NaN when empty. */
  get meanOrNaN(): number {
    return this.count > 0 ? this.mean : NaN;
  }

  /**
   * Adds a batch of observations `values[0..n)`: the batch's mean and sum of squared deviations
   * by two passes, then merged by Chan, Golub & LeVeque's pairwise update. Same result as n calls
   * of {@link add} up to rounding (and no less accurate), with one division per batch.
   */
  addBatch(values: Float64Array, n: number): void {
    if (n <= 0) return;
    let sum = 0;
    let min = this.min;
    let max = this.max;
    for (let i = 0; i < n; i++) {
      const x = values[i];
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const bm = sum / n;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const d = values[i] - bm;
      m2 += d * d;
    }
    const total = this.count + n;
    const d = bm - this.mean;
    this.m2 += m2 + (d * d * this.count * n) / total;
    this.mean += (d * n) / total;
    this.count = total;
    this.sum += sum;
    this.min = min;
    this.max = max;
  }

  /** Merges another tally (Chan et al.'s parallel update). */
  merge(other: Tally): void {
    if (other.count === 0) return;
    const n = this.count + other.count;
    const d = other.mean - this.mean;
    this.m2 += other.m2 + (d * d * this.count * other.count) / n;
    this.mean += (d * other.count) / n;
    this.count = n;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  reset(): void {
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }
}
