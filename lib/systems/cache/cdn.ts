/**
 * A CDN on the kernel: clients in each region send Poisson requests (Zipf-popular objects) to
 * their edge; an edge serves a fresh copy, or fetches from its upstream (the origin shield when
 * there is one, else the origin, an M/M/c Station reached through the call layer), collapsing
 * concurrent misses of one object into one fetch (nginx `proxy_cache_lock`, Varnish's request
 * coalescing). The shield is the same kind of cache, in front of the origin.
 *
 * HTTP caching as RFC 9111: the freshness lifetime is `s-maxage` if present, else `max-age`
 * (§4.2.1); a stored response's age is computed conservatively (§4.2.3): corrected initial age =
 * Age header + response delay, so a copy is "born" when its request was sent, minus the Age it
 * came with, and is fresh while now − birth < lifetime. A copy fetched from the shield carries
 * the shield copy's age, so it never outlives it. RFC 5861: within `stale-while-revalidate` s
 * after it went stale a copy is served at once while one background fetch refreshes it; within
 * `stale-if-error` s it is served when the fetch fails (origin down, timeout).
 *
 * Called mode (lib/systems/README.md, "Components called by others"): regions without a `rate`
 * have no clients of their own; a caller's request comes to `entry` (its object set by
 * `setKey(job, key)`, its client region by `setRegion(job, r)`; unset: drawn from the popularity,
 * region 0), travels the region's client RTT, is answered at the edge (hit, stale) or after the
 * fetch, and goes to `to` (answered, stale-if-error included) or `error` (the fetch failed and no
 * copy may be served). With `originTo` set, the top cache's fetches go there (the caller's web
 * tier or balancer) instead of the own origin Station, through common.Calls with the origin's
 * `timeout`, over the same half round trips; `onOriginFetch(child, key)` lets the caller set what
 * its origin needs of the fetch.
 *
 * Oracle (Poisson requests λ_i for object i at one edge, lifetime T, collapsed misses): every
 * fetch starts a renewal cycle of T plus an exponential wait for the next request, so the fetch
 * rate is λ_i/(1 + λ_i T) exactly, with or without stale-while-revalidate; behind a shield the
 * origin sees Λ_i/(1 + Λ_i T) with Λ_i the object's rate over all edges.
 */
import { ParameterError } from '../../errors';
import { Exponential } from '../../random/exponential';
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import type { JobTarget } from '../../sim/target';
import { Calls, CALL_OK } from '../common/calls';
import { FailureProcess } from '../common/failures';
import { Latency } from '../common/latency';
import { measure, type RunWindow } from '../common/runner';
import { resolveCdnConfig, type CdnConfig, type ResolvedCdnConfig } from './cdn-config';
import { CdnJobs } from './cdn-jobs';
import { KeySampler } from './popularity';
import { HttpCache, NONE } from './http-cache';
import { ERROR, HIT, MISS, STALE, STALE_IF_ERROR, summarizeCdn } from './cdn-summary';
import type { CdnSummary } from './cdn-summary';

export type { CdnSummary } from './cdn-summary';

export class Cdn {
  readonly config: ResolvedCdnConfig;
  readonly caches: HttpCache[];
  readonly origin: Station;
  readonly originFailures: FailureProcess;
  readonly latency: Latency;
  /** @internal (cdn-summary.ts) */
  readonly regionLatency: Latency[];
  /** @internal (cdn-summary.ts) */
  readonly regionCount: Float64Array;
  /** @internal (cdn-summary.ts) */
  readonly regionHits: Float64Array;
  /** @internal (cdn-summary.ts) */
  readonly sim: Simulation;
  private readonly calls: Calls;
  private readonly keys: KeySampler;
  private readonly rng: ReturnType<Simulation['streams']['get']>;
  private readonly gaps: Exponential[];
  private readonly shield: number;
  /** Called mode: where requests come in (objects by `setKey`, regions by `setRegion`). */
  readonly entry: JobTarget;
  /** Called mode: answered requests go here (default `Calls.of(sim).reply`). */
  to: JobTarget;
  /** Called mode: failed requests (fetch failed, no copy to serve) go here (default `Calls.of(sim).error`). */
  error: JobTarget;
  /** Where the top cache's fetches go instead of the own origin Station (the caller's origin); null: the own origin. */
  originTo: JobTarget | null = null;
  /** Called for each fetch sent to `originTo`, with the object: set what the caller's origin needs of it. */
  onOriginFetch: ((child: number, key: number) => void) | null = null;
  counts: Float64Array = new Float64Array(5);
  originRequests = 0;
  shieldFetches = 0;
  shieldHits = 0;
  /** @internal (cdn-summary.ts): when statistics last restarted */
  since = 0;
  /** Per-job attributes (cdn-jobs.ts). */
  private readonly j: CdnJobs;
  private readonly afterExternal: JobTarget;
  private readonly externalBackH: number;
  private readonly arriveH: number;
  private readonly atCacheH: number;
  private readonly clientDoneH: number;
  private readonly fetchBackH: number;
  private readonly toOriginH: number;
  private readonly replyH: number;
  private readonly originLink: JobTarget;
  private readonly afterOrigin: JobTarget;

