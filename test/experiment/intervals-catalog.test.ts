/**
 * Every experiment of the catalog declares a kind for each of its metrics (so its intervals stay
 * in range), and runs whose values touch a bound keep every interval inside it. Running all 65
 * catalog experiments at their defaults (2 replications) with these kinds found two metrics at a
 * bound by rounding (a utilisation of 1.0000000000000002), now taken as the bound; the rest ran
 * with every _lo/_hi inside its kind's range (issue 17, closing note).
 */
import { catalog } from '../../lib/labs/catalog';
import { kindRange, metricKinds, metricSpecs } from '../../lib/experiment/intervals';
import { thinkTimeCapacity, tierSeparation } from '../../lib/labs/lab02-think-time';
import type { Experiment } from '../../lib/experiment/experiment';
import type { Row } from '../../lib/experiment/aggregate';

function outOfRange(e: Experiment, rows: readonly Row[]): string[] {
  const bad: string[] = [];
  for (const { name, kind } of metricSpecs(e.metrics)) {
    const { lower, upper } = kindRange(kind);
    for (const row of rows) {
      for (const c of [name, `${name}_lo`, `${name}_hi`]) {
        const v = row[c];
        if (typeof v === 'number' && !(v >= lower && v <= upper)) bad.push(`${c} = ${v}`);
      }
    }
  }
  return bad;
}

test('every catalog experiment declares a kind for each metric', () => {
  const plain = catalog
    .filter((e) => Array.isArray(e.metrics) && e.metrics.length > 0)
    .map((e) => e.name);
  expect(plain).toEqual([]);
  for (const e of catalog)
    for (const { kind } of metricSpecs(e.metrics)) expect(metricKinds).toContain(kind);
});

test.each([
  [
    'think-time-capacity',
    thinkTimeCapacity,
    { users: [1, 150], thinkTimes: [2], completions: 1000 },
  ],
  ['tier-separation', tierSeparation, { users: [1, 200], completions: 1000 }],
])(
  '%s at saturation (utilisation 1 up to rounding): every interval inside its range, _lo/_hi kept with one replication',
  async (_name, e, overrides) => {
    const ex = e as unknown as Experiment;
    const two = await ex.runWithProvenance(overrides, { replications: 2 });
    expect(outOfRange(ex, two.rows)).toEqual([]);
    const one = await ex.runWithProvenance(overrides, { replications: 1 });
    for (const row of one.rows) {
      expect(row.X_lo).toBeNull();
      expect('X_hi' in row).toBe(true);
    }
    expect(one.provenance.intervals!.X.methods).toEqual(['no interval (1 replication)']);
  },
);
