/**
 * CI check over every experiment's default output (issue 17 point 1): after `npm run main` has
 * rerun the catalog, every interval in data/results/*.json lies inside its metric's range (the
 * kind the experiment declares, recorded in the provenance's `intervals`: [0, ∞) for times,
 * counts and quantiles, [0, 1] for proportions, [0, 100] for percents) and holds its mean.
 * The figures draw these columns, so a figure cannot show an interval outside the range either.
 *
 *   node -r ts-node/register/transpile-only scripts/ci/interval-ranges.ts [DIR]
 */
import * as fs from 'fs';
import * as path from 'path';
import { kindRange } from '../../lib/experiment/intervals/kinds';
import type { MetricKind } from '../../lib/experiment/intervals/kinds';

const dir = path.resolve(process.argv[2] ?? 'data/results');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('report'));
let checked = 0;
let experiments = 0;
const problems: string[] = [];
for (const f of files) {
  const data = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as {
    provenance?: { experiment?: string; intervals?: Record<string, { kind: MetricKind }> };
    rows?: Array<Record<string, unknown>>;
  };
  const intervals = data.provenance?.intervals;
  if (!intervals || !Array.isArray(data.rows)) continue;
  experiments++;
  const name = data.provenance?.experiment ?? f;
  for (const [metric, { kind }] of Object.entries(intervals)) {
    const { lower, upper } = kindRange(kind);
    data.rows.forEach((row, i) => {
      const [m, lo, hi] = [row[metric], row[`${metric}_lo`], row[`${metric}_hi`]];
      if (typeof lo !== 'number' || typeof hi !== 'number') return;
      checked++;
      const where = `${name} row ${i} ${metric} (${kind})`;
      if (lo < lower || hi > upper)
        problems.push(`${where}: [${lo}, ${hi}] leaves [${lower}, ${upper}]`);
      if (typeof m === 'number' && (m < lo - 1e-9 * Math.abs(m) || m > hi + 1e-9 * Math.abs(m)))
        problems.push(`${where}: mean ${m} outside [${lo}, ${hi}]`);
    });
  }
}
console.log(
  `${experiments} experiments, ${checked} intervals checked against their metric's range: ${problems.length} outside`,
);
for (const p of problems.slice(0, 50)) console.log(`  ${p}`);
if (experiments === 0) {
  console.log(`no results with interval provenance in ${dir}: run npm run main first`);
  process.exit(1);
}
process.exit(problems.length > 0 ? 1 : 0);
