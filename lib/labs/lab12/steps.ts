/**
 * The eight steps of lab 12's scaling story, one architecture file each under
 * data/architectures/ (shipped with the package): 1 one host, 2 the database apart, 3 a balancer and
 * n web servers, 4 read replicas, 5 memcached, 6 a CDN, 7 a stateless autoscaled web tier, 8 two
 * datacenters behind GeoDNS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArchitecture } from '../../systems/architecture/validate';
import type { Architecture } from '../../systems/architecture/types';

export const lab12 = '12-scaling-a-web-application';

/** data/architectures, from lib/labs/lab12 or dist/labs/lab12. */
export const architecturesDir = path.resolve(__dirname, '..', '..', '..', 'data', 'architectures');

let cached: Architecture[] | null = null;

/** The eight step architectures, validated, in step order. */
export function scalingSteps(): Architecture[] {
  if (cached === null) {
    cached = fs
      .readdirSync(architecturesDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => parseArchitecture(fs.readFileSync(path.join(architecturesDir, f), 'utf8'), f));
  }
  return cached.map((a) => structuredClone(a));
}
