import { defineExperiment } from '../../lib/experiment/experiment';
import { meanInterval } from '../../lib/experiment/aggregate';
import { taskSeed, pointKey } from '../../lib/experiment/seeds';
import { ParameterError } from '../../lib/errors';
import { figure, line } from '../../lib/plot/builders';

// A small experiment whose answer is known: the sample mean of n Uniform(0, 1) draws (mean 1/2,
// variance 1/(12 n)), from a seeded generator.
function uniformMean(seed: number, n: number): number {
  let s = seed % 2147483647 || 1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    s = (s * 48271) % 2147483647; // Park-Miller minimal standard, enough for this test
    total += s / 2147483647;
  }
  return total / n;
}

const calls: Array<{ point: unknown; seed: number }> = [];
const toy = defineExperiment({
  name: 'toy-uniform-mean',
  title: 'Toy',
  description: 'Sample means of uniform draws.',
  params: {
    sizes: {
      type: 'numbers',
      default: [100, 400],
      min: 1,
      integer: true,
      doc: 'draws per replication',
    },
    policy: {
      type: 'choices',
      default: ['a', 'b'],
      choices: ['a', 'b'],
      doc: 'labels sharing seeds',
    },
  },
  replications: 10,
  metrics: ['mean'],
  sharedSeedAcross: ['policy'],
  points: (p) => p.sizes.flatMap((n) => p.policy.map((policy) => ({ n: n, policy: policy }))),
  simulate: (point, _p, seed) => {
    calls.push({ point, seed });
    return { mean: uniformMean(seed, point.n as number) };
  },
  theory: () => ({ mean_theory: 0.5 }),
  figures: (t) => [figure([line(t.array('n') as number[], t.array('mean') as number[])])],
});

describe('running an experiment', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('returns a tidy table: point columns, replications, mean and 95% CI, theory', async () => {
    const table = await toy.run({}, { seed: 7 });
    expect(table.columnNames()).toEqual([
      'n',
      'policy',
      'replications',
      'mean',
      'mean_lo',
      'mean_hi',
      'mean_theory',
    ]);
    expect(table.numRows()).toBe(4);
    const rows = table.objects() as Array<Record<string, number>>;
    for (const r of rows) {
      expect(r.replications).toBe(10);
      expect(r.mean_lo).toBeLessThan(r.mean);
      expect(r.mean_hi).toBeGreaterThan(r.mean);
      // half-width is about t(0.975, 9) * sqrt(1/(12 n)) / sqrt(10): a factor-of-2 window around it
      const expected = (2.262 * Math.sqrt(1 / (12 * r.n))) / Math.sqrt(10);
      expect((r.mean_hi - r.mean_lo) / 2).toBeGreaterThan(expected / 2);
      expect((r.mean_hi - r.mean_lo) / 2).toBeLessThan(expected * 2);
    }
  });

  it('gives the same numbers for the same seed, and other numbers for another seed', async () => {
    const a = (await toy.run({}, { seed: 3 })).objects();
    const b = (await toy.run({}, { seed: 3 })).objects();
    const c = (await toy.run({}, { seed: 4 })).objects();
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('shares seeds across the fields named in sharedSeedAcross (common random numbers)', async () => {
    const table = await toy.run({ sizes: [50] }, { seed: 11 });
    const [a, b] = table.objects() as Array<Record<string, number>>;
    expect(a.mean).toBe(b.mean);
    const seedsA = calls
      .filter((c) => (c.point as { policy: string }).policy === 'a')
      .map((c) => c.seed);
    const seedsB = calls
      .filter((c) => (c.point as { policy: string }).policy === 'b')
      .map((c) => c.seed);
    expect(seedsA).toEqual(seedsB);
    expect(new Set(seedsA).size).toBe(10);
  });

  it("derives a point's seed from its content, not its position in the grid", () => {
    expect(taskSeed(1, { n: 100, policy: 'a' }, 0)).toBe(taskSeed(1, { policy: 'a', n: 100 }, 0));
    expect(taskSeed(1, { n: 100 }, 0)).not.toBe(taskSeed(1, { n: 100 }, 1));
    expect(pointKey({ b: 1, a: 2 }, ['b'])).toBe('[["a",2]]');
  });

  it('reports progress per task and checks options', async () => {
    const seen: number[] = [];
    await toy.run(
      { sizes: [10] },
      { replications: 3, onProgress: (d, t) => seen.push(d * 100 + t) },
    );
    expect(seen).toEqual([106, 206, 306, 406, 506, 606]);
    await expect(toy.run({}, { replications: 0 })).rejects.toThrow(
      'replications = 0 is out of range',
    );
    await expect(toy.run({}, { seed: -1 })).rejects.toThrow(ParameterError);
    await expect(toy.run({ sizes: [0] })).rejects.toThrow('sizes = [0] is out of range');
  });

  it('computes Student-t intervals', () => {
    const ci = meanInterval([1, 2, 3, 4]);
    // mean 2.5, s = 1.2910, t(0.975, 3) = 3.1824: half-width 2.0543
    expect(ci.mean).toBe(2.5);
    expect(ci.hi! - 2.5).toBeCloseTo(2.0543, 3);
    expect(meanInterval([1])).toEqual({ mean: 1, lo: null, hi: null });
    expect(meanInterval([1, NaN])).toEqual({ mean: null, lo: null, hi: null });
  });

  it('refuses a badly named experiment', () => {
    expect(() => defineExperiment({ ...toy, name: 'Bad Name' })).toThrow(/kebab-case/);
  });
});
