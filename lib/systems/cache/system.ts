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
 *
 * Called by another component (no `rate`; lib/systems/README.md "Components called by others"):
 * the caller sets a read's key (`setKey(job, key)`) and hands the job (a common.Calls child) to
 * `entry`; the pool does the same work (the client's ketama pick, the node's store, the stampede
 * cure), a miss is sent as a child call to `missTo` (default the cache's own database Station;
 * `onMiss(child, key)` lets the caller tag it, e.g. with the database's key) and fills the node
 * on its answer; the read then goes to `to` (answered: hit, stale or filled miss) or `error`
 * (the miss's call failed or timed out). With `cache.serviceTime` each node is a
 * processor-sharing Station of `cache.threads` servers (memcached's `-t` worker threads), so gets
 * queue; a node that crashes fails the gets inside it, which fall through to `missTo` as a
 * refused connection does.
 */
import { Exponential } from '../../random/exponential';
import type { Simulation } from '../../sim/simulation';
import type { Station } from '../../sim/station';
import { target, type JobTarget } from '../../sim/target';
import { ParameterError } from '../../errors';
import { Calls, CALL_OK } from '../common/calls';
import type { FailureProcess } from '../common/failures';
import { Latency } from '../common/latency';
import { measure, type RunWindow } from '../common/runner';
import { resolveCacheConfig, type CacheSystemConfig, type ResolvedCacheConfig } from './config';
import { cacheDatabase } from './database';
import { NONE } from './key-state';
import { KeySampler } from './popularity';
import { nodeThreads } from './node-threads';
import { CachePool } from './pool';
import { CacheRequestState, drawObjectSizes } from './request-state';
import { FRESH, EXPIRED } from './store';
import { summarizeCache, type CacheSystemSummary } from './summary';

export type { CacheSystemSummary } from './summary';

export class CacheSystem extends CacheRequestState {
  readonly pool: CachePool;
  readonly database: Station;
  readonly databaseFailures: FailureProcess;
  readonly latency: Latency;
  /** The popularity's key sampler (null in a called cache without a popularity). */
  readonly keys: KeySampler | null;
  /** A called cache's entry: a read of the key set with {@link setKey}. */
  readonly entry: JobTarget;
  /** Where an answered read goes, and a failed one (defaults `Calls.of(sim).reply` / `.error`). */
  to: JobTarget;
  error: JobTarget;
  /** Where a miss is sent (a child call; default the cache's own `database` Station). */
  missTo: JobTarget;
  /** Called with each miss's child job and its key before it goes to `missTo` (e.g. to set the database's key). */
  onMiss: ((child: number, key: number) => void) | null = null;
  /** Per node, its worker threads as a PS Station (with `cache.serviceTime`; empty without). */
  readonly nodeStations: Station[] = [];
  private readonly calls: Calls;
  private readonly rng: ReturnType<Simulation['streams']['get']>;
  private readonly gap: Exponential;
  private readonly arriveH: number;
  private readonly doneH: number;
  private readonly fetchH: number;
  private readonly retryH: number;
  private readonly afterRead: JobTarget;
  private readonly afterWrite: JobTarget;

  constructor(sim: Simulation, config: CacheSystemConfig | ResolvedCacheConfig) {
    const c = 'nodeFailures' in config ? config : resolveCacheConfig(config);
    const keys = c.popularity !== null ? new KeySampler(c.popularity, 0) : null;
    const nk = keys !== null ? keys.keySpace : 1024;
    super(sim, c, nk);
    this.calls = Calls.of(sim);
    this.keys = keys;
    const n = c.name;
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
      (i) => sim.streams.get(`${n}.node${i}.evict`),
      n,
    );
    this.sizes = drawObjectSizes(sim, c, nk);
    const db = cacheDatabase(sim, c, this.calls);
    this.database = db.database;
    this.databaseFailures = db.failures;
    this.to = this.calls.reply;
    this.error = this.calls.error;
    this.missTo = this.database;
    this.latency = new Latency(sim);
    this.rng = sim.streams.get(`${n}.requests`);
    this.gap = new Exponential(c.called ? 1 : c.rate);
    this.arriveH = sim.handler(() => this.arrive(), `${n}.arrive`);
    this.doneH = sim.handler((job) => this.done(job), `${n}.done`);
    this.fetchH = sim.handler((job) => this.fetch(job), `${n}.fetch`);
    this.retryH = sim.handler((job) => this.lookup(job), `${n}.retry`);
    this.afterRead = { accept: (job: number) => this.filled(job) };
    this.afterWrite = { accept: (job: number) => this.written(job) };
    this.entry = target((job) => this.enter(job));
    if (c.serviceTime !== null)
      this.nodeStations.push(
        ...nodeThreads(
          sim,
          c,
          this.pool,
          target((job) => this.got(job, true)),
          target((job) => this.got(job, false)),
        ),
      );
    sim.onReset(() => this.reset());
    const p = c.popularity;
    const trace =
      p !== null && p.model === 'trace' && p.useTimestamps !== false ? p.trace.times : null;
    this.traceTimes = trace;
    if (!c.called)
      sim.schedule(trace !== null ? trace[0] : this.gap.sample(this.rng), this.arriveH, 0);
  }

  /** A read from the caller (its key set by {@link setKey}). */
  private enter(job: number): void {
    if (!this.config.called)
      throw new ParameterError(
        'rate',
        this.config.rate,
        'must be omitted for a cache called through entry',
      );
    if (job >= this.keyOf.length) this.grow(this.sim.jobs.capacity);
    this.inFlight++;
    this.writeOf[job] = 0;
    this.lookup(job);
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
    const key = (this.keys as KeySampler).next(sim.now, this.rng);
    if (key >= this.ks.inflight.length) this.growKeys(key + 1);
    this.keyOf[job] = key;
    const write = this.config.writeFraction > 0 && this.rng.next() < this.config.writeFraction;
    this.writeOf[job] = write ? 1 : 0;
    if (write) {
      this.calls.call(job, this.database, this.afterWrite, this.config.db.timeout);
      return;
    }
    this.lookup(job);
  }

  /** The get at the key's node: through the node's worker threads when it has them. */
  private lookup(job: number): void {
    if (this.nodeStations.length > 0) {
      const node = this.pool.nodeOf(this.keyOf[job]);
      if (node !== null) {
        this.nodeStations[node.index].accept(job);
        return;
      }
    }
    this.answer(job, true);
  }

  /** The node's thread served the get (`ok`), or refused or failed it (a crash: a miss, on to the database). */
  private got(job: number, ok: boolean): void {
    this.answer(job, ok);
  }

  /** What follows from the get's answer (`reached`: false when the node refused the connection). */
  private answer(job: number, reached: boolean): void {
    const sim = this.sim;
    const c = this.config;
    const key = this.keyOf[job];
    const node = reached ? this.pool.nodeOf(key) : null;
    const lat = c.latency;
    if (node !== null) {
      const store = node.store;
      const state = store.state(key, sim.now);
      if (state === FRESH) {
        const early =
          c.stampede === 'xfetch' &&
          this.ks.delta[key] > 0 &&
          sim.now - this.ks.delta[key] * c.beta * Math.log(this.rng.nextOpen()) >=
            store.expiresAt[key];
        if (!early) {
          store.get(key, sim.now);
          this.count(0);
          sim.schedule(lat, this.doneH, job);
          return;
        }
        this.earlyRefreshes++;
      } else if (c.stampede === 'lease' && this.ks.leaseUntil[key] > sim.now) {
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
    if (coalesce && this.ks.inflight[key] === 1) {
      this.coalesced++;
      this.nextWaiter[job] = this.ks.waitHead[key];
      this.ks.waitHead[key] = job;
      return;
    }
    this.ks.inflight[key] = 1;
    if (c.stampede === 'lease') this.ks.leaseUntil[key] = sim.now + c.lease.timeout;
    sim.schedule(lat, this.fetchH, job);
  }

  private fetch(job: number): void {
    const key = this.keyOf[job];
    this.fetchStart[job] = this.sim.now;
    this.dbReads++;
    const n = ++this.ks.keyDb[key];
    if (n === 1) {
      this.episodes++;
      this.ks.uncounted[key] = 0;
    }
    if (this.ks.uncounted[key] === 0) this.episodeReads++;
    if (n > this.peakKeyConcurrency) this.peakKeyConcurrency = n;
    if (this.onMiss === null && this.missTo === this.database)
      this.calls.call(job, this.database, this.afterRead, this.config.db.timeout);
    else {
      this.calls.wait(job, { timeout: this.config.db.timeout, then: this.afterRead });
      const child = this.calls.child(job);
      if (this.onMiss !== null) this.onMiss(child, key);
      this.missTo.accept(child);
    }
    const inDb = this.database.numberInSystem.value;
    if (inDb > this.peakDbConcurrency) this.peakDbConcurrency = inDb;
  }

  /** The database answered a read (or failed): fill the cache, answer the waiters. */
  private filled(job: number): void {
    const sim = this.sim;
    const c = this.config;
    const key = this.keyOf[job];
    this.ks.keyDb[key]--;
    const ok = this.calls.outcome[job] === CALL_OK;
    if (ok) {
      this.ks.delta[key] = sim.now - this.fetchStart[job];
      const node = this.pool.nodeOf(key);
      if (node !== null) {
        if (node.store.state(key, sim.now) !== FRESH) this.fills++;
        node.store.set(key, sim.now, c.exptime, this.sizeOf(key));
      }
    }
    this.ks.inflight[key] = 0;
    this.ks.leaseUntil[key] = 0;
    const outcome = ok ? 2 : 3;
    let w = this.ks.waitHead[key];
    this.ks.waitHead[key] = NONE;
    while (w !== NONE) {
      const next = this.nextWaiter[w];
      this.count(outcome);
      this.done(w, ok);
      w = next;
    }
    this.count(outcome);
    this.done(job, ok);
  }

  private written(job: number): void {
    const sim = this.sim;
    const key = this.keyOf[job];
    this.writes++;
    if (this.calls.outcome[job] === CALL_OK) {
      const node = this.pool.nodeOf(key);
      if (node !== null) {
        if (this.config.onWrite === 'invalidate') node.store.delete(key);
        else node.store.set(key, sim.now, this.config.exptime, this.sizeOf(key));
      }
    }
    this.done(job);
  }

  /** A request ends: answered (`ok`) or failed; a called cache hands it to `to` or `error`. */
  private done(job: number, ok = true): void {
    this.latency.record(this.sim.now - this.sim.jobs.born[job]);
    this.inFlight--;
    if (!this.config.called) this.sim.jobs.free(job);
    else if (ok) this.to.accept(job);
    else this.error.accept(job);
  }

  private reset(): void {
    this.resetCounts();
    for (const n of this.pool.nodes) n.store.resetCounters();
  }

  summary(): CacheSystemSummary {
    return summarizeCache(this, {
      binReads: this.binReads,
      binHits: this.binHits,
      episodeReads: this.episodeReads,
    });
  }
}

/** One replication: build on a fresh simulation, warm up, measure, summarise. */
export function simulateCache(config: CacheSystemConfig, window: RunWindow): CacheSystemSummary {
  const resolved = resolveCacheConfig(config);
  return measure((sim) => new CacheSystem(sim, resolved), window).system.summary();
}
