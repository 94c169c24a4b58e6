/**
 * The simulation of an architecture: the network of ./layout.ts (the same one the analytic
 * evaluation solves) composed from the library's components on one Simulation. Per datacenter a
 * closed `Population` of users with exponential think time (or an open Poisson `Source`), a `Delay`
 * for the constant parts (round trip, CDN edge), and ./sim-datacenter.ts: the replication cluster
 * (primary and read replicas, ProxySQL's weighted read routing, failover), the memcached pool
 * (ketama, LRU nodes with a worker thread, demand fill through the cluster), Kafka (./sim-kafka.ts),
 * and the balancer (lib/systems/loadbalancer, called, `random` over PS web backends). A request
 * calls its datacenter's balancer through common.Calls with its web work set (`setWork`); the web
 * server's finished work goes on (`serverTo`) to the components: a read the cache (which calls the
 * replicas on a miss), or the cluster's `reads` without a cache; a write the cluster's `writes`,
 * then, once answered, publishes to Kafka (waiting for the acknowledgement with `awaitAck`). A call
 * that fails (a crashed node, no primary, a refused connection) fails the request. With `geodns`
 * every request first calls the GeoDNS component (./sim-geodns.ts) from its users' region, which
 * resolves it, sends it to a datacenter (`atSite`: the path above) and answers it after its half
 * round trips (the class's constant delay less `geodns.rtt`). With `cdn` a static request calls
 * its datacenter's CDN component (./sim-cdn.ts) instead: the edge answers a hit, and fetches a miss
 * through the balancer from a web server (its static work) before it answers. With
 * `database.colocated` (one host) the balancer component has no node and one backend, the host,
 * whose work per request is its web and its database work (./sim-datacenter.ts says why no other
 * component models the host).
 *
 * A single failure (`options.outage`, ./sim-outage.ts): one instance of one tier in datacenter 0,
 * through the component's own failure process (the balancer's node and backends, the cluster's
 * failover and replica crashes, the pool's node failures, a broker's).
 *
 * Reported: throughput, the response time as a LatencySummary (all datacenters, answered requests),
 * failed requests, utilisation per tier (mean over its servers) and whether a queue grew through
 * the window (the `overloaded` flag), the cache's and the CDN edge's measured hit ratios, the
 * asynchronous work.
 * Statistics restart on sim.resetStatistics(). Random draws: `dc<i>.class`, `dc<i>.keys`, `dc<i>.work`,
 * the Population's `<name>.think`, and each component's streams under its name (`dc<i>.db.*`,
 * `dc<i>.cache.*`, `dc<i>.cdn.*`, `dc<i>.kafka.keys`, the Kafka component's).
 */
import { ParameterError } from '../../errors';
import { Exponential } from '../../random/exponential';
import { standardExponential } from '../../random/exponential-ziggurat';
import type { Rng } from '../../random/xoshiro128';
import { Delay } from '../../sim/delay';
import { grownUint8 } from '../../sim/grown';
import { Population } from '../../sim/population';
import type { Simulation } from '../../sim/simulation';
import { Sink } from '../../sim/sink';
import { Source } from '../../sim/source';
import { target, type JobTarget } from '../../sim/target';
import { CALL_OK, Calls } from '../common/calls';
import type { Latency } from '../common/latency';
import { measure, type RunWindow } from '../common/runner';
import { webServersFor } from './analytic';
import { layoutOf, type Layout } from './layout';
import { cdnOf } from './sim-cdn';
import { Datacenter } from './sim-datacenter';
import { AsyncWork, summarizeAsyncWork } from './sim-kafka';
import { checkOutageTier } from './sim-outage';
import { RequestClasses, READ, STATIC, STATIC_CDN, WRITE } from './sim-classes';
import { Outcomes } from './sim-outcomes';
import { GeoDnsRouting } from './sim-geodns';
import { SiteLoss } from './sim-site-loss';
import {
  cacheHitRatioOf,
  cdnHitRatioOf,
  tierSummaries,
  type ArchitectureRunOptions,
  type ArchitectureSummary,
} from './sim-summary';
import type { Architecture } from './types';
import { resolveArchitecture } from './validate';

export type { ArchitectureRunOptions, ArchitectureSummary } from './sim-summary';

