/**
 * Where scalelab reads and where it writes.
 *
 * - The package root (the folder holding the `package.json` named `scalelab`): a checkout, or
 *   `node_modules/scalelab` in a project that depends on it. Read only: the shipped notebooks,
 *   the input data (data/architectures, data/geodns, ...), tslab and plotly.js.
 * - The workspace: where outputs go (data/results, out/, .jupyter-local, the notebooks Jupyter
 *   opens). It is the current folder, except inside a checkout (the current folder at or under
 *   the package root, which is not installed under node_modules), where it is the checkout
 *   itself, so that `npx scalelab run` in lib/ or notebooks/ writes the checkout's data/results
 *   as before. `SCALELAB_WORKSPACE` overrides both (the Jupyter kernel spec sets it, so that a
 *   notebook reads the results `scalelab run` wrote where Jupyter was started).
 *   An installed package never writes inside node_modules.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The folder at or above `start` whose package.json is named "scalelab". */
export function findScalelabRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'scalelab')
          return dir;
      } catch {
        /* unreadable package.json: keep walking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the scalelab package root above ${start}`);
    dir = up;
  }
}

let cachedRoot: string | undefined;

/** The package root, found by walking up from this file (works from lib/ under ts-node and from dist/). */
export function projectRoot(): string {
  if (cachedRoot === undefined) cachedRoot = findScalelabRoot(__dirname);
  return cachedRoot;
}

/** Whether `root` is a checkout (or a copy) rather than a package installed under node_modules. */
export function isCheckout(root: string = projectRoot()): boolean {
  return !path.resolve(root).split(path.sep).includes('node_modules');
}

/** Whether `dir` is `root` or inside it. */
function within(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The folder outputs go under: `SCALELAB_WORKSPACE` when set; else the checkout when `cwd` is
 * at or under it; else `cwd`.
 */
export function workspaceRoot(
  cwd: string = process.cwd(),
  root: string = projectRoot(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  const fromEnv = env.SCALELAB_WORKSPACE;
  if (fromEnv) return path.resolve(fromEnv);
  const here = path.resolve(cwd);
  let real = here;
  try {
    real = fs.realpathSync(here);
  } catch {
    /* a folder that does not exist yet: take it as given */
  }
  if (isCheckout(root) && (within(here, root) || within(real, root))) return root;
  return here;
}

/** The lab notebooks shipped with scalelab (read only when installed under node_modules). */
export function packagedNotebooksDir(): string {
  return path.join(projectRoot(), 'notebooks');
}

/**
 * The notebooks Jupyter opens: the checkout's notebooks/ inside a checkout; else `notebooks/`
 * in the workspace, where every shipped notebook not already there is copied (a user's edited
 * copy is never overwritten).
 */
export function notebooksDir(): string {
  const shipped = packagedNotebooksDir();
  const workspace = workspaceRoot();
  if (workspace === projectRoot()) return shipped;
  const dir = path.join(workspace, 'notebooks');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.existsSync(shipped) ? fs.readdirSync(shipped) : []) {
    if (!name.endsWith('.ipynb')) continue;
    const target = path.join(dir, name);
    if (!fs.existsSync(target)) fs.copyFileSync(path.join(shipped, name), target);
  }
  return dir;
}

/** The git-ignored folder for generated outputs (executed notebooks, screenshots, pages), in the workspace. */
export function outputDir(): string {
  return path.join(workspaceRoot(), 'out');
}

/** Where `scalelab run` writes results and `scalelab report` reads them: data/results in the workspace. */
export function resultsDir(): string {
  return path.join(workspaceRoot(), 'data', 'results');
}

/** The folder holding the project-local Jupyter kernel spec (first on JUPYTER_PATH), in the workspace. */
export function jupyterDataDir(): string {
  return path.join(workspaceRoot(), '.jupyter-local');
}
