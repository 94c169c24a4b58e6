import { ParameterError } from '../../lib/errors';
import {
  Bernoulli,
  BoundedPareto,
  Categorical,
  Deterministic,
  Empirical,
  Erlang,
  Exponential,
  HyperExponential,
  Lognormal,
  Pareto,
  RandomStreams,
  TruncatedNormal,
  Uniform,
  Weibull,
  Zipf,
  fitMeanScv,
  normalQuantile,
  standardExponential,
  type Distribution,
} from '../../lib/random';

// Each check is a two-sided test at level 1e-4 (z = 3.89); with ~40 checks in this file the
// family-wise false-alarm rate is below 0.5 % (Bonferroni). Seeds are fixed, so results are
// reproducible; the tolerances come from the sampling error, not from tuning.
const Z = normalQuantile(1 - 1e-4 / 2);

function moments(d: Distribution, n: number, stream: string) {
  const rng = new RandomStreams(2024).get(stream);
  const xs = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    xs[i] = d.sample(rng);
    mean += xs[i];
  }
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const e = xs[i] - mean;
    m2 += e * e;
    m4 += e * e * e * e;
  }
  const variance = m2 / (n - 1);
  m4 /= n;
  return {
    mean,
    variance,
    seMean: Math.sqrt(variance / n),
    seVar: Math.sqrt(Math.max(0, m4 - variance * variance) / n),
    xs,
  };
}

function expectMoments(d: Distribution, n = 50_000, checkVariance = true) {
  const m = moments(d, n, d.label);
  expect(Math.abs(m.mean - d.mean)).toBeLessThanOrEqual(Z * Math.sqrt(d.variance / n));
  if (checkVariance) expect(Math.abs(m.variance - d.variance)).toBeLessThanOrEqual(Z * m.seVar);
  expect(d.scv).toBeCloseTo(d.variance / (d.mean * d.mean), 10);
  return m;
}

