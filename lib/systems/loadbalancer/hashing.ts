import { ParameterError, requireInteger } from '../../errors';
import { fmix32 } from '../../random/streams';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

/** 32-bit hash of an integer key (a client address, a URL id): MurmurHash3's finaliser. */
export function hashKey(key: number): number {
  return fmix32((key | 0) ^ 0x9e3779b9);
}

/** 32-bit hash of a string: FNV-1a over its UTF-16 code units, then MurmurHash3's finaliser. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/**
 * Map-based hashing (HAProxy `balance source` / `uri` with the default `hash-type map-based`):
 * the key's hash modulo the total weight of the servers that are up, each server owning `weight`
 * consecutive slots. Any change of the up set renumbers the slots, so most keys move: N -> N-1
 * servers of equal weight remaps (N-1)/N of the keys.
 *
 * `eligible[i]` says whether server i is up; weights are the nominal (static) weights.
 */
export function moduloPick(hash: number, weights: ArrayLike<number>, eligible: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) if (eligible[i]) total += math.round(weights[i]);
  if (total <= 0) return -1;
  let slot = (hash >>> 0) % total;
  for (let i = 0; i < weights.length; i++) {
    if (!eligible[i]) continue;
    const w = math.round(weights[i]);
    if (slot < w) return i;
    slot -= w;
  }
  return -1;
}

/** Envoy `RING_HASH` defaults: `minimum_ring_size` 1024, `maximum_ring_size` 8M (8,388,608). */
export const RING_HASH_DEFAULTS = { minimum_ring_size: 1024, maximum_ring_size: 8388608 } as const;

/**
 * A consistent-hash ring (Envoy `RING_HASH`, "ketama"; HAProxy `hash-type consistent`): each host
 * is hashed onto the ring at several points ("virtual nodes", in proportion to its weight,
 * `minimum_ring_size` points in all), and a key goes to the first point clockwise from its hash
 * whose host is eligible. Removing one of N hosts moves only the keys that host owned (~1/N).
 *
 * The ring holds every host; an ineligible host's points are skipped at lookup, which gives
 * exactly the ring Envoy would rebuild over the eligible hosts (each host's points depend only on
 * its own name). With `hash_balance_factor` (HAProxy, percent > 100) the lookup also skips hosts
 * whose load would exceed factor% of the average (consistent hashing with bounded loads,
 * Mirrokni, Thorup & Zadimoghaddam, SODA 2018).
 */
export class HashRing {
  readonly hosts: number;
  readonly points: Uint32Array;
  readonly owner: Int32Array;

  constructor(names: readonly string[], weights: ArrayLike<number>, options: { minimum_ring_size?: number; maximum_ring_size?: number } = {}) {
    const n = names.length;
    if (n === 0) throw new ParameterError('hosts', names, 'must hold at least one host');
    if (weights.length !== n) throw new ParameterError('weights', weights, `must have one weight per host (${n})`);
    const min = requireInteger('minimum_ring_size', options.minimum_ring_size ?? RING_HASH_DEFAULTS.minimum_ring_size, 1, RING_HASH_DEFAULTS.maximum_ring_size);
    const max = requireInteger('maximum_ring_size', options.maximum_ring_size ?? RING_HASH_DEFAULTS.maximum_ring_size, min, RING_HASH_DEFAULTS.maximum_ring_size);
    let total = 0;
    let wMin = Infinity;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w > 0) || !Number.isFinite(w)) throw new ParameterError(`weights[${i}]`, w, 'must be a finite number > 0');
      total += w;
      if (w < wMin) wMin = w;
    }
    // Envoy: scale so that the lightest host gets at least one point and the ring has at least minimum_ring_size points
    const scale = math.min(math.ceil(math.max(min, total / wMin)), max) / total;
    const counts = new Int32Array(n);
    let size = 0;
    for (let i = 0; i < n; i++) {
      counts[i] = math.max(1, math.round(weights[i] * scale));
      size += counts[i];
    }
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) for (let k = 0; k < counts[i]; k++) pairs.push([hashString(`${names[i]}_${k}`), i]);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.hosts = n;
    this.points = new Uint32Array(size);
    this.owner = new Int32Array(size);
    pairs.forEach(([h, i], j) => {
      this.points[j] = h;
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
  lookupBounded(hash: number, eligible: ArrayLike<number>, load: ArrayLike<number>, weights: ArrayLike<number>, factor: number): number {
    let total = 0;
    let wSum = 0;
    for (let i = 0; i < this.hosts; i++) {
      if (!eligible[i]) continue;
      total += load[i];
      wSum += weights[i];
    }
    if (wSum <= 0) return -1;
    const slots = (factor / 100) * (total + 1);
    const size = this.points.length;
    let j = this.firstAtOrAfter(hash);
    let fallback = -1;
    for (let step = 0; step < size; step++) {
      const i = this.owner[j];
      if (eligible[i]) {
        if (fallback < 0) fallback = i;
        if (load[i] + 1 <= math.ceil((slots * weights[i]) / wSum)) return i;
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
 * weight hosts, by enumeration, under map-based (`modulo`) or consistent (`ring_hash`) hashing.
 */
export function keysMovedOnRemoval(scheme: 'modulo' | 'ring_hash', hosts: number, keys: number, removed = hosts - 1, ringSize: number = RING_HASH_DEFAULTS.minimum_ring_size): number {
  requireInteger('hosts', hosts, 2, 100000);
  requireInteger('keys', keys, 1, 1e8);
  requireInteger('removed', removed, 0, hosts - 1);
  const weights = new Float64Array(hosts).fill(1);
  const before = new Uint8Array(hosts).fill(1);
  const after = new Uint8Array(hosts).fill(1);
  after[removed] = 0;
  let moved = 0;
  if (scheme === 'modulo') {
    for (let k = 0; k < keys; k++) {
      const h = hashKey(k);
      if (moduloPick(h, weights, before) !== moduloPick(h, weights, after)) moved++;
    }
  } else if (scheme === 'ring_hash') {
    const ring = new HashRing(Array.from({ length: hosts }, (_, i) => `backend${i}`), weights, { minimum_ring_size: ringSize });
    for (let k = 0; k < keys; k++) {
      const h = hashKey(k);
      if (ring.lookup(h, before) !== ring.lookup(h, after)) moved++;
    }
  } else {
    throw new ParameterError('scheme', scheme, "must be 'modulo' or 'ring_hash'");
  }
  return moved / keys;
}
