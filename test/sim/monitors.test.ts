import { ParameterError } from '../../lib/errors';
import { Lognormal, Pareto, RandomStreams } from '../../lib/random';
import { QuantileSketch, Simulation, Tally, TimeSeries, TimeWeighted } from '../../lib/sim';

describe('Tally (Welford)', () => {
  it('matches two-pass mean and variance, also after merging', () => {
    const rng = new RandomStreams(1).get('t');
    const xs = Array.from({ length: 10_000 }, () => 1e6 + rng.next()); // large offset: naive sums lose digits
    const t = new Tally();
    xs.forEach((x) => t.add(x));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    expect(t.mean).toBeCloseTo(mean, 8);
    expect(t.variance / v).toBeCloseTo(1, 8);
    const a = new Tally();
    const b = new Tally();
    xs.forEach((x, i) => (i < 3000 ? a : b).add(x));
    a.merge(b);
    expect(a.count).toBe(10_000);
    expect(a.variance / v).toBeCloseTo(1, 8);
    expect(new Tally().variance).toBeNaN();
  });
});

describe('TimeWeighted', () => {
  it('integrates a piecewise-constant value over simulated time and restarts on reset', () => {
    const sim = new Simulation();
    const tw = new TimeWeighted(sim, 0);
    const h = sim.handler((v) => tw.set(v));
    sim.schedule(1, h, 2); // 0 on [0,1), 2 on [1,3), 5 on [3,4)
    sim.schedule(3, h, 5);
    sim.run({ until: 4 });
    expect(tw.mean).toBeCloseTo((0 * 1 + 2 * 2 + 5 * 1) / 4, 12);
    expect(tw.max).toBe(5);
    expect(tw.variance).toBeCloseTo((0 + 4 * 2 + 25) / 4 - (9 / 4) ** 2, 12);
    sim.resetStatistics();
    sim.run({ until: 6 });
    expect(tw.mean).toBe(5);
  });
});

describe('QuantileSketch', () => {
  const exact = (sorted: Float64Array, q: number) =>
    sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];

  it.each([
    ['lognormal', Lognormal.fit(1, 4)],
    ['pareto', new Pareto(1.5, 0.01)],
  ])('p50, p95, p99, p99.9 of %s data are within the stated 1 %% relative error', (_n, dist) => {
    const rng = new RandomStreams(4).get('q');
    const sk = new QuantileSketch();
    const xs = new Float64Array(100_000);
    for (let i = 0; i < xs.length; i++) {
      xs[i] = dist.sample(rng);
      sk.add(xs[i]);
    }
    xs.sort();
    for (const q of [0, 0.01, 0.5, 0.95, 0.99, 0.999, 1]) {
      const e = exact(xs, q);
      expect(Math.abs(sk.quantile(q) - e) / e).toBeLessThanOrEqual(0.01);
    }
    expect(sk.buckets).toBeLessThan(4000);
    expect(sk.guaranteedError).toBeCloseTo(1 / 129, 12);
  });

  it('keeps its error bound at every bucket edge, including powers of two', () => {
    const sk = new QuantileSketch({ relativeError: 0.02, minValue: 1e-3, maxValue: 1e3 });
    for (let x = 1e-3 * 1.0001; x < 1e3; x *= 1.003) {
      sk.reset();
      sk.add(x);
      sk.add(x * 2); // keep min/max clamping from hiding the estimate
      sk.add(x / 2);
      expect(Math.abs(sk.quantile(0.5) - x) / x).toBeLessThanOrEqual(sk.guaranteedError + 1e-12);
    }
    sk.reset();
    [0.5, 1, 2, 4, 8].forEach((x) => sk.add(x));
    expect(Math.abs(sk.quantile(0.5) - 2) / 2).toBeLessThanOrEqual(0.02);
  });

  it('counts zeros and tiny values in a zero bucket, merges, and rejects bad options', () => {
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    for (let i = 0; i < 50; i++) a.add(0);
    for (let i = 1; i <= 50; i++) b.add(i);
    a.merge(b);
    expect(a.count).toBe(100);
    expect(a.quantile(0.5)).toBe(0);
    expect(Math.abs(a.quantile(0.75) - 25) / 25).toBeLessThanOrEqual(0.01);
    expect(new QuantileSketch().quantile(0.5)).toBeNaN();
    expect(() => new QuantileSketch({ relativeError: 0 })).toThrow(ParameterError);
    expect(() => a.quantile(1.5)).toThrow(ParameterError);
    expect(() => a.merge(new QuantileSketch({ relativeError: 0.05 }))).toThrow(ParameterError);
  });
});

describe('TimeSeries', () => {
  it('samples a probe at fixed intervals and thins itself to stay bounded', () => {
    const sim = new Simulation();
    let x = 0;
    const tick = sim.handler(() => {
      x++;
      sim.schedule(1, tick);
    });
    sim.schedule(0.5, tick);
    const ts = new TimeSeries(sim, () => x, { interval: 2, maxPoints: 100 });
    sim.run({ until: 1000 });
    expect(ts.times.length).toBeLessThanOrEqual(100);
    expect(ts.times[0]).toBe(0);
    expect(ts.interval).toBeGreaterThan(2);
    expect(ts.times[ts.times.length - 1]).toBeGreaterThan(900);
    for (let i = 0; i < ts.times.length; i++)
      expect(ts.values[i]).toBe(Math.floor(ts.times[i] + 0.5));
  });
});
