import { medianInterval } from '../../lib/labs/measured/median-interval';

describe('medianInterval (Conover 1999 §3.2, the order-statistic interval for the median)', () => {
  it('gives the textbook order statistics and exact binomial coverage', () => {
    const x16 = Array.from({ length: 16 }, (_, i) => i + 1);
    const m = medianInterval(x16);
    // P(Bin(16, 1/2) <= 3) = 697 / 65536, so [x_(4), x_(13)] covers with 1 - 2 * 697/65536
    expect(m.median).toBe(8.5);
    expect([m.lo, m.hi]).toEqual([4, 13]);
    expect(m.coverage).toBeCloseTo(1 - (2 * 697) / 65536, 12);
    // n = 100: [x_(40), x_(61)], the tabled 95 % interval
    const m100 = medianInterval(Array.from({ length: 100 }, (_, i) => i + 1));
    expect([m100.lo, m100.hi]).toEqual([40, 61]);
    expect(m100.coverage!).toBeGreaterThanOrEqual(0.95);
  });

  it('falls back to [min, max] below n = 6 and states its coverage', () => {
    const m = medianInterval([5, 1, 3, 2, 4]);
    expect([m.median, m.lo, m.hi]).toEqual([3, 1, 5]);
    expect(m.coverage).toBeCloseTo(1 - 2 / 32, 12);
    expect(medianInterval([]).lo).toBeNull();
    expect(medianInterval([2]).median).toBe(2);
  });

  it('is moved by at most one order statistic by one outlier, however far out', () => {
    const base = [2.1, 2.3, 2.4, 2.6, 2.7, 2.8, 2.9, 3.0, 3.1, 3.2, 3.3, 3.5, 3.6, 3.8, 4.0, 4.2];
    const stalled = [...base.slice(0, 15), 1000];
    const a = medianInterval(base);
    const b = medianInterval(stalled);
    expect(b.median).toBe(a.median);
    expect(b.lo).toBe(a.lo);
    expect(b.hi).toBe(a.hi);
  });

  it('covers the median at its stated rate (fixed seed, 2000 samples of n = 16)', () => {
    // exponential(1): median ln 2; coverage 0.9787, so of 2000 the misses ~ Bin(2000, 0.0213):
    // mean 42.6, sd 6.5; 4 sd either side
    let s = 12345;
    const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    let misses = 0;
    for (let k = 0; k < 2000; k++) {
      const m = medianInterval(Array.from({ length: 16 }, () => -Math.log(u())));
      if (m.lo! > Math.LN2 || m.hi! < Math.LN2) misses++;
    }
    expect(misses).toBeGreaterThanOrEqual(17);
    expect(misses).toBeLessThanOrEqual(69);
  });
});
