/**
 * The experiment commands end to end, as a user runs them: the built `bin/scalelab.js` in a child
 * process (npm test builds first).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { version } from '../../package.json';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'scalelab.js');

function scalelab(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-cli-'));
const small = [
  '--set',
  'users=5,40',
  '--set',
  'thinkTimes=2',
  '--set',
  'completions=2000',
  '--reps',
  '3',
  '--seed',
  '9',
];

describe('scalelab list', () => {
  it('is short by default: name, lab and title, one line each, under 100 characters', () => {
    const r = scalelab('list');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^experiment\s+lab\s+title$/);
    for (const name of [
      'latency-vs-utilization',
      'vertical-vs-horizontal',
      'think-time-capacity',
      'tier-separation',
    ])
      expect(r.out).toMatch(new RegExp(`^${name}\\s+0[12]\\s+\\S`, 'm'));
    for (const line of lines) expect(line.length).toBeLessThan(100);
    expect(r.out).not.toMatch(/parameter\s+default\s+unit/);
  });

  it('lists one experiment, or every one with --verbose, with their parameters', () => {
    const one = scalelab('list', 'think-time-capacity');
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/parameter\s+default\s+unit\s+valid\s+meaning/);
    expect(one.out).toMatch(/serviceDemand\s+0\.1\s+s\s+a number in \(0, 3600\]/);
    const all = scalelab('list', '--verbose');
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/serviceDemand\s+0\.1\s+s\s+a number in \(0, 3600\]/);
    expect(all.out.match(/^parameter\s+default/gm)!.length).toBeGreaterThan(40);
  });
});

describe('scalelab run', () => {
  const outA = path.join(tmp, 'a');
  const outB = path.join(tmp, 'b');

  it('runs one experiment with overrides and writes CSV, JSON with provenance, and HTML', () => {
    const r = scalelab('run', 'think-time-capacity', ...small, '--threads', '2', '--out', outA);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Z\s+N\s+replications\s+X\s+X_lo\s+X_hi/m);
    const stored = JSON.parse(fs.readFileSync(path.join(outA, 'think-time-capacity.json'), 'utf8'));
    expect(stored.provenance).toMatchObject({
      experiment: 'think-time-capacity',
      params: { users: [5, 40], thinkTimes: [2], serviceDemand: 0.1, completions: 2000 },
      seed: 9,
      replications: 3,
      threads: 2,
      confidenceLevel: 0.95,
      scalelabVersion: version,
    });
    expect(Date.parse(stored.provenance.date)).not.toBeNaN();
    expect(stored.provenance.elapsedSeconds).toBeGreaterThan(0);
    expect(stored.rows).toHaveLength(2);
    const csv = fs
      .readFileSync(path.join(outA, 'think-time-capacity.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0].split(',')).toEqual(stored.columns);
    const html = fs.readFileSync(path.join(outA, 'think-time-capacity.html'), 'utf8');
    expect(html).toContain('<script src="plotly.min.js"></script>');
    expect(fs.existsSync(path.join(outA, 'plotly.min.js'))).toBe(true);
    expect(fs.readdirSync(outA).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('gives identical results whatever the number of threads, and on a rerun', () => {
    expect(
      scalelab('run', 'think-time-capacity', ...small, '--threads', '1', '--quiet', '--out', outB)
        .code,
    ).toBe(0);
    const rows = (dir: string) =>
      JSON.parse(fs.readFileSync(path.join(dir, 'think-time-capacity.json'), 'utf8')).rows;
    expect(rows(outB)).toEqual(rows(outA));
    expect(
      scalelab('run', 'think-time-capacity', ...small, '--threads', '2', '--quiet', '--out', outB)
        .code,
    ).toBe(0);
    expect(rows(outB)).toEqual(rows(outA));
    const other = path.join(tmp, 'c');
    expect(
      scalelab('run', 'think-time-capacity', ...small.slice(0, -1), '10', '--quiet', '--out', other)
        .code,
    ).toBe(0);
    expect(rows(other)).not.toEqual(rows(outA));
  });

  it('keeps the _lo/_hi columns with --reps 1 (empty: one replication has no interval)', () => {
    const out = path.join(tmp, 'one-rep');
    const r = scalelab(
      'run',
      'think-time-capacity',
      '--set',
      'users=5',
      '--set',
      'thinkTimes=2',
      '--set',
      'completions=500',
      '--reps',
      '1',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Z\s+N\s+replications\s+X\s+X_lo\s+X_hi/m);
    const csv = fs
      .readFileSync(path.join(out, 'think-time-capacity.csv'), 'utf8')
      .split('\n')[0]
      .split(',');
    expect(csv).toEqual(expect.arrayContaining(['X', 'X_lo', 'X_hi']));
  });

  it('answers bad input with one line naming the problem and the valid choices, exit code 2, and writes nothing', () => {
    const out = path.join(tmp, 'never');
    const cases: Array<[string[], RegExp]> = [
      [
        ['run', 'latency-vs-utilisation'],
        /^scalelab run: experiment = "latency-vs-utilisation" is out of range: is not in the catalog; did you mean "latency-vs-utilization"\? \(scalelab list names them all\)$/,
      ],
      [
        ['run', 'frobnicate'],
        /^scalelab run: experiment = "frobnicate" is out of range: is not in the catalog; valid: latency-vs-utilization, /,
      ],
      [
        ['run', 'think-time-capacity', '--set', 'users=0'],
        /^scalelab run: users = \[0\] is out of range: must be a comma-separated list of integers in \[1, 100000\]$/,
      ],
      [
        ['run', 'think-time-capacity', '--set', 'thinkTime=2'],
        /^scalelab run: thinkTime = "2" is out of range: is not a parameter of think-time-capacity; did you mean thinkTimes\?$/,
      ],
      [
        ['run', 'think-time-capacity', '--set', 'colour=2'],
        /^scalelab run: colour = "2" is out of range: is not a parameter of think-time-capacity; valid: users, thinkTimes, serviceDemand, completions$/,
      ],
      [
        ['run', 'think-time-capacity', '--set', 'users=5', '--set', 'users=40'],
        /^scalelab run: --set users given twice \("5" and "40"\); give each key once$/,
      ],
      [
        ['run', 'think-time-capacity', '--rep', '2'],
        /^scalelab run: unknown flag --rep, did you mean --reps\?$/,
      ],
      [['run', 'think-time-capacity', '--reps'], /^scalelab run: --reps needs a value \(N\)$/],
      [
        ['run', 'think-time-capacity', '--out', '--quiet'],
        /^scalelab run: --out needs a value \(DIR\)$/,
      ],
      [
        ['run', 'think-time-capacity', '--set', 'serviceDemand=fast'],
        /^scalelab run: serviceDemand = "fast" is out of range: must be a number in \(0, 3600\]$/,
      ],
      [
        ['run', 'think-time-capacity', '--reps', '0'],
        /^scalelab run: reps = "0" is out of range: must be an integer in \[1, 10000\]$/,
      ],
      [
        ['run', 'think-time-capacity', '--threads', 'many'],
        /^scalelab run: threads = "many" is out of range/,
      ],
      [
        ['run', 'think-time-capacity', '--set', 'users'],
        /^scalelab run: --set needs key=value, got "users"$/,
      ],
      [
        ['run', 'think-time-capacity', '--colour'],
        /^scalelab run: unknown flag --colour \(valid: --set, --seed, --reps, --threads, --max-events, (--[a-z-]+, )*--help\)$/,
      ],
      [
        ['run'],
        /^scalelab run: name an experiment or give --all \(scalelab list shows the \d+ experiments\)$/,
      ],
      [
        ['run', '--all', '--set', 'users=3'],
        /^scalelab run: --set applies to one experiment; run it by name$/,
      ],
      [
        ['list', 'nope'],
        /^scalelab list: experiment = "nope" is out of range: is not in the catalog/,
      ],
      [
        ['report', '--format', 'pdf'],
        /^scalelab report: unknown flag --format \(valid: --results, --out, --help\)$/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = scalelab(...args, ...(args[0] === 'run' ? ['--out', out] : []));
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err.trim()).toMatch(message);
    }
    expect(fs.existsSync(out)).toBe(false);
  });

  it('has help at every level', () => {
    for (const args of [
      ['--help'],
      ['run', '--help'],
      ['run', 'tier-separation', '--help'],
      ['list', '--help'],
      ['report', '--help'],
    ]) {
      const r = scalelab(...args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Usage|scalelab run tier-separation|Commands/);
    }
    expect(scalelab('run', 'tier-separation', '--help').out).toContain('webDemand');
  });
});

describe('scalelab report', () => {
  it('writes one page with every stored experiment, plotly.js embedded once, and lists what has not run', () => {
    const file = path.join(tmp, 'report.html');
    const r = scalelab('report', '--results', path.join(tmp, 'a'), '--out', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 experiment\(s\); not run yet: latency-vs-utilization/);
    const html = fs.readFileSync(file, 'utf8');
    expect(html.match(/window\.Plotly = Plotly/g)).toHaveLength(1);
    expect(html).toContain('<section id="think-time-capacity">');
    expect(html.match(/class="lab-plotly"/g)!.length).toBe(3);
    expect(html).toContain('Not run yet: <code>scalelab run tier-separation</code>');
  });

  it('fails when there is nothing to report', () => {
    const r = scalelab(
      'report',
      '--results',
      path.join(tmp, 'empty'),
      '--out',
      path.join(tmp, 'empty.html'),
    );
    expect(r.code).toBe(1);
  });
});
