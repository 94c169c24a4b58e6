/**
 * How to run one of lib/measure's files as its own Node process: the compiled .js beside this
 * file when there is one (dist/measure), else the compiled copy under dist/, else the .ts source
 * through ts-node (tests run from source).
 */
import * as fs from 'fs';
import * as path from 'path';

export function nodeScript(name: string): { command: string; args: string[] } {
  const js = path.join(__dirname, `${name}.js`);
  if (fs.existsSync(js)) return { command: process.execPath, args: [js] };
  const dist = path.join(__dirname, '..', '..', 'dist', 'measure', `${name}.js`);
  if (fs.existsSync(dist)) return { command: process.execPath, args: [dist] };
  const ts = path.join(__dirname, `${name}.ts`);
  return { command: process.execPath, args: ['-r', 'ts-node/register/transpile-only', ts] };
}
