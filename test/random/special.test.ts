import {
  incompleteBeta,
  lnGamma,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from '../../lib/random';

describe('special functions', () => {
  it('Student t quantiles match tables (values from scipy.stats.t.ppf)', () => {
    const cases: Array<[number, number, number]> = [
      [0.975, 1, 12.706204736174705],
      [0.975, 2, 4.302652729749464],
      [0.975, 4, 2.7764451051977934],
      [0.975, 10, 2.2281388519862744],
      [0.995, 30, 2.7499956535672],
      [0.9995, 19, 3.883405852592],
      [0.95, 100, 1.66023432608],
      [0.975, 1000, 1.9623390808264083],
    ];
    for (const [p, df, t] of cases) expect(studentTQuantile(p, df)).toBeCloseTo(t, 10);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.2281388519862744, 10);
    for (const df of [3, 7, 25])
      for (const p of [0.6, 0.9, 0.99, 0.999])
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
  });

  it('normal cdf and quantile are precise in the body and the tails', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-7) / 1.279812543885835e-12).toBeCloseTo(1, 10);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });

  it('lnGamma and the incomplete beta agree with closed forms', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    // I_x(1, b) = 1 - (1 - x)^b ; I_x(a, 1) = x^a
    expect(incompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 13);
    expect(incompleteBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 13);
  });
});
