/**
 * scripts/ci/precision-check.ts, the CI check of each lab's stated precision and exact theory:
 * its two judgements on hand-made rows.
 */
import { holds, worstHalfWidth } from '../../scripts/ci/precision-check';
import { logNormalInterval } from '../../lib/experiment/intervals';

describe('worstHalfWidth', () => {
  test('the larger side over the mean, worst over the rows; [0, 0] around 0 is exact, a bound around 0 is not', () => {
    const rows = [
      { W: 2, W_lo: 1.5, W_hi: 3 },
      { W: 1, W_lo: 0.9, W_hi: 1.1 },
    ];
    expect(worstHalfWidth(rows, 'W')).toBeCloseTo(0.5, 12);
    expect(worstHalfWidth([{ n: 0, n_lo: 0, n_hi: 0 }], 'n')).toBe(0);
    expect(worstHalfWidth([{ n: 0, n_lo: 0, n_hi: 1.2 }], 'n')).toBe(Infinity);
    expect(worstHalfWidth([{ W: 1, W_lo: null, W_hi: null }], 'W')).toBe(0);
  });
});

describe('holds', () => {
  test('a log-normal interval is widened on the log scale: ln C times the factor', () => {
    const ci = logNormalInterval([1, 1.2, 0.9, 1.1, 1.05], 0.95);
    const [m, lo, hi] = [ci.mean as number, ci.lo as number, ci.hi as number];
    expect(holds('nonNegative', m, lo, hi, hi * 0.999, 1)).toBe(true);
    expect(holds('nonNegative', m, lo, hi, hi * 1.001, 1)).toBe(false);
    const C = hi / m;
    expect(holds('nonNegative', m, lo, hi, m * C ** 2 * 0.999, 2)).toBe(true);
    expect(holds('nonNegative', m, lo, hi, m / C ** 2 / 1.001, 2)).toBe(false);
    // a sketched quantile also gets the sketch's 1 % relative error
    expect(holds('quantile', m, lo, hi, hi * 1.009, 1)).toBe(true);
  });
  test('Student t on the plain scale, proportions on the logit scale, zero-width intervals exactly', () => {
    expect(holds('real', 0, -1, 1, 1.9, 2)).toBe(true);
    expect(holds('real', 0, -1, 1, 2.1, 2)).toBe(false);
    const logit = (p: number) => Math.log(p / (1 - p));
    const expit = (x: number) => 1 / (1 + Math.exp(-x));
    const [m, h] = [0.1, 0.5];
    const [lo, hi] = [expit(logit(m) - h), expit(logit(m) + h)];
    expect(holds('proportion', m, lo, hi, expit(logit(m) + 1.9 * h), 2)).toBe(true);
    expect(holds('proportion', m, lo, hi, expit(logit(m) + 2.1 * h), 2)).toBe(false);
    expect(holds('proportion', 1, 1, 1, 1, 5)).toBe(true);
    expect(holds('real', 2, 2, 2, 2.1, 5)).toBe(false);
  });
});
