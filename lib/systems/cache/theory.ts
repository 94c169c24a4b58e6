/**
 * Hit ratios of a cache under the independent reference model (IRM): requests for object i form
 * a Poisson stream of rate λ·p_i, independent of everything else.
 *
 * - LRU, Che's approximation (Che, Tung & Wang, IEEE JSAC 20(7), 2002; justified by Fricker,
 *   Robert & Roberts, ITC 2012): the characteristic time T solves Σ_i (1 − e^(−p_i·T)) = C;
 *   object i is in the cache with probability 1 − e^(−p_i·T), and h = Σ_i p_i (1 − e^(−p_i·T)).
 * - FIFO and random replacement (same hit ratio under IRM, Gelenbe, "A unified approach to the
 *   evaluation of a class of replacement algorithms", IEEE ToC 22(6), 1973): the same method with
 *   h_i = p_i·T / (1 + p_i·T) and Σ_i h_i = C (Fricker, Robert & Roberts 2012; Martina, Garetto &
 *   Leonardi, INFOCOM 2014).
 * - Perfect LFU with static popularity: the C most popular objects, h = Σ_{i≤C} p_i.
 * - A TTL cache (reset on miss: the copy expires T after the fetch): h_i = λ_i·T / (1 + λ_i·T),
 *   fetch rate λ_i / (1 + λ_i·T) (renewal cycle: a miss, then T of hits, then an exponential wait).
 * T is found by bracketing (doubling) and bisection to machine precision: the sums are increasing
 * in T, from 0 to N.
 */
import { ParameterError, requireInteger, requirePositive } from '../../errors';

/** Zipf(α) popularity over ranks 1..n: p_k = k^(−α) / Σ_j j^(−α). */
export function zipfPopularity(n: number, alpha: number): Float64Array {
  requireInteger('n', n, 1, 1e8);
  if (!(alpha >= 0 && alpha <= 100))
    throw new ParameterError('alpha', alpha, 'must be a number in [0, 100]');
  const p = new Float64Array(n);
  let sum = 0;
  for (let k = n; k >= 1; k--) {
    p[k - 1] = Math.pow(k, -alpha);
    sum += p[k - 1];
  }
  for (let i = 0; i < n; i++) p[i] /= sum;
  return p;
}

/** The root T >= 0 of an increasing `f` with f(0) < 0 < f(∞), by doubling then bisection. */
export function increasingRoot(f: (t: number) => number, start: number = 1): number {
  let lo = 0;
  let hi = start;
  let guard = 0;
  while (f(hi) < 0) {
    lo = hi;
    hi *= 2;
    if (++guard > 2000) throw new RangeError('increasingRoot: no sign change');
  }
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

export interface CacheApproximation {
  /** Characteristic time, in requests (multiply by 1/λ for seconds). */
  T: number;
  /** Overall hit ratio Σ p_i h_i. */
  hitRatio: number;
  /** Per-object hit (occupancy) probability h_i. */
  perObject: Float64Array;
}

function checkCapacity(p: ArrayLike<number>, capacity: number): void {
  if (p.length < 1) throw new ParameterError('popularity', p, 'must hold at least one object');
  requirePositive('capacity', capacity);
}

function approximation(
  p: ArrayLike<number>,
  capacity: number,
  occupancy: (x: number) => number,
): CacheApproximation {
  checkCapacity(p, capacity);
  const n = p.length;
  const perObject = new Float64Array(n);
  if (capacity >= n) {
    perObject.fill(1);
    return { T: Infinity, hitRatio: 1, perObject };
  }
  const f = (t: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += occupancy(p[i] * t);
    return s - capacity;
  };
  const T = increasingRoot(f, capacity);
  let h = 0;
  for (let i = 0; i < n; i++) {
    perObject[i] = occupancy(p[i] * T);
    h += p[i] * perObject[i];
  }
  return { T, hitRatio: h, perObject };
}

/** LRU: Che's approximation. `p` sums to 1; `capacity` in objects (may be fractional). */
export function cheLru(p: ArrayLike<number>, capacity: number): CacheApproximation {
  return approximation(p, capacity, (x) => -Math.expm1(-x));
}

/** FIFO and random replacement: h_i = p_i T/(1 + p_i T), Σ h_i = C. */
export function fifoRandomApproximation(
  p: ArrayLike<number>,
  capacity: number,
): CacheApproximation {
  return approximation(p, capacity, (x) => x / (1 + x));
}

/** Perfect LFU with static popularity: the top-C sum (p sorted descending, as Zipf ranks are). */
export function lfuTopC(p: ArrayLike<number>, capacity: number): number {
  checkCapacity(p, capacity);
  const sorted = Array.from(p).sort((a, b) => b - a);
  let h = 0;
  const whole = Math.min(sorted.length, Math.floor(capacity));
  for (let i = 0; i < whole; i++) h += sorted[i];
  return h;
}

/** One object's hit ratio in a TTL cache (reset on miss): λT / (1 + λT). */
export function ttlHitRatio(rate: number, ttl: number): number {
  return (rate * ttl) / (1 + rate * ttl);
}

/** One object's fetch (miss) rate from a TTL cache: λ / (1 + λT). */
export function ttlFetchRate(rate: number, ttl: number): number {
  return rate / (1 + rate * ttl);
}

/** A TTL cache's overall hit ratio for total rate λ spread by `p`: Σ p_i λ p_i T / (1 + λ p_i T). */
export function ttlCacheHitRatio(p: ArrayLike<number>, rate: number, ttl: number): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) h += p[i] * ttlHitRatio(rate * p[i], ttl);
  return h;
}

/** Total fetch rate of a TTL cache: Σ λ p_i / (1 + λ p_i T). */
export function ttlCacheFetchRate(p: ArrayLike<number>, rate: number, ttl: number): number {
  let r = 0;
  for (let i = 0; i < p.length; i++) r += ttlFetchRate(rate * p[i], ttl);
  return r;
}
