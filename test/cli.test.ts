import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
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
    expect(v.stdout.trim()).toBe(require('../package.json').version);
    const h = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(h.stdout).toMatch(/Commands:[\s\S]*jupyter/);
    const bad = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('scalelab: unknown command "frobnicate" (valid: list, run, report, model, notebooks, jupyter; see scalelab --help)');
  });
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
    expect(err.join('\n')).toContain('apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient');
    expect(err.join('\n')).toContain('pip install notebook');
  });

  it('rejects unknown options with exit code 2', async () => {
    const { io, err } = capture();
    expect(await jupyterCommand(['--colab'], io)).toBe(2);
    expect(err[0]).toMatch(/unknown option --colab \(valid: --lab, --notebook, --install-only, --print-path, --help, -- ARGS\)/);
  });
});
