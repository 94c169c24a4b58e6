/**
 * One HTTP cache of the CDN (an edge, or the origin shield): an LRU store for capacity, and per
 * object the copy's birth (RFC 9111 age: now − birth), whether a fetch is in flight, and the
 * requests waiting for it (collapsed misses).
 */
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';
import { LruStore } from './store';

export const NONE = -1;

/** One HTTP cache: an edge (index = region) or the shield (index = number of regions). */
export class HttpCache {
  readonly store: LruStore;
  birth: Float64Array;
  fetching: Uint8Array;
  waitHead: Int32Array;
  /** Half the round trip to the upstream (shield or origin). */
  readonly halfUp: number;
  readonly toShield: boolean;
  fetches = 0;
  hits = 0;
  constructor(capacity: number, keys: number, halfUp: number, toShield: boolean) {
    this.store = new LruStore({ capacity, keys });
    this.birth = new Float64Array(keys);
    this.fetching = new Uint8Array(keys);
    this.waitHead = new Int32Array(keys).fill(NONE);
    this.halfUp = halfUp;
    this.toShield = toShield;
  }
  ensure(keys: number): void {
    if (keys <= this.birth.length) return;
    let n = this.birth.length;
    while (n < keys) n *= 2;
    this.birth = grownFloat64(this.birth, n);
    this.fetching = grownUint8(this.fetching, n);
    this.waitHead = grownInt32(this.waitHead, n, NONE);
  }
}