export class ArchitectureSystem {
  readonly architecture: Architecture;
  readonly layout: Layout;
  readonly load: number;
  readonly webServers: number;
  readonly latency: Latency;
  /** The request classes: probabilities, constant delays, visits, web work (./sim-classes.ts). */
  readonly classes: RequestClasses;
  /** The datacenters' parts (the components). */
  readonly datacenters: Datacenter[] = [];
  private readonly sim: Simulation;
  private cls: Uint8Array = new Uint8Array(1024);
  private dcOf: Uint8Array = new Uint8Array(1024);
  /** The datacenter whose users the job's user is (its exit and counters); dcOf is where it is served. */
  private homeOf: Uint8Array = new Uint8Array(1024);
  private readonly delays: Delay[] = [];
  /** The loss of datacenter 0 (./sim-site-loss.ts; null without it). */
  readonly siteLoss: SiteLoss | null = null;
  /** GeoDNS, called (./sim-geodns.ts): the datacenter of each request (null without `geodns`). */
  readonly dns: GeoDnsRouting | null = null;
  /** 1 for a job GeoDNS handed to a datacenter (a child of the request's child): answered through Calls. */
  private viaDns: Uint8Array = new Uint8Array(1024);
  /** The round trip GeoDNS simulates (its half round trips), taken off the classes' constant delays. */
  private readonly dnsRtt: number;
  private readonly dnsAnsweredT: JobTarget;
  /** The answered and failed requests (./sim-outcomes.ts). */
  private readonly outcomes: Outcomes;
  private readonly exits: JobTarget[] = [];
  private readonly open: boolean;
  private readonly classRngs: Rng[] = [];
  private readonly workRngs: Rng[] = [];
  private readonly failT: JobTarget;
  private readonly answeredT: JobTarget;
  private readonly afterAckT: JobTarget;
  private readonly calls: Calls;

