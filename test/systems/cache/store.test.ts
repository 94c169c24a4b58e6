/**
 * Exact small cases for each eviction policy, against hand-worked sequences and the textbook's
 * published page-fault counts (Silberschatz, Galvin & Gagne, Operating System Concepts, 9th ed.,
 * §9.4: reference string 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 with three frames: FIFO 15
 * faults, LRU 12; and Belady's anomaly, 1 2 3 4 1 2 5 1 2 3 4 5: FIFO 9 faults with three frames,
 * 10 with four; LRU 10 and 8). TTL expiry, byte capacity, admission.
 */
import { RandomStreams } from '../../../lib/random/streams';
import { createStore } from '../../../lib/systems/cache/create';
import { LfuStore } from '../../../lib/systems/cache/lfu';
import { FrequencySketch, WTinyLfuStore } from '../../../lib/systems/cache/tinylfu';
import { SegmentedLruStore } from '../../../lib/systems/cache/segmented';
import { ParameterError } from '../../../lib/errors';
import type { CacheStore, EvictionPolicy } from '../../../lib/systems/cache/store';

/** Misses of a cache-aside replay of `seq` (every miss followed by a set). */
function faults(store: CacheStore, seq: number[]): number {
  let t = 0;
  for (const k of seq) if (!store.get(k, t++)) store.set(k, t);
  return store.misses;
}

const silberschatz = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];
const belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];

describe('eviction policies on hand-worked sequences', () => {
  it("FIFO and LRU page faults match the textbook's counts", () => {
    expect(faults(createStore('fifo', { capacity: 3 }), silberschatz)).toBe(15);
    expect(faults(createStore('lru', { capacity: 3 }), silberschatz)).toBe(12);
    expect(faults(createStore('fifo', { capacity: 3 }), belady)).toBe(9);
    expect(faults(createStore('fifo', { capacity: 4 }), belady)).toBe(10); // Belady's anomaly
    expect(faults(createStore('lru', { capacity: 3 }), belady)).toBe(10);
    expect(faults(createStore('lru', { capacity: 4 }), belady)).toBe(8);
  });

  it('LRU keeps recency order; FIFO keeps insertion order through hits', () => {
    const lru = createStore('lru', { capacity: 3 });
    const fifo = createStore('fifo', { capacity: 3 });
    for (const s of [lru, fifo]) faults(s, [1, 2, 3, 1, 4]);
    expect(lru.keys()).toEqual([3, 1, 4]); // 2 was least recently used
    expect(fifo.keys()).toEqual([2, 3, 4]); // 1 was inserted first
    expect(lru.evictions).toBe(1);
  });

  it('perfect LFU evicts the least frequent (ties: least recent) and refuses a colder newcomer', () => {
    const lfu = new LfuStore({ capacity: 2 });
    // 1 1 2 3: 3 (count 1) ties with 2 (count 1) and enters, evicting 2 (older)
    expect(faults(lfu, [1, 1, 2, 3])).toBe(3);
    expect(lfu.keys().sort()).toEqual([1, 3]);
    // 2 again: count 2 > 3's count 1: enters, evicting 3
    faults(lfu, [2]);
    expect(lfu.keys().sort()).toEqual([1, 2]);
    // 4 (count 1) is colder than both (count 2): not admitted
    faults(lfu, [4]);
    expect(lfu.keys().sort()).toEqual([1, 2]);
    expect(lfu.rejected).toBe(1);
    expect(lfu.frequency[4]).toBe(1);
  });

  it('random replacement evicts a resident key, reproducibly per seed', () => {
    const run = (seed: number) => {
      const s = createStore('random', {
        capacity: 3,
        rng: new RandomStreams(seed).get('cache.evict'),
      });
      faults(s, belady);
      return s.keys().sort();
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).toHaveLength(3);
    expect(() => createStore('random', { capacity: 3 })).toThrow(ParameterError);
  });

  it('W-TinyLFU: window 1 % of the capacity, protected 80 % of the main cache; a hit in probation promotes', () => {
    const w = new WTinyLfuStore({ capacity: 100 });
    expect(w.windowMax).toBe(1);
    expect(w.protectedMax).toBeCloseTo(79.2, 10);
    faults(w, [1, 2, 3]);
    expect(w.segments()).toEqual({ window: [3], probation: [1, 2], protected: [] });
    faults(w, [1]);
    expect(w.segments()).toEqual({ window: [3], probation: [2], protected: [1] });
  });

  it('W-TinyLFU resists a scan that flushes LRU: the hot set survives one pass over new keys', () => {
    const hotSurvivors = (policy: EvictionPolicy) => {
      const s = createStore(policy, { capacity: 100 });
      const seq: number[] = [];
      for (let r = 0; r < 5; r++) for (let k = 0; k < 90; k++) seq.push(k);
      for (let k = 1000; k < 1500; k++) seq.push(k);
      faults(s, seq);
      return s.keys().filter((k) => k < 90).length;
    };
    expect(hotSurvivors('lru')).toBe(0);
    // a candidate wins only if its sketched count beats the victim's: all but a collision or two
    expect(hotSurvivors('wtinylfu')).toBeGreaterThanOrEqual(85);
    expect(hotSurvivors('lfu')).toBe(90);
    expect(hotSurvivors('segmented')).toBeGreaterThanOrEqual(30); // WARM (32 % of the memory) keeps its items
  });

  it("memcached's segmented LRU: new items enter HOT, inactive ones flow to COLD, a read in COLD moves to WARM, active HOT items go to WARM", () => {
    const m = new SegmentedLruStore({ capacity: 10 });
    expect(m.hotMax).toBeCloseTo(3.2, 12);
    faults(m, [1, 2, 3, 4]);
    expect(m.segments()).toEqual({ hot: [2, 3, 4], warm: [], cold: [1] });
    faults(m, [1, 2, 5]);
    expect(m.segments()).toEqual({ hot: [3, 4, 5], warm: [1, 2], cold: [] });
    // a scan of new keys flows HOT -> COLD -> out and never reaches WARM
    faults(m, [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111]);
    expect(m.segments().warm).toEqual([1, 2]);
    expect(m.count).toBe(10);
  });

  it('the frequency sketch counts up to 15 and halves after 10 x capacity additions', () => {
    const f = new FrequencySketch(16);
    for (let i = 0; i < 20; i++) f.increment(7);
    expect(f.frequency(7)).toBe(15);
    expect(f.frequency(8)).toBeLessThanOrEqual(15);
    for (let k = 100; k < 100 + f.sampleSize; k++) f.increment(k);
    expect(f.frequency(7)).toBeLessThan(15);
  });
});

