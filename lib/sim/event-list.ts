import { grownFloat64, grownInt32 } from './grown';

const INITIAL_CAPACITY = 256;
/** Insertion counter range per priority level: 2^40. */
export const SEQ_SPAN = 1099511627776;
/** Added to a priority (an integer in [-4095, 4095]) in the tie-break key. */
export const PRIORITY_OFFSET = 4096;

/**
 * The future-event list of a {@link Simulation}: an indexed 4-ary min-heap of event ids over typed
 * arrays, so that inserting, removing the least and cancelling allocate nothing.
 *
 * Events are integer ids into per-id arrays (time, tie-break key, handler id and integer
 * argument side by side, heap position or -1 when not pending); the heap holds ids by position
 * with each id's time inline beside it, so a sift compares times without touching the per-id
 * arrays. The order is
 * by time, then by the key `(priority + 4096) * 2^40 + sequence` (smaller priority first, then
 * insertion order: FIFO among equals). A 4-ary heap has half the depth of a binary one; each
 * sift-down level compares up to four children (LaMarca & Ladner, J. Algorithms 31(1), 1999).
 * Ids are recycled last-freed-first through a free stack; the arrays double when full.
 *
 * The Simulation extends this class (one object, no indirection on the hot path); the clock, the
 * handlers and the run loop live there.
 */
export class EventList {
  // per event id
  protected evTime: Float64Array;
  protected evKey: Float64Array;
  // handler and argument side by side (evCall[2 id], evCall[2 id + 1]): the fired event's one
  // cache line, not two, when many events are pending
  protected evCall: Int32Array;
  protected evPos: Int32Array; // position in the heap, -1 when not pending
  protected freeIds: Int32Array;
  protected freeTop = 0;
  protected capacity: number;
  // heap (position -> id, and the id's time inline)
  protected heapId: Int32Array;
  protected heapTime: Float64Array;
  protected size = 0;
  protected seq = 0;

  constructor() {
    this.capacity = INITIAL_CAPACITY;
    this.evTime = new Float64Array(INITIAL_CAPACITY);
    this.evKey = new Float64Array(INITIAL_CAPACITY);
    this.evCall = new Int32Array(2 * INITIAL_CAPACITY);
    this.evPos = new Int32Array(INITIAL_CAPACITY).fill(-1);
    this.freeIds = new Int32Array(INITIAL_CAPACITY);
    for (let i = 0; i < INITIAL_CAPACITY; i++) this.freeIds[i] = INITIAL_CAPACITY - 1 - i;
    this.freeTop = INITIAL_CAPACITY;
    this.heapId = new Int32Array(INITIAL_CAPACITY);
    this.heapTime = new Float64Array(INITIAL_CAPACITY);
  }

  /** Number of pending events. */
  get pending(): number {
    return this.size;
  }

  /** True while event `id` is pending. */
  isPending(id: number): boolean {
    return id >= 0 && id < this.capacity && this.evPos[id] >= 0;
  }

  /** Time event `id` is scheduled for (NaN if not pending). */
  timeOf(id: number): number {
    return this.isPending(id) ? this.evTime[id] : NaN;
  }

  /** Time of the next event (Infinity if none). */
  peekTime(): number {
    return this.size > 0 ? this.heapTime[0] : Infinity;
  }

  /** Removes a pending event; returns false if it was not pending. */
  cancel(id: number): boolean {
    if (!this.isPending(id)) return false;
    const pos = this.evPos[id];
    this.evPos[id] = -1;
    this.freeIds[this.freeTop++] = id;
    const last = --this.size;
    if (pos !== last) {
      const moved = this.heapId[last];
      if (
        pos > 0 &&
        this.less(
          this.evTime[moved],
          moved,
          this.heapTime[(pos - 1) >> 2],
          this.heapId[(pos - 1) >> 2],
        )
      )
        this.siftUp(pos, moved);
      else this.siftDown(pos, moved);
    }
    return true;
  }

