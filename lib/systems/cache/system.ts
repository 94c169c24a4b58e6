/**
 * A web tier reading through a memcached pool to a database (cache-aside, or read-through), on
 * the kernel. A read asks the key's node (one round trip, `cache.latency`): a fresh item is a
 * hit; otherwise the web server queries the database, an M/M/c Station reached through the call
 * layer (lib/systems/common/calls.ts), and sets the item with its `exptime` when the answer comes
 * (memcached's cache-aside; Nishtala et al., NSDI 2013, §2). A write goes to the database and
 * then deletes ('invalidate') or sets ('update') the key.
 *
 * Concurrent misses on one key (a stampede when a hot key expires) are handled by `stampede`:
 * - 'none': every miss queries the database (k concurrent misses, k queries);
 * - 'single-flight' (request coalescing; also what 'read-through' does): the first miss
 *   queries, later ones wait for its answer;
 * - 'lease' (memcached leases, FB NSDI 2013 §3.2.1): the first miss gets a lease and queries;
 *   others are told to wait and retry after `lease.retry` s (or, with `lease.stale`, get the
 *   expired value at once); the lease lapses after `lease.timeout` s;
 * - 'xfetch' (Vattani, Chierichetti & Lowenstein, "Optimal Probabilistic Cache Stampede
 *   Prevention", VLDB 2015): a read of a fresh item recomputes it early when
 *   now − δ·β·ln(U) ≥ expiry, δ the last recompute time, U uniform on (0, 1].
 * Every completed read is exactly one of hit, stale (served expired under a lease), miss
 * (served from the database, coalesced or not) or error (database refused or timed out).
 */
import { Exponential } from '../../random/exponential';
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import type { JobTarget } from '../../sim/target';
import { Calls, CALL_OK } from '../common/calls';
import { FailureProcess } from '../common/failures';
import { Latency } from '../common/latency';
import { measure, type RunWindow } from '../common/runner';
import { resolveCacheConfig, type CacheSystemConfig, type ResolvedCacheConfig } from './config';
import { KeySampler } from './popularity';
import { CachePool } from './pool';
import { FRESH, EXPIRED } from './store';
import type { CacheSystemSummary } from './summary';
import { overloadOf } from '../common/overload';

export type { CacheSystemSummary } from './summary';

const NONE = -1;

export class CacheSystem {
  readonly config: ResolvedCacheConfig;
  readonly pool: CachePool;
  readonly database: Station;
  readonly databaseFailures: FailureProcess;
  readonly latency: Latency;
  readonly keys: KeySampler;
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
  private readonly sim: Simulation;
  private readonly calls: Calls;
  private readonly sizes: Float64Array | null;
  private readonly rng: ReturnType<Simulation['streams']['get']>;
  private readonly gap: Exponential;
  // per job
  private keyOf: Int32Array;
  private fetchStart: Float64Array;
  private nextWaiter: Int32Array;
  private writeOf: Uint8Array;
  // per key
  private inflight: Uint8Array;
  private waitHead: Int32Array;
  private leaseUntil: Float64Array;
  private delta: Float64Array;
  private keyDb: Int32Array;
  private uncounted: Uint8Array; // 1 while the key's episode began before the last reset
  private episodeReads = 0;
  private readonly binHits: number[] = [];
  private readonly binReads: number[] = [];
  private readonly arriveH: number;
  private readonly doneH: number;
  private readonly fetchH: number;
  private readonly retryH: number;
  private readonly afterRead: JobTarget;
  private readonly afterWrite: JobTarget;

  constructor(sim: Simulation, config: CacheSystemConfig | ResolvedCacheConfig) {
    const c = 'nodeFailures' in config ? config : resolveCacheConfig(config);
    this.config = c;
    this.sim = sim;
    this.calls = Calls.of(sim);
    this.keys = new KeySampler(c.popularity, 0);
    const nk = this.keys.keySpace;
    this.pool = new CachePool(
      sim,
      {
        nodes: c.nodes,
        hashing: c.hashing,
        policy: c.policy,
        capacity: c.capacity,
        unit: c.unit,
        keys: nk,
        failures: c.nodeFailures,
      },
      (i) => sim.streams.get(`cache.node${i}.evict`),
    );
    const sizeRng = sim.streams.get('cache.sizes');
    // sizes drawn once per object, for the catalogue (churned-in keys reuse key mod N's size)
    this.sizes =
      c.objectSize === null
        ? null
        : Float64Array.from({ length: nk }, () =>
            Math.max(
              1,
              Math.round((c.objectSize as NonNullable<typeof c.objectSize>).sample(sizeRng)),
            ),
          );
    this.database = new Station(sim, {
      name: 'database',
      servers: c.db.servers,
      service: c.db.service,
      capacity: c.db.capacity,
      to: this.calls.reply,
      dropTo: this.calls.error,
      failTo: this.calls.error,
      onCrash: 'fail',
    });
    this.databaseFailures = new FailureProcess(sim, this.database, c.db.failures, {
      name: 'database',
    });
    this.latency = new Latency(sim);
    this.rng = sim.streams.get('cache.requests');
    this.gap = new Exponential(c.rate);
    const cap = sim.jobs.capacity;
    this.keyOf = new Int32Array(cap);
    this.fetchStart = new Float64Array(cap);
    this.nextWaiter = new Int32Array(cap);
    this.writeOf = new Uint8Array(cap);
    this.inflight = new Uint8Array(nk);
    this.waitHead = new Int32Array(nk).fill(NONE);
    this.leaseUntil = new Float64Array(nk);
    this.delta = new Float64Array(nk);
    this.keyDb = new Int32Array(nk);
    this.uncounted = new Uint8Array(nk);
    this.arriveH = sim.handler(() => this.arrive(), 'cache.arrive');
    this.doneH = sim.handler((job) => this.done(job), 'cache.done');
    this.fetchH = sim.handler((job) => this.fetch(job), 'cache.fetch');
    this.retryH = sim.handler((job) => this.lookup(job), 'cache.retry');
    this.afterRead = { accept: (job: number) => this.filled(job) };
    this.afterWrite = { accept: (job: number) => this.written(job) };
    sim.onReset(() => this.reset());
    const trace =
      c.popularity.model === 'trace' && c.popularity.useTimestamps !== false
        ? c.popularity.trace.times
        : null;
    this.traceTimes = trace;
    sim.schedule(trace !== null ? trace[0] : this.gap.sample(this.rng), this.arriveH, 0);
  }

