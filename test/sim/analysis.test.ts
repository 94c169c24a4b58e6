import { ParameterError, UnstableSystemError } from '../../lib/errors';
import { Exponential, RandomStreams } from '../../lib/random';
import {
  Simulation,
  Sink,
  Source,
  Station,
  batchMeans,
  confidenceInterval,
  deleteWarmup,
  mser5,
  replicate,
  requireStableOpen,
} from '../../lib/sim';

describe('confidence intervals', () => {
  it('computes mean +- t s/sqrt(n)', () => {
    const ci = confidenceInterval([1, 2, 3, 4, 5], 0.95);
    // s = sqrt(2.5); t(0.975, 4) = 2.7764451051977934 (scipy)
    expect(ci.mean).toBe(3);
    expect(ci.halfWidth).toBeCloseTo((2.7764451051977934 * Math.sqrt(2.5)) / Math.sqrt(5), 12);
    expect(ci.lower).toBeCloseTo(3 - ci.halfWidth, 12);
    expect(() => confidenceInterval([1])).toThrow(ParameterError);
    expect(() => confidenceInterval([1, NaN])).toThrow(ParameterError);
    expect(() => confidenceInterval([1, 2], 1)).toThrow(ParameterError);
  });

  it('covers the true mean at close to the nominal rate (400 normal samples of size 10)', () => {
    const rng = new RandomStreams(12).get('cover');
    let covered = 0;
    for (let k = 0; k < 400; k++) {
      const xs = Array.from(
        { length: 10 },
        () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()),
      );
      const ci = confidenceInterval(xs, 0.9);
      if (ci.lower <= 0 && ci.upper >= 0) covered++;
    }
    // binomial(400, 0.9): sd 6, so 360 +- 4 sd
    expect(Math.abs(covered - 360)).toBeLessThan(24);
  });
});

describe('warm-up deletion and batch means', () => {
  it('MSER-5 finds an initial transient', () => {
    const rng = new RandomStreams(3).get('mser');
    const series = Array.from(
      { length: 2000 },
      (_, i) => (i < 300 ? 20 * (1 - i / 300) : 0) + rng.next(),
    );
    const { truncate } = mser5(series);
    expect(truncate).toBeGreaterThanOrEqual(200);
    expect(truncate).toBeLessThanOrEqual(400);
    expect(deleteWarmup(series, 'mser5').length).toBe(2000 - truncate);
    expect(deleteWarmup(series, 100).length).toBe(1900);
    expect(() => mser5([1, 2, 3])).toThrow(ParameterError);
  });

  it('batch means of one long M/M/1 run of waiting times covers the theory (Wq = rho/(mu - lambda))', () => {
    const sim = new Simulation({ seed: 31 });
    const waits: number[] = [];
    const st = new Station(sim, { name: 'st', service: new Exponential(1) });
    st.onStart = (job) => waits.push(sim.now - sim.jobs.arrived[job]);
    new Source(sim, { name: 'src', interarrival: new Exponential(0.5), to: st });
    sim.run({ until: 200_000 });
    const bm = batchMeans(waits, { batches: 20, warmup: 'mser5', level: 0.999 });
    expect(bm.lower).toBeLessThanOrEqual(1);
    expect(bm.upper).toBeGreaterThanOrEqual(1);
    expect(bm.relativeHalfWidth).toBeLessThan(0.1);
    expect(Math.abs(bm.lag1)).toBeLessThan(0.5);
  });
});

describe('replications', () => {
  const model = (seed: number) => {
    const sim = new Simulation({ seed });
    const sink = new Sink(sim, { name: 'exit' });
    const st = new Station(sim, { name: 'st', service: new Exponential(1), to: sink });
    const src = new Source(sim, { name: 'src', interarrival: new Exponential(0.5), to: st });
    sim.run({ until: 2000 });
    const s = st.summary({ offeredLoad: src.rate * st.meanService });
    return { W: s.meanResponse, rho: s.utilisation, unstable: s.unstable };
  };

  it('runs reproducible replications with per-metric t intervals', () => {
    const a = replicate(10, model, { seed: 5 });
    const b = replicate(10, model, { seed: 5 });
    expect(a.runs).toEqual(b.runs);
    expect(a.seeds).toEqual(b.seeds);
    expect(Object.keys(a.metrics).sort()).toEqual(['W', 'rho']);
    expect(a.metrics.W.n).toBe(10);
    expect(replicate(10, model, { seed: 6 }).metrics.W.mean).not.toBe(a.metrics.W.mean);
  });

  it('refuses to average an unstable open system', () => {
    const unstable = (seed: number) => {
      const sim = new Simulation({ seed });
      const st = new Station(sim, { name: 'st', service: new Exponential(1) });
      const src = new Source(sim, { name: 'src', interarrival: new Exponential(1.1), to: st });
      sim.run({ until: 100 });
      const s = st.summary({ offeredLoad: src.rate * st.meanService });
      return { W: s.meanResponse, unstable: s.unstable, offeredLoad: s.offeredLoad };
    };
    expect(() => replicate(5, unstable)).toThrow(UnstableSystemError);
    expect(() => requireStableOpen(1.1, 1, 1)).toThrow(UnstableSystemError);
    expect(() => requireStableOpen(3, 1, 3)).toThrow(UnstableSystemError);
    expect(requireStableOpen(2.4, 1, 3)).toBeCloseTo(0.8, 12);
    expect(() => replicate(1, model)).toThrow(ParameterError);
  });
});
