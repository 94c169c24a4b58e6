/**
 * A cache alone, driven by a request stream as fast as it goes (no network, no database): the
 * hit ratio of a policy, a size and a TTL under a popularity model, or of a trace. Requests are
 * Poisson at `rate` (times only matter for TTLs and churn). Cache-aside: every miss is followed
 * by a set of the object with the TTL.
 */
import { Exponential } from '../../random/exponential';
import type { Distribution } from '../../random/distribution';
import type { Rng } from '../../random/xoshiro128';
import type { CacheStore } from './store';
import type { KeySampler } from './popularity';

export interface ReplayOptions {
  requests: number;
  /** Requests per second (default 1). */
  rate?: number;
  /** Item TTL in seconds (default 0: never expires). */
  ttl?: number;
  /** Object sizes (bytes) when the capacity is in bytes: one draw per object, fixed. */
  sizes?: Float64Array;
  /** Requests replayed before the counters restart (default 0). */
  warmup?: number;
}

export interface ReplayResult {
  requests: number;
  hits: number;
  misses: number;
  hitRatio: number;
  /** Byte hit ratio: bytes served from the cache / bytes requested (= hitRatio with unit sizes). */
  byteHitRatio: number;
  evictions: number;
  expirations: number;
}

/** Object sizes: one draw of `dist` per key (at least 1 byte), on the stream given. */
export function objectSizes(keys: number, dist: Distribution, rng: Rng): Float64Array {
  const s = new Float64Array(keys);
  for (let k = 0; k < keys; k++) s[k] = Math.max(1, Math.round(dist.sample(rng)));
  return s;
}

export function replay(
  store: CacheStore,
  keys: KeySampler,
  rng: Rng,
  options: ReplayOptions,
): ReplayResult {
  const rate = options.rate ?? 1;
  const ttl = options.ttl ?? 0;
  const sizes = options.sizes ?? null;
  const gap = new Exponential(rate);
  const warm = options.warmup ?? 0;
  let t = 0;
  let bytes = 0;
  let hitBytes = 0;
  for (let i = 0; i < warm + options.requests; i++) {
    if (i === warm) {
      store.resetCounters();
      bytes = 0;
      hitBytes = 0;
    }
    t += gap.sample(rng);
    const k = keys.next(t, rng);
    const s = sizes !== null ? sizes[k] : 1;
    bytes += s;
    if (store.get(k, t)) hitBytes += s;
    else store.set(k, t, ttl, s);
  }
  return {
    requests: options.requests,
    hits: store.hits,
    misses: store.misses,
    hitRatio: store.hitRatio,
    byteHitRatio: bytes > 0 ? hitBytes / bytes : NaN,
    evictions: store.evictions,
    expirations: store.expirations,
  };
}