describe('expiry and capacity', () => {
  it('expiry is lazy: an expired item is a miss when read and is removed then (memcached)', () => {
    const s = createStore('lru', { capacity: 10 });
    s.set(1, 0, 10);
    expect(s.get(1, 9.99)).toBe(true);
    expect(s.count).toBe(1);
    expect(s.get(1, 10)).toBe(false);
    expect(s.expirations).toBe(1);
    expect(s.count).toBe(0);
    s.set(2, 0, 0); // exptime 0: never expires
    expect(s.get(2, 1e9)).toBe(true);
  });

  it('capacity in bytes: evicts until the new item fits; an item larger than the cache is refused', () => {
    for (const policy of ['lru', 'fifo', 'lfu', 'wtinylfu', 'random', 'segmented'] as const) {
      const s = createStore(policy, {
        capacity: 100,
        unit: 'bytes',
        rng: new RandomStreams(1).get('x'),
      });
      s.set(1, 0, 0, 60);
      s.set(2, 0, 0, 30);
      expect(s.used).toBe(90);
      s.get(3, 0);
      s.set(3, 0, 0, 50);
      expect(s.used).toBeLessThanOrEqual(100);
      expect(s.evictions).toBeGreaterThanOrEqual(1);
      expect(s.set(4, 0, 0, 150)).toBe(false);
      expect(s.rejected).toBeGreaterThanOrEqual(1);
      let sum = 0;
      for (const k of s.keys()) sum += s.size[k];
      expect(sum).toBe(s.used);
    }
  });

  it('every policy holds at most its capacity and conserves reads (hit or miss) on a long random run', () => {
    const rng = new RandomStreams(3).get('keys');
    for (const policy of ['lru', 'fifo', 'lfu', 'wtinylfu', 'random', 'segmented'] as const) {
      const s = createStore(policy, {
        capacity: 50,
        keys: 8,
        rng: new RandomStreams(3).get('evict'),
      });
      let t = 0;
      let most = 0;
      for (let i = 0; i < 20000; i++) {
        const k = Math.floor(rng.next() * rng.next() * 400);
        if (!s.get(k, t)) s.set(k, t, 5);
        t += 0.01;
        most = Math.max(most, s.count);
      }
      expect(most).toBeLessThanOrEqual(50);
      expect(s.hits + s.misses).toBe(20000);
      expect(new Set(s.keys()).size).toBe(s.count);
    }
  });

  it('bad options are typed errors', () => {
    expect(() => createStore('lru', { capacity: 0 })).toThrow(ParameterError);
    expect(() => createStore('lru', { capacity: 1.5 })).toThrow(/capacity/);
    expect(() => createStore('mru' as EvictionPolicy, { capacity: 2 })).toThrow(/policy/);
    expect(() => createStore('lru', { capacity: 2, unit: 'pages' as 'bytes' })).toThrow(/unit/);
  });
});