  constructor(sim: Simulation, config: CdnConfig | ResolvedCdnConfig) {
    const c = 'lifetime' in config ? config : resolveCdnConfig(config);
    this.config = c;
    this.sim = sim;
    this.calls = Calls.of(sim);
    this.to = this.calls.reply;
    this.error = this.calls.error;
    this.entry = { accept: (job: number) => this.arriveCalled(job) };
    this.keys = new KeySampler(c.popularity, 0);
    const nk = this.keys.keySpace;
    const R = c.regions.length;
    this.caches = c.regions.map(
      (r) =>
        new HttpCache(
          c.edgeCapacity,
          nk,
          (c.shield ? r.shieldRtt : r.originRtt) / 2,
          c.shield !== null,
        ),
    );
    this.shield = c.shield ? R : NONE;
    if (c.shield)
      this.caches.push(new HttpCache(c.shield.capacity, nk, c.shield.originRtt / 2, false));
    this.replyH = sim.handler((child) => this.calls.reply.accept(child), 'cdn.reply');
    this.origin = new Station(sim, {
      name: `${c.prefix}origin`,
      servers: c.origin.servers,
      service: c.origin.service,
      to: { accept: (child: number) => sim.schedule(this.j.halfRttOf[child], this.replyH, child) },
      dropTo: this.calls.error,
      failTo: this.calls.error,
      onCrash: 'fail',
    });
    this.originFailures = new FailureProcess(sim, this.origin, c.origin.failures, {
      name: `${c.prefix}origin`,
    });
    this.latency = new Latency(sim);
    this.regionLatency = c.regions.map(() => new Latency(sim, false));
    this.regionCount = new Float64Array(R);
    this.regionHits = new Float64Array(R);
    this.rng = sim.streams.get(`${c.prefix}cdn.requests`);
    this.gaps = c.regions.map((r) => new Exponential(r.rate > 0 ? r.rate : 1)); // rate 0: no arrivals of its own
    this.j = new CdnJobs(sim.jobs.capacity);
    this.arriveH = sim.handler((r) => this.arrive(r), 'cdn.arrive');
    this.atCacheH = sim.handler((job) => this.handle(job), 'cdn.atCache');
    this.clientDoneH = sim.handler((job) => this.clientDone(job), 'cdn.clientDone');
    this.fetchBackH = sim.handler(
      (job) => this.fetchDone(job, true, this.j.ageOf[job]),
      'cdn.fetchBack',
    );
    this.toOriginH = sim.handler((child) => {
      this.originRequests++;
      if (this.originTo === null) this.origin.accept(child);
      else this.toExternalOrigin(child, this.originTo);
    }, 'cdn.toOrigin');
    // the caller's origin answered `child`'s own call: back over the half round trip, then to the fetch's wait
    this.afterExternal = {
      accept: (child: number) => sim.schedule(this.j.halfRttOf[child], this.externalBackH, child),
    };
    this.externalBackH = sim.handler(
      (child) =>
        (this.calls.outcome[child] === CALL_OK ? this.calls.reply : this.calls.error).accept(child),
      'cdn.externalBack',
    );
    this.originLink = {
      accept: (child: number) => {
        this.j.grow(sim.jobs.capacity);
        this.j.halfRttOf[child] = this.j.halfRttOf[this.calls.parentOf[child]];
        sim.schedule(this.j.halfRttOf[child], this.toOriginH, child);
      },
    };
    this.afterOrigin = {
      accept: (f: number) => this.fetchDone(f, this.calls.outcome[f] === CALL_OK, 0),
    };
    sim.onReset(() => {
      this.counts.fill(0);
      this.originRequests = this.shieldFetches = this.shieldHits = 0;
      this.regionCount.fill(0);
      this.regionHits.fill(0);
      this.since = sim.now;
    });
    c.regions.forEach((reg, r) => {
      if (reg.rate > 0) sim.schedule(this.gaps[r].sample(this.rng), this.arriveH, r);
    });
  }

