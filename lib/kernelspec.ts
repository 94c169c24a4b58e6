/**
 * `scalelab jupyter`: a project-local tslab kernel spec, and Jupyter started on the labs.
 *
 * The kernel spec goes into `<workspace>/.jupyter-local/kernels/tslab/kernel.json` (lib/project.ts) and is found
 * through `JUPYTER_PATH`, which Jupyter searches before the user's and the system's folders, so
 * the user's global Jupyter setup is never touched. It starts this project's tslab
 * (`node_modules/tslab/bin/tslab`) with the Node running scalelab, rather than a bare `tslab`
 * looked up on PATH (tslab's own installer; nbconvert fails with FileNotFoundError without it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { jupyterDataDir, notebooksDir, projectRoot, workspaceRoot } from './project';
import { plotlyScriptPath } from './plot/html';
import type { CommandIO } from './cli/io';

/** The kernel name the notebooks declare in their metadata. */
export const kernelName = 'tslab';

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: 'signal' | 'message';
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

/** The folder to put first on JUPYTER_PATH. */
export function localJupyterPath(): string {
  return jupyterDataDir();
}

/** The kernel spec for this project's tslab, started by the Node running this process. */
export function tslabKernelSpec(): KernelSpec {
  const tslabMain = require.resolve('tslab/bin/tslab', { paths: [projectRoot()] });
  return {
    argv: [process.execPath, tslabMain, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (scalelab)',
    language: 'typescript',
    interrupt_mode: 'signal',
    // a notebook's results and outputs go where `scalelab jupyter` ran (lib/project.ts), not under the notebooks' folder
    env: { SCALELAB_WORKSPACE: workspaceRoot() },
    metadata: { scalelab: true },
  };
}

/**
 * Writes the kernel spec under {@link localJupyterPath} and a copy of plotly.js next to the
 * notebooks (for the classic Notebook's HTML outputs). Returns the kernel spec's folder.
 */
export function installKernelSpec(): string {
  const dir = path.join(localJupyterPath(), 'kernels', kernelName);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'kernel.json'),
    JSON.stringify(tslabKernelSpec(), null, 2) + '\n',
  );
  copyPlotlyNextTo(notebooksDir());
  return dir;
}

/** Copies plotly.min.js into `dir` (the loader in figure outputs looks for `./plotly.min.js`). */
export function copyPlotlyNextTo(dir: string): string {
  const target = path.join(dir, 'plotly.min.js');
  const source = plotlyScriptPath();
  const stale = !fs.existsSync(target) || fs.statSync(target).size !== fs.statSync(source).size;
  if (stale) {
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(source, target);
  }
  return target;
}

/** The environment that makes Jupyter find the local kernel spec first. */
export function jupyterEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const existing = base.JUPYTER_PATH;
  return {
    ...base,
    JUPYTER_PATH: existing
      ? `${localJupyterPath()}${path.delimiter}${existing}`
      : localJupyterPath(),
  };
}

/** Where Jupyter is looked for: PATH, then /usr/bin and /usr/local/bin (Debian's Jupyter lives in /usr/bin). */
export function defaultSearchDirs(): string[] {
  const fromPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return Array.from(new Set([...fromPath, '/usr/bin', '/usr/local/bin']));
}

/** The first executable named `name` in `dirs`, or null. */
export function findExecutable(
  name: string,
  dirs: readonly string[] = defaultSearchDirs(),
): string | null {
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

export const jupyterInstallHelp = [
  'Jupyter is not installed (no jupyter-lab or jupyter-notebook on PATH, /usr/bin or /usr/local/bin).',
  'Install it, then run `scalelab jupyter` again:',
  '  Debian/Ubuntu:  sudo apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient',
  '  with pip:       pip install notebook            (or: pip install jupyterlab "plotly>=6.1" for JupyterLab with plotly rendering)',
  'The notebooks can also run without Jupyter: scalelab notebooks run --all',
].join('\n');

const usage = `Usage: scalelab jupyter [--lab | --notebook] [--install-only] [--print-path] [-- JUPYTER_ARGS...]

Registers a tslab kernel spec for this project (under ${'<root>'}/.jupyter-local, found through
JUPYTER_PATH; your global Jupyter setup is not touched), copies plotly.min.js next to the
notebooks, and starts Jupyter on notebooks/.

  --lab            start JupyterLab (default when jupyter-lab is installed)
  --notebook       start the classic Notebook / Notebook 7
  --install-only   write the kernel spec and exit
  --print-path     print the JUPYTER_PATH value to use with your own Jupyter command, and exit
  -- ARGS          passed on to Jupyter (e.g. -- --port 8890 --no-browser)`;

/** `scalelab jupyter ...`; returns the exit code. */
export async function jupyterCommand(
  argv: string[],
  io: CommandIO,
  { searchDirs = defaultSearchDirs() }: { searchDirs?: readonly string[] } = {},
): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const passOn = dash >= 0 ? argv.slice(dash + 1) : [];
  const known = new Set(['--lab', '--notebook', '--install-only', '--print-path', '--help', '-h']);
  const unknown = own.filter((a) => !known.has(a));
  if (unknown.length) {
    io.err(
      `scalelab jupyter: unknown option ${unknown[0]} (valid: ${[...known].filter((k) => k !== '-h').join(', ')}, -- ARGS)`,
    );
    return 2;
  }
  if (own.includes('--help') || own.includes('-h')) {
    io.out(usage);
    return 0;
  }
  if (own.includes('--lab') && own.includes('--notebook')) {
    io.err('scalelab jupyter: --lab and --notebook exclude each other');
    return 2;
  }
  const specDir = installKernelSpec();
  if (own.includes('--print-path')) {
    io.out(jupyterEnv().JUPYTER_PATH as string);
    return 0;
  }
  io.out(`kernel spec "${kernelName}" written to ${specDir}`);
  if (own.includes('--install-only')) {
    io.out(`use it with: JUPYTER_PATH=${jupyterEnv().JUPYTER_PATH} jupyter ...`);
    return 0;
  }
  const lab = findExecutable('jupyter-lab', searchDirs);
  const notebook = findExecutable('jupyter-notebook', searchDirs);
  const chosen = own.includes('--notebook')
    ? notebook
    : own.includes('--lab')
      ? lab
      : (lab ?? notebook);
  if (!chosen) {
    io.err(
      own.includes('--lab') && notebook
        ? 'JupyterLab is not installed; try scalelab jupyter --notebook, or pip install jupyterlab'
        : jupyterInstallHelp,
    );
    return 1;
  }
  io.out(`starting ${path.basename(chosen)} on ${notebooksDir()}`);
  return new Promise<number>((resolve) => {
    const child = spawn(chosen, [`--notebook-dir=${notebooksDir()}`, ...passOn], {
      cwd: notebooksDir(),
      env: jupyterEnv(),
      stdio: 'inherit',
    });
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (e) => {
      io.err(`scalelab jupyter: cannot start ${chosen}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
