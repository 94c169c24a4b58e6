/**
 * The simulation of an architecture, on the kernel, composing the same network as the analytic
 * evaluation (./layout.ts) from the library's blocks: per datacenter a closed `Population` of
 * users with exponential think time (or an open Poisson `Source`), a `Delay` for the constant
 * parts (round trip, CDN edge), and one kernel `Station` (processor sharing, one server, exponential
 * work) per balancer, web server, cache server, primary and replica; the balancer and the replica
 * choice pick a server uniformly at random (streams `dc<i>.<tier>.pick`). The cache is a real
 * memcached-style LRU store (lib/systems/cache `LruStore`, demand-filled on a miss) read with
 * Zipf(alpha) keys, so Che's hit ratio is tested, not assumed; it is warmed before the run by 20
 * capacities of reads. The CDN
 * edge answers a static request with probability `cdn.hitRatio`. A request visits its stations in
 * sequence, as a synchronous call chain without timeouts (lib/systems/common/calls.ts is the same
 * model with timeouts).
 *
 * Asynchronous work (`kafka`): the library's Kafka component per datacenter (./sim-kafka.ts); a
 * write publishes its records after the primary and, with `awaitAck`, waits for them through
 * common.Calls. A single failure (`options.outage`, ./sim-outage.ts): one instance of one tier down
 * through common.FailureProcess, the balancer, read router, cache client, failover and VRRP
 * reacting as described there; failed requests are counted, not timed.
 *
 * Reported: throughput, the response time as a LatencySummary (all datacenters, answered requests),
 * failed requests, utilisation per tier (mean over its servers) and whether a station's queue grew
 * through the window (the kernel's `overloaded` flag), the cache's measured hit ratio, the
 * asynchronous work. Statistics restart on sim.resetStatistics(). Random draws: `dc<i>.class`,
 * `dc<i>.keys`, `<station>.service`, the Population's own `<name>.think`, `dc<i>.kafka.keys` and
 * the Kafka component's streams.
 */
import { ParameterError } from '../../errors';
import { Exponential } from '../../random/exponential';
import { standardExponential } from '../../random/exponential-ziggurat';
import { Zipf } from '../../random/zipf';
import type { Rng } from '../../random/xoshiro128';
import { Delay } from '../../sim/delay';
import { grownFloat64, grownUint8 } from '../../sim/grown';
import { Population } from '../../sim/population';
import type { Simulation } from '../../sim/simulation';
import { Sink } from '../../sim/sink';
import { Source } from '../../sim/source';
import { Station } from '../../sim/station';
import { target, type JobTarget } from '../../sim/target';
import { LruStore } from '../cache/store';
import { CALL_OK, Calls } from '../common/calls';
import { FailureProcess } from '../common/failures';
import { Latency, type LatencySummary } from '../common/latency';
import { measure, type RunWindow } from '../common/runner';
import { webServersFor } from './analytic';
import { layoutOf, type Layout, type Tier } from './layout';
import { AsyncWork, summarizeAsyncWork, type AsyncWorkSummary } from './sim-kafka';
import { failOneInstance, type OutageSpec } from './sim-outage';
import type { Architecture } from './types';
import { resolveArchitecture } from './validate';

export interface ArchitectureRunOptions {
  /** Users (closed load) or requests/s (open load) instead of the file's; web servers chosen as the analytic model does. */
  load?: number;
  /** Web servers per datacenter instead of the file's (or the autoscaler's). */
  webServers?: number;
  /** One instance of one tier down for a while (./sim-outage.ts). */
  outage?: OutageSpec;
}

export interface ArchitectureSummary {
  load: number;
  webServers: number;
  throughput: number;
  latency: LatencySummary;
  /** Requests that failed (refused or lost by a crashed server) and their share of the requests that ended. */
  failed: number;
  failedShare: number;
  /** With an outage: the latency and failed share in datacenter 0, where the instance is down (the whole system's with one datacenter). */
  outage: { latency: LatencySummary; failedShare: number } | null;
  tiers: { tier: Tier; servers: number; utilisation: number; overloaded: boolean }[];
  /** Measured cache hit ratio (NaN without a cache). */
  cacheHitRatio: number;
  /** The Kafka topic and consumer group (null without kafka). */
  kafka: AsyncWorkSummary | null;
}

/** Simulation class index: the analytic read-hit and read-miss are one class here (the store decides). */
const CLASS_OF = { 'static-cdn': 0, static: 1, 'read-hit': 2, 'read-miss': 2, write: 3 } as const;

class Datacenter {
  stations: Station[][];
  store: LruStore | null;
  zipf: Zipf | null;
  keys: Rng;
  picks: Rng[];
  entry: JobTarget;
  /** Per tier station, the copies the balancer or router sends to (all of them unless one failed and was noticed). */
  live: number[][];
  work: AsyncWork | null;
  constructor(
    sim: Simulation,
    readonly index: number,
  ) {
    this.stations = [];
    this.live = [];
    this.work = null;
    this.store = null;
    this.zipf = null;
    this.keys = sim.streams.get(`dc${index}.keys`);
    this.picks = [];
    this.entry = { accept: () => undefined };
  }
}

