import { ParameterError, requireInteger } from '../../errors';
import { fmix32 } from '../../random/streams';
import { MaglevTable } from './maglev';
import { hashString } from './hash-string';

/** 32-bit hash of an integer key (a client address, a URL id): MurmurHash3's finaliser. */
export function hashKey(key: number): number {
  return fmix32((key | 0) ^ 0x9e3779b9);
}

export { hashString } from './hash-string';

/**
 * Map-based hashing (HAProxy `balance source` / `uri` with the default `hash-type map-based`):
 * the key's hash modulo the total weight of the servers that are up, each server owning `weight`
 * consecutive slots. Any change of the up set renumbers the slots, so most keys move: N -> N-1
 * servers of equal weight remaps (N-1)/N of the keys.
 *
 * `eligible[i]` says whether server i is up; weights are the nominal (static) weights.
 */
export function moduloPick(
  hash: number,
  weights: ArrayLike<number>,
  eligible: ArrayLike<number>,
): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) if (eligible[i]) total += Math.round(weights[i]);
  if (total <= 0) return -1;
  let slot = (hash >>> 0) % total;
  for (let i = 0; i < weights.length; i++) {
    if (!eligible[i]) continue;
    const w = Math.round(weights[i]);
    if (slot < w) return i;
    slot -= w;
  }
  return -1;
}

/** Envoy `RING_HASH` defaults: `minimum_ring_size` 1024, `maximum_ring_size` 8M (8,388,608). */
export const RING_HASH_DEFAULTS = { minimum_ring_size: 1024, maximum_ring_size: 8388608 } as const;

/** HAProxy `hash-type consistent`: each server owns 16 x weight points (BE_WEIGHT_SCALE, src/lb_chash.c: `lb_nodes_tot = uweight * BE_WEIGHT_SCALE`). */
export const HAPROXY_POINTS_PER_WEIGHT = 16;

export interface HashRingOptions {
  minimum_ring_size?: number;
  maximum_ring_size?: number;
  /** Build the ring over these hosts only (Envoy rebuilds it over the healthy hosts); default all. */
  eligible?: ArrayLike<number>;
  /** Fixed points per unit of weight for every host (HAProxy `hash-type consistent`: 16); default: Envoy's scaling. */
  points_per_weight?: number;
}

/**
 * A consistent-hash ring: each host is hashed onto the ring at several points ("virtual nodes",
 * in proportion to its weight) and a key goes to the first point clockwise from its hash whose
 * host is eligible. Two ways to place the points, as the real balancers do:
 *
 * - Envoy `RING_HASH` (default; source/extensions/load_balancing_policies/ring_hash/
 *   ring_hash_lb.cc, RingHashLoadBalancer::Ring::Ring): the ring is built over the hosts given
 *   (Envoy: the healthy ones, rebuilt whenever they change, thread_aware_lb_impl.cc) with weights
 *   normalised over them, scale = min(ceil(w_min x minimum_ring_size) / w_min, maximum_ring_size),
 *   and host i's points `<name>_0`, `<name>_1`, ... filled by running sums of scale x w_i: with N
 *   equal hosts each has ceil(1024/N) points, so when one leaves every other host GAINS points and
 *   takes keys from the others too: more than 1/N of the keys move.
 * - HAProxy `hash-type consistent` (`points_per_weight` 16; src/lb_chash.c): every server owns a
 *   fixed 16 x weight points whatever the others do; a server going down only takes its own points
 *   out, so exactly its keys move (~1/N), as in Karger et al.'s and ketama's rings.
 *
 * Points are 32-bit hashes of the point names (FNV-1a + MurmurHash3's finaliser, not Envoy's
 * xxHash64 nor HAProxy's full_hash: the placements differ, their statistics do not). With
 * `hash_balance_factor` (percent > 100) the lookup also skips hosts whose load would exceed
 * factor% of the average (consistent hashing with bounded loads, Mirrokni, Thorup & Zadimoghaddam,
 * SODA 2018; HAProxy `hash-balance-factor`, Envoy `hash_balance_factor`).
 */
