/** Issue 23, point 8: temp files cleaned, a truncated result named and skipped, everything from a file escaped. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defineExperiment } from '../../lib/experiment/experiment';
import { writeReport } from '../../lib/experiment/report';
import {
  UnreadableResultError,
  cleanStaleTemps,
  readResult,
  writeResult,
} from '../../lib/experiment/results';
import { runExperiment } from '../../lib/experiment/run';

const make = (name: string) =>
  defineExperiment({
    name,
    title: `probe ${name}`,
    description: 'a constant',
    params: { x: { type: 'number', default: 1, min: 0, max: 10, doc: 'x' } },
    replications: 2,
    metrics: ['y'],
    points: () => [{ k: 1 }],
    simulate: (_pt, p, seed) => ({ y: p.x + (seed % 7) / 100 }),
    figures: () => [],
  });
const a = make('probe-a');
const b = make('probe-b');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-files-'));

test('stale .tmp-PID files of dead processes are removed; a live one is kept', () => {
  fs.writeFileSync(path.join(dir, 'x.json.tmp-999999999'), 'half');
  fs.writeFileSync(path.join(dir, `x.json.tmp-${process.pid}`), 'mine');
  expect(cleanStaleTemps(dir)).toEqual(['x.json.tmp-999999999']);
  expect(fs.existsSync(path.join(dir, `x.json.tmp-${process.pid}`))).toBe(true);
  fs.rmSync(path.join(dir, `x.json.tmp-${process.pid}`));
});

test('a truncated result is named and skipped; the rest is reported; stored names are escaped', async () => {
  writeResult(a, await runExperiment(a), dir);
  writeResult(b, await runExperiment(b), dir);
  expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  // truncate a's JSON
  const fa = path.join(dir, 'probe-a.json');
  fs.writeFileSync(fa, fs.readFileSync(fa, 'utf8').slice(0, 100));
  expect(() => readResult('probe-a', dir)).toThrow(UnreadableResultError);
  expect(() => readResult('probe-a', dir)).toThrow(/probe-a\.json: not valid JSON/);
  // tamper with b's column names and cells
  const fb = path.join(dir, 'probe-b.json');
  const stored = JSON.parse(fs.readFileSync(fb, 'utf8'));
  stored.columns.push('<img src=x onerror=alert(1)>');
  stored.rows[0]['<img src=x onerror=alert(1)>'] = '<script>alert(2)</script>';
  fs.writeFileSync(fb, JSON.stringify(stored));
  const file = path.join(dir, 'report.html');
  const summary = writeReport({ resultsDir: dir, file, experiments: [a, b] });
  expect(summary.included).toEqual(['probe-b']);
  expect(summary.unreadable.map((u) => u.name)).toEqual(['probe-a']);
  const html = fs.readFileSync(file, 'utf8');
  expect(html).toContain('Skipped: probe-a.json not valid JSON');
  expect(html).not.toContain('<img src=x');
  expect(html).not.toContain('<script>alert(2)');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
});

test('NaN and Infinity in a result survive the JSON round trip, distinct from null', async () => {
  const e = defineExperiment({
    name: 'probe-nan',
    title: 'nan',
    description: 'd',
    params: {},
    replications: 1,
    metrics: ['y', 'z', 'w'],
    points: () => [{ k: 1 }],
    simulate: () => ({ y: 1, z: 2, w: 3 }),
    figures: () => [],
    theory: () => ({ y_theory: NaN, z_theory: Infinity, w_theory: null }),
  });
  writeResult(e, await runExperiment(e), dir);
  expect(fs.readFileSync(path.join(dir, 'probe-nan.json'), 'utf8')).toMatch(/"y_theory": "NaN"/);
  const back = readResult('probe-nan', dir)!;
  expect(Number.isNaN(back.rows[0].y_theory)).toBe(true);
  expect(back.rows[0].z_theory).toBe(Infinity);
  expect(back.rows[0].w_theory).toBe(null);
});

test("the report links each experiment's CSV and JSON (relative to the page) and gives its columns' units", async () => {
  const units = defineExperiment({
    name: 'probe-units',
    title: 'probe units',
    description: 'a constant with units',
    params: { rate: { type: 'number', default: 2, min: 0, max: 10, unit: 'req/s', doc: 'rate' } },
    replications: 2,
    metrics: ['W'],
    units: { W: 's', servers: 'servers' },
    points: (p) => [{ servers: 3, rate: p.rate }],
    simulate: (_pt, _p, seed) => ({ W: 1 + (seed % 7) / 100 }),
    theory: () => ({ W_theory: 1 }),
    figures: () => [],
  });
  const results = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-units-'));
  const files = writeResult(units, await runExperiment(units), results);
  const own = fs.readFileSync(files.html, 'utf8');
  expect(own).toContain('<a href="probe-units.csv">probe-units.csv</a>');
  expect(own).toContain('<a href="probe-units.json">probe-units.json</a>');
  expect(own).toContain('Units: servers in servers, rate in req/s, W in s;');
  expect(own).toMatch(/<th>W_lo<br><span[^>]*>\(s\)<\/span><\/th>/);
  expect(own).toMatch(/<th>rate<br><span[^>]*>\(req\/s\)<\/span><\/th>/);
  expect(own).toContain('<th>replications</th>');
  const elsewhere = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-page-')),
    'sub',
    'report.html',
  );
  writeReport({ resultsDir: results, file: elsewhere, experiments: [units] });
  const page = fs.readFileSync(elsewhere, 'utf8');
  const rel = path
    .relative(path.dirname(elsewhere), path.join(results, 'probe-units.csv'))
    .split(path.sep)
    .join('/');
  expect(page).toContain(`<a href="${rel}">probe-units.csv</a>`);
  expect(fs.existsSync(path.resolve(path.dirname(elsewhere), rel))).toBe(true);
});
