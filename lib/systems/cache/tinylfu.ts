/**
 * W-TinyLFU, the eviction policy of Caffeine (Einziger, Friedman & Manes, "TinyLFU: A Highly
 * Efficient Cache Admission Policy", ACM TOS 13(4), 2017; Caffeine's BoundedLocalCache and
 * FrequencySketch): a small LRU "window" (1 % of the capacity) takes every new item; items
 * leaving the window are candidates for the main cache, a segmented LRU (probation, and protected
 * holding 80 % of it: a hit in probation promotes the item to protected, whose overflow falls
 * back to probation). A candidate enters the main cache only if its estimated frequency is
 * higher than that of the main cache's victim (probation's LRU item); otherwise it is dropped.
 *
 * Frequencies come from a count-min sketch of 4-bit counters (4 rows of 4 × the capacity in
 * items, rounded up to a power of two: Caffeine's 16 counters per item), incremented on every
 * read; after 10 × capacity increments every counter is halved (the "reset" that ages old popularity). Caffeine's extras are left out: the
 * doorkeeper, hill-climbing of the window size, and the random admission of warm candidates
 * that defends against hash flooding.
 */
import { fmix32 } from '../../random/streams';
import { grownUint8 } from '../../sim/grown';
import { CacheStore, type StoreOptions } from './store';
import { KeyList } from './links';

const NONE = 0;
const WINDOW = 1;
const PROBATION = 2;
const PROTECTED = 3;
const SEEDS = [0x97cb3127, 0x1b873593, 0xcc9e2d51, 0x85ebca6b];

/** Count-min sketch of 4-bit saturating counters with periodic halving (TinyLFU's reset). */
export class FrequencySketch {
  readonly width: number;
  private readonly table: Uint8Array;
  private readonly mask: number;
  private additions = 0;
  readonly sampleSize: number;

  constructor(items: number) {
    // Caffeine: one 64-bit word of sixteen 4-bit counters per item (rounded up to a power of
    // two), i.e. 16 counters per item, four of them per key: here 4 rows of 4 x items each
    let w = 16;
    while (w < items) w *= 2;
    this.width = 4 * w;
    this.mask = this.width - 1;
    this.table = new Uint8Array(4 * this.width);
    this.sampleSize = 10 * Math.max(1, Math.round(items));
  }

  private index(key: number, row: number): number {
    return row * this.width + (fmix32((key ^ SEEDS[row]) >>> 0) & this.mask);
  }

  /** The estimated count of `key`: the minimum over the rows. */
  frequency(key: number): number {
    let f = 15;
    for (let r = 0; r < 4; r++) f = Math.min(f, this.table[this.index(key, r)]);
    return f;
  }

  increment(key: number): void {
    let added = false;
    for (let r = 0; r < 4; r++) {
      const i = this.index(key, r);
      if (this.table[i] < 15) {
        this.table[i]++;
        added = true;
      }
    }
    if (added && ++this.additions >= this.sampleSize) this.reset();
  }

  private reset(): void {
    for (let i = 0; i < this.table.length; i++) this.table[i] >>= 1;
    this.additions = this.additions >>> 1;
  }
}

export class WTinyLfuStore extends CacheStore {
  readonly sketch: FrequencySketch;
  /** Budgets of the window and of the protected segment (same unit as the capacity). */
  readonly windowMax: number;
  readonly protectedMax: number;
  private segment: Uint8Array;
  private readonly window: KeyList;
  private readonly probation: KeyList;
  private readonly protect: KeyList;
  private windowUsed = 0;
  private protectedUsed = 0;

  constructor(
    options: StoreOptions & { windowShare?: number; protectedShare?: number; sketchItems?: number },
  ) {
    super('wtinylfu', options);
    const windowShare = options.windowShare ?? 0.01;
    const protectedShare = options.protectedShare ?? 0.8;
    const unitSize = this.unit === 'objects' ? 1 : 0;
    this.windowMax = Math.max(unitSize, this.capacity * windowShare);
    this.protectedMax = (this.capacity - this.windowMax) * protectedShare;
    this.sketch = new FrequencySketch(
      options.sketchItems ?? (this.unit === 'objects' ? this.capacity : 1024),
    );
    this.segment = new Uint8Array(this.resident.length);
    this.window = new KeyList(this.links);
    this.probation = new KeyList(this.links);
    this.protect = new KeyList(this.links);
  }

