/**
 * Monotone searches shared by the capacity-planning inverses (fewest servers, largest arrival rate,
 * most users) and by percentile inversion.
 */

/**
 * The smallest integer n >= start with `ok(n)` true, for a predicate that is false below some point
 * and true from it on. Doubles the step until `ok` holds, then bisects: O(log n) calls.
 * Returns null if `ok` is still false at `limit`.
 */
export function smallestIntegerWhere(
  ok: (n: number) => boolean,
  start: number,
  limit = 1e9,
): number | null {
  if (ok(start)) return start;
  let bad = start;
  let step = 1;
  let good = start + step;
  while (!ok(good)) {
    bad = good;
    if (good >= limit) return null;
    step *= 2;
    good = Math.min(start + step, limit);
  }
  while (good - bad > 1) {
    const mid = Math.floor((bad + good) / 2);
    if (ok(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

/**
 * The largest x in [lo, hi] with `ok(x)` true, for a predicate true below some point and false above
 * it (ok(lo) must hold). Bisects to a relative width of `relTol`.
 */
export function largestValueWhere(
  ok: (x: number) => boolean,
  lo: number,
  hi: number,
  relTol = 1e-12,
): number {
  if (ok(hi)) return hi;
  let good = lo;
  let bad = hi;
  for (let i = 0; i < 200 && bad - good > relTol * Math.max(Math.abs(bad), 1e-300); i++) {
    const mid = good + (bad - good) / 2;
    if (ok(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

/**
 * The t >= 0 where a non-increasing tail function P(T > t) falls to `target` (0 < target < 1):
 * the (1 - target) quantile. Brackets by doubling from `scale`, then bisects.
 */
export function invertTail(tail: (t: number) => number, target: number, scale: number): number {
  if (tail(0) <= target) return 0;
  let hi = scale > 0 ? scale : 1;
  for (let i = 0; i < 2000 && tail(hi) > target; i++) hi *= 2;
  let lo = 0;
  for (let i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
    const mid = lo + (hi - lo) / 2;
    if (tail(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
