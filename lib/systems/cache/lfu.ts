/**
 * Least frequently used, "perfect LFU": a request count is kept for every key ever requested
 * (also while it is not cached), the cache holds the items with the highest counts, ties broken
 * by recency (the least recently used of the least frequent goes first), and a newcomer whose
 * count is below the least frequent resident's is not admitted. Under the independent reference
 * model with static popularity it converges to the C most popular objects, so its hit ratio tends
 * to the top-C sum Σ_{i≤C} p_i (the optimal static cache; e.g. Fricker, Robert & Roberts, ITC
 * 2012). A binary min-heap on typed arrays: O(log C) per hit, insertion or eviction.
 */
import { grownFloat64, grownInt32 } from '../../sim/grown';
import { CacheStore, type StoreOptions } from './store';

export class LfuStore extends CacheStore {
  /** Requests of each key (hits and misses) since creation. */
  frequency: Float64Array;
  private stamp: Float64Array;
  private heap: Int32Array;
  private position: Int32Array;
  private clock = 0;

  constructor(options: StoreOptions) {
    super('lfu', options);
    const n = this.resident.length;
    this.frequency = new Float64Array(n);
    this.stamp = new Float64Array(n);
    this.heap = new Int32Array(n);
    this.position = new Int32Array(n).fill(-1);
  }

  keys(): number[] {
    return Array.from(this.heap.subarray(0, this.count)).sort((a, b) =>
      this.less(a, b) ? -1 : this.less(b, a) ? 1 : 0,
    );
  }

  protected touch(key: number): void {
    this.frequency[key]++;
    this.stamp[key] = ++this.clock;
    this.down(this.position[key]);
  }

  protected override missed(key: number): void {
    this.frequency[key]++;
    this.stamp[key] = ++this.clock;
  }

  protected override updated(key: number, _oldSize: number): void {
    this.stamp[key] = ++this.clock;
    this.down(this.position[key]);
  }

  protected override admit(key: number, size: number): boolean {
    if (this.used + size <= this.capacity || this.count === 0) return true;
    return this.frequency[key] >= this.frequency[this.heap[0]];
  }

  protected inserted(key: number): void {
    if (this.frequency[key] === 0) this.frequency[key] = 1; // a set without a read before it
    this.stamp[key] = ++this.clock;
    const i = this.count - 1;
    this.heap[i] = key;
    this.position[key] = i;
    this.up(i);
  }

  protected victim(incoming: number): number {
    const top = this.heap[0];
    if (top !== incoming || this.count === 1) return top;
    // the newcomer is the least frequent: the next smallest child
    const a = this.count > 1 ? this.heap[1] : -1;
    const b = this.count > 2 ? this.heap[2] : -1;
    return b >= 0 && this.less(b, a) ? b : a;
  }

  protected unlink(key: number): void {
    const i = this.position[key];
    const last = this.count - 1;
    this.position[key] = -1;
    if (i === last) return;
    const moved = this.heap[last];
    this.heap[i] = moved;
    this.position[moved] = i;
    // count is still the old count here: the heap shrinks by one after this call
    this.count--;
    this.up(i);
    this.down(this.position[moved]);
    this.count++;
  }

  protected override grow(keys: number): void {
    this.frequency = grownFloat64(this.frequency, keys);
    this.stamp = grownFloat64(this.stamp, keys);
    this.heap = grownInt32(this.heap, keys);
    this.position = grownInt32(this.position, keys, -1);
  }

  private less(a: number, b: number): boolean {
    const fa = this.frequency[a];
    const fb = this.frequency[b];
    return fa < fb || (fa === fb && this.stamp[a] < this.stamp[b]);
  }

  private up(i: number): void {
    const h = this.heap;
    const key = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(key, h[p])) break;
      h[i] = h[p];
      this.position[h[i]] = i;
      i = p;
    }
    h[i] = key;
    this.position[key] = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = this.count;
    const key = h[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(h[r], h[l]) ? r : l;
      if (!this.less(h[c], key)) break;
      h[i] = h[c];
      this.position[h[i]] = i;
      i = c;
    }
    h[i] = key;
    this.position[key] = i;
  }
}