  /** Called mode: the object (key in [0, objects)) request `job` asks for, before `entry.accept(job)`. */
  setKey(job: number, key: number): void {
    const n = this.keys.keySpace;
    if (!(Number.isInteger(key) && key >= 0 && key < n))
      throw new ParameterError('key', key, `must be an integer in [0, ${n}) (the catalogue)`);
    this.j.grow(Math.max(this.sim.jobs.capacity, job + 1));
    this.j.keyOf[job] = key;
    this.j.givenOf[job] |= 1;
  }

  /** Called mode: the client region (index into `regions`: its edge and client RTT) of request `job`. */
  setRegion(job: number, region: number): void {
    const n = this.config.regions.length;
    if (!(Number.isInteger(region) && region >= 0 && region < n))
      throw new ParameterError('region', region, `must be an index into regions, in [0, ${n})`);
    this.j.grow(Math.max(this.sim.jobs.capacity, job + 1));
    this.j.regionOf[job] = region;
    this.j.givenOf[job] |= 2;
  }

  /** Called mode: a caller's request reaches the CDN; it travels to its region's edge. */
  private arriveCalled(job: number): void {
    const sim = this.sim;
    this.j.grow(Math.max(sim.jobs.capacity, job + 1));
    const given = this.j.givenOf[job];
    this.j.givenOf[job] = 0;
    if ((given & 1) === 0) this.j.keyOf[job] = this.keys.next(sim.now, this.rng);
    if ((given & 2) === 0) this.j.regionOf[job] = 0;
    const r = this.j.regionOf[job];
    this.j.calledOf[job] = 1;
    this.j.enteredAt[job] = sim.now;
    this.j.fromOf[job] = NONE;
    this.j.atOf[job] = r;
    sim.schedule(this.config.regions[r].rtt / 2, this.atCacheH, job);
  }

  /** The fetch `child` (already over the half round trip) calls the caller's origin and waits, within the origin timeout. */
  private toExternalOrigin(child: number, origin: JobTarget): void {
    const calls = this.calls;
    calls.wait(child, { then: this.afterExternal });
    const grandchild = calls.child(child);
    if (this.onOriginFetch !== null) this.onOriginFetch(grandchild, this.j.keyOf[child]);
    origin.accept(grandchild);
  }

  private arrive(r: number): void {
    const sim = this.sim;
    sim.schedule(this.gaps[r].sample(this.rng), this.arriveH, r);
    const job = sim.jobs.alloc();
    this.j.grow(sim.jobs.capacity);
    sim.jobs.born[job] = sim.now;
    const key = this.keys.next(sim.now, this.rng);
    this.j.keyOf[job] = key;
    this.j.regionOf[job] = r;
    this.j.fromOf[job] = NONE;
    this.j.atOf[job] = r;
    sim.schedule(this.config.regions[r].rtt / 2, this.atCacheH, job);
  }

  /** A request (client's, or an edge's fetch at the shield) at cache atOf[job]. */
  private handle(job: number): void {
    const now = this.sim.now;
    const c = this.config;
    const x = this.j.atOf[job];
    const cache = this.caches[x];
    const key = this.j.keyOf[job];
    cache.ensure(key + 1);
    if (x === this.shield) this.shieldFetches++;
    if (cache.store.resident[key] === 1) {
      const age = now - cache.birth[key];
      if (age < c.lifetime) {
        cache.store.get(key, now);
        if (x === this.shield) this.shieldHits++;
        this.respond(x, job, HIT, age);
        return;
      }
      if (age < c.lifetime + c.swr) {
        this.respond(x, job, STALE, age);
        if (cache.fetching[key] === 0) this.startFetch(x, key);
        return;
      }
    }
    this.j.nextWaiter[job] = cache.waitHead[key];
    cache.waitHead[key] = job;
    if (cache.fetching[key] === 0) this.startFetch(x, key);
  }

