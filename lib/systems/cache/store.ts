/**
 * A cache's contents, keyed by integer object ids: capacity in objects or in bytes, per-item
 * expiry, and an eviction policy (LRU, FIFO, random here; LFU in lfu.ts, W-TinyLFU in
 * tinylfu.ts, memcached's segmented LRU in segmented.ts). Every structure is a typed array indexed by key, so a read or a write is O(1)
 * (O(log C) for LFU's heap) and allocates nothing.
 *
 * Semantics, as memcached's (doc/protocol.txt): `set` stores an item with an `exptime` (here the
 * relative TTL in seconds, 0 = never expires); expiry is lazy: an expired item stays (and takes
 * room) until it is read, when it is removed and the read is a miss, or until it is evicted. An
 * item larger than the whole cache is refused (memcached's `-I` item size limit plays that role).
 * A `set` of a resident key replaces its value, size and expiry in place.
 */
import { ParameterError, requireInteger, requirePositive } from '../../errors';
import { grownFloat64, grownUint8 } from '../../sim/grown';
import type { Rng } from '../../random/xoshiro128';
import { KeyList, Links } from './links';

export type EvictionPolicy = 'lru' | 'lfu' | 'fifo' | 'random' | 'wtinylfu' | 'segmented';
export const EVICTION_POLICIES: readonly EvictionPolicy[] = [
  'lru',
  'lfu',
  'fifo',
  'random',
  'wtinylfu',
  'segmented',
];
export type CapacityUnit = 'objects' | 'bytes';

export interface StoreOptions {
  /** Objects (unit 'objects') or bytes (unit 'bytes') the cache holds; memcached's `-m` is this in MB. */
  capacity: number;
  unit?: CapacityUnit;
  /** Initial key space (keys 0 .. keys-1; larger keys grow the tables). */
  keys?: number;
  /** Random stream for the 'random' policy. */
  rng?: Rng;
}

/** Counters since creation or {@link CacheStore.resetCounters}. */
export interface StoreCounters {
  hits: number;
  misses: number;
  sets: number;
  evictions: number;
  expirations: number;
  /** Sets not stored: larger than the cache, or refused by the admission policy (LFU, W-TinyLFU). */
  rejected: number;
}

/** Entry states returned by {@link CacheStore.state}. */
export const ABSENT = 0;
export const FRESH = 1;
export const EXPIRED = 2;

export abstract class CacheStore {
  readonly policy: EvictionPolicy;
  readonly capacity: number;
  readonly unit: CapacityUnit;
  /** Bytes (or objects) held, and items held. */
  used = 0;
  count = 0;
  hits = 0;
  misses = 0;
  sets = 0;
  evictions = 0;
  expirations = 0;
  rejected = 0;
  resident: Uint8Array;
  size: Float64Array;
  expiresAt: Float64Array;
  protected readonly links: Links;

  constructor(policy: EvictionPolicy, options: StoreOptions) {
    this.policy = policy;
    const unit = options.unit ?? 'objects';
    if (unit !== 'objects' && unit !== 'bytes')
      throw new ParameterError('unit', unit, "must be 'objects' or 'bytes'");
    this.unit = unit;
    this.capacity =
      unit === 'objects'
        ? requireInteger('capacity', options.capacity, 1)
        : requirePositive('capacity', options.capacity);
    const keys = requireInteger('keys', options.keys ?? 1024, 1, 2 ** 30);
    this.resident = new Uint8Array(keys);
    this.size = new Float64Array(keys);
    this.expiresAt = new Float64Array(keys);
    this.links = new Links(keys);
  }

  /** A read at time `now`: true on a hit (the policy records the use), false on a miss. */
  get(key: number, now: number): boolean {
    if (key >= this.resident.length) this.ensure(key + 1);
    if (this.resident[key] === 1) {
      if (this.expiresAt[key] > now) {
        this.hits++;
        this.touch(key);
        return true;
      }
      this.expirations++;
      this.remove(key);
    }
    this.misses++;
    this.missed(key);
    return false;
  }

  /** ABSENT, FRESH or EXPIRED (present but past its expiry), without counting or touching. */
  state(key: number, now: number): number {
    if (key >= this.resident.length || this.resident[key] === 0) return ABSENT;
    return this.expiresAt[key] > now ? FRESH : EXPIRED;
  }

  /**
   * Stores `key` with a TTL (seconds, 0 = never expires) and a size (bytes; 1 when the capacity
   * is in objects), evicting as the policy says. Returns false if the item was not stored.
   */
  set(key: number, now: number, ttl: number = 0, size: number = 1): boolean {
    if (key >= this.resident.length) this.ensure(key + 1);
    const s = this.unit === 'objects' ? 1 : size;
    this.sets++;
    const expires = ttl > 0 ? now + ttl : Infinity;
    if (this.resident[key] === 1) {
      const old = this.size[key];
      this.used += s - old;
      this.size[key] = s;
      this.expiresAt[key] = expires;
      this.updated(key, old);
      if (this.used > this.capacity) this.makeRoom(key);
      return this.resident[key] === 1;
    }
    if (s > this.capacity || !this.admit(key, s)) {
      this.rejected++;
      return false;
    }
    this.resident[key] = 1;
    this.size[key] = s;
    this.expiresAt[key] = expires;
    this.used += s;
    this.count++;
    this.inserted(key);
    if (this.used > this.capacity) this.makeRoom(key);
    return this.resident[key] === 1;
  }

