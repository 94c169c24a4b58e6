/**
 * Clients in several regions reach datacenters through GeoDNS. Each client request:
 * 1. goes to one of its region's recursive resolvers (uniformly at random); a resolver whose
 *    cached answer has expired asks the authoritative server ({@link Authoritative}: Route 53's
 *    routing policy over the records' health-check status) and caches the answer for the TTL (a
 *    stretching resolver for at least `cache-min-ttl`; a NODATA answer for the negative TTL,
 *    RFC 2308); NODATA means the request is unresolved;
 * 2. travels half the region-to-datacenter RTT to the site, a kernel Station (c servers) that can
 *    crash through the shared FailureProcess; a request that reaches a dead site is refused, one in
 *    service at a crash fails (onCrash 'fail');
 * 3. on failure, if `client.retry` and the answer held a second address, the client tries it once
 *    after its connect timeout (less the half RTT already spent); otherwise it fails;
 * 4. served, it comes back over the other half of the RTT: latency = now − born + RTT/2.
 * Route 53 health checks ({@link HealthChecker}) flip the records' status, so DNS stops answering
 * with a dead site only after detection, and resolvers keep old answers until they expire.
 *
 * Called mode (lib/systems/README.md, "Components called by others"): requests come to `entry`
 * (regions without a `rate` have no source of their own), their client region set by
 * `setRegion(job, r)`; served ones go to `to` after the RTT's way back, failed or unresolved ones
 * to `error`. A datacenter with `external: true` is the caller's: DNS's chosen site's requests go
 * to `sites[i].target` (site.ts) through common.Calls; its failures (the shared FailureProcess)
 * or the caller's `markDown(i)` take it down, the health checks see that, and traffic moves once
 * the resolvers' TTLs run out: the loss of a whole datacenter.
 *
 * Conservation: requests + inFlightAtStart = completed + failed + unresolved + inFlight (checked
 * in the tests). Statistics restart on `sim.resetStatistics()`; the timeline (binned counts from
 * time 0, with a `t` array) does not. The summary is built in summary.ts.
 */
export type { DatacenterSummary, GeoDnsSummary } from './summary';
import { ParameterError } from '../../errors';
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import type { Source } from '../../sim/source';
import type { Station } from '../../sim/station';
import type { JobTarget } from '../../sim/target';
import { CALL_OK, Calls } from '../common/calls';
import type { FailureProcess } from '../common/failures';
import { Latency } from '../common/latency';
import { type Measured, type RunWindow, measure } from '../common/runner';
import type { GeoDnsConfig, ResolvedGeoDnsConfig } from './config';
import { resolveGeoDnsConfig } from './resolve';
import type { HealthChecker } from './health';
import { buildDatacenters } from './datacenters';
import { regionSources } from './clients';
import { Authoritative, NO_ANSWER } from './policies';
import { ResolverCaches } from './resolvers';
import type { ExternalSite } from './site';
import { summarizeGeoDns } from './summary';
import type { GeoDnsSummary } from './summary';

export class GeoDnsSystem implements JobTarget {
  readonly config: ResolvedGeoDnsConfig;
  readonly authoritative: Authoritative;
  /** Each datacenter's Station; null for a site the caller provides (`external`). */
  readonly stations: Array<Station | null>;
  /** Each datacenter the caller provides (`external`: set `sites[i].target`), else null. */
  readonly sites: Array<ExternalSite | null>;
  /** Called mode: client requests come in here (as `accept`); set the region with `setRegion`. */
  readonly entry: JobTarget;
  /** Called mode: served requests go here after the RTT's way back (default `Calls.of(sim).reply`). */
  to: JobTarget;
  /** Called mode: failed and unresolved requests go here (default `Calls.of(sim).error`). */
  error: JobTarget;
  readonly failures: FailureProcess[];
  readonly checkers: HealthChecker[];
  readonly sources: Source[];
  readonly resolvers: ResolverCaches;
  requests = 0;
  completed = 0;
  failed = 0;
  unresolved = 0;
  retried = 0;
  inFlight = 0;
  // @internal: the statistics below are read by summary.ts
  inFlightAtStart = 0;
  firstCrashAt = NaN;
  lastFailureAt = NaN;
  readonly sim: Simulation;
  /** When statistics last restarted (summary.ts). */
  resetAt: number;
  /** 1 for a request that came through `entry` (it goes to `to`/`error`, not freed). */
  private called: Uint8Array;
  private sentAt: Float64Array;
  private crashesAtSend: Int32Array;
  private handedAt: Float64Array;
  private readonly calls: Calls;
  private readonly afterSite: JobTarget;
  private readonly returnH: number;
  readonly rttLatency: Latency;
  readonly latency: Latency;
  readonly regionRtt: Latency[];
  readonly regionRequests: Float64Array;
  readonly regionFailed: Float64Array;
  readonly sent: Float64Array;
  readonly served: Float64Array;
  readonly failedAt: Float64Array;
  private site: Int32Array;
  private second: Int32Array;
  private attempt: Uint8Array;
  private readonly arriveH: number;
  private readonly retryH: number;
  readonly tlRequests: number[] = [];
  readonly tlFailed: number[] = [];
  readonly tlSent: number[][];
  readonly bin: number;