  private startFetch(x: number, key: number): void {
    const sim = this.sim;
    const cache = this.caches[x];
    cache.fetching[key] = 1;
    cache.fetches++;
    const f = sim.jobs.alloc();
    this.j.grow(sim.jobs.capacity);
    sim.jobs.born[f] = sim.now;
    this.j.keyOf[f] = key;
    this.j.fromOf[f] = x;
    this.j.sentAt[f] = sim.now;
    this.j.halfRttOf[f] = cache.halfUp;
    if (cache.toShield) {
      this.j.atOf[f] = this.shield;
      sim.schedule(cache.halfUp, this.atCacheH, f);
    } else this.calls.call(f, this.originLink, this.afterOrigin, this.config.origin.timeout);
  }

  /** Cache x answers `job` (a client's request or an edge's fetch) with an outcome and the copy's age. */
  private respond(x: number, job: number, outcome: number, age: number): void {
    const from = this.j.fromOf[job];
    if (from === NONE) {
      this.j.outcomeOf[job] = outcome;
      this.sim.schedule(this.config.regions[this.j.regionOf[job]].rtt / 2, this.clientDoneH, job);
      return;
    }
    // the shield answering an edge's fetch: an error travels back as a failed fetch
    if (outcome === ERROR) {
      this.j.ageOf[job] = NaN;
      this.sim.schedule(this.caches[from].halfUp, this.fetchBackH, job);
      return;
    }
    this.j.ageOf[job] = age;
    this.sim.schedule(this.caches[from].halfUp, this.fetchBackH, job);
  }

  /** Fetch `f` of cache fromOf[f] came back (ok or not) with Age `ageValue`. */
  private fetchDone(f: number, okIn: boolean, ageValue: number): void {
    const now = this.sim.now;
    const c = this.config;
    const x = this.j.fromOf[f];
    const cache = this.caches[x];
    const key = this.j.keyOf[f];
    const ok = okIn && !Number.isNaN(ageValue);
    cache.fetching[key] = 0;
    let outcome = MISS;
    if (ok) {
      cache.birth[key] = this.j.sentAt[f] - ageValue; // RFC 9111 §4.2.3: corrected initial age = Age + response delay
      cache.store.set(key, now, 0);
    } else if (cache.store.resident[key] === 1 && now - cache.birth[key] < c.lifetime + c.sie)
      outcome = STALE_IF_ERROR;
    else outcome = ERROR;
    const age = now - cache.birth[key];
    let w = cache.waitHead[key];
    cache.waitHead[key] = NONE;
    while (w !== NONE) {
      const next = this.j.nextWaiter[w];
      this.respond(x, w, outcome, age);
      w = next;
    }
    this.sim.jobs.free(f);
  }

  private clientDone(job: number): void {
    const sim = this.sim;
    const o = this.j.outcomeOf[job];
    const r = this.j.regionOf[job];
    const called = this.j.calledOf[job] === 1;
    const rt = sim.now - (called ? this.j.enteredAt[job] : sim.jobs.born[job]);
    this.counts[o]++;
    this.regionCount[r]++;
    if (o === HIT) this.regionHits[r]++;
    this.latency.record(rt);
    this.regionLatency[r].record(rt);
    if (!called) {
      sim.jobs.free(job);
      return;
    }
    this.j.calledOf[job] = 0;
    (o === ERROR ? this.error : this.to).accept(job);
  }

  summary(): CdnSummary {
    return summarizeCdn(this);
  }
}

/** One replication of a CDN: build, warm up, measure, summarise. */
export function simulateCdn(config: CdnConfig, window: RunWindow): CdnSummary {
  const resolved = resolveCdnConfig(config);
  return measure((sim) => new Cdn(sim, resolved), window).system.summary();
}
