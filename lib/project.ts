/**
 * Locating this scalelab checkout or installation on disk: its root (the folder holding the
 * `package.json` named `scalelab`), and the folders the tools read and write.
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
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'scalelab') return dir;
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

/** The lab notebooks shipped with scalelab. */
export function notebooksDir(): string {
  return path.join(projectRoot(), 'notebooks');
}

/** The git-ignored folder for generated outputs (executed notebooks, screenshots, pages). */
export function outputDir(): string {
  return path.join(projectRoot(), 'out');
}
