import fc from 'fast-check';
import { AggregateNotes, aggregatePoint } from '../../lib/experiment/aggregate';
import {
  MetricRangeError,
  kindRange,
  logitInterval,
  logNormalInterval,
  metricInterval,
  metricKinds,
  metricSpecs,
  noIntervalMethod,
  studentTInterval,
} from '../../lib/experiment/intervals';
import type { MetricKind } from '../../lib/experiment/intervals';
import { confidenceInterval } from '../../lib/sim/confidence';

fc.configureGlobal({ seed: 20261202 });

describe('interval methods', () => {
  test('Student t is the kernel confidence interval', () => {
    const xs = [1.2, 3.4, 2.2, 5.1];
    const a = studentTInterval(xs, 0.95);
    const b = confidenceInterval(xs, 0.95);
    expect(a.lo).toBeCloseTo(b.lower, 12);
    expect(a.hi).toBeCloseTo(b.upper, 12);
  });

  test('log-normal interval by hand (Burnham et al. 1987): [1, 2, 3]', () => {
    // m = 2, se = 1/sqrt(3), cv = 0.288675, t(0.975, 2) = 4.302653, C = exp(t sqrt(ln(1 + cv^2)))
    const c = Math.exp(4.302652729911275 * Math.sqrt(Math.log(1 + 1 / 12)));
    const ci = logNormalInterval([1, 2, 3], 0.95);
    expect(ci.mean).toBeCloseTo(2, 12);
    expect(ci.lo).toBeCloseTo(2 / c, 10);
    expect(ci.hi).toBeCloseTo(2 * c, 8);
    // the Student t interval of the same values goes below zero; this one cannot
    expect(studentTInterval([1, 2, 3], 0.95).lo).toBeLessThan(0);
  });

  test('logit interval by hand (Brown, Cai & DasGupta 2001, §4.1): [0.1, 0.2, 0.3]', () => {
    const se = 0.1 / Math.sqrt(3);
    const h = (4.302652729911275 * se) / (0.2 * 0.8);
    const expit = (x: number) => 1 / (1 + Math.exp(-x));
    const ci = logitInterval([0.1, 0.2, 0.3], 0.95);
    expect(ci.lo).toBeCloseTo(expit(Math.log(0.25) - h), 10);
    expect(ci.hi).toBeCloseTo(expit(Math.log(0.25) + h), 10);
    const pct = logitInterval([10, 20, 30], 0.95, 100);
    expect(pct.lo).toBeCloseTo(100 * (ci.lo as number), 8);
  });

  test('a count that is 0 in every replication: the exact Poisson upper bound -ln(0.025)/R', () => {
    const ci = metricInterval('lost', 'count', [0, 0, 0, 0], 0.95);
    expect(ci.lo).toBe(0);
    expect(ci.hi).toBeCloseTo(3.6888794541139363 / 4, 12);
    expect(ci.method).toMatch(/Poisson/);
    expect(metricInterval('w', 'nonNegative', [0, 0, 0], 0.95)).toMatchObject({
      mean: 0,
      lo: 0,
      hi: 0,
    });
    expect(metricInterval('p', 'proportion', [1, 1, 1], 0.95)).toMatchObject({
      mean: 1,
      lo: 1,
      hi: 1,
    });
  });

  test('one replication: the mean, no interval, so named', () => {
    expect(metricInterval('w', 'nonNegative', [3], 0.95)).toEqual({
      mean: 3,
      lo: null,
      hi: null,
      method: noIntervalMethod,
    });
  });

  test('a value outside the declared range is an error naming the metric', () => {
    expect(() => metricInterval('lost', 'count', [1, -2], 0.95)).toThrow(MetricRangeError);
    expect(() => metricInterval('rate', 'proportion', [0.5, 1.2], 0.95)).toThrow(
      /rate.*proportion.*1\.2/,
    );
    // rounding past a bound is the bound
    expect(metricInterval('U', 'proportion', [1.0000000000000002, 1], 0.95)).toMatchObject({
      mean: 1,
      lo: 1,
      hi: 1,
    });
    expect(metricInterval('w', 'nonNegative', [-1e-15, 0], 0.95)).toMatchObject({
      mean: 0,
      lo: 0,
      hi: 0,
    });
    expect(() => metricSpecs({ w: 'positive' as MetricKind })).toThrow(/metrics\.w/);
    expect(metricSpecs(['a', 'b'])).toEqual([
      { name: 'a', kind: 'real' },
      { name: 'b', kind: 'real' },
    ]);
  });

  test('property: every kind keeps lo <= mean <= hi inside its range, for any replications in range', () => {
    for (const kind of metricKinds) {
      const { lower, upper } = kindRange(kind);
      const lo = Number.isFinite(lower) ? lower : -1e6;
      const hi = Number.isFinite(upper) ? upper : 1e6;
      const value = fc.oneof(
        fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(lo, hi, Number.isFinite(lower) ? lower : 0),
        fc.double({ min: lo, max: Math.min(hi, lo + 1e-3), noNaN: true }),
      );
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: 12 }), (xs) => {
          const ci = metricInterval('m', kind, xs, 0.95);
          if (xs.length === 1) return ci.lo === null && ci.hi === null;
          const { mean, lo: l, hi: h } = ci as { mean: number; lo: number; hi: number };
          const slack = 1e-9 * Math.max(1, Math.abs(mean));
          return l >= lower && h <= upper && l <= mean + slack && mean <= h + slack;
        }),
        { numRuns: 400 },
      );
    }
  });
});

describe('aggregation', () => {
  const reps = (values: number[]) =>
    values.map((v) => [{ t: 1, lost: v, share: v / 10, delta: v - 2 }]);
  const metrics = { lost: 'count', share: 'proportion', delta: 'real' } as const;

  test('every row keeps its _lo/_hi columns; with one replication they are null and the method says so', () => {
    const notes = new AggregateNotes();
    const [row] = aggregatePoint({ x: 1 }, reps([3]), metrics, null, notes);
    expect(row).toMatchObject({
      x: 1,
      t: 1,
      replications: 1,
      lost: 3,
      lost_lo: null,
      lost_hi: null,
    });
    expect(notes.methods().lost).toEqual({ kind: 'count', methods: [noIntervalMethod] });
  });

  test('methods are collected per metric, and no interval leaves its range', () => {
    const notes = new AggregateNotes();
    const rows = [
      ...aggregatePoint({ x: 1 }, reps([0, 1, 9]), metrics, null, notes),
      ...aggregatePoint({ x: 2 }, reps([0, 0, 0]), metrics, null, notes),
    ];
    for (const r of rows) {
      expect(r.lost_lo as number).toBeGreaterThanOrEqual(0);
      expect(r.share_lo as number).toBeGreaterThanOrEqual(0);
      expect(r.share_hi as number).toBeLessThanOrEqual(1);
    }
    expect((rows[0].delta_lo as number) < 0).toBe(true); // a real metric may go negative
    const m = notes.methods();
    expect(m.lost.methods).toHaveLength(2);
    expect(m.share.kind).toBe('proportion');
    expect(m.delta.methods).toEqual(['Student t over replications']);
  });

  test('MSER-5 truncations are summarised per point (median, range), not kept as a key', () => {
    const notes = new AggregateNotes();
    const obs = [10, 30, 20].map((w) => [{ v: 1, warmupTruncated: w }]);
    const [row] = aggregatePoint({ x: 1 }, obs, { v: 'nonNegative' }, null, notes);
    expect(row.warmupTruncated).toBeUndefined();
    expect(notes.warmup).toEqual([{ method: 'MSER-5', median: 20, min: 10, max: 30 }]);
  });
});
