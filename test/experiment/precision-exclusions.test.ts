/**
 * Per-metric exclusions of the stated precision (`precisionExcludes` entries `{ where, metrics,
 * why, atMost? }`, lib/experiment/experiment.ts) as scripts/ci/precision-check.ts applies them: the
 * metric is not judged at the matching rows, the rest of the row is, and the exclusion is held to
 * its claim (a mean of 0, or an interval below `atMost`) so it cannot hide an imprecision.
 */
import {
  exclusionProblems,
  rowsJudged,
  rowsKept,
  worstHalfWidth,
} from '../../scripts/ci/precision-check';
import { defineExperiment } from '../../lib/experiment/experiment';
import type { MetricExclusion, RowExclusion } from '../../lib/experiment/experiment';

const rows = [
  {
    mode: 'async',
    lost: 2,
    lost_lo: 1.5,
    lost_hi: 2.6,
    latency: 1,
    latency_lo: 0.98,
    latency_hi: 1.02,
  },
  { mode: 'sync', lost: 0, lost_lo: 0, lost_hi: 0.31, latency: 70, latency_lo: 69, latency_hi: 71 },
  {
    mode: 'slow',
    lost: 0.02,
    lost_lo: 0.001,
    lost_hi: 0.2,
    latency: 9,
    latency_lo: 8,
    latency_hi: 10,
  },
];

describe('per-metric exclusions', () => {
  const zero: MetricExclusion = {
    where: { mode: 'sync' },
    metrics: ['lost'],
    why: 'waits for the replica',
  };
  test('the metric is left out only at the matching rows; the other metrics of those rows stay judged', () => {
    const excludes = [zero];
    const kept = rowsKept(rows, excludes);
    expect(kept).toHaveLength(3);
    expect(worstHalfWidth(rowsJudged(kept, 'lost', excludes), 'lost')).toBeCloseTo(9, 12); // the 'slow' row
    expect(rowsJudged(kept, 'lost', excludes).map((r) => r.mode)).toEqual(['async', 'slow']);
    expect(rowsJudged(kept, 'latency', excludes)).toHaveLength(3);
    expect(worstHalfWidth(rowsJudged(kept, 'latency', excludes), 'latency')).toBeCloseTo(1 / 9, 12);
    expect(exclusionProblems(kept, excludes)).toEqual([]);
  });
  test('an exclusion is held to its claim: a zero by construction must have mean 0, a bound must hold', () => {
    const notZero: MetricExclusion = { where: { mode: 'slow' }, metrics: ['lost'], why: 'rare' };
    expect(exclusionProblems(rows, [notZero])).toEqual([
      'lost at {"mode":"slow"} is declared zero by construction (rare) but its mean is 0.02',
    ]);
    const bound = { ...notZero, atMost: 0.25 };
    expect(exclusionProblems(rows, [bound])).toEqual([]);
    expect(worstHalfWidth(rowsJudged(rows, 'lost', [zero, bound]), 'lost')).toBeCloseTo(0.3, 12);
    expect(exclusionProblems(rows, [{ ...bound, atMost: 0.1 }])).toEqual([
      'lost at {"mode":"slow"} is stated at most 0.1 (rare) but its interval reaches 0.2',
    ]);
    expect(exclusionProblems(rows, [{ ...zero, where: { mode: 'semisync' } }])).toEqual([
      'metric exclusion {"mode":"semisync"} matches no row',
    ]);
  });
  test('the whole-row form still drops whole rows, and mixes with metric exclusions', () => {
    const whole: RowExclusion = { mode: 'slow' };
    const kept = rowsKept(rows, [whole, zero]);
    expect(kept.map((r) => r.mode)).toEqual(['async', 'sync']);
    expect(worstHalfWidth(rowsJudged(kept, 'lost', [whole, zero]), 'lost')).toBeCloseTo(0.3, 12);
    expect(exclusionProblems(kept, [whole, zero])).toEqual([]);
  });
  test('defineExperiment refuses an exclusion of an unknown metric, without a why, or with a bad bound', () => {
    const base = {
      name: 'exclusion-validation',
      title: 't',
      description: 'd',
      params: {},
      replications: 2,
      metrics: { lost: 'count' as const },
      points: () => [{ mode: 'sync' }],
      simulate: () => ({ lost: 0 }),
      figures: () => [],
    };
    expect(() =>
      defineExperiment({ ...base, precisionExcludes: [{ ...zero, metrics: ['lots'] }] }),
    ).toThrow(/precisionExcludes names lots/);
    expect(() => defineExperiment({ ...base, precisionExcludes: [{ ...zero, why: ' ' }] })).toThrow(
      /needs metrics and a why/,
    );
    expect(() =>
      defineExperiment({ ...base, precisionExcludes: [{ ...zero, atMost: -1 }] }),
    ).toThrow(/atMost must be a finite number >= 0/);
  });
});