describe('continuous distributions: sample moments match stated moments', () => {
  it('deterministic and uniform', () => {
    const d = new Deterministic(2.5);
    expect([d.mean, d.variance, d.scv]).toEqual([2.5, 0, 0]);
    expect(d.sample(new RandomStreams(1).get('x'))).toBe(2.5);
    const u = new Uniform(2, 5);
    expect([u.mean, u.variance]).toEqual([3.5, 0.75]);
    expectMoments(u);
  });

  it('exponential (ziggurat and inversion)', () => {
    const e = new Exponential(2);
    expect([e.mean, e.variance, e.scv]).toEqual([0.5, 0.25, 1]);
    const m = expectMoments(e, 100_000);
    // tail: P(X > 4 mean) = e^-4, binomial standard error
    const p = Array.from(m.xs).filter((x) => x > 2).length / m.xs.length;
    expect(Math.abs(p - Math.exp(-4))).toBeLessThan(
      Z * Math.sqrt((Math.exp(-4) * (1 - Math.exp(-4))) / m.xs.length),
    );
    const rng = new RandomStreams(3).get('inv');
    let s = 0;
    for (let i = 0; i < 100_000; i++) s += e.sampleByInversion(rng);
    expect(Math.abs(s / 1e5 - 0.5)).toBeLessThan((Z * 0.5) / Math.sqrt(1e5));
  });

  it('standard exponential ziggurat: Kolmogorov-Smirnov against 1 - e^-x, and the far tail', () => {
    const rng = new RandomStreams(11).get('zig');
    const n = 50_000;
    const xs = Float64Array.from({ length: n }, () => standardExponential(rng)).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const F = 1 - Math.exp(-xs[i]);
      d = Math.max(d, Math.abs(F - i / n), Math.abs(F - (i + 1) / n));
    }
    expect(d).toBeLessThan(1.95 / Math.sqrt(n)); // KS critical value at 0.001
    // beyond r = 7.697 (the ziggurat's tail): P(X > 8) = e^-8 = 3.35e-4
    let over = 0;
    const m = 400_000;
    for (let i = 0; i < m; i++) if (standardExponential(rng) > 8) over++;
    const p = Math.exp(-8);
    expect(Math.abs(over / m - p)).toBeLessThan(Z * Math.sqrt((p * (1 - p)) / m));
  });

  it('Erlang-k', () => {
    const d = Erlang.withMean(4, 2);
    expect(d.mean).toBeCloseTo(2, 12);
    expect(d.scv).toBeCloseTo(0.25, 12);
    expectMoments(d);
    expectMoments(new Erlang(40, 3), 10_000);
  });

  it('hyperexponential fitted to a mean and scv (balanced means)', () => {
    const d = HyperExponential.fit(3, 4);
    expect(d.mean).toBeCloseTo(3, 12);
    expect(d.scv).toBeCloseTo(4, 12);
    const [p1, p2] = d.probabilities;
    expect(p1 / d.rates[0]).toBeCloseTo(p2 / d.rates[1], 12);
    expectMoments(d, 100_000);
  });

  it('lognormal fitted to a mean and scv', () => {
    const d = Lognormal.fit(2, 1.5);
    expect(d.mean).toBeCloseTo(2, 12);
    expect(d.scv).toBeCloseTo(1.5, 12);
    expectMoments(d, 100_000);
  });

  it('Pareto (mean only for shape 2.5; mean and variance for shape 5) and bounded Pareto', () => {
    const heavy = Pareto.withMean(1, 2.5);
    expect(heavy.mean).toBeCloseTo(1, 12);
    expect(heavy.variance).toBeCloseTo(1 / (2.5 * 0.5), 12);
    expect(new Pareto(2, 1).variance).toBe(Infinity);
    expect(new Pareto(1, 1).mean).toBe(Infinity);
    expectMoments(heavy, 100_000, false);
    expectMoments(new Pareto(5, 2), 100_000);
    const b = new BoundedPareto(1.1, 1, 1000);
    expectMoments(b, 100_000);
    const b2 = new BoundedPareto(2, 0.5, 50); // k = alpha case of the second moment
    expectMoments(b2, 100_000);
    const rng = new RandomStreams(1).get('bp');
    for (let i = 0; i < 1000; i++) {
      const x = b.sample(rng);
      expect(x >= 1 && x <= 1000).toBe(true);
    }
  });

  it('Weibull', () => {
    const d = Weibull.withMean(0.7, 3);
    expect(d.mean).toBeCloseTo(3, 10);
    expectMoments(d, 100_000);
    expectMoments(new Weibull(2, 1.5));
  });

  it('truncated normal in the bulk, on a narrow interval and in both tails', () => {
    for (const d of [
      new TruncatedNormal(1, 2, 0, Infinity),
      new TruncatedNormal(0, 1, -0.3, 0.4),
      new TruncatedNormal(0, 1, 3, Infinity),
      new TruncatedNormal(0, 1, 2.5, 2.7),
      new TruncatedNormal(5, 1, -Infinity, 1),
    ]) {
      const m = expectMoments(d, 50_000);
      expect(Math.min(...m.xs)).toBeGreaterThanOrEqual(d.lower);
      expect(Math.max(...m.xs)).toBeLessThanOrEqual(d.upper);
    }
  });

  it('empirical resamples the data with its moments', () => {
    const data = [1, 2, 2, 3, 10];
    const d = new Empirical(data);
    expect(d.mean).toBeCloseTo(3.6, 12);
    expect(d.variance).toBeCloseTo((2.6 ** 2 + 1.6 ** 2 * 2 + 0.6 ** 2 + 6.4 ** 2) / 5, 12);
    expectMoments(d);
  });

  it('fitMeanScv picks deterministic, Erlang, exponential, hyperexponential or lognormal', () => {
    expect(fitMeanScv(2, 0)).toBeInstanceOf(Deterministic);
    expect(fitMeanScv(2, 0.25)).toBeInstanceOf(Erlang);
    expect(fitMeanScv(2, 1)).toBeInstanceOf(Exponential);
    expect(fitMeanScv(2, 3)).toBeInstanceOf(HyperExponential);
    expect(fitMeanScv(2, 3, 'lognormal')).toBeInstanceOf(Lognormal);
    expect(fitMeanScv(2, 3).scv).toBeCloseTo(3, 12);
  });
});

