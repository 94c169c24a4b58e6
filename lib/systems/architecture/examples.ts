/**
 * The example architectures shipped with the package under data/architectures/: the eight steps
 * of lab 12's scaling story (01-single-server ... 08-two-datacenters), validated.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArchitecture } from './validate';
import type { Architecture } from './types';

/** data/architectures, from lib/systems/architecture or dist/systems/architecture. */
export const architecturesDir = path.resolve(__dirname, '..', '..', '..', 'data', 'architectures');

let cached: Architecture[] | null = null;

/** The example architectures in file order (fresh copies). */
export function exampleArchitectures(): Architecture[] {
  if (cached === null) {
    cached = fs
      .readdirSync(architecturesDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => parseArchitecture(fs.readFileSync(path.join(architecturesDir, f), 'utf8'), f));
  }
  return cached.map((a) => structuredClone(a));
}
