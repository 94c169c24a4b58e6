/** Locating the scalelab project root and the tslab kernel it ships. */
import * as fs from 'fs';
import * as path from 'path';
import { findScalelabRoot } from '../project';

/** The scalelab package root (see lib/project.ts). */
export { findScalelabRoot };

/** Paths of the tslab installation the kernel is started from. */
export interface TslabInstallation {
  /** node_modules/tslab/dist/main.js (defines `main()`, does not run it) */
  main: string;
  /** node_modules/tslab/bin/tslab: the command-line entry that calls `main()`; the kernel is started with it */
  bin: string;
  /** tslab's package folder */
  dir: string;
  version: string;
}

/** Resolves tslab (with require.resolve, from the project root). */
export function resolveTslab(root: string = findScalelabRoot()): TslabInstallation {
  let pkgJson: string;
  try {
    pkgJson = require.resolve('tslab/package.json', { paths: [root] });
  } catch {
    throw new Error(`tslab is not installed under ${root}; run npm install`);
  }
  const dir = path.dirname(pkgJson);
  const version = String(JSON.parse(fs.readFileSync(pkgJson, 'utf8')).version);
  return {
    main: path.join(dir, 'dist', 'main.js'),
    bin: path.join(dir, 'bin', 'tslab'),
    dir,
    version,
  };
}

/** The TypeScript version tslab compiles cells with (its bundled compiler), or undefined. */
export function tslabTypescriptVersion(tslab: TslabInstallation): string | undefined {
  try {
    const p = require.resolve('@tslab/typescript-for-tslab/package.json', { paths: [tslab.dir] });
    return String(JSON.parse(fs.readFileSync(p, 'utf8')).version);
  } catch {
    return undefined;
  }
}