export class ArchitectureSystem {
  readonly architecture: Architecture;
  readonly layout: Layout;
  readonly load: number;
  readonly webServers: number;
  readonly latency: Latency;
  private readonly sim: Simulation;
  private readonly dcs: Datacenter[] = [];
  private readonly paths: { station: number; service: number }[][] = [[], [], [], []];
  private readonly cacheAt = new Int32Array([-1, -1, -1, -1]);
  private readonly cum = new Float64Array(4);
  private readonly constants = new Float64Array(4);
  private cls: Uint8Array = new Uint8Array(1024);
  private step: Uint8Array = new Uint8Array(1024);
  private dcOf: Uint8Array = new Uint8Array(1024);
  private mean: Float64Array = new Float64Array(1024);
  private readonly exits: JobTarget[] = [];
  private readonly advanceT: JobTarget;
  private readonly open: boolean;
  private readonly classRngs: Rng[] = [];
  private readonly failT: JobTarget;
  private readonly afterAckT: JobTarget;
  private readonly calls: Calls;
  private readonly primaryAt: number;
  private readonly cacheStation: number;
  private readonly replicasAt: number;
  private failedCount = 0;
  private failedDc0 = 0;
  /** Datacenter 0's answered requests, where the outage is (null without one). */
  private readonly dc0Latency: Latency | null;
  /** The failure process of the outage's instance (null without one). */
  readonly outage: FailureProcess | null = null;
  private readonly hasBrokerOutage: boolean;

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
    this.latency = new Latency(sim);
    this.dc0Latency = options.outage && k > 1 ? new Latency(sim) : null;
    for (const c of this.layout.classes) {
      const i = CLASS_OF[c.cls];
      this.cum[i] += c.p;
      this.constants[i] = c.constant;
      if (c.cls !== 'read-hit') this.paths[i] = c.visits;
    }
    for (let i = 1; i < 4; i++) this.cum[i] += this.cum[i - 1];
    this.cum[3] = 1;
    this.paths[2].forEach((v, j) => {
      if (this.layout.stations[v.station].tier === 'cache') this.cacheAt[2] = j;
    });
    this.advanceT = target((job) => this.advance(job));
    this.failT = target((job) => this.fail(job));
    this.afterAckT = target((job) =>
      this.calls.outcome[job] === CALL_OK ? this.finish(job) : this.fail(job),
    );
    this.calls = Calls.of(sim);
    this.primaryAt = this.layout.stations.findIndex((st) => st.tier === 'primary');
    this.cacheStation = this.layout.stations.findIndex((st) => st.tier === 'cache');
    this.replicasAt = this.layout.stations.findIndex((st) => st.tier === 'replicas');
    const a = architecture;
    const outage = options.outage;
    for (let d = 0; d < k; d++) {
      const dc = new Datacenter(sim, d);
      this.dcs.push(dc);
      this.classRngs.push(sim.streams.get(`dc${d}.class`));
      dc.stations = this.layout.stations.map((st, s) => {
        dc.picks.push(sim.streams.get(`dc${d}.${st.tier}.pick`));
        const list: Station[] = [];
        for (let c = 0; c < st.copies; c++) {
          list.push(
            new Station(sim, {
              name: `dc${d}.${st.tier}${st.copies > 1 ? c : ''}${s}`,
              service: (job: number, rng: Rng) => this.mean[job] * standardExponential(rng),
              discipline: 'ps',
              to: this.advanceT,
              onCrash: 'fail',
              failTo: this.failT,
              quantiles: false,
            }),
          );
        }
        dc.live.push(list.map((_, c) => c));
        return list;
      });
      if (a.kafka) {
        const brokerOutage =
          outage && outage.tier === 'kafka' && d === 0
            ? { at: outage.at, duration: outage.duration }
            : null;
        dc.work = new AsyncWork(sim, a.kafka, d, k, this.afterAckT, brokerOutage);
      }
      if (a.cache) {
        dc.store = new LruStore({ capacity: a.cache.capacity, keys: a.cache.objects });
        dc.zipf = new Zipf(a.cache.objects, a.cache.alpha);
        // Warm start: the store's LRU dynamics do not depend on time, so 20 capacities of reads
        // (from the keys stream) bring it to its stationary regime before the run starts.
        const warm = 20 * a.cache.capacity;
        for (let r = 0; r < warm; r++) {
          const key = dc.zipf.sample(dc.keys) - 1;
          if (!dc.store.get(key, 0)) dc.store.set(key, 0);
        }
        dc.store.hits = dc.store.misses = 0;
      }
      const delay = new Delay(sim, {
        name: `dc${d}.delays`,
        delay: (job: number) => this.constants[this.cls[job]],
        to: this.advanceT,
      });
      const classify = target((job) => this.classify(job, d, delay));
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
    sim.onReset(() => {
      for (const dc of this.dcs) if (dc.store) dc.store.hits = dc.store.misses = 0;
      this.failedCount = this.failedDc0 = 0;
    });
    this.hasBrokerOutage = outage !== undefined && outage.tier === 'kafka';
    if (outage && outage.tier !== 'kafka')
      this.outage = failOneInstance(
        sim,
        architecture,
        this.layout,
        this.dcs[0].stations,
        this.dcs[0].live,
        outage,
      );
  }