  constructor(sim: Simulation, input: Architecture, options: ArchitectureRunOptions = {}) {
    this.sim = sim;
    // validated like a file (the contract: every bad value and unknown key a ParameterError naming its path)
    const architecture = resolveArchitecture(input);
    this.architecture = architecture;
    this.open = architecture.arrivalRate !== undefined;
    this.load =
      options.load ??
      (this.open
        ? (architecture.arrivalRate as number)
        : (architecture.users as { count: number }).count);
    this.webServers = options.webServers ?? webServersFor(architecture, this.load, this.open);
    this.layout = layoutOf(architecture, this.webServers);
    const k = this.layout.datacenters;
    if (!this.open && (!Number.isInteger(this.load / k) || this.load < k))
      throw new ParameterError(
        'users.count',
        this.load,
        `must be a positive multiple of geodns.datacenters = ${k}`,
      );
    const siteLoss = options.outage !== undefined && options.outage.tier === 'datacenter';
    if (siteLoss && k < 2)
      throw new ParameterError(
        'outage.tier',
        'datacenter',
        'needs geodns.datacenters >= 2 (the users of the lost one move to the others)',
      );
    this.outcomes = new Outcomes(
      sim,
      options.outage !== undefined,
      k,
      siteLoss ? () => (this.siteLoss as SiteLoss).movedBy : null,
    );
    this.latency = this.outcomes.latency;
    const a = architecture;
    this.classes = new RequestClasses(this.layout, a.cdn !== undefined);
    const advanceT = target((job) => this.advance(job));
    this.failT = target((job) => this.fail(job));
    this.answeredT = target((job) =>
      this.calls.outcome[job] === CALL_OK ? this.done(job) : this.fail(job),
    );
    this.afterAckT = target((job) =>
      this.calls.outcome[job] === CALL_OK ? this.finish(job) : this.fail(job),
    );
    this.dnsAnsweredT = target((job) =>
      this.calls.outcome[job] === CALL_OK ? this.finish(job) : this.fail(job),
    );
    this.dnsRtt = a.geodns ? a.geodns.rtt : 0;
    this.calls = Calls.of(sim);
    const outage = options.outage ?? null;
    // the autoscaled web tier's first count (./sim-webtier.ts); a fixed `webServers` keeps the balancer's backends
    const webStart =
      options.webServers === undefined ? (options.webStart ?? this.webServers) : null;
    if (outage && !siteLoss) checkOutageTier(a, this.layout, outage);
    for (let d = 0; d < k; d++) {
      const dc = new Datacenter(sim, d, a, this.layout, d === 0 ? outage : null, webStart);
      this.datacenters.push(dc);
      this.workRngs.push(sim.streams.get(`dc${d}.work`));
      dc.onwardTo(target((job) => this.onward(job, dc)));
      if (a.cdn)
        dc.cdn = cdnOf(
          sim,
          d,
          a.cdn,
          target((job) => this.toOrigin(job, dc)),
        );
      this.classRngs.push(sim.streams.get(`dc${d}.class`));
      if (a.kafka) {
        const brokerOutage =
          outage && outage.tier === 'kafka' && d === 0
            ? { at: outage.at, duration: outage.duration }
            : null;
        dc.work = new AsyncWork(sim, a.kafka, d, k, this.afterAckT, brokerOutage);
      }
      this.delays.push(
        new Delay(sim, {
          name: `dc${d}.delays`,
          delay: (job: number) => this.classes.constants[this.cls[job]] - this.dnsRtt,
          to: advanceT,
        }),
      );
      const classify = target((job) => this.classify(job, d));
      if (this.open) {
        const sink = new Sink(sim, { name: `dc${d}.done`, quantiles: false });
        this.exits.push(sink);
        new Source(sim, {
          name: `dc${d}.users`,
          interarrival: new Exponential(this.load / k),
          to: classify,
        });
      } else {
        const z = (a.users as { thinkTime: number }).thinkTime;
        const pop = new Population(sim, {
          name: `dc${d}.users`,
          size: this.load / k,
          think: new Exponential(1 / z),
          to: classify,
          quantiles: false,
        });
        this.exits.push(pop);
      }
    }
    if (a.geodns) {
      const perRegion = this.load / k;
      this.dns = new GeoDnsRouting(
        sim,
        a,
        this.open ? perRegion : perRegion / (a.users as { thinkTime: number }).thinkTime,
        this.datacenters.map((_, d) => target((job) => this.atSite(job, d))),
        outage && siteLoss ? { outage: outage, dc0: this.datacenters[0] } : null,
      );
    }
    if (outage && siteLoss) this.siteLoss = new SiteLoss(a.geodns!, this.dns as GeoDnsRouting);
  }

  private ensure(job: number): void {
    if (job >= this.cls.length) {
      const n = 2 * (job + 1);
      this.cls = grownUint8(this.cls, n);
      this.dcOf = grownUint8(this.dcOf, n);
      this.homeOf = grownUint8(this.homeOf, n);
      this.viaDns = grownUint8(this.viaDns, n);
    }
  }

  /**
   * A request of a user of datacenter `home`: its class, then (with `geodns`) a call to GeoDNS
   * from the user's region, which sends it to a datacenter (`atSite`); without, its own datacenter.
   */
  private classify(job: number, home: number): void {
    this.ensure(job);
    this.cls[job] = this.classes.classOf(this.classRngs[home].next());
    this.homeOf[job] = home;
    this.dcOf[job] = home;
    const dns = this.dns;
    if (dns === null) return this.delays[home].accept(job);
    const calls = this.calls;
    calls.wait(job, { then: this.dnsAnsweredT });
    const child = calls.child(job);
    dns.system.setRegion(child, home);
    dns.system.entry.accept(child);
  }

  /** GeoDNS's hand-off to datacenter `d` (a child of the request's GeoDNS call): the request's path there. */
  private atSite(job: number, d: number): void {
    this.ensure(job);
    const parentOf = this.calls.parentOf;
    const request = parentOf[parentOf[job]];
    this.cls[job] = this.cls[request];
    this.homeOf[job] = this.homeOf[request];
    this.dcOf[job] = d;
    this.viaDns[job] = 1;
    this.delays[d].accept(job);
  }

  /** After the constant delays: a static request to the CDN (with one), every other to the balancer. */
  private advance(job: number): void {
    const dc = this.datacenters[this.dcOf[job]];
    if (this.cls[job] === STATIC_CDN && dc.cdn !== null) return this.callCdn(job, dc);
    this.callBalancer(job, dc);
  }

