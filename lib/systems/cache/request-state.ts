/**
 * The cache-aside system's bookkeeping (system.ts builds on it): the run's counters by outcome
 * (0 hit, 1 stale, 2 miss, 3 error) and the hit bins of `interval`, the per-job tables (key,
 * database fetch start, next waiter, write flag), the per-key states (key-state.ts), the objects'
 * sizes, and their reset on `sim.resetStatistics()` and growth.
 */
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import { ParameterError } from '../../errors';
import type { ResolvedCacheConfig } from './config';
import { KeyStates } from './key-state';

/** Sizes drawn once per object, for the catalogue (churned-in keys reuse key mod N's size). */
export function drawObjectSizes(
  sim: Simulation,
  c: ResolvedCacheConfig,
  keys: number,
): Float64Array | null {
  const sizeRng = sim.streams.get(`${c.name}.sizes`);
  return c.objectSize === null
    ? null
    : Float64Array.from({ length: keys }, () =>
        Math.max(1, Math.round((c.objectSize as NonNullable<typeof c.objectSize>).sample(sizeRng))),
      );
}

export class CacheRequestState {
  readonly config: ResolvedCacheConfig;
  reads = 0;
  hits = 0;
  stale = 0;
  misses = 0;
  errors = 0;
  coalesced = 0;
  leaseWaits = 0;
  earlyRefreshes = 0;
  writes = 0;
  dbReads = 0;
  fills = 0;
  episodes = 0;
  peakDbConcurrency = 0;
  peakKeyConcurrency = 0;
  inFlight = 0;
  protected readonly sim: Simulation;
  /** Per object, its size (null without `objectSize`); set by the subclass where it draws them. */
  protected sizes: Float64Array | null = null;
  // per job
  protected keyOf: Int32Array;
  protected fetchStart: Float64Array;
  protected nextWaiter: Int32Array;
  protected writeOf: Uint8Array;
  /** Per key: the database read in flight, its waiters, the lease, XFetch's δ (key-state.ts). */
  protected readonly ks: KeyStates;
  protected episodeReads = 0;
  protected readonly binHits: number[] = [];
  protected readonly binReads: number[] = [];

  constructor(sim: Simulation, c: ResolvedCacheConfig, keys: number) {
    this.config = c;
    this.sim = sim;
    const cap = sim.jobs.capacity;
    this.keyOf = new Int32Array(cap);
    this.fetchStart = new Float64Array(cap);
    this.nextWaiter = new Int32Array(cap);
    this.writeOf = new Uint8Array(cap);
    this.ks = new KeyStates(keys);
  }

  /** A called cache: the key (0 or more) the read `job` asks for; set before `entry.accept(job)`. */
  setKey(job: number, key: number): void {
    if (!(Number.isInteger(key) && key >= 0 && key < 2 ** 30))
      throw new ParameterError('key', key, 'must be an integer in [0, 2^30)');
    if (job >= this.keyOf.length) this.grow(this.sim.jobs.capacity);
    if (key >= this.ks.inflight.length) this.growKeys(key + 1);
    this.keyOf[job] = key;
  }

  /** The size a set of `key` stores (1 without `objectSize`). */
  protected sizeOf(key: number): number {
    return this.sizes !== null ? this.sizes[key % this.sizes.length] : 1;
  }

  /** Outcome of one completed read: 0 hit, 1 stale, 2 miss, 3 error. */
  protected count(outcome: number): void {
    this.reads++;
    if (outcome === 0) this.hits++;
    else if (outcome === 1) this.stale++;
    else if (outcome === 2) this.misses++;
    else this.errors++;
    if (this.config.interval > 0) {
      const b = Math.floor(this.sim.now / this.config.interval);
      while (this.binReads.length <= b) {
        this.binReads.push(0);
        this.binHits.push(0);
      }
      this.binReads[b]++;
      if (outcome <= 1) this.binHits[b]++;
    }
  }

  /** The counters restart (the key states mark what is in progress: key-state.ts). */
  protected resetCounts(): void {
    this.reads = this.hits = this.stale = this.misses = this.errors = 0;
    this.coalesced =
      this.leaseWaits =
      this.earlyRefreshes =
      this.writes =
      this.dbReads =
      this.fills =
      this.episodes =
        0;
    this.peakDbConcurrency = this.peakKeyConcurrency = 0;
    this.episodeReads = 0;
    this.ks.markInProgress();
  }

  protected grow(cap: number): void {
    this.keyOf = grownInt32(this.keyOf, cap);
    this.fetchStart = grownFloat64(this.fetchStart, cap);
    this.nextWaiter = grownInt32(this.nextWaiter, cap);
    this.writeOf = grownUint8(this.writeOf, cap);
  }

  protected growKeys(keys: number): void {
    this.ks.grow(keys);
  }
}