describe('discrete distributions', () => {
  it('Bernoulli', () => {
    const d = new Bernoulli(0.3);
    expect(d.variance).toBeCloseTo(0.21, 12);
    expectMoments(d);
  });

  it('categorical (alias method) frequencies pass a chi-square test', () => {
    const w = [5, 1, 0, 3, 1];
    const d = new Categorical(w, [10, 20, 30, 40, 50]);
    expect(d.mean).toBeCloseTo((50 + 20 + 120 + 50) / 10, 12);
    const rng = new RandomStreams(5).get('cat');
    const n = 100_000;
    const counts = new Array(5).fill(0);
    for (let i = 0; i < n; i++) counts[d.sampleIndex(rng)]++;
    expect(counts[2]).toBe(0);
    let chi = 0;
    for (const i of [0, 1, 3, 4]) chi += (counts[i] - (n * w[i]) / 10) ** 2 / ((n * w[i]) / 10);
    expect(chi).toBeLessThan(16.27); // chi-square, 3 df, 0.999
    expectMoments(d);
  });

  it('Zipf(n, s) by rejection-inversion: pmf for small n, moments for large n, O(1) draws at n = 1e7', () => {
    const z = new Zipf(10, 1.2);
    const rng = new RandomStreams(6).get('zipf');
    const n = 100_000;
    const counts = new Array(11).fill(0);
    for (let i = 0; i < n; i++) counts[z.sample(rng)]++;
    let chi = 0;
    for (let k = 1; k <= 10; k++)
      chi += (counts[k] - n * z.probability(k)) ** 2 / (n * z.probability(k));
    expect(chi).toBeLessThan(27.88); // chi-square, 9 df, 0.999
    expect(counts[0]).toBe(0);
    expectMoments(new Zipf(200_000, 1.5), 100_000, false);
    expectMoments(new Zipf(1000, 0), 50_000); // s = 0 is uniform on 1..n
    const big = new Zipf(10_000_000, 0.99);
    const t0 = Date.now();
    let maxK = 0;
    for (let i = 0; i < 200_000; i++) {
      const k = big.sample(rng);
      if (!(Number.isInteger(k) && k >= 1 && k <= 1e7)) throw new Error(`bad rank ${k}`);
      if (k > maxK) maxK = k;
    }
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(maxK).toBeGreaterThan(1_000_000);
  });
});

describe('bad parameters throw ParameterError naming the parameter', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['exponential rate', () => new Exponential(-1), 'rate'],
    ['exponential mean', () => Exponential.withMean(0), 'mean'],
    ['uniform bounds', () => new Uniform(3, 1), 'max'],
    ['erlang k', () => new Erlang(1.5, 1), 'k'],
    ['hyperexponential scv', () => HyperExponential.fit(1, 0.5), 'scv'],
    [
      'hyperexponential probabilities',
      () => new HyperExponential([0.5, 0.6], [1, 2]),
      'probabilities',
    ],
    ['lognormal scv', () => Lognormal.fit(1, -1), 'scv'],
    ['lognormal sigma', () => new Lognormal(0, 0), 'sigma'],
    ['pareto shape', () => Pareto.withMean(1, 0.9), 'shape'],
    ['bounded pareto', () => new BoundedPareto(1, 5, 2), 'upper'],
    ['weibull', () => new Weibull(NaN, 1), 'shape'],
    ['truncated normal', () => new TruncatedNormal(0, 1, 2, 1), 'upper'],
    ['empirical', () => new Empirical([]), 'data'],
    ['bernoulli', () => new Bernoulli(1.5), 'p'],
    ['categorical', () => new Categorical([1, -1]), 'weights[1]'],
    ['zipf n', () => new Zipf(0, 1), 'n'],
    ['zipf s', () => new Zipf(10, -1), 's'],
  ];
  it.each(cases)('%s', (_name, make, parameter) => {
    try {
      make();
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ParameterError);
      expect((e as ParameterError).parameter).toBe(parameter);
      expect((e as ParameterError).message).toMatch(/out of range/);
    }
  });
});

describe('sampleInto', () => {
  it('writes the same draw as sample, from the same stream state', () => {
    const e = new Exponential(0.5);
    const a = new RandomStreams(8).get('into');
    const b = new RandomStreams(8).get('into');
    const out = new Float64Array(3);
    for (let i = 0; i < 10_000; i++) {
      e.sampleInto(a, out, 2);
      expect(out[2]).toBe(e.sample(b));
    }
  });
});