  private readonly traceTimes: Float64Array | null;
  private traceIndex = 0;

  private arrive(): void {
    const sim = this.sim;
    const tt = this.traceTimes;
    if (tt !== null) {
      if (++this.traceIndex < tt.length)
        sim.schedule(tt[this.traceIndex] - tt[this.traceIndex - 1], this.arriveH, 0);
    } else sim.schedule(this.gap.sample(this.rng), this.arriveH, 0);
    const job = sim.jobs.alloc();
    if (job >= this.keyOf.length) this.grow(sim.jobs.capacity);
    sim.jobs.born[job] = sim.now;
    this.inFlight++;
    const key = this.keys.next(sim.now, this.rng);
    if (key >= this.inflight.length) this.growKeys(key + 1);
    this.keyOf[job] = key;
    const write = this.config.writeFraction > 0 && this.rng.next() < this.config.writeFraction;
    this.writeOf[job] = write ? 1 : 0;
    if (write) {
      this.calls.call(job, this.database, this.afterWrite, this.config.db.timeout);
      return;
    }
    this.lookup(job);
  }

  /** The get at the key's node, and what follows from its answer. */
  private lookup(job: number): void {
    const sim = this.sim;
    const c = this.config;
    const key = this.keyOf[job];
    const node = this.pool.nodeOf(key);
    const lat = c.latency;
    if (node !== null) {
      const store = node.store;
      const state = store.state(key, sim.now);
      if (state === FRESH) {
        const early =
          c.stampede === 'xfetch' &&
          this.delta[key] > 0 &&
          sim.now - this.delta[key] * c.beta * Math.log(this.rng.nextOpen()) >=
            store.expiresAt[key];
        if (!early) {
          store.get(key, sim.now);
          this.count(0);
          sim.schedule(lat, this.doneH, job);
          return;
        }
        this.earlyRefreshes++;
      } else if (c.stampede === 'lease' && this.leaseUntil[key] > sim.now) {
        if (state === EXPIRED && c.lease.stale) {
          this.count(1);
          sim.schedule(lat, this.doneH, job);
          return;
        }
        this.leaseWaits++;
        sim.schedule(lat + c.lease.retry, this.retryH, job);
        return;
      } else if (state === EXPIRED && !(c.stampede === 'lease' && c.lease.stale)) {
        store.get(key, sim.now); // lazy expiry: the read removes the expired item
      } else {
        store.misses++;
      }
    }
    const coalesce = c.stampede === 'single-flight' || c.pattern === 'read-through';
    if (coalesce && this.inflight[key] === 1) {
      this.coalesced++;
      this.nextWaiter[job] = this.waitHead[key];
      this.waitHead[key] = job;
      return;
    }
    this.inflight[key] = 1;
    if (c.stampede === 'lease') this.leaseUntil[key] = sim.now + c.lease.timeout;
    sim.schedule(lat, this.fetchH, job);
  }

  private fetch(job: number): void {
    const key = this.keyOf[job];
    this.fetchStart[job] = this.sim.now;
    this.dbReads++;
    const n = ++this.keyDb[key];
    if (n === 1) {
      this.episodes++;
      this.uncounted[key] = 0;
    }
    if (this.uncounted[key] === 0) this.episodeReads++;
    if (n > this.peakKeyConcurrency) this.peakKeyConcurrency = n;
    this.calls.call(job, this.database, this.afterRead, this.config.db.timeout);
    const inDb = this.database.numberInSystem.value;
    if (inDb > this.peakDbConcurrency) this.peakDbConcurrency = inDb;
  }

