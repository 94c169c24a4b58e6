import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { version } from '../package.json';
import { jupyterCommand, localJupyterPath, tslabKernelSpec } from '../lib/kernelspec';

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'scalelab.js');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe('the scalelab command', () => {
  it('prints its version and help, and rejects an unknown command with exit code 2', () => {
    const v = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const h = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(h.stdout).toMatch(/Commands:[\s\S]*jupyter/);
    const bad = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toMatch(
      /^scalelab: unknown command "frobnicate" \(valid: list, run, report, model, notebooks, [a-z, ]*jupyter\); see scalelab --help$/,
    );
    const near = spawnSync(process.execPath, [bin, 'lsit'], { encoding: 'utf8' });
    expect(near.status).toBe(2);
    expect(near.stderr.trim()).toBe(
      'scalelab: unknown command "lsit", did you mean list?; see scalelab --help',
    );
  });
});

describe('every example that a --help prints runs (issue 15 point 2)', () => {
  // as a user runs them, in a folder of their own: the workspace (SCALELAB_WORKSPACE, the current
  // folder) is a temporary one holding the checkout's input files, so outputs never land in the checkout
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-examples-'));
  fs.mkdirSync(path.join(workspace, 'data'));
  for (const input of ['architectures', 'examples'])
    fs.symlinkSync(path.join(root, 'data', input), path.join(workspace, 'data', input));
  const env = { ...process.env, SCALELAB_WORKSPACE: workspace };
  const scalelab = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: workspace, env });
  const examplesOf = (help: string) => {
    const section = help.split(/^Examples:$/m)[1] ?? '';
    return [...section.matchAll(/^ {2}scalelab (.+)$/gm)].map((m) => m[1].trim().split(/\s+/));
  };
  const top = scalelab(['--help']).stdout;
  const commands = [
    ...(top.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}([a-z][a-z-]*) {2}/gm),
  ].map((m) => m[1]);

  it('the top level and every command have examples', () => {
    expect(commands).toEqual(
      expect.arrayContaining(['list', 'run', 'report', 'model', 'notebooks', 'plan', 'jupyter']),
    );
    expect(examplesOf(top).length).toBeGreaterThan(0);
    for (const c of commands)
      expect({ c, examples: examplesOf(scalelab([c, '--help']).stdout).length > 0 }).toEqual({
        c,
        examples: true,
      });
  });

  it('each runs with exit code 0, in the order printed (run before report and merge)', () => {
    const examples = [top, ...commands.map((c) => scalelab([c, '--help']).stdout)].flatMap(
      examplesOf,
    );
    for (const args of examples) {
      const r = scalelab(args);
      expect({
        example: args.join(' '),
        code: r.status,
        err: r.status === 0 ? '' : r.stderr,
      }).toEqual({ example: args.join(' '), code: 0, err: '' });
    }
    expect(fs.readdirSync(path.join(workspace, 'data', 'results')).length).toBeGreaterThan(0);
  }, 600000);
});

describe('scalelab jupyter', () => {
  it("registers a kernel spec that starts this project's tslab with this Node, outside the user's Jupyter folders", async () => {
    const { io, out } = capture();
    expect(await jupyterCommand(['--install-only'], io)).toBe(0);
    const specFile = path.join(localJupyterPath(), 'kernels', 'tslab', 'kernel.json');
    const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
    expect(spec).toEqual(tslabKernelSpec());
    expect(spec.argv[0]).toBe(process.execPath);
    expect(spec.argv[1]).toBe(path.join(root, 'node_modules', 'tslab', 'bin', 'tslab'));
    expect(spec.argv.slice(2)).toEqual(['kernel', '--config-path', '{connection_file}']);
    expect(localJupyterPath().startsWith(root)).toBe(true);
    expect(out.join('\n')).toContain(`JUPYTER_PATH=${localJupyterPath()}`);
    expect(fs.existsSync(path.join(root, 'notebooks', 'plotly.min.js'))).toBe(true);
  });

  it('says exactly how to install Jupyter, and exits non-zero, when it is missing', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-jupyter-'));
    const { io, err } = capture();
    expect(await jupyterCommand([], io, { searchDirs: [empty] })).toBe(1);
    expect(err.join('\n')).toContain(
      'apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient',
    );
    expect(err.join('\n')).toContain('pip install notebook');
  });

  it('rejects unknown options with exit code 2', async () => {
    const { io, err } = capture();
    expect(await jupyterCommand(['--colab'], io)).toBe(2);
    expect(err[0]).toMatch(
      /unknown option --colab \(valid: --lab, --notebook, --install-only, --print-path, --help, -- ARGS\)/,
    );
  });
});

describe('issue 23, point 6: the exit code and the message do not depend on --threads', () => {
  it('a budget error raised inside a sweep worker comes back as the same error, exit 2, as on one thread', () => {
    // the command with a fixture experiment that does not estimate its work, so the kernel's budget
    // trips inside the replication (every catalog experiment that runs a simulation estimates it)
    const fixture = path.join(__dirname, 'fixtures', 'budget-cli.js');
    const name = 'fixture-unestimated-mm1';
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-threads-'));
    const run = (threads: string) =>
      spawnSync(
        process.execPath,
        [
          fixture,
          'run',
          name,
          '--max-events',
          '2000',
          '--reps',
          '2',
          '--threads',
          threads,
          '--quiet',
          '--out',
          out,
        ],
        { encoding: 'utf8', cwd: root },
      );
    const one = run('1');
    const two = run('2');
    expect(one.status).toBe(2);
    expect(two.status).toBe(2);
    expect(two.stderr).toBe(one.stderr);
    expect(one.stderr).toMatch(/^scalelab run: WorkBudgetError: /);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
