/**
 * memcached's segmented LRU (`-o lru_maintainer`, the default in modern releases; doc/new_lru.txt,
 * as summarised in subsystems.md §7.5): three queues per slab class. New items enter HOT; HOT and
 * WARM are each capped (`hot_lru_pct`, `warm_lru_pct`, percent of the memory); an item read while
 * in COLD moves to WARM; an item read in HOT or WARM is only marked active. When HOT overflows its
 * oldest item goes to WARM if it was active, else to COLD; when WARM overflows its oldest item goes
 * back to WARM's head if active (the mark cleared), else to COLD. Evictions take COLD's oldest item.
 * Unused items thus flow HOT → COLD → out and a scan of new keys never reaches WARM (scan
 * resistance). The LRU maintainer thread's asynchronous moves are done synchronously here; slab
 * classes are one class (all items compete for one memory).
 */
import { grownUint8 } from '../../sim/grown';
import { KeyList } from './links';
import { CacheStore, type StoreOptions } from './store';

const NONE = 0;
const HOT = 1;
const WARM = 2;
const COLD = 3;

export class SegmentedLruStore extends CacheStore {
  readonly hotMax: number;
  readonly warmMax: number;
  private segment: Uint8Array;
  private active: Uint8Array;
  private readonly hot: KeyList;
  private readonly warm: KeyList;
  private readonly cold: KeyList;
  private hotUsed = 0;
  private warmUsed = 0;

  constructor(options: StoreOptions & { hot_lru_pct?: number; warm_lru_pct?: number }) {
    super('segmented', options);
    this.hotMax = (this.capacity * (options.hot_lru_pct ?? 32)) / 100;
    this.warmMax = (this.capacity * (options.warm_lru_pct ?? 32)) / 100;
    this.segment = new Uint8Array(this.resident.length);
    this.active = new Uint8Array(this.resident.length);
    this.hot = new KeyList(this.links);
    this.warm = new KeyList(this.links);
    this.cold = new KeyList(this.links);
  }

  keys(): number[] {
    return [...this.cold.toArray(), ...this.hot.toArray(), ...this.warm.toArray()];
  }

  /** Resident keys by queue, oldest first. */
  segments(): { hot: number[]; warm: number[]; cold: number[] } {
    return { hot: this.hot.toArray(), warm: this.warm.toArray(), cold: this.cold.toArray() };
  }

  protected touch(key: number): void {
    if (this.segment[key] === COLD) {
      this.cold.remove(key);
      this.pushWarm(key);
      this.balance();
    } else this.active[key] = 1;
  }

  protected override updated(key: number, oldSize: number): void {
    const d = this.size[key] - oldSize;
    if (this.segment[key] === HOT) this.hotUsed += d;
    else if (this.segment[key] === WARM) this.warmUsed += d;
    this.touch(key);
  }

  protected inserted(key: number): void {
    this.active[key] = 0;
    this.hot.push(key);
    this.segment[key] = HOT;
    this.hotUsed += this.size[key];
    this.balance();
  }

  protected victim(incoming: number): number {
    for (const list of [this.cold, this.hot, this.warm]) {
      let v = list.head;
      if (v === incoming) v = this.links.next[v];
      if (v >= 0) return v;
    }
    return incoming;
  }

  protected unlink(key: number): void {
    const seg = this.segment[key];
    if (seg === HOT) {
      this.hot.remove(key);
      this.hotUsed -= this.size[key];
    } else if (seg === WARM) {
      this.warm.remove(key);
      this.warmUsed -= this.size[key];
    } else if (seg === COLD) this.cold.remove(key);
    this.segment[key] = NONE;
    this.active[key] = 0;
  }

  protected override grow(keys: number): void {
    this.segment = grownUint8(this.segment, keys);
    this.active = grownUint8(this.active, keys);
  }

  private pushWarm(key: number): void {
    this.active[key] = 0;
    this.warm.push(key);
    this.segment[key] = WARM;
    this.warmUsed += this.size[key];
  }

  private pushCold(key: number): void {
    this.active[key] = 0;
    this.cold.push(key);
    this.segment[key] = COLD;
  }

  /** The maintainer's moves: HOT's and WARM's overflow flows on. */
  private balance(): void {
    while (this.hotUsed > this.hotMax && this.hot.length > 1) {
      const k = this.hot.head;
      this.hot.remove(k);
      this.hotUsed -= this.size[k];
      if (this.active[k] === 1) this.pushWarm(k);
      else this.pushCold(k);
    }
    let guard = this.warm.length;
    while (this.warmUsed > this.warmMax && this.warm.length > 1 && guard-- >= 0) {
      const k = this.warm.head;
      this.warm.remove(k);
      this.warmUsed -= this.size[k];
      if (this.active[k] === 1) this.pushWarm(k);
      else this.pushCold(k);
    }
    // every item was active: the oldest goes to COLD anyway
    while (this.warmUsed > this.warmMax && this.warm.length > 1) {
      const k = this.warm.head;
      this.warm.remove(k);
      this.warmUsed -= this.size[k];
      this.pushCold(k);
    }
  }
}
