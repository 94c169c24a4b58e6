/**
 * The CDN edge of an architecture (issue 26): its size in objects and its hit ratio, the same for
 * the analytic model (./layout.ts) and the simulation (./sim-cdn.ts sizes the CDN component's LRU
 * edge with it).
 *
 * Hit ratio: Che's approximation for LRU under the independent reference model with Zipf(alpha)
 * popularity over `cdn.objects` (Che, Tung and Wang, IEEE JSAC 20(7), 2002; justified by Fricker,
 * Robert and Roberts, ITC 2012: accurate to about a percent for N in the thousands and C/N from
 * 0.1 % up, ../shared/reference/models-for-new-labs.md), `cheHitRatio` below (also the memcached pool's): find T with
 * Σ_i (1 − e^(−p_i T)) = C, then h = Σ_i p_i (1 − e^(−p_i T)). The edge's freshness lifetime
 * (`cdn.maxAge`, a year by default) is taken as longer than any object's stay in the LRU, so only
 * the capacity limits the hits; a short maxAge makes the simulated ratio lower than Che's.
 *
 * Size: `cdn.capacity` when given; otherwise the capacity whose Che hit ratio is `cdn.hitRatio`
 * (default 0.9), by bisection on the integer capacity in [1, objects] (h(C) increases with C,
 * and h(objects) = 1; lib/queueing/search.ts `smallestIntegerWhere`): the C among the two around the crossing whose ratio is nearest. A ratio that no
 * capacity reaches within {@link HIT_RATIO_TOLERANCE} (below the ratio of one object, e.g. 0.01
 * with alpha 1.2) is a ParameterError on `cdn.hitRatio`. Giving both is a ParameterError
 * (./validate.ts): the capacity would silently override the ratio.
 */
import { ParameterError } from '../../errors';
import { smallestIntegerWhere } from '../../queueing/search';
import { cheLru, zipfPopularity } from '../cache/theory';
import type { CdnSpec } from './types';

/** The hit ratio used when a file gives neither `cdn.capacity` nor `cdn.hitRatio` (the schema's old default). */
export const DEFAULT_CDN_HIT_RATIO = 0.9;

/** How far Che's ratio of the inverted capacity may be from the asked `cdn.hitRatio`. */
export const HIT_RATIO_TOLERANCE = 0.005;

export interface CdnEdge {
  /** Objects one edge holds. */
  capacity: number;
  /** Che's hit ratio of that capacity. */
  hitRatio: number;
}

const cheMemo = new Map<string, number>();

/** Che's LRU hit ratio for Zipf(alpha) over `objects` with `capacity` objects, memoised (1 when everything fits). */
export function cheHitRatio(objects: number, alpha: number, capacity: number): number {
  const key = `${objects}/${alpha}/${capacity}`;
  let h = cheMemo.get(key);
  if (h === undefined) {
    h = capacity >= objects ? 1 : cheLru(zipfPopularity(objects, alpha), capacity).hitRatio;
    cheMemo.set(key, h);
  }
  return h;
}

const memo = new Map<string, number>();

/** The smallest-error capacity in [1, objects] whose Che hit ratio is `ratio` (throws when none is within the tolerance). */
export function edgeCapacityFor(objects: number, alpha: number, ratio: number): number {
  const key = `${objects}/${alpha}/${ratio}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const h = (c: number): number => cheHitRatio(objects, alpha, c);
  // the smallest capacity reaching the ratio (h increases, h(objects) = 1; none for a ratio above 1)
  const hi = smallestIntegerWhere((c) => h(c) >= ratio, 1, objects) ?? objects;
  const c = hi > 1 && Math.abs(h(hi - 1) - ratio) < Math.abs(h(hi) - ratio) ? hi - 1 : hi;
  if (Math.abs(h(c) - ratio) > HIT_RATIO_TOLERANCE)
    throw new ParameterError(
      'cdn.hitRatio',
      ratio,
      `no edge capacity reaches it with cdn.objects = ${objects}, cdn.alpha = ${alpha}: Che's LRU hit ratio runs from ${h(1).toFixed(4)} (one object) to 1 (${objects}); give a ratio in that range or cdn.capacity`,
    );
  memo.set(key, c);
  return c;
}

/** The edge of `cdn`: its capacity (given, or inverted from the hit ratio) and Che's hit ratio of it. */
export function cdnEdgeOf(cdn: CdnSpec): CdnEdge {
  const capacity =
    cdn.capacity ?? edgeCapacityFor(cdn.objects, cdn.alpha, cdn.hitRatio ?? DEFAULT_CDN_HIT_RATIO);
  return { capacity, hitRatio: cheHitRatio(cdn.objects, cdn.alpha, capacity) };
}
