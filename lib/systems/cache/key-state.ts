/**
 * The cache system's per-key miss state (system.ts), typed arrays indexed by key and grown on
 * demand: whether a database read for the key is in flight (`inflight`, single-flight and
 * read-through coalesce on it), the list of reads waiting for it (`waitHead`, linked through the
 * system's per-job `nextWaiter`), the memcached lease's expiry (`leaseUntil`), XFetch's last
 * recompute time δ (`delta`), the key's database reads in flight (`keyDb`, for the stampede's
 * episodes) and whether its current episode began before the last statistics reset (`uncounted`).
 */
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';

/** No waiting read (the end of a key's wait list). */
export const NONE = -1;

export class KeyStates {
  inflight: Uint8Array;
  waitHead: Int32Array;
  leaseUntil: Float64Array;
  delta: Float64Array;
  keyDb: Int32Array;
  uncounted: Uint8Array;

  constructor(keys: number) {
    this.inflight = new Uint8Array(keys);
    this.waitHead = new Int32Array(keys).fill(NONE);
    this.leaseUntil = new Float64Array(keys);
    this.delta = new Float64Array(keys);
    this.keyDb = new Int32Array(keys);
    this.uncounted = new Uint8Array(keys);
  }

  /** Room for keys 0..keys-1 (doubling). */
  grow(keys: number): void {
    let n = this.inflight.length;
    while (n < keys) n *= 2;
    this.inflight = grownUint8(this.inflight, n);
    this.waitHead = grownInt32(this.waitHead, n, NONE);
    this.leaseUntil = grownFloat64(this.leaseUntil, n);
    this.delta = grownFloat64(this.delta, n);
    this.keyDb = grownInt32(this.keyDb, n);
    this.uncounted = grownUint8(this.uncounted, n);
  }

  /** At a statistics reset: the episodes in progress are not counted. */
  markInProgress(): void {
    for (let k = 0; k < this.keyDb.length; k++) this.uncounted[k] = this.keyDb[k] > 0 ? 1 : 0;
  }
}