  constructor(sim: Simulation, config: GeoDnsConfig | ResolvedGeoDnsConfig) {
    const cfg = resolveGeoDnsConfig(config);
    this.config = cfg;
    this.sim = sim;
    const nDc = cfg.datacenters.length;
    const nR = cfg.regions.length;
    this.authoritative = new Authoritative(cfg);
    this.rttLatency = new Latency(sim);
    this.latency = new Latency(sim);
    this.regionRtt = cfg.regions.map(() => new Latency(sim, false));
    this.regionRequests = new Float64Array(nR);
    this.regionFailed = new Float64Array(nR);
    this.sent = new Float64Array(nDc);
    this.served = new Float64Array(nDc);
    this.failedAt = new Float64Array(nDc);
    this.site = new Int32Array(sim.jobs.capacity);
    this.second = new Int32Array(sim.jobs.capacity);
    this.attempt = new Uint8Array(sim.jobs.capacity);
    this.called = new Uint8Array(sim.jobs.capacity);
    this.sentAt = new Float64Array(sim.jobs.capacity);
    this.crashesAtSend = new Int32Array(sim.jobs.capacity);
    this.handedAt = new Float64Array(sim.jobs.capacity);
    this.resetAt = sim.now;
    const calls = (this.calls = Calls.of(sim));
    this.to = calls.reply;
    this.error = calls.error;
    this.entry = { accept: (job: number) => this.accept(job) };
    this.afterSite = { accept: (job: number) => this.siteAnswered(job) };
    this.returnH = sim.handler((job) => this.to.accept(job), 'geodns.return');
    this.bin = cfg.bin;
    this.tlSent = cfg.datacenters.map(() => []);
    this.resolvers = new ResolverCaches(sim, cfg, this.authoritative);

    const dcs = buildDatacenters(sim, cfg, this.authoritative, {
      done: { accept: (job: number) => this.done(job) },
      failed: { accept: (job: number) => this.fail(job) },
      crashed: () => {
        if (!(this.firstCrashAt === this.firstCrashAt)) this.firstCrashAt = sim.now;
      },
    });
    this.stations = dcs.stations;
    this.sites = dcs.sites;
    this.checkers = dcs.checkers;
    this.failures = dcs.failures;
    this.arriveH = sim.handler((job) => this.arrive(job), 'geodns.arrive');
    this.retryH = sim.handler((job) => this.send(job), 'geodns.retry');
    const lookup: JobTarget = { accept: (job: number) => this.lookup(job) };
    this.sources = regionSources(sim, cfg, lookup);
    sim.onReset(() => {
      this.requests = 0;
      this.completed = 0;
      this.failed = 0;
      this.unresolved = 0;
      this.retried = 0;
      this.inFlightAtStart = this.inFlight;
      this.firstCrashAt = NaN;
      this.lastFailureAt = NaN;
      this.regionRequests.fill(0);
      this.regionFailed.fill(0);
      this.sent.fill(0);
      this.served.fill(0);
      this.failedAt.fill(0);
      this.authoritative.queries = 0;
      this.authoritative.noData = 0;
      this.resetAt = sim.now;
    });
  }

  /**
   * A client request from outside (called mode: another component, a client population of your
   * own): the job's `sim.jobs.origin` is its client region's index (`setRegion`); its latency
   * starts now. Served, it goes to `to` after the way back; failed or unresolved, to `error`.
   */
  accept(job: number): void {
    if (job >= this.site.length) this.grow();
    this.called[job] = 1;
    this.sentAt[job] = this.sim.now;
    this.lookup(job);
  }

  /** Called mode: the client region (an index into `regions`) of request `job` before `entry.accept(job)`. */
  setRegion(job: number, region: number): void {
    const n = this.config.regions.length;
    if (!(Number.isInteger(region) && region >= 0 && region < n))
      throw new ParameterError('region', region, `must be an index into regions, in [0, ${n})`);
    this.sim.jobs.origin[job] = region;
  }

  /** The caller takes datacenter i (an `external` one) out, or puts it back; health checks then see it. */
  markDown(i: number): void {
    this.externalSite(i).markDown();
  }

  markUp(i: number): void {
    this.externalSite(i).markUp();
  }

  private externalSite(i: number): ExternalSite {
    const s = this.sites[i];
    if (s == null)
      throw new ParameterError('datacenter', i, 'must be the index of an external datacenter');
    return s;
  }

  private grow(): void {
    const cap = this.sim.jobs.capacity;
    this.site = grownInt32(this.site, cap);
    this.second = grownInt32(this.second, cap);
    this.attempt = grownUint8(this.attempt, cap);
    this.called = grownUint8(this.called, cap);
    this.sentAt = grownFloat64(this.sentAt, cap);
    this.crashesAtSend = grownInt32(this.crashesAtSend, cap);
    this.handedAt = grownFloat64(this.handedAt, cap);
  }

