/** Input files for `scalelab model`: model.json (MVA), net.json (Jackson), points.csv (USL). */
import { readFileSync } from 'fs';
import { ParameterError } from '../errors';
import type { ScalabilityPoint } from '../queueing/usl-fit';

/** Reads and parses a JSON file; errors name the file. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ParameterError(
      'input',
      path,
      `must be a readable file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ParameterError('input', path, `must hold valid JSON (${(e as Error).message})`);
  }
}

const N_NAMES = ['n', 'load', 'users', 'concurrency', 'nodes', 'threads', 'clients', 'p'];
const X_NAMES = ['x', 'tput', 'throughput', 'rate'];

/**
 * Reads (N, X) points from CSV: comma, semicolon, tab or space separated; '#' comments; an optional
 * header naming the columns (N / load / users ... and X / tput / throughput), else the first two columns.
 */
export function readPointsCsv(path: string): ScalabilityPoint[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ParameterError(
      'input',
      path,
      `must be a readable file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const rows = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((l) => l.split(/[,;\t ]+/).map((c) => c.trim().replace(/^"|"$/g, '')));
  if (rows.length === 0)
    throw new ParameterError('input', path, 'must hold at least 3 rows of N,X');
  let nCol = 0;
  let xCol = 1;
  if (rows[0].some((c) => c !== '' && !Number.isFinite(Number(c)))) {
    const header = rows.shift()!.map((c) => c.toLowerCase());
    const n = header.findIndex((h) => N_NAMES.includes(h));
    const x = header.findIndex((h) => X_NAMES.includes(h));
    if (n >= 0) nCol = n;
    if (x >= 0) xCol = x;
  }
  return rows.map((r, i) => {
    const N = Number(r[nCol]);
    const X = Number(r[xCol]);
    if (
      !Number.isFinite(N) ||
      !Number.isFinite(X) ||
      r[nCol] === undefined ||
      r[xCol] === undefined
    ) {
      throw new ParameterError(`input row ${i + 1}`, r.join(','), 'must hold two numbers N,X');
    }
    return { N, X };
  });
}