  /** The database answered a read (or failed): fill the cache, answer the waiters. */
  private filled(job: number): void {
    const sim = this.sim;
    const c = this.config;
    const key = this.keyOf[job];
    this.keyDb[key]--;
    const ok = this.calls.outcome[job] === CALL_OK;
    if (ok) {
      this.delta[key] = sim.now - this.fetchStart[job];
      const node = this.pool.nodeOf(key);
      if (node !== null) {
        if (node.store.state(key, sim.now) !== FRESH) this.fills++;
        node.store.set(
          key,
          sim.now,
          c.exptime,
          this.sizes !== null ? this.sizes[key % this.sizes.length] : 1,
        );
      }
    }
    this.inflight[key] = 0;
    this.leaseUntil[key] = 0;
    const outcome = ok ? 2 : 3;
    let w = this.waitHead[key];
    this.waitHead[key] = NONE;
    while (w !== NONE) {
      const next = this.nextWaiter[w];
      this.count(outcome);
      this.done(w);
      w = next;
    }
    this.count(outcome);
    this.done(job);
  }

  private written(job: number): void {
    const sim = this.sim;
    const key = this.keyOf[job];
    this.writes++;
    if (this.calls.outcome[job] === CALL_OK) {
      const node = this.pool.nodeOf(key);
      if (node !== null) {
        if (this.config.onWrite === 'invalidate') node.store.delete(key);
        else
          node.store.set(
            key,
            sim.now,
            this.config.exptime,
            this.sizes !== null ? this.sizes[key % this.sizes.length] : 1,
          );
      }
    }
    this.done(job);
  }

  /** Outcome of one completed read: 0 hit, 1 stale, 2 miss, 3 error. */
  private count(outcome: number): void {
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

  private done(job: number): void {
    this.latency.record(this.sim.now - this.sim.jobs.born[job]);
    this.inFlight--;
    this.sim.jobs.free(job);
  }

  private reset(): void {
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
    for (let k = 0; k < this.keyDb.length; k++) this.uncounted[k] = this.keyDb[k] > 0 ? 1 : 0;
    for (const n of this.pool.nodes) n.store.resetCounters();
  }

  private grow(cap: number): void {
    this.keyOf = grownInt32(this.keyOf, cap);
    this.fetchStart = grownFloat64(this.fetchStart, cap);
    this.nextWaiter = grownInt32(this.nextWaiter, cap);
    this.writeOf = grownUint8(this.writeOf, cap);
  }

  private growKeys(keys: number): void {
    let n = this.inflight.length;
    while (n < keys) n *= 2;
    this.inflight = grownUint8(this.inflight, n);
    this.waitHead = grownInt32(this.waitHead, n, NONE);
    this.leaseUntil = grownFloat64(this.leaseUntil, n);
    this.delta = grownFloat64(this.delta, n);
    this.keyDb = grownInt32(this.keyDb, n);
    this.uncounted = grownUint8(this.uncounted, n);
  }

  private lookupHitRatio(): number {
    let h = 0;
    let n = 0;
    for (const node of this.pool.nodes) {
      h += node.store.hits;
      n += node.store.hits + node.store.misses;
    }
    return n > 0 ? h / n : NaN;
  }

  summary(): CacheSystemSummary {
    const r = this.reads;
    const t: number[] = [];
    const hr: Array<number | null> = [];
    for (let b = 0; b < this.binReads.length; b++) {
      t.push(b * this.config.interval);
      hr.push(this.binReads[b] > 0 ? this.binHits[b] / this.binReads[b] : null);
    }
    return {
      ...overloadOf([this.database]),
      reads: r,
      hits: this.hits,
      stale: this.stale,
      misses: this.misses,
      errors: this.errors,
      hitRatio: r > 0 ? this.hits / r : NaN,
      servedFromCache: r > 0 ? (this.hits + this.stale) / r : NaN,
      lookupHitRatio: this.lookupHitRatio(),
      coalesced: this.coalesced,
      leaseWaits: this.leaseWaits,
      earlyRefreshes: this.earlyRefreshes,
      writes: this.writes,
      dbReads: this.dbReads,
      fills: this.fills,
      episodes: this.episodes,
      dbReadsPerEpisode: this.episodes > 0 ? this.episodeReads / this.episodes : NaN,
      peakDbConcurrency: this.peakDbConcurrency,
      peakKeyConcurrency: this.peakKeyConcurrency,
      latency: this.latency.summary(),
      database: this.database.summary(),
      nodes: this.pool.nodes.map((n, i) => ({
        up: n.up,
        items: n.store.count,
        availability: this.pool.failures[i].availability,
        evictions: n.store.evictions,
      })),
      inFlight: this.inFlight,
      series:
        this.config.interval > 0 ? { t: t, hitRatio: hr, reads: this.binReads.slice() } : null,
    };
  }
}

/** One replication: build on a fresh simulation, warm up, measure, summarise. */
export function simulateCache(config: CacheSystemConfig, window: RunWindow): CacheSystemSummary {
  const resolved = resolveCacheConfig(config);
  return measure((sim) => new CacheSystem(sim, resolved), window).system.summary();
}