  /** The request reaches its site after half the RTT: the site's Station, or the caller's target. */
  private arrive(job: number): void {
    const i = this.site[job];
    const st = this.stations[i];
    if (st !== null) {
      st.accept(job);
      return;
    }
    const ext = this.sites[i] as ExternalSite;
    if (!ext.up) {
      this.fail(job); // refused: a failed connection
      return;
    }
    this.crashesAtSend[job] = ext.crashes;
    this.handedAt[job] = this.sim.now;
    this.calls.wait(job, { then: this.afterSite });
    (ext.target as JobTarget).accept(this.calls.child(job));
  }

  /** The caller's site answered: served, or failed (an error of the site, or its crash meanwhile). */
  private siteAnswered(job: number): void {
    const i = this.site[job];
    const ext = this.sites[i] as ExternalSite;
    const ok = this.calls.outcome[job] === CALL_OK && ext.crashes === this.crashesAtSend[job];
    if (ok) {
      ext.residence.record(this.sim.now - this.handedAt[job]);
      this.done(job);
    } else this.fail(job, false); // an answer, not a refused connection: the client does not retry
  }

  private count(series: number[], t: number): void {
    const b = Math.floor(t / this.bin);
    while (series.length <= b) series.push(0);
    series[b]++;
  }

  /** A new client request: resolver, cache or authoritative answer, then the first attempt. */
  private lookup(job: number): void {
    const sim = this.sim;
    const region = sim.jobs.origin[job];
    this.requests++;
    this.regionRequests[region]++;
    this.count(this.tlRequests, sim.now);
    const caches = this.resolvers;
    caches.resolve(region, sim.now);
    const site = caches.site;
    if (site === NO_ANSWER) {
      this.unresolved++;
      this.release(job, false);
      return;
    }
    if (job >= this.site.length) this.grow();
    this.site[job] = site;
    this.second[job] = caches.alt;
    this.attempt[job] = 0;
    this.inFlight++;
    this.send(job);
  }

  private send(job: number): void {
    const site = this.site[job];
    this.sent[site]++;
    this.count(this.tlSent[site], this.sim.now);
    this.sim.schedule(this.config.rtt[this.sim.jobs.origin[job]][site] / 2, this.arriveH, job);
  }

  /**
   * Refused by a dead site, or in service at its crash: retry once at the second address
   * (`retryable`: a failed connection, not an error answer), or fail.
   */
  private fail(job: number, retryable: boolean = true): void {
    const sim = this.sim;
    const cfg = this.config;
    const site = this.site[job];
    this.failedAt[site]++;
    if (retryable && cfg.retry && this.attempt[job] === 0 && this.second[job] !== NO_ANSWER) {
      this.attempt[job] = 1;
      this.site[job] = this.second[job];
      this.retried++;
      sim.schedule(
        Math.max(0, cfg.connectTimeout - cfg.rtt[sim.jobs.origin[job]][site] / 2),
        this.retryH,
        job,
      );
      return;
    }
    this.failed++;
    this.regionFailed[sim.jobs.origin[job]]++;
    this.lastFailureAt = sim.now;
    this.count(this.tlFailed, sim.now);
    this.inFlight--;
    this.release(job, false);
  }

  /** The request is over: a called one goes to `to` (after the way back) or `error`; the own clients' are freed. */
  private release(job: number, ok: boolean, back: number = 0): void {
    if (job >= this.called.length || this.called[job] === 0) {
      this.sim.jobs.free(job);
      return;
    }
    this.called[job] = 0;
    if (!ok) this.error.accept(job);
    else this.sim.schedule(back, this.returnH, job);
  }

  private done(job: number): void {
    const sim = this.sim;
    const region = sim.jobs.origin[job];
    const site = this.site[job];
    const rtt = this.config.rtt[region][site];
    this.served[site]++;
    this.completed++;
    this.inFlight--;
    this.rttLatency.record(rtt);
    this.regionRtt[region].record(rtt);
    const called = job < this.called.length && this.called[job] === 1;
    this.latency.record(sim.now - (called ? this.sentAt[job] : sim.jobs.born[job]) + rtt / 2);
    this.release(job, true, rtt / 2);
  }

  summary(): GeoDnsSummary {
    return summarizeGeoDns(this);
  }
}

/** One replication: the deployment built by `measure` (warm-up, reset, measured window); its summary. */
export function simulateGeoDns(
  config: GeoDnsConfig | ResolvedGeoDnsConfig,
  window: RunWindow,
): GeoDnsSummary {
  const cfg = resolveGeoDnsConfig(config);
  const m: Measured<GeoDnsSystem> = measure((sim) => new GeoDnsSystem(sim, cfg), window);
  return m.system.summary();
}
