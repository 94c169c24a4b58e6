/** `scalelab model ...` through modelCommand (lib/cli/model.ts): JSON keys, tables, help, and exit code 2 on bad input. */
import * as path from 'path';
import { modelCommand } from '../../lib/cli/model';

const examples = path.join(__dirname, '..', '..', 'data', 'examples', 'queueing');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await modelCommand(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function json(...argv: string[]): Promise<Record<string, any>> {
  const r = await run(...argv, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out.split('\n')).toHaveLength(1);
  return JSON.parse(r.out);
}

const SINGLE_QUEUE_KEYS = ['rho', 'L', 'Lq', 'W', 'Wq', 'X', 'P0'];

describe('scalelab model --json', () => {
  test('mm1: single-queue keys (PDQ open1.out: Q 3, R 4)', async () => {
    const r = await json('mm1', '--lambda', '0.75', '--mu', '1');
    for (const k of SINGLE_QUEUE_KEYS) expect(typeof r[k]).toBe('number');
    expect(r.L).toBeCloseTo(3, 12);
    expect(r.W).toBeCloseTo(4, 12);
  });

  test('mmc: Pwait, percentiles and the tail at --t', async () => {
    const r = await json('mmc', '--lambda', '0.2', '--mu', '0.1', '--c', '3', '--t', '5');
    for (const k of [...SINGLE_QUEUE_KEYS, 'Pwait', 'C', 'PWqAbove', 'PWAbove'])
      expect(typeof r[k]).toBe('number');
    expect(r.Pwait).toBeCloseTo(0.444444, 6);
    expect(typeof r.percentiles.W.p95).toBe('number');
  });

  test('mmck: PK and lambdaEff (simmer M/M/2/3)', async () => {
    const r = await json('mmck', '--lambda', '3', '--mu', '4', '--c', '2', '--k', '3');
    for (const k of [...SINGLE_QUEUE_KEYS, 'PK', 'lambdaEff']) expect(typeof r[k]).toBe('number');
    expect(r.PK).toBeCloseTo(0.04936, 5);
  });

  test('erlangb B and erlangc C', async () => {
    expect((await json('erlangb', '--a', '10', '--c', '10')).B).toBeCloseTo(0.214582, 6);
    expect((await json('erlangc', '--a', '2', '--c', '3')).C).toBeCloseTo(0.444444, 6);
  });

  test('mg1 and ggc', async () => {
    expect((await json('mg1', '--lambda', '0.5', '--mean', '1', '--scv', '0')).Wq).toBeCloseTo(
      0.5,
      12,
    );
    expect(
      (await json('ggc', '--lambda', '1.6', '--mu', '1', '--c', '2', '--ca2', '1', '--cs2', '0.5'))
        .Wq,
    ).toBeCloseTo(1.333333, 6);
  });

  test('mva from lists: X, R, Q, U per station (Lazowska p. 117)', async () => {
    const r = await json('mva', '--users', '3', '--think', '15', '--demands', '0.605,2.1,1.35');
    for (const k of ['X', 'R', 'Q', 'U']) expect(r[k]).toHaveLength(3);
    expect(r.Q[1]).toBeCloseTo(0.3947, 4);
    expect(r.throughput).toBeCloseTo(0.151516, 6);
  });

  test('mva with servers, delay stations (servers 0) and --method schweitzer', async () => {
    const r = await json(
      'mva',
      '--users',
      '20',
      '--think',
      '4',
      '--demands',
      '0.5,0.25',
      '--servers',
      '0,3',
    );
    expect(r.R[0]).toBeCloseTo(0.5, 12);
    const s = await json(
      'mva',
      '--users',
      '3',
      '--think',
      '15',
      '--demands',
      '0.605,2.1,1.35',
      '--method',
      'schweitzer',
    );
    expect(s.Q[0][1]).toBeCloseTo(0.4021, 3);
  });

  test('mva --input model.json, single class and multiclass (arrays per class)', async () => {
    const single = await json('mva', '--input', path.join(examples, 'model.json'));
    expect(single.Q[0]).toBeCloseTo(0.0976, 4);
    const multi = await json('mva', '--input', path.join(examples, 'multiclass.json'));
    expect(multi.X).toHaveLength(2);
    expect(multi.Q[0][0]).toBeCloseTo(0.210526, 6);
    expect(multi.throughput[1]).toBeCloseTo(2 / 19, 12);
    const web = await json('mva', '--input', path.join(examples, 'webapp.json'));
    expect(web.U[1]).toBeLessThanOrEqual(1);
  });

  test('jackson --input net.json and usl --input points.csv', async () => {
    const j = await json('jackson', '--input', path.join(examples, 'net.json'));
    expect(j.lambda).toHaveLength(3);
    expect(j.X).toBe(4);
    const u = await json('usl', '--input', path.join(examples, 'points.csv'));
    for (const k of ['alpha', 'beta', 'gamma', 'peakN', 'peakX'])
      expect(typeof u[k]).toBe('number');
    expect(u.alpha).toBeCloseTo(0.02, 3);
    expect(u.beta).toBeCloseTo(0.02, 3);
    expect(u.gamma).toBeCloseTo(1, 3);
  });

  test('inverses: servers-for, max-rate-for, max-users-for', async () => {
    expect(
      (await json('servers-for', '--lambda', '2', '--mu', '1', '--wq', '0.1')).c,
    ).toBeGreaterThanOrEqual(3);
    expect((await json('max-rate-for', '--mu', '1', '--w', '4')).maxLambda).toBeCloseTo(0.75, 9);
    expect(
      (await json('max-users-for', '--r', '10', '--think', '15', '--demands', '0.605,2.1,1.35')).N,
    ).toBe(10);
    const sl = await json(
      'servers-for',
      '--lambda',
      '100',
      '--mu',
      '1',
      '--t',
      '0.333',
      '--p',
      '0.8',
      '--metric',
      'Wq',
    );
    expect(sl.c).toBeGreaterThan(100);
  });

  test('every listed model runs its own help example', async () => {
    const help = await run('--help');
    const names = [...help.out.matchAll(/^ {2}([a-z0-9-]+) {2}/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThanOrEqual(20);
    for (const name of names) {
      const h = await run(name, '--help');
      expect(h.code).toBe(0);
      const examples = [...h.out.matchAll(/^ {2}scalelab model (.*)$/gm)].map((m) => m[1]);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const argv = example
          .split(/\s+/)
          .map((w) => (w.startsWith('data/') ? path.join(__dirname, '..', '..', w) : w));
        const r = await run(...argv);
        expect({ example, err: r.err, code: r.code }).toEqual({ example, err: '', code: 0 });
      }
    }
  });
});

describe('tables and help', () => {
  test('the table view lists values with units', async () => {
    const r = await run('mmc', '--lambda', '5', '--mu', '10', '--c', '2');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Pwait\s+0\.1\s+probability$/m);
    expect(r.out).toMatch(/^W\s+0\.106667\s+time$/m);
  });

  test('mva prints a station table', async () => {
    const r = await run(
      'mva',
      '--users',
      '3',
      '--think',
      '15',
      '--demands',
      '0.605,2.1,1.35',
      '--names',
      'cpu,d1,d2',
    );
    expect(r.out).toMatch(/^d1\s+/m);
  });

  test('--help lists models and keys with units', async () => {
    const all = await run('--help');
    expect(all.code).toBe(0);
    expect(all.out).toContain('mmc');
    const one = await run('mmc', '--help');
    expect(one.out).toMatch(/--lambda\s+1\/time\s+arrival rate/);
  });
});

describe('bad input: one line on stderr, exit code 2', () => {
  test.each([
    [['mm1', '--lambda', '2', '--mu', '1'], /UnstableSystemError/],
    [['mm1', '--lambda', '-1', '--mu', '1'], /lambda = -1/],
    [['mm1', '--lambda', 'fast', '--mu', '1'], /lambda = "fast"/],
    [['mm1', '--lambda', '1'], /missing --mu/],
    [
      ['mm1', '--lambda', '0.5', '--mu', '1', '--bogus', '1'],
      /unknown flag --bogus \(valid: --lambda, --mu, --t, --json, --help\)$/,
    ],
    [
      ['mm1', '--lamda', '1', '--mu', '2'],
      /^scalelab model mm1: unknown flag --lamda, did you mean --lambda\?$/,
    ],
    [['mm1', '--lambda', '1', '--lambda', '0.5', '--mu', '2'], /--lambda given twice/],
    [['mm1', '--json=yes', '--lambda', '1', '--mu', '2'], /--json takes no value/],
    [['mmcc1', '--lambda', '1'], /unknown model "mmcc1", did you mean mmcc\?$/],
    [['mmc', '--lambda', '1', '--mu', '1', '--c', '2.5'], /c = 2.5/],
    [['mmck', '--lambda', '1', '--mu', '1', '--c', '3', '--k', '2'], /K = 2/],
    [['erlangc', '--a', '10', '--c', '3'], /UnstableSystemError/],
    [['nosuchmodel'], /unknown model/],
    [[], /missing model name/],
    [['jackson', '--input', '/no/such/net.json'], /input/],
    [['mva', '--users', '3', '--demands', '1,x'], /demands\[1\]/],
    [['servers-for', '--lambda', '1', '--mu', '1'], /exactly one target/],
    [['mm1', '--lambda'], /needs a value/],
  ])('%j', async (argv, pattern) => {
    const r = await run(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(pattern);
  });
});
