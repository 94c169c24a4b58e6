/** `scalelab notebooks ...` (notebooksCommand): usage, parameters, and a real run writing outputs. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { notebooksCommand } from '../../lib/cli/notebooks';
import { fixture, nbformatErrors } from './helpers';

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await notebooksCommand(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('--help', async () => {
  const r = await cli(['--help']);
  expect(r.code).toBe(0);
  expect(r.out).toContain('scalelab notebooks run NOTEBOOK...');
  expect(r.out).toContain('--param KEY=VALUE');
  expect((await cli(['run', '--help'])).code).toBe(0);
});

test.each([
  [['frob'], /unknown subcommand "frob"/],
  [['run'], /no notebook given/],
  [['run', '--all', 'x.ipynb'], /not both/],
  [['run', 'x', '--timeout', '0'], /--timeout 0: must be a number of seconds > 0/],
  [['run', 'x', '--param'], /--param needs a value/],
  [['run', 'x', '--bogus'], /unknown flag --bogus \(valid: --all, --param, /],
  [['run', 'x', '--parm', 'a=1'], /unknown flag --parm, did you mean --param\?/],
  [['run', 'x', '--param', 'a=1', '--param', 'a=2'], /--param a given twice/],
  [['run', 'no-such-notebook-xyz'], /notebook not found: no-such-notebook-xyz/],
  [
    ['run', fixture('basic.ipynb'), '--param', 'lambda=2'],
    /unknown parameter lambda; its parameters cell declares: rho, label, verbose, sizes/,
  ],
  [
    ['run', fixture('basic.ipynb'), '--param', 'rho=fast'],
    /parameter rho is declared as number, got "fast"/,
  ],
])('bad usage %j: one line, exit 2', async (argv, message) => {
  const r = await cli(argv as string[]);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(message as RegExp);
  expect(r.err.split('\n')).toHaveLength(1);
});

test('run writes the executed notebook and HTML; a failure exits 1 and keeps the partial notebook', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-nb-cli-'));
  try {
    const r = await cli([
      'run',
      fixture('basic.ipynb'),
      fixture('runtime-error.ipynb'),
      '--param',
      'rho=0.25',
      '--param',
      'label=cli run',
      '--out',
      out,
      '--timeout',
      '60',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ok .*basic\.ipynb in \d+\.\d s/);
    expect(r.err).toMatch(
      /runtime-error\.ipynb: cell 3 .*failed:\n[\s\S]*Error: capacity exceeded: rho = 1\.2/,
    );
    expect(r.err).toMatch(/FAILED .*runtime-error\.ipynb after .*partial notebook: /);
    expect(r.err).toContain('1 of 2 notebooks ran without error');
    expect(fs.readdirSync(out).sort()).toEqual([
      'basic.html',
      'basic.ipynb',
      'runtime-error.html',
      'runtime-error.ipynb',
    ]);
    const nb = JSON.parse(fs.readFileSync(path.join(out, 'basic.ipynb'), 'utf8'));
    expect(nbformatErrors(nb)).toBe('');
    expect(nb.metadata.scalelab.parameters).toEqual({ rho: 0.25, label: 'cli run' });
    expect(nb.cells[3].outputs[0].text.join('')).toContain('rho=0.25 label=cli run');
    const partial = JSON.parse(fs.readFileSync(path.join(out, 'runtime-error.ipynb'), 'utf8'));
    expect(nbformatErrors(partial)).toBe('');
    expect(partial.metadata.scalelab.execution).toMatchObject({ status: 'failed', failed_cell: 3 });
    expect(fs.readFileSync(path.join(out, 'runtime-error.html'), 'utf8')).toContain(
      'Execution failed at',
    );
    expect(fs.readFileSync(path.join(out, 'basic.html'), 'utf8')).toContain('window.Plotly');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 120000);