  /**
   * The request calls its datacenter's balancer: a class without a web visit is done; the others
   * get their web work (the class's mean times a standard exponential, plus on the colocated host
   * the database's mean times another) and go through the balancer to a web server, whose
   * finished work goes on to `onward`.
   */
  private callBalancer(job: number, dc: Datacenter): void {
    const c = this.cls[job];
    const w = this.classes.webTime[c];
    if (w === 0) return this.done(job);
    const calls = this.calls;
    calls.wait(job, { then: this.answeredT });
    const child = calls.child(job);
    const rng = this.workRngs[dc.index];
    const host = this.classes.hostTime[c];
    dc.callWeb(
      child,
      w * standardExponential(rng) + (host > 0 ? host * standardExponential(rng) : 0),
    );
  }

  /** A static request calls its datacenter's CDN: the edge answers (a hit, or a miss after its fetch from `toOrigin`). */
  private callCdn(job: number, dc: Datacenter): void {
    const calls = this.calls;
    calls.wait(job, { then: this.answeredT });
    (dc.cdn as NonNullable<Datacenter['cdn']>).entry.accept(calls.child(job));
  }

  /**
   * A CDN miss's fetch (`job`, the child of the CDN's call for its fetch) at the origin: through
   * the balancer to a web server with a static request's work; its call is marked static so the
   * web server's `onward` answers it at once.
   */
  private toOrigin(job: number, dc: Datacenter): void {
    const up = this.calls.parentOf[job];
    this.ensure(up);
    this.cls[up] = STATIC;
    dc.callWeb(job, this.classes.staticWebTime * standardExponential(this.workRngs[dc.index]));
  }

  /** A web server's finished work (a child of the balancer's request, itself the user's request's child): the cache or database call, or answered at once for a static page. */
  private onward(job: number, dc: Datacenter): void {
    const calls = this.calls;
    const request = dc.requestOf(job);
    const c = this.cls[request];
    // a static page, or on the colocated host a read or write whose database work was done there
    if ((c !== READ && c !== WRITE) || dc.db === null) return calls.reply.accept(job);
    dc.callData(job, c === WRITE);
  }

  /** The path is done: a write publishes its records (and may wait for their acknowledgement). */
  private done(job: number): void {
    const dc = this.datacenters[this.dcOf[job]];
    if (dc.work !== null && this.cls[job] === WRITE && dc.work.publish(job)) return;
    this.finish(job);
  }

  private fail(job: number): void {
    if (this.viaDns[job] === 1) {
      this.viaDns[job] = 0;
      return this.calls.error.accept(job);
    }
    this.outcomes.fail(this.homeOf[job]);
    this.exits[this.homeOf[job]].accept(job);
  }

  private finish(job: number): void {
    if (this.viaDns[job] === 1) {
      this.viaDns[job] = 0;
      return this.calls.reply.accept(job);
    }
    this.outcomes.answer(job, this.homeOf[job]);
    this.exits[this.homeOf[job]].accept(job);
  }

  summary(elapsed: number): ArchitectureSummary {
    const latency = this.latency.summary();
    return {
      load: this.load,
      webServers: this.webServers,
      throughput: latency.count / elapsed,
      latency,
      failed: this.outcomes.failed,
      failedShare: this.outcomes.failed / (this.outcomes.failed + latency.count),
      outage: this.outcomes.outageSummary(latency),
      tiers: tierSummaries(this.layout, this.datacenters),
      cacheHitRatio: cacheHitRatioOf(this.datacenters),
      cdnHitRatio: cdnHitRatioOf(this.datacenters),
      kafka: this.architecture.kafka
        ? summarizeAsyncWork(
            this.datacenters.map((dc) => dc.work as AsyncWork),
            this.architecture.kafka,
            elapsed,
          )
        : null,
    };
  }
}

/** One replication: `measure` with a warm-up, the architecture at its load (or `options.load`). */
export function simulateArchitecture(
  architecture: Architecture,
  window: RunWindow,
  options: ArchitectureRunOptions = {},
): ArchitectureSummary {
  const m = measure((sim) => new ArchitectureSystem(sim, architecture, options), window);
  return m.system.summary(m.window.end - m.window.start);
}
