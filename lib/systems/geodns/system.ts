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
 * Conservation: requests + inFlightAtStart = completed + failed + unresolved + inFlight (checked
 * in the tests). Statistics restart on `sim.resetStatistics()`; the timeline (binned counts from
 * time 0, with a `t` array) does not. The summary is built in summary.ts.
 */
export type { DatacenterSummary, GeoDnsSummary } from './summary';
import { Exponential } from '../../random/exponential';
import { grownInt32, grownUint8 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import { Source } from '../../sim/source';
import { Station } from '../../sim/station';
import type { JobTarget } from '../../sim/target';
import { FailureProcess } from '../common/failures';
import { Latency } from '../common/latency';
import { type Measured, type RunWindow, measure } from '../common/runner';
import { type GeoDnsConfig, type ResolvedGeoDnsConfig, resolveGeoDnsConfig } from './config';
import { HealthChecker } from './health';
import { Authoritative, NO_ANSWER } from './policies';
import { ResolverCaches } from './resolvers';
import { summarizeGeoDns } from './summary';
import type { GeoDnsSummary } from './summary';

export class GeoDnsSystem implements JobTarget {
  readonly config: ResolvedGeoDnsConfig;
  readonly authoritative: Authoritative;
  readonly stations: Station[];
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
  /** @internal (summary.ts) */
  inFlightAtStart = 0;
  /** @internal (summary.ts) */
  firstCrashAt = NaN;
  /** @internal (summary.ts) */
  lastFailureAt = NaN;
  private readonly sim: Simulation;
  /** @internal (summary.ts) */
  readonly rttLatency: Latency;
  /** @internal (summary.ts) */
  readonly latency: Latency;
  /** @internal (summary.ts) */
  readonly regionRtt: Latency[];
  /** @internal (summary.ts) */
  readonly regionRequests: Float64Array;
  /** @internal (summary.ts) */
  readonly regionFailed: Float64Array;
  /** @internal (summary.ts) */
  readonly sent: Float64Array;
  /** @internal (summary.ts) */
  readonly served: Float64Array;
  /** @internal (summary.ts) */
  readonly failedAt: Float64Array;
  private site: Int32Array;
  private second: Int32Array;
  private attempt: Uint8Array;
  private readonly arriveH: number;
  private readonly retryH: number;
  /** @internal (summary.ts) */
  readonly tlRequests: number[] = [];
  /** @internal (summary.ts) */
  readonly tlFailed: number[] = [];
  /** @internal (summary.ts) */
  readonly tlSent: number[][];
  /** @internal (summary.ts) */
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
    this.bin = cfg.bin;
    this.tlSent = cfg.datacenters.map(() => []);
    this.resolvers = new ResolverCaches(sim, cfg, this.authoritative);

    const failTo: JobTarget = { accept: (job: number) => this.fail(job) };
    const doneTo: JobTarget = { accept: (job: number) => this.done(job) };
    this.stations = cfg.datacenters.map(
      (d) =>
        new Station(sim, {
          name: `geodns.${d.name}`,
          service: d.service,
          servers: d.servers,
          to: doneTo,
          onCrash: 'fail',
          failTo: failTo,
          quantiles: false,
        }),
    );
    this.checkers = cfg.datacenters.map(
      (d, i) =>
        new HealthChecker(sim, this.stations[i], {
          name: `geodns.${d.name}`,
          request_interval: cfg.request_interval,
          failure_threshold: cfg.failure_threshold,
          onChange: (h) => {
            this.authoritative.healthy[i] = h ? 1 : 0;
          },
        }),
    );
    this.failures = cfg.datacenters.map((d, i) => {
      const fp = new FailureProcess(sim, this.stations[i], d.failures, {
        name: `geodns.${d.name}`,
      });
      fp.onCrash(() => {
        this.checkers[i].noteCrash();
        if (!(this.firstCrashAt === this.firstCrashAt)) this.firstCrashAt = sim.now;
      });
      return fp;
    });
    this.arriveH = sim.handler((job) => this.stations[this.site[job]].accept(job), 'geodns.arrive');
    this.retryH = sim.handler((job) => this.send(job), 'geodns.retry');
    const lookup: JobTarget = { accept: (job: number) => this.lookup(job) };
    this.sources = [];
    cfg.regions.forEach((r, i) => {
      if (r.rate === 0) return;
      const name = `geodns.clients.${r.name}`;
      if (r.diurnal === 0) {
        this.sources.push(
          new Source(sim, {
            name: name,
            interarrival: new Exponential(r.rate),
            origin: i,
            to: lookup,
          }),
        );
        return;
      }
      const a = r.diurnal;
      const shift = r.utcOffset - r.peakHour;
      this.sources.push(
        new Source(sim, {
          name: name,
          rate: (t: number) => r.rate * (1 + a * Math.cos((2 * Math.PI * (t / 3600 + shift)) / 24)),
          maxRate: r.rate * (1 + a),
          origin: i,
          to: lookup,
        }),
      );
    });
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
    });
  }

  /**
   * A client request from outside (another component, a client population of your own): the job's
   * `sim.jobs.origin` is its client region's index; `born` is when its latency starts.
   */
  accept(job: number): void {
    this.lookup(job);
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
      sim.jobs.free(job);
      return;
    }
    if (job >= this.site.length) {
      const cap = sim.jobs.capacity;
      this.site = grownInt32(this.site, cap);
      this.second = grownInt32(this.second, cap);
      this.attempt = grownUint8(this.attempt, cap);
    }
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

  /** Refused by a dead site, or in service at its crash: retry once at the second address, or fail. */
  private fail(job: number): void {
    const sim = this.sim;
    const cfg = this.config;
    const site = this.site[job];
    this.failedAt[site]++;
    if (cfg.retry && this.attempt[job] === 0 && this.second[job] !== NO_ANSWER) {
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
    sim.jobs.free(job);
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
    this.latency.record(sim.now - sim.jobs.born[job] + rtt / 2);
    sim.jobs.free(job);
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
