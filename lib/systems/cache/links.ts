/**
 * Intrusive doubly linked lists over integer keys, on typed arrays: `prev[key]` and `next[key]`
 * are shared by every list of one cache (a key is in at most one list at a time), each list only
 * keeps its head (least recently placed) and tail (most recently placed) and its length. Every
 * operation is O(1) and allocates nothing; the arrays grow (doubling) when a larger key comes.
 */
import { grownInt32 } from '../../sim/grown';

const NONE = -1;

/** The shared link arrays of one cache. */
export class Links {
  prev: Int32Array;
  next: Int32Array;

  constructor(keys: number) {
    this.prev = new Int32Array(keys).fill(NONE);
    this.next = new Int32Array(keys).fill(NONE);
  }

  /** Makes room for keys below `keys`. */
  ensure(keys: number): void {
    if (keys <= this.prev.length) return;
    let n = this.prev.length || 16;
    while (n < keys) n *= 2;
    this.prev = grownInt32(this.prev, n, NONE);
    this.next = grownInt32(this.next, n, NONE);
  }
}

/** One list: head = oldest (the LRU or FIFO victim), tail = newest. */
export class KeyList {
  head = NONE;
  tail = NONE;
  length = 0;
  private readonly links: Links;

  constructor(links: Links) {
    this.links = links;
  }

  /** Appends `key` at the tail (most recent). */
  push(key: number): void {
    const l = this.links;
    l.prev[key] = this.tail;
    l.next[key] = NONE;
    if (this.tail === NONE) this.head = key;
    else l.next[this.tail] = key;
    this.tail = key;
    this.length++;
  }

  /** Unlinks `key` (which must be in this list). */
  remove(key: number): void {
    const l = this.links;
    const p = l.prev[key];
    const n = l.next[key];
    if (p === NONE) this.head = n;
    else l.next[p] = n;
    if (n === NONE) this.tail = p;
    else l.prev[n] = p;
    l.prev[key] = NONE;
    l.next[key] = NONE;
    this.length--;
  }

  /** Moves `key` (in this list) to the tail. */
  moveToTail(key: number): void {
    if (this.tail === key) return;
    this.remove(key);
    this.push(key);
  }

  /** Keys from head (oldest) to tail: for tests and small reports. */
  toArray(): number[] {
    const out: number[] = [];
    for (let k = this.head; k !== NONE; k = this.links.next[k]) out.push(k);
    return out;
  }
}
