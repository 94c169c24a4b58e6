/**
 * What the lab 07 experiments share: the lab id and the Zipf popularity of a catalogue, computed
 * once per (n, α).
 */
import { zipfPopularity } from '../../systems/cache/theory';

export const lab = '07-caching-and-cdn';

const popularityCache = new Map<string, Float64Array>();
/** Zipf(α) popularity over n objects, computed once per (n, α). */
export function popularityOf(n: number, alpha: number): Float64Array {
  const k = `${n}:${alpha}`;
  let p = popularityCache.get(k);
  if (p === undefined) {
    p = zipfPopularity(n, alpha);
    popularityCache.set(k, p);
  }
  return p;
}