export class HashRing {
  readonly hosts: number;
  readonly points: Uint32Array;
  readonly owner: Int32Array;

  constructor(names: readonly string[], weights: ArrayLike<number>, options: HashRingOptions = {}) {
    const n = names.length;
    if (n === 0) throw new ParameterError('hosts', names, 'must hold at least one host');
    if (weights.length !== n)
      throw new ParameterError('weights', weights, `must have one weight per host (${n})`);
    const min = requireInteger(
      'minimum_ring_size',
      options.minimum_ring_size ?? RING_HASH_DEFAULTS.minimum_ring_size,
      1,
      RING_HASH_DEFAULTS.maximum_ring_size,
    );
    const max = requireInteger(
      'maximum_ring_size',
      options.maximum_ring_size ?? RING_HASH_DEFAULTS.maximum_ring_size,
      min,
      RING_HASH_DEFAULTS.maximum_ring_size,
    );
    const on = options.eligible;
    let total = 0;
    let wMin = Infinity;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w))
        throw new ParameterError(`weights[${i}]`, w, 'must be a finite number >= 0');
      if (w === 0 || (on !== undefined && !on[i])) continue;
      total += w;
      if (w < wMin) wMin = w;
    }
    const counts = new Int32Array(n);
    const ppw = options.points_per_weight;
    if (ppw !== undefined) {
      for (let i = 0; i < n; i++)
        if (weights[i] > 0 && (on === undefined || on[i]))
          counts[i] = Math.max(1, Math.round(weights[i] * ppw));
    } else if (total > 0) {
      // Envoy: normalised weights, the lightest host gets a whole number of points, running sums
      const minNormalized = wMin / total;
      const scale = Math.min(Math.ceil(minNormalized * min) / minNormalized, max);
      let current = 0;
      let target = 0;
      for (let i = 0; i < n; i++) {
        if (!(weights[i] > 0) || (on !== undefined && !on[i])) continue;
        target += (scale * weights[i]) / total;
        let k = 0;
        while (current < target - 1e-9) {
          k++;
          current++;
        }
        counts[i] = k;
      }
    }
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      const base = ppw !== undefined ? hashString(names[i]) : 0;
      for (let k = 0; k < counts[i]; k++)
        pairs.push([
          ppw !== undefined ? fmix32((base + k) | 0) : hashString(`${names[i]}_${k}`),
          i,
        ]);
    }
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.hosts = n;
    this.points = new Uint32Array(pairs.length);
    this.owner = new Int32Array(pairs.length);
    pairs.forEach(([h, i], j) => {
      this.points[j] = h >>> 0;
      this.owner[j] = i;
    });
  }

  /** Index of the first point with hash >= h (wrapping to 0). */
  private firstAtOrAfter(h: number): number {
    let lo = 0;
    let hi = this.points.length;
    const x = h >>> 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.points.length ? 0 : lo;
  }

  /** The host owning `hash`: first eligible host clockwise; -1 if none is eligible. */
  lookup(hash: number, eligible: ArrayLike<number>): number {
    const size = this.points.length;
    if (size === 0) return -1;
    let j = this.firstAtOrAfter(hash);
    for (let step = 0; step < size; step++) {
      const i = this.owner[j];
      if (eligible[i]) return i;
      j = j + 1 === size ? 0 : j + 1;
    }
    return -1;
  }

  /**
   * Bounded-load lookup (HAProxy `hash-balance-factor`): walk clockwise to the first eligible host
   * whose load after this request stays within ceil(factor/100 x (total load + 1) x w_i / sum w),
   * the sums over eligible hosts. Some host always qualifies, so the walk ends.
   */
  lookupBounded(
    hash: number,
    eligible: ArrayLike<number>,
    load: ArrayLike<number>,
    weights: ArrayLike<number>,
    factor: number,
  ): number {
    let total = 0;
    let wSum = 0;
    for (let i = 0; i < this.hosts; i++) {
      if (!eligible[i]) continue;
      total += load[i];
      wSum += weights[i];
    }
    if (wSum <= 0 || this.points.length === 0) return -1;
    const slots = (factor / 100) * (total + 1);
    const size = this.points.length;
    let j = this.firstAtOrAfter(hash);
    let fallback = -1;
    for (let step = 0; step < size; step++) {
      const i = this.owner[j];
      if (eligible[i]) {
        if (fallback < 0) fallback = i;
        if (load[i] + 1 <= Math.ceil((slots * weights[i]) / wSum)) return i;
      }
      j = j + 1 === size ? 0 : j + 1;
    }
    return fallback;
  }
}

