import { defineExperiment } from '../../lib/experiment/experiment';
import { DEFAULT_MAX_REPLICATIONS, worstRelativeHalfWidth } from '../../lib/experiment/precision';
import { ParameterError } from '../../lib/errors';
import { Exponential } from '../../lib/random/exponential';
import { RandomStreams } from '../../lib/random/streams';
import { figure, line } from '../../lib/plot/builders';
import { serversForTarget } from '../../lib/labs/lab01-latency';
import { chainAvailabilityExperiment } from '../../lib/labs/lab04/chain-availability';
import type { Experiment } from '../../lib/experiment/experiment';

// A replication's mean of n exponential draws of mean m: relative standard deviation 1/sqrt(n) per
// replication, so R replications give a relative half-width of about t(R-1) / sqrt(n R).
const noisy = defineExperiment({
  name: 'precision-toy',
  title: 'Toy',
  description: 'Means of exponential draws, noisier at small n.',
  params: {
    sizes: {
      type: 'numbers',
      default: [4, 100],
      min: 1,
      integer: true,
      doc: 'draws per replication',
    },
  },
  replications: 3,
  metrics: { mean: 'nonNegative', share: 'proportion' },
  precisionMetrics: ['mean'],
  points: (p) => p.sizes.map((n) => ({ n: n })),
  simulate: (point, _p, seed) => {
    const rng = new RandomStreams(seed).get('draws');
    const d = new Exponential(1);
    let s = 0;
    let below = 0;
    for (let i = 0; i < (point.n as number); i++) {
      const x = d.sample(rng);
      s += x;
      if (x < 1) below++;
    }
    return { mean: s / (point.n as number), share: below / (point.n as number) };
  },
  figures: (t) => [figure([line(t.array('n') as number[], t.array('mean') as number[])])],
});

describe('runs that stop at a precision', () => {
  test('adds replications per point until the relative half-width holds; says so per point', async () => {
    const r = await noisy.runWithProvenance({}, { precision: 0.1, seed: 3 });
    const pr = r.provenance.precision!;
    // n = 4: relative sd 0.5 per replication, so about (2 · 0.5 / 0.1)² = 100 replications are needed: the
    // default budget of 64 is spent and the point says so; n = 100: sd 0.1, a handful of replications
    expect(pr).toMatchObject({
      precision: 0.1,
      metrics: ['mean'],
      maxReplications: DEFAULT_MAX_REPLICATIONS,
      reached: false,
    });
    const [small, large] = pr.points;
    expect(small).toMatchObject({ replications: 64, reached: false, worstMetric: 'mean' });
    expect(large.reached).toBe(true);
    expect(large.replications).toBeLessThan(16);
    expect(large.relativeHalfWidth).toBeLessThanOrEqual(0.1);
    // the table's replications column and intervals agree with the provenance
    for (const [i, row] of r.rows.entries())
      expect(row.replications).toBe(pr.points[i].replications);
    expect(
      ((r.rows[1].mean_hi as number) - (r.rows[1].mean as number)) / (r.rows[1].mean as number),
    ).toBeLessThanOrEqual(0.1 + 1e-12);
  });

  test('a budget too small: the point says the precision was not reached, with the replications spent', async () => {
    const r = await noisy.runWithProvenance(
      { sizes: [4] },
      { precision: 0.01, maxReplications: 8 },
    );
    expect(r.provenance.precision).toMatchObject({ reached: false, maxReplications: 8 });
    expect(r.provenance.precision!.points[0]).toMatchObject({
      replications: 8,
      reached: false,
      worstMetric: 'mean',
    });
    expect(r.provenance.precision!.points[0].relativeHalfWidth).toBeGreaterThan(0.01);
  });

  test('reproducible: the same seed gives the same rows, and the replications are the same seeds as a fixed run', async () => {
    const a = await noisy.runWithProvenance({}, { precision: 0.1, seed: 5 });
    const b = await noisy.runWithProvenance({}, { precision: 0.1, seed: 5 });
    expect(b.rows).toEqual(a.rows);
    const n = a.provenance.precision!.points[1].replications;
    const fixed = await noisy.runWithProvenance({ sizes: [100] }, { replications: n, seed: 5 });
    expect(fixed.rows[0].mean).toBe(a.rows[1].mean);
  });

  test('bad options are ParameterErrors naming the option', async () => {
    await expect(noisy.run({}, { precision: 0 })).rejects.toThrow(ParameterError);
    await expect(noisy.run({}, { precision: 0.05, precisionMetrics: ['nope'] })).rejects.toThrow(
      /precision-metrics/,
    );
    await expect(noisy.run({}, { precision: 0.05, maxReplications: 2 })).rejects.toThrow(
      /max-reps/,
    );
  });

  test('worst relative half-width: the larger side of an asymmetric interval, 0 for an interval [0, 0]', () => {
    const reps = [[{ v: 1 }], [{ v: 2 }], [{ v: 3 }]];
    const w = worstRelativeHalfWidth(reps, { v: 'nonNegative' }, ['v']);
    const c = Math.exp(4.302652729911275 * Math.sqrt(Math.log(1 + 1 / 12)));
    expect(w.value).toBeCloseTo(c - 1, 6);
    expect(
      worstRelativeHalfWidth([[{ v: 0 }], [{ v: 0 }]], { v: 'nonNegative' }, ['v']).value,
    ).toBe(0);
  });

  test.each(['servers-for-target', 'chain-availability'])(
    'catalog experiment %s runs with a precision, the flag in its provenance',
    async (name) => {
      const e = (name === 'servers-for-target'
        ? serversForTarget
        : chainAvailabilityExperiment) as unknown as Experiment;
      const small: Record<string, Record<string, unknown>> = {
        'servers-for-target': { customers: 2000, around: 1 },
        'chain-availability': { lengths: [1, 2], replicas: [1], duration: 20 },
      };
      const r = await e.runWithProvenance(small[name], { precision: 0.2, maxReplications: 6 });
      const pr = r.provenance.precision!;
      expect(pr.precision).toBe(0.2);
      expect(pr.points).toHaveLength(r.rows.length > 0 ? pr.points.length : 0);
      for (const p of pr.points) {
        expect(typeof p.reached).toBe('boolean');
        expect(p.replications).toBeGreaterThanOrEqual(Math.min(6, e.replications));
        expect(p.replications).toBeLessThanOrEqual(6);
      }
      expect(Object.keys(r.provenance.intervals!)).toEqual(Object.keys(e.metrics));
    },
  );
});
