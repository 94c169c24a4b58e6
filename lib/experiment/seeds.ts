/**
 * Seeds for sweeps: each grid point's seed is derived from the master seed and the point's
 * content (not its position), and each replication's from the point's seed and its index. So the
 * numbers of a point do not depend on the number of threads, the order tasks finish in, or which
 * other points the grid holds.
 */
import { deriveSeed } from '../random/streams';
import type { Point } from './experiment';

/** The point's fields, sorted by name, less those in `shared`: a stable key for seeding. */
export function pointKey(point: Point, shared: readonly string[] = []): string {
  const keys = Object.keys(point)
    .filter((k) => !shared.includes(k))
    .sort();
  return JSON.stringify(keys.map((k) => [k, point[k]]));
}

/** The seed of replication `replication` of `point`. */
export function taskSeed(
  masterSeed: number,
  point: Point,
  replication: number,
  shared: readonly string[] = [],
): number {
  return deriveSeed(
    deriveSeed(masterSeed, `point:${pointKey(point, shared)}`),
    `replication:${replication}`,
  );
}