/** Keys owned by each host (a check of the ring's balance). */
export function ringShares(ring: HashRing, keys: number, eligible?: ArrayLike<number>): number[] {
  const all = eligible ?? new Uint8Array(ring.hosts).fill(1);
  const counts = new Array<number>(ring.hosts).fill(0);
  for (let k = 0; k < keys; k++) counts[ring.lookup(hashKey(k), all)]++;
  return counts.map((c) => c / keys);
}

/**
 * The fraction of `keys` keys that change host when host `removed` leaves a pool of `hosts` equal-
 * weight hosts, by enumeration: map-based (`modulo`), HAProxy's fixed ring (`consistent`, 16
 * points per host), Envoy's ring rebuilt over the hosts left (`ring_hash`, `ringSize` =
 * minimum_ring_size) or Envoy's Maglev table rebuilt (`maglev`, `tableSize` 65537).
 */
export function keysMovedOnRemoval(
  scheme: 'modulo' | 'consistent' | 'ring_hash' | 'maglev',
  hosts: number,
  keys: number,
  removed = hosts - 1,
  ringSize: number = RING_HASH_DEFAULTS.minimum_ring_size,
  tableSize = 65537,
): number {
  requireInteger('hosts', hosts, 2, 100000);
  requireInteger('keys', keys, 1, 1e8);
  requireInteger('removed', removed, 0, hosts - 1);
  const weights = new Float64Array(hosts).fill(1);
  const before = new Uint8Array(hosts).fill(1);
  const after = new Uint8Array(hosts).fill(1);
  after[removed] = 0;
  const names = Array.from({ length: hosts }, (_, i) => `backend${i}`);
  let pickBefore: (h: number) => number;
  let pickAfter: (h: number) => number;
  if (scheme === 'modulo') {
    pickBefore = (h) => moduloPick(h, weights, before);
    pickAfter = (h) => moduloPick(h, weights, after);
  } else if (scheme === 'consistent') {
    const ring = new HashRing(names, weights, { points_per_weight: HAPROXY_POINTS_PER_WEIGHT });
    pickBefore = (h) => ring.lookup(h, before);
    pickAfter = (h) => ring.lookup(h, after);
  } else if (scheme === 'ring_hash') {
    const full = new HashRing(names, weights, { minimum_ring_size: ringSize });
    const rebuilt = new HashRing(names, weights, { minimum_ring_size: ringSize, eligible: after });
    pickBefore = (h) => full.lookup(h, before);
    pickAfter = (h) => rebuilt.lookup(h, after);
  } else if (scheme === 'maglev') {
    const full = new MaglevTable(names, weights, before, tableSize);
    const rebuilt = new MaglevTable(names, weights, after, tableSize);
    pickBefore = (h) => full.lookup(h, before);
    pickAfter = (h) => rebuilt.lookup(h, after);
  } else {
    throw new ParameterError(
      'scheme',
      scheme,
      "must be 'modulo', 'consistent', 'ring_hash' or 'maglev'",
    );
  }
  let moved = 0;
  for (let k = 0; k < keys; k++) {
    const h = hashKey(k);
    if (pickBefore(h) !== pickAfter(h)) moved++;
  }
  return moved / keys;
}