  private classify(job: number, d: number, delay: Delay): void {
    if (job >= this.cls.length) {
      const n = 2 * (job + 1);
      this.cls = grownUint8(this.cls, n);
      this.step = grownUint8(this.step, n);
      this.dcOf = grownUint8(this.dcOf, n);
      this.mean = grownFloat64(this.mean, n);
    }
    const u = this.classRngs[d].next();
    const cum = this.cum;
    this.cls[job] = u < cum[0] ? 0 : u < cum[1] ? 1 : u < cum[2] ? 2 : 3;
    this.step[job] = 0;
    this.dcOf[job] = d;
    delay.accept(job);
  }

  private advance(job: number): void {
    const c = this.cls[job];
    let i = this.step[job];
    const dc = this.dcs[this.dcOf[job]];
    const path = this.paths[c];
    if (i > 0 && this.cacheAt[c] === i - 1) {
      const store = dc.store as LruStore;
      const key = (dc.zipf as Zipf).sample(dc.keys) - 1;
      const now = this.sim.now;
      if (store.get(key, now)) return this.finish(job);
      store.set(key, now);
    }
    if (i === path.length) return this.done(job, dc);
    let v = path[i];
    let s = v.station;
    let pick = this.pick(dc, s);
    // a cache server that refuses the connection is a miss at once: on to the database
    if (s === this.cacheStation && !dc.stations[s][pick].up) {
      v = path[++i];
      pick = this.pick(dc, (s = v.station));
    }
    // no replica left to read from: the reads go to the primary
    if (pick < 0 && s === this.replicasAt) pick = this.pick(dc, (s = this.primaryAt));
    if (pick < 0) return this.fail(job);
    this.step[job] = i + 1;
    this.mean[job] = v.service;
    dc.stations[s][pick].accept(job);
  }

  /** The copy of station `s` the balancer or router picks (uniformly among those it sends to), -1 for none. */
  private pick(dc: Datacenter, s: number): number {
    const live = dc.live[s];
    const n = dc.stations[s].length;
    if (live.length === n) return n === 1 ? 0 : Math.floor(dc.picks[s].next() * n);
    return live.length === 0 ? -1 : live[Math.floor(dc.picks[s].next() * live.length)];
  }

  /** The path is done: a write publishes its records (and may wait for their acknowledgement). */
  private done(job: number, dc: Datacenter): void {
    if (dc.work !== null && this.cls[job] === 3 && dc.work.publish(job)) return;
    this.finish(job);
  }

  private fail(job: number): void {
    this.failedCount++;
    if (this.dcOf[job] === 0) this.failedDc0++;
    this.exits[this.dcOf[job]].accept(job);
  }

  private finish(job: number): void {
    this.latency.record(this.sim.now - this.sim.jobs.born[job]);
    if (this.dc0Latency !== null && this.dcOf[job] === 0)
      this.dc0Latency.record(this.sim.now - this.sim.jobs.born[job]);
    this.exits[this.dcOf[job]].accept(job);
  }

  private outageSummary(
    all: LatencySummary,
  ): { latency: LatencySummary; failedShare: number } | null {
    if (
      this.outage === null &&
      !(this.architecture.kafka && this.dcs[0].work && this.hasBrokerOutage)
    )
      return null;
    const latency = this.dc0Latency !== null ? this.dc0Latency.summary() : all;
    return { latency: latency, failedShare: this.failedDc0 / (this.failedDc0 + latency.count) };
  }

  summary(elapsed: number): ArchitectureSummary {
    const tiers = this.layout.stations.map((st, s) => {
      let u = 0;
      let overloaded = false;
      for (const dc of this.dcs)
        for (const station of dc.stations[s]) {
          const x = station.summary();
          u += x.utilisation;
          overloaded = overloaded || x.overloaded;
        }
      return {
        tier: st.tier,
        servers: st.copies,
        utilisation: u / (st.copies * this.dcs.length),
        overloaded: overloaded,
      };
    });
    let hits = 0;
    let misses = 0;
    for (const dc of this.dcs)
      if (dc.store) {
        hits += dc.store.hits;
        misses += dc.store.misses;
      }
    const latency = this.latency.summary();
    return {
      load: this.load,
      webServers: this.webServers,
      throughput: latency.count / elapsed,
      latency,
      failed: this.failedCount,
      failedShare: this.failedCount / (this.failedCount + latency.count),
      outage: this.outageSummary(latency),
      tiers,
      cacheHitRatio: this.dcs[0].store ? hits / (hits + misses) : NaN,
      kafka: this.architecture.kafka
        ? summarizeAsyncWork(
            this.dcs.map((dc) => dc.work as AsyncWork),
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