  keys(): number[] {
    return [...this.window.toArray(), ...this.probation.toArray(), ...this.protect.toArray()];
  }

  /** Resident keys by segment (head = LRU end). */
  segments(): { window: number[]; probation: number[]; protected: number[] } {
    return {
      window: this.window.toArray(),
      probation: this.probation.toArray(),
      protected: this.protect.toArray(),
    };
  }

  protected override missed(key: number): void {
    this.sketch.increment(key);
  }

  protected touch(key: number): void {
    this.sketch.increment(key);
    const seg = this.segment[key];
    if (seg === WINDOW) this.window.moveToTail(key);
    else if (seg === PROTECTED) this.protect.moveToTail(key);
    else {
      this.probation.remove(key);
      this.protect.push(key);
      this.segment[key] = PROTECTED;
      this.protectedUsed += this.size[key];
      while (this.protectedUsed > this.protectedMax && this.protect.length > 1) {
        const d = this.protect.head;
        this.protect.remove(d);
        this.protectedUsed -= this.size[d];
        this.probation.push(d);
        this.segment[d] = PROBATION;
      }
    }
  }

  protected override updated(key: number, oldSize: number): void {
    const seg = this.segment[key];
    const delta = this.size[key] - oldSize;
    if (seg === WINDOW) {
      this.window.moveToTail(key);
      this.windowUsed += delta;
    } else if (seg === PROTECTED) {
      this.protect.moveToTail(key);
      this.protectedUsed += delta;
    } else this.probation.moveToTail(key);
  }

  protected inserted(key: number): void {
    this.window.push(key);
    this.segment[key] = WINDOW;
    this.windowUsed += this.size[key];
    if (this.windowUsed > this.windowMax) this.makeRoom(key);
  }

  protected override makeRoom(incoming: number): void {
    // the window's overflow becomes candidates for the main cache
    while (this.windowUsed > this.windowMax && this.window.length > 0) {
      const cand = this.window.head;
      if (cand === incoming && this.window.length === 1 && this.used <= this.capacity) break;
      this.window.remove(cand);
      this.windowUsed -= this.size[cand];
      this.probation.push(cand);
      this.segment[cand] = PROBATION;
      while (this.used > this.capacity) {
        const victim = this.mainVictim(cand);
        if (victim < 0) break;
        const evict = this.sketch.frequency(cand) > this.sketch.frequency(victim) ? victim : cand;
        this.evictions++;
        this.remove(evict);
        if (evict === cand) break;
      }
    }
    // still over (the main cache is empty or a large item came): evict main victims, then the window's LRU
    while (this.used > this.capacity && this.count > 1) {
      let v = this.mainVictim(-1);
      if (v < 0) v = this.window.head === incoming ? this.links.next[incoming] : this.window.head;
      this.evictions++;
      this.remove(v);
    }
  }

  protected victim(_incoming: number): number {
    return this.mainVictim(-1);
  }

  protected unlink(key: number): void {
    const seg = this.segment[key];
    if (seg === WINDOW) {
      this.window.remove(key);
      this.windowUsed -= this.size[key];
    } else if (seg === PROBATION) this.probation.remove(key);
    else if (seg === PROTECTED) {
      this.protect.remove(key);
      this.protectedUsed -= this.size[key];
    }
    this.segment[key] = NONE;
  }

  protected override grow(keys: number): void {
    this.segment = grownUint8(this.segment, keys);
  }

  /** Probation's LRU item other than `except`, else protected's LRU item; -1 if none. */
  private mainVictim(except: number): number {
    let v = this.probation.head;
    if (v === except) v = this.links.next[v];
    if (v >= 0) return v;
    v = this.protect.head;
    return v >= 0 ? v : -1;
  }
}