  /**
   * Cancels every pending event of handler `handler` and returns their arguments, in the order the
   * events were scheduled (their tie-break key: priority, then insertion). O(pending) with a scan
   * of the heap, meant for rare bulk removals (a station's crash cancels its departures); the hot
   * path keeps no per-handler index for it.
   */
  cancelHandler(handler: number): number[] {
    const ids: number[] = [];
    for (let pos = 0; pos < this.size; pos++) {
      const id = this.heapId[pos];
      if (this.evCall[2 * id] === handler) ids.push(id);
    }
    const key = this.evKey;
    ids.sort((a, b) => key[a] - key[b]);
    const args: number[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      args[i] = this.evCall[2 * ids[i] + 1];
      this.cancel(ids[i]);
    }
    return args;
  }

  /** Inserts id (its time already in evTime) with its handler, argument and priority. */
  protected enqueue(id: number, handler: number, arg: number, priority: number): void {
    this.evKey[id] = (priority + PRIORITY_OFFSET) * SEQ_SPAN + this.seq++;
    this.evCall[2 * id] = handler;
    this.evCall[2 * id + 1] = arg;
    this.siftUp(this.size++, id);
  }

  /** Moves pending event `id` to `time`, the latest inserted among equals of its priority. */
  protected moveTo(id: number, time: number): void {
    const pos = this.evPos[id];
    const priorityPart = Math.floor(this.evKey[id] / SEQ_SPAN);
    this.evTime[id] = time;
    this.evKey[id] = priorityPart * SEQ_SPAN + this.seq++;
    if (pos > 0 && this.less(time, id, this.heapTime[(pos - 1) >> 2], this.heapId[(pos - 1) >> 2]))
      this.siftUp(pos, id);
    else this.siftDown(pos, id);
  }

  protected less(ta: number, a: number, tb: number, b: number): boolean {
    return ta < tb || (ta === tb && this.evKey[a] < this.evKey[b]);
  }

  protected siftUp(pos: number, id: number): void {
    const t = this.evTime[id];
    const heapId = this.heapId;
    const heapTime = this.heapTime;
    const evPos = this.evPos;
    while (pos > 0) {
      const parent = (pos - 1) >> 2;
      const pt = heapTime[parent];
      if (pt < t || (pt === t && this.evKey[heapId[parent]] < this.evKey[id])) break;
      const pid = heapId[parent];
      heapId[pos] = pid;
      heapTime[pos] = pt;
      evPos[pid] = pos;
      pos = parent;
    }
    heapId[pos] = id;
    heapTime[pos] = t;
    evPos[id] = pos;
  }

  /** 4-ary sift-down: the smallest of up to four children moves up (half the depth of a binary heap). */
  protected siftDown(pos: number, id: number): void {
    const t = this.evTime[id];
    const heapId = this.heapId;
    const heapTime = this.heapTime;
    const evPos = this.evPos;
    const evKey = this.evKey;
    const n = this.size;
    for (;;) {
      const first = 4 * pos + 1;
      if (first >= n) break;
      let child = first;
      let ct = heapTime[first];
      const end = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < end; c++) {
        const x = heapTime[c];
        if (x < ct || (x === ct && evKey[heapId[c]] < evKey[heapId[child]])) {
          child = c;
          ct = x;
        }
      }
      if (t < ct || (t === ct && evKey[id] < evKey[heapId[child]])) break;
      const cid = heapId[child];
      heapId[pos] = cid;
      heapTime[pos] = ct;
      evPos[cid] = pos;
      pos = child;
    }
    heapId[pos] = id;
    heapTime[pos] = t;
    evPos[id] = pos;
  }

  protected removeTop(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(0, this.heapId[last]);
  }

  /** Doubles the arrays (called when no id is free); the new ids go on the free stack. */
  protected grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    this.evTime = grownFloat64(this.evTime, cap);
    this.evKey = grownFloat64(this.evKey, cap);
    this.evCall = grownInt32(this.evCall, 2 * cap);
    this.evPos = grownInt32(this.evPos, cap, -1);
    this.heapId = grownInt32(this.heapId, cap);
    this.heapTime = grownFloat64(this.heapTime, cap);
    const free = new Int32Array(cap);
    free.set(this.freeIds.subarray(0, this.freeTop));
    for (let i = cap - 1; i >= old; i--) free[this.freeTop++] = i;
    this.freeIds = free;
    this.capacity = cap;
  }
}