  /** Deletes `key` (memcached `delete`, a cache-aside invalidation); true if it was there. */
  delete(key: number): boolean {
    if (key >= this.resident.length || this.resident[key] === 0) return false;
    this.remove(key);
    return true;
  }

  /** Empties the cache (a memcached restart: memory is not persistent). */
  clear(): void {
    for (let k = 0; k < this.resident.length; k++) if (this.resident[k] === 1) this.remove(k);
  }

  /** Hits / (hits + misses) since creation or reset (NaN before any read). */
  get hitRatio(): number {
    const n = this.hits + this.misses;
    return n > 0 ? this.hits / n : NaN;
  }

  counters(): StoreCounters {
    return {
      hits: this.hits,
      misses: this.misses,
      sets: this.sets,
      evictions: this.evictions,
      expirations: this.expirations,
      rejected: this.rejected,
    };
  }

  resetCounters(): void {
    this.hits = 0;
    this.misses = 0;
    this.sets = 0;
    this.evictions = 0;
    this.expirations = 0;
    this.rejected = 0;
  }

  /** Resident keys, in the policy's order (victim first where it has one). */
  abstract keys(): number[];

  /** Evicts until the contents fit (never evicting `incoming` unless it alone is left over). */
  protected makeRoom(incoming: number): void {
    while (this.used > this.capacity && this.count > 0) {
      const v = this.victim(incoming);
      this.evictions++;
      this.remove(v);
    }
  }

  /** Removes a resident key from the contents and the policy's structures. */
  protected remove(key: number): void {
    this.unlink(key);
    this.resident[key] = 0;
    this.used -= this.size[key];
    this.count--;
  }

  protected ensure(keys: number): void {
    let n = this.resident.length;
    while (n < keys) n *= 2;
    this.resident = grownUint8(this.resident, n);
    this.size = grownFloat64(this.size, n);
    this.expiresAt = grownFloat64(this.expiresAt, n);
    this.links.ensure(n);
    this.grow(n);
  }

  /** A hit on a resident key. */
  protected abstract touch(key: number): void;
  /** A new resident key (already counted in `used`). */
  protected abstract inserted(key: number): void;
  /** A resident key was overwritten by a set (its size was `oldSize`). */
  protected updated(key: number, _oldSize: number): void {
    this.touch(key);
  }
  /** The next key to evict. */
  protected abstract victim(incoming: number): number;
  /** Drops a key from the policy's structures. */
  protected abstract unlink(key: number): void;
  /** A read missed (frequency-based policies count it). */
  protected missed(_key: number): void {}
  /** Whether a new key may enter (admission policies). */
  protected admit(_key: number, _size: number): boolean {
    return true;
  }
  /** The key space grew to `keys`. */
  protected grow(_keys: number): void {}
}

/** Least recently used: a hit moves the item to the tail; the head is evicted. */
export class LruStore extends CacheStore {
  protected readonly list: KeyList;
  constructor(options: StoreOptions, policy: 'lru' | 'fifo' = 'lru') {
    super(policy, options);
    this.list = new KeyList(this.links);
  }
  keys(): number[] {
    return this.list.toArray();
  }
  protected touch(key: number): void {
    this.list.moveToTail(key);
  }
  protected inserted(key: number): void {
    this.list.push(key);
  }
  protected victim(incoming: number): number {
    const h = this.list.head;
    return h === incoming && this.list.length > 1 ? this.links.next[h] : h;
  }
  protected unlink(key: number): void {
    this.list.remove(key);
  }
}

/** First in, first out: hits and overwrites change nothing; the oldest insertion is evicted. */
export class FifoStore extends LruStore {
  constructor(options: StoreOptions) {
    super(options, 'fifo');
  }
  protected override touch(_key: number): void {}
  protected override updated(_key: number, _oldSize: number): void {}
}

/** Random eviction: a uniformly chosen resident item leaves (the dense array of residents). */
export class RandomStore extends CacheStore {
  private members: Int32Array;
  private position: Int32Array;
  private readonly rng: Rng;
  constructor(options: StoreOptions) {
    super('random', options);
    if (options.rng == null)
      throw new ParameterError('rng', options.rng, "a random stream is needed for policy 'random'");
    this.rng = options.rng;
    this.members = new Int32Array(this.resident.length);
    this.position = new Int32Array(this.resident.length).fill(-1);
  }
  keys(): number[] {
    return Array.from(this.members.subarray(0, this.count));
  }
  protected touch(_key: number): void {}
  protected override updated(_key: number, _oldSize: number): void {}
  protected inserted(key: number): void {
    const i = this.count - 1;
    this.members[i] = key;
    this.position[key] = i;
  }
  protected victim(incoming: number): number {
    for (;;) {
      const v = this.members[this.rng.nextInt(this.count)];
      if (v !== incoming || this.count === 1) return v;
    }
  }
  protected unlink(key: number): void {
    const i = this.position[key];
    const last = this.members[this.count - 1];
    this.members[i] = last;
    this.position[last] = i;
    this.position[key] = -1;
  }
  protected override grow(keys: number): void {
    const m = new Int32Array(keys);
    m.set(this.members);
    this.members = m;
    const p = new Int32Array(keys).fill(-1);
    p.set(this.position);
    this.position = p;
  }
}
