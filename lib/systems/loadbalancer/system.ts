/**
 * The load balancer simulator, on the discrete-event kernel: clients (open Poisson requests or
 * closed users with think time, over keep-alive connections), a balancer (one node or an
 * active-passive VRRP pair, optionally a finite-capacity station), an L4 or L7 dispatch with a
 * balancing algorithm per pool, the application gateway's host/path routing, backends that crash
 * and recover, active (HAProxy) and passive (Envoy outlier) health checks, slow start and fail-open.
 *
 * Common random numbers: arrival times, client addresses, request classes and request work come
 * from the clients' own streams (`clients.*`), drawn when a request is created, so every policy in
 * a comparison sees the same requests; a policy's own draws come from `lb.<pool>.policy`.
 */
import { ParameterError, requireNonNegative, requirePositive } from '../../errors';
import { Categorical } from '../../random/categorical';
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import { grownFloat64, grownInt32 } from '../../sim/grown';
import { Observations } from '../../sim/observations';
import { Simulation } from '../../sim/simulation';
import type { LoadBalancerConfig, ResolvedConfig, ResolvedPool } from './config';
import { resolveConfig } from './config';
import { hashKey, hashString } from './hashing';
import { createPolicy } from './policies';
import type { Policy, PolicyState } from './policies';
import { Server } from './server';
import { masterDownInterval } from './vrrp';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

/** Why a request failed. */
export type FailureReason = 'balancer' | 'balancer_overload' | 'backend' | 'no_backend' | 'not_routed';
const REASONS: readonly FailureReason[] = ['balancer', 'balancer_overload', 'backend', 'no_backend', 'not_routed'];

/** One VIP failover of the pair: the crash, the last advertisement before it, the takeover. */
export interface Failover {
  crash: number;
  lastAdvertisement: number;
  takeover: number;
  /** takeover - crash: the time no balancer owned the address. */
  downtime: number;
}

/** An outlier ejection (Envoy): the backend, when, and until when (it returns at the first sweep after). */
export interface Ejection {
  backend: string;
  at: number;
  until: number;
}

/** A backend crash and when the balancer stopped sending to it (health check down or ejection). */
export interface Detection {
  backend: string;
  crash: number;
  detected: number;
  delay: number;
}

export interface BackendSummary {
  pool: string;
  name: string;
  alive: boolean;
  /** Requests dispatched to it (since the statistics reset). */
  requests: number;
  /** Its share of the pool's dispatched requests. */
  share: number;
  completions: number;
  utilisation: number;
  meanInSystem: number;
  meanResponse: number;
}

export interface LoadBalancerSummary {
  elapsed: number;
  /** Requests sent by the clients. */
  requests: number;
  completed: number;
  failed: number;
  errorRate: number;
  failures: Record<FailureReason, number>;
  /** L7 retries on another backend. */
  retries: number;
  throughput: number;
  meanResponse: number;
  p50: number;
  p95: number;
  p99: number;
  /** Per pool: completions, mean and p99 response time. */
  pools: Array<{ name: string; completed: number; meanResponse: number; p99: number; utilisation: number }>;
  /** Per request class of the mix (path, host): completions, mean and p99 response time. */
  classes: Array<{ path: string; host: string | null; completed: number; meanResponse: number; p99: number }>;
  backends: BackendSummary[];
  /** Time-average fraction of a pool's backends with at least i requests inside, i = 0..64 (first pool). */
  queueTail: number[];
  balancer: { utilisation: number; refused: number } | null;
  /** Requests dispatched to a backend the balancer had marked down or ejected while others were eligible: always 0. */
  routedToMarkedDown: number;
  /** Requests dispatched while no backend was eligible (fail-open). */
  failOpen: number;
  detections: Detection[];
  ejections: Ejection[];
  failovers: Failover[];
  /**
   * Per bin of `timeline_bin` seconds from time 0 (not reset by warm-up): completions, failures, and
   * requests dispatched to each backend (`dispatched[backend][bin]`, backends in pool order).
   */
  timeline: { t: number[]; completed: number[]; failed: number[]; dispatched: number[][] };
}

interface PoolRuntime {
  cfg: ResolvedPool;
  index: number;
  offset: number;
  n: number;
  policy: Policy;
  rng: Rng;
  state: PolicyState;
  /** The same arrays but every server (weight > 0) eligible: fail-open. */
  openState: PolicyState;
  eligibleCount: number;
  /** Response times of the requests this pool served. */
  response: Observations;
  slowStarting: number;
}

/**
 * A load-balanced system ready to run. `run(until)` advances it; `summary()` reports. Use
 * {@link simulateLoadBalancer} for a whole run with warm-up in one call.
 */
export class LoadBalancerSystem {
  readonly sim: Simulation;
  readonly config: ResolvedConfig;
  readonly backends: Server[] = [];
  readonly pools: PoolRuntime[] = [];
  readonly detections: Detection[] = [];
  readonly ejections: Ejection[] = [];
  readonly failovers: Failover[] = [];

  // per backend (global index)
  private readonly poolOfBackend: Int32Array;
  private readonly up: Uint8Array; // the balancer's view from active checks
  private readonly ejected: Uint8Array;
  private readonly active: Float64Array; // requests in flight
  private readonly conns: Float64Array; // L4 connections pinned
  private readonly latency: Float64Array;
  private readonly latencyAt: Float64Array;
  private readonly dispatched: Float64Array;
  private readonly health: Int32Array;
  private readonly consecutive: Int32Array;
  private readonly timesEjected: Int32Array;
  private readonly ejectedUntil: Float64Array;
  private readonly joinedAt: Float64Array;
  private readonly crashAt: Float64Array;
  private readonly checkStartedAt: Float64Array;
  // per client
  private readonly pin: Int32Array;
  private readonly pinEpoch: Int32Array;
  private readonly connLeft: Float64Array;
  // per job
  private jobBackend: Int32Array = new Int32Array(64);
  private jobTries: Int32Array = new Int32Array(64);
  private jobEpoch: Int32Array = new Int32Array(64);
  private jobClass: Int32Array = new Int32Array(64);
  private jobSent: Float64Array = new Float64Array(64);
  private jobExcluded: Int32Array = new Int32Array(64);
  // balancer
  private readonly nodes: Server[] = [];
  private vipOwner = 0;
  private vipEpoch = 0;
  private advertPhase = 0;
  // clients
  private readonly classPick: Categorical;
  private readonly classHash: Uint32Array;
  private readonly classRng: Rng;
  private readonly workRng: Rng;
  private readonly addressRng: Rng;
  private readonly arrivalRng: Rng;
  private readonly thinkRng: Rng;
  private readonly failureRng: Rng;
  private readonly interarrival: Exponential | null;
  private readonly userJobs: Int32Array;
  // statistics
  private sent = 0;
  private completed = 0;
  private readonly failures: Record<FailureReason, number> = { balancer: 0, balancer_overload: 0, backend: 0, no_backend: 0, not_routed: 0 };
  private retried = 0;
  private routedToMarkedDown = 0;
  private failOpen = 0;
  private readonly response = new Observations(true);
  private readonly classResponse: Observations[];
  private readonly timelineOk: number[] = [];
  private readonly timelineFailed: number[] = [];
  private readonly timelineDispatched: number[][] = [];
  // handlers
  private readonly arriveH: number;
  private readonly thinkEndH: number;
  private readonly crashH: number;
  private readonly recoverH: number;
  private readonly checkH: number;
  private readonly checkFailH: number;
  private readonly sweepH: number;
  private readonly lbCrashH: number;
  private readonly lbRecoverH: number;
  private readonly takeoverH: number;

  constructor(config: LoadBalancerConfig, options: { seed?: number } = {}) {
    this.config = resolveConfig(config);
    const cfg = this.config;
    const sim = (this.sim = new Simulation({ seed: options.seed ?? 1 }));
    const streams = sim.streams;
    this.classRng = streams.get('clients.class');
    this.workRng = streams.get('clients.work');
    this.addressRng = streams.get('clients.address');
    this.arrivalRng = streams.get('clients.arrivals');
    this.thinkRng = streams.get('clients.think');
    this.failureRng = streams.get('lb.failures');
    this.classPick = new Categorical(cfg.clients.mix.map((m) => m.weight));
    this.classHash = Uint32Array.from(cfg.clients.mix.map((m) => hashString(m.path)));
    this.classResponse = cfg.clients.mix.map(() => new Observations(true));
    this.interarrival = cfg.clients.model === 'open' ? new Exponential(cfg.clients.rate) : null;

    // backends and pools
    let total = 0;
    for (const p of cfg.pools) total += p.backends.length;
    this.poolOfBackend = new Int32Array(total);
    this.up = new Uint8Array(total).fill(1);
    this.ejected = new Uint8Array(total);
    this.active = new Float64Array(total);
    this.conns = new Float64Array(total);
    this.latency = new Float64Array(total);
    this.latencyAt = new Float64Array(total).fill(NaN);
    this.dispatched = new Float64Array(total);
    this.health = new Int32Array(total);
    this.consecutive = new Int32Array(total);
    this.timesEjected = new Int32Array(total);
    this.ejectedUntil = new Float64Array(total);
    this.joinedAt = new Float64Array(total).fill(-Infinity);
    this.crashAt = new Float64Array(total).fill(NaN);
    this.checkStartedAt = new Float64Array(total);
    const load = cfg.mode === 'L4' ? this.conns : this.active;
    let offset = 0;
    cfg.pools.forEach((p, pi) => {
      const n = p.backends.length;
      const nominal = new Float64Array(p.backends.map((b) => b.weight));
      const eligible = new Uint8Array(n);
      const all = new Uint8Array(n);
      for (let i = 0; i < n; i++) all[i] = nominal[i] > 0 ? 1 : 0;
      const weight = Float64Array.from(nominal);
      const state: PolicyState = { n, eligible, weight, nominal, load: load.subarray(offset, offset + n), latency: this.latency.subarray(offset, offset + n) };
      const rt: PoolRuntime = {
        cfg: p,
        index: pi,
        offset,
        n,
        policy: createPolicy(p.balance, p.backends.map((b) => b.name), nominal, p),
        rng: streams.get(`lb.${p.name}.policy`),
        state,
        openState: { ...state, eligible: all },
        eligibleCount: 0,
        response: new Observations(true),
        slowStarting: 0,
      };
      this.pools.push(rt);
      p.backends.forEach((b, i) => {
        const g = offset + i;
        this.poolOfBackend[g] = pi;
        if (p.health_check) this.health[g] = p.health_check.rise + p.health_check.fall - 1;
        this.backends.push(
          new Server(sim, {
            name: b.name,
            workers: b.workers,
            serviceTime: (job) => sim.jobs.size[job] / b.speed,
            done: (job) => this.backendDone(job),
            failed: (job, reason) => this.backendFailed(job, reason),
          }),
        );
      });
      for (let i = 0; i < n; i++) this.refreshEligible(offset + i);
      offset += n;
    });

    // balancer nodes
    const b = cfg.balancer;
    const nodeCount = b.pair ? 2 : 1;
    for (let k = 0; k < nodeCount; k++) {
      if (b.service !== null) {
        const service = b.service;
        const rng = streams.get(`balancer${k}.service`);
        this.nodes.push(
          new Server(sim, {
            name: `balancer${k}`,
            workers: b.workers,
            capacity: b.maxconn,
            serviceTime: () => service.sample(rng),
            done: (job) => this.route(job),
            failed: (job, reason) => this.fail(job, reason === 'refused' && this.nodes[k].alive ? 'balancer_overload' : 'balancer'),
          }),
        );
      }
    }
    if (b.pair) this.advertPhase = streams.get('lb.vrrp').next() * b.pair.advert_int;

    // clients
    const nClients = cfg.clients.clients;
    this.pin = new Int32Array(nClients).fill(-1);
    this.pinEpoch = new Int32Array(nClients);
    this.connLeft = new Float64Array(nClients);

    this.arriveH = sim.handler(() => this.openArrival(), 'clients.arrive');
    this.thinkEndH = sim.handler((job) => this.send(job), 'clients.thinkEnd');
    this.crashH = sim.handler((g) => this.crashBackend(g), 'backend.crash');
    this.recoverH = sim.handler((g) => this.recoverBackend(g), 'backend.recover');
    this.checkH = sim.handler((g) => this.checkStart(g), 'check.start');
    this.checkFailH = sim.handler((g) => this.checkFailed(g), 'check.fail');
    this.sweepH = sim.handler((pi) => this.outlierSweep(pi), 'outlier.sweep');
    this.lbCrashH = sim.handler(() => this.crashBalancer(), 'balancer.crash');
    this.lbRecoverH = sim.handler(() => this.recoverBalancer(), 'balancer.recover');
    this.takeoverH = sim.handler(() => this.takeover(), 'balancer.takeover');

    if (this.interarrival !== null) {
      this.userJobs = new Int32Array(0);
      sim.schedule(this.interarrival.sample(this.arrivalRng), this.arriveH);
    } else {
      this.userJobs = new Int32Array(cfg.clients.users);
      for (let u = 0; u < cfg.clients.users; u++) {
        const job = sim.jobs.alloc();
        sim.jobs.origin[job] = u;
        this.userJobs[u] = job;
        sim.schedule(cfg.clients.think.sample(this.thinkRng), this.thinkEndH, job);
      }
    }
    // failures, checks, sweeps
    this.pools.forEach((p) => {
      for (let i = 0; i < p.n; i++) {
        const g = p.offset + i;
        const bc = p.cfg.backends[i];
        for (const o of bc.failures) {
          sim.scheduleAt(o.at, this.crashH, g);
          sim.scheduleAt(o.at + o.duration, this.recoverH, g);
        }
        if (bc.mttf !== Infinity) sim.schedule(-math.log1p(-this.failureRng.next()) * bc.mttf, this.crashH, g);
        if (p.cfg.health_check) sim.schedule(streams.get('lb.checks').next() * p.cfg.health_check.inter, this.checkH, g);
      }
      if (p.cfg.outlier_detection) sim.schedule(p.cfg.outlier_detection.interval, this.sweepH, p.index);
    });
    for (const o of b.failures) {
      sim.scheduleAt(o.at, this.lbCrashH);
      sim.scheduleAt(o.at + o.duration, this.lbRecoverH);
    }
    sim.onReset(() => {
      this.sent = 0;
      this.completed = 0;
      for (const r of REASONS) this.failures[r] = 0;
      this.retried = 0;
      this.routedToMarkedDown = 0;
      this.failOpen = 0;
      this.response.reset();
      this.dispatched.fill(0);
      for (const p of this.pools) p.response.reset();
      for (const c of this.classResponse) c.reset();
    });
  }

  /** Runs to time `until`. */
  run(until: number): void {
    this.sim.run({ until: requireNonNegative('until', until) });
  }

  // ---- clients ------------------------------------------------------------------------------------

  private ensureJob(job: number): void {
    if (job < this.jobBackend.length) return;
    let n = this.jobBackend.length;
    while (n <= job) n *= 2;
    this.jobBackend = grownInt32(this.jobBackend, n);
    this.jobTries = grownInt32(this.jobTries, n);
    this.jobEpoch = grownInt32(this.jobEpoch, n);
    this.jobClass = grownInt32(this.jobClass, n);
    this.jobExcluded = grownInt32(this.jobExcluded, n);
    this.jobSent = grownFloat64(this.jobSent, n);
  }

  private openArrival(): void {
    const sim = this.sim;
    sim.schedule((this.interarrival as Exponential).sample(this.arrivalRng), this.arriveH);
    const job = sim.jobs.alloc();
    sim.jobs.origin[job] = this.addressRng.nextInt(this.config.clients.clients);
    this.send(job);
  }

  /** A client sends a request (job): draws its class and work, then hands it to the balancer. */
  private send(job: number): void {
    const sim = this.sim;
    const jobs = sim.jobs;
    this.ensureJob(job);
    this.sent++;
    jobs.born[job] = sim.now;
    const k = this.config.clients.mix.length === 1 ? 0 : this.classPick.sampleIndex(this.classRng);
    this.jobClass[job] = k;
    const cls = this.config.clients.mix[k];
    const pool = cls.pool;
    jobs.size[job] = pool < 0 ? 0 : (cls.work ?? this.config.pools[pool].service).sample(this.workRng);
    this.jobTries[job] = 0;
    this.jobBackend[job] = -1;
    this.jobExcluded[job] = -1;
    this.jobEpoch[job] = this.vipEpoch;
    if (this.vipOwner < 0) {
      this.fail(job, 'balancer');
      return;
    }
    if (this.nodes.length > 0) this.nodes[this.vipOwner].accept(job);
    else this.route(job);
  }

  /** The request is over (answered or failed): the client closes or reuses its connection, thinks, or leaves. */
  private finish(job: number): void {
    const sim = this.sim;
    const client = sim.jobs.origin[job];
    if (this.pin[client] >= 0 && --this.connLeft[client] <= 0) this.unpin(client);
    if (this.interarrival !== null) sim.jobs.free(job);
    else sim.schedule(this.config.clients.think.sample(this.thinkRng), this.thinkEndH, job);
  }

  private unpin(client: number): void {
    const b = this.pin[client];
    if (b >= 0) this.conns[b]--;
    this.pin[client] = -1;
    this.connLeft[client] = 0;
  }

  private fail(job: number, reason: FailureReason): void {
    this.failures[reason]++;
    if (this.config.timeline_bin > 0) this.bump(this.timelineFailed);
    if (this.config.mode === 'L4' && (reason === 'backend' || reason === 'balancer')) this.unpin(this.sim.jobs.origin[job]);
    this.finish(job);
  }

  private bump(series: number[]): void {
    const i = math.floor(this.sim.now / this.config.timeline_bin);
    while (series.length <= i) series.push(0);
    series[i]++;
  }

  // ---- dispatch -----------------------------------------------------------------------------------

  /** After the balancer: choose the pool and the backend, and send the request. */
  private route(job: number): void {
    const pool = this.config.clients.mix[this.jobClass[job]].pool;
    if (pool < 0) {
      this.fail(job, 'not_routed');
      return;
    }
    const p = this.pools[pool];
    const client = this.sim.jobs.origin[job];
    if (this.config.mode === 'L4') {
      if (this.pin[client] >= 0 && this.pinEpoch[client] !== this.vipEpoch) this.unpin(client); // the connection died with its balancer
      // HAProxy `on-marked-down shutdown-sessions`: a connection to a server marked down is closed; the client reconnects
      if (this.pin[client] >= 0 && p.eligibleCount > 0 && !p.state.eligible[this.pin[client] - p.offset]) this.unpin(client);
      if (this.pin[client] < 0) {
        const i = this.pick(p, job);
        if (i < 0) {
          this.fail(job, 'no_backend');
          return;
        }
        const g = p.offset + i;
        this.pin[client] = g;
        this.pinEpoch[client] = this.vipEpoch;
        this.connLeft[client] = this.config.clients.requests_per_connection;
        this.conns[g]++;
      }
      this.dispatch(job, this.pin[client]);
      return;
    }
    const i = this.pick(p, job);
    if (i < 0) this.fail(job, 'no_backend');
    else this.dispatch(job, p.offset + i);
  }

  /** The pool's policy over the eligible backends (all of them when failing open), without the one a retry excludes. */
  private pick(p: PoolRuntime, job: number): number {
    if (p.slowStarting > 0) this.updateSlowStart(p);
    const open = p.eligibleCount === 0;
    if (open && !this.config.fail_open) return -1;
    const state = open ? p.openState : p.state;
    const ex = this.jobExcluded[job] - p.offset;
    const exSaved = ex >= 0 && ex < p.n ? state.eligible[ex] : 0;
    if (ex >= 0 && ex < p.n) state.eligible[ex] = 0;
    const hashed = p.cfg.balance === 'source' || p.cfg.balance === 'ring_hash';
    const hash = !hashed ? 0 : p.cfg.hash_key === 'uri' ? this.classHash[this.jobClass[job]] : hashKey(this.sim.jobs.origin[job]);
    const i = p.policy.pick(state, hash, p.rng);
    if (ex >= 0 && ex < p.n) state.eligible[ex] = exSaved;
    return i;
  }

  private dispatch(job: number, g: number): void {
    const server = this.backends[g];
    const p = this.pools[this.poolOfBackend[g]];
    if (p.eligibleCount === 0) this.failOpen++;
    else if (!p.state.eligible[g - p.offset]) this.routedToMarkedDown++;
    this.jobBackend[job] = g;
    this.jobSent[job] = this.sim.now;
    this.dispatched[g]++;
    this.active[g]++;
    if (this.config.timeline_bin > 0) this.bump(this.timelineDispatched[g] ?? (this.timelineDispatched[g] = []));
    server.accept(job); // a refusal comes back through backendFailed
  }

  private backendDone(job: number): void {
    const g = this.jobBackend[job];
    this.active[g]--;
    this.consecutive[g] = 0;
    this.observeLatency(g, this.sim.now - this.jobSent[job]);
    if (this.jobEpoch[job] !== this.vipEpoch) {
      this.fail(job, 'balancer'); // the answer had to go back through a balancer that is gone
      return;
    }
    const r = this.sim.now - this.sim.jobs.born[job];
    this.completed++;
    this.response.add(r);
    this.pools[this.poolOfBackend[g]].response.add(r);
    if (this.classResponse.length > 1) this.classResponse[this.jobClass[job]].add(r);
    if (this.config.timeline_bin > 0) this.bump(this.timelineOk);
    this.finish(job);
  }

  private backendFailed(job: number, reason: 'refused' | 'crash'): void {
    const g = this.jobBackend[job];
    this.active[g]--;
    this.outlierFailure(g);
    // L7 retries a refused connection on another backend (`option redispatch`); a request lost mid-service is not retried
    if (reason === 'refused' && this.config.mode === 'L7' && this.jobTries[job] < this.config.retries) {
      this.jobTries[job]++;
      this.retried++;
      this.jobExcluded[job] = g;
      const p = this.pools[this.poolOfBackend[g]];
      const i = this.pick(p, job);
      if (i < 0) this.fail(job, 'no_backend');
      else this.dispatch(job, p.offset + i);
      return;
    }
    this.fail(job, 'backend');
  }

  private observeLatency(g: number, rtt: number): void {
    const p = this.pools[this.poolOfBackend[g]];
    if (p.cfg.balance !== 'least_time') return;
    const now = this.sim.now;
    const last = this.latencyAt[g];
    if (Number.isNaN(last) || rtt > this.latency[g]) this.latency[g] = rtt; // peak EWMA: jump up at once
    else this.latency[g] += (1 - math.exp(-(now - last) / p.cfg.decay_time)) * (rtt - this.latency[g]);
    this.latencyAt[g] = now;
  }

  // ---- health -------------------------------------------------------------------------------------

  private refreshEligible(g: number): void {
    const p = this.pools[this.poolOfBackend[g]];
    const i = g - p.offset;
    const e = this.up[g] === 1 && this.ejected[g] === 0 && p.state.nominal[i] > 0 ? 1 : 0;
    if (p.state.eligible[i] !== e) {
      p.state.eligible[i] = e;
      p.eligibleCount += e ? 1 : -1;
    }
  }

  private updateSlowStart(p: PoolRuntime): void {
    const ss = p.cfg.slow_start;
    if (!ss) return;
    const now = this.sim.now;
    let still = 0;
    for (let i = 0; i < p.n; i++) {
      const g = p.offset + i;
      const t = now - this.joinedAt[g];
      if (t < ss.slow_start_window) {
        const factor = math.max(ss.min_weight_percent / 100, math.pow(math.max(t, 1) / ss.slow_start_window, 1 / ss.aggression));
        p.state.weight[i] = p.state.nominal[i] * math.min(1, factor);
        still++;
      } else p.state.weight[i] = p.state.nominal[i];
    }
    p.slowStarting = still;
  }

  /** The balancer starts sending to a backend again (check up, or recovery without checks): slow start begins. */
  private joined(g: number): void {
    const p = this.pools[this.poolOfBackend[g]];
    if (!p.cfg.slow_start) return;
    this.joinedAt[g] = this.sim.now;
    p.slowStarting++;
  }

  private markDetected(g: number): void {
    if (!Number.isNaN(this.crashAt[g]) && !this.backends[g].alive) {
      this.detections.push({ backend: this.backends[g].name, crash: this.crashAt[g], detected: this.sim.now, delay: this.sim.now - this.crashAt[g] });
    }
    this.crashAt[g] = NaN;
  }

  private checkStart(g: number): void {
    const hc = this.pools[this.poolOfBackend[g]].cfg.health_check!;
    this.checkStartedAt[g] = this.sim.now;
    if (this.backends[g].alive) {
      this.applyCheck(g, true);
      this.sim.schedule(this.checkInterval(g, hc), this.checkH, g);
    } else {
      // HAProxy connects with min(timeout connect, inter) when `timeout check` is set: a dead host's check fails within inter
      this.sim.schedule(math.min(hc.timeout, hc.inter), this.checkFailH, g);
    }
  }

  private checkFailed(g: number): void {
    const hc = this.pools[this.poolOfBackend[g]].cfg.health_check!;
    this.applyCheck(g, false);
    const next = this.checkStartedAt[g] + this.checkInterval(g, hc);
    this.sim.schedule(math.max(0, next - this.sim.now), this.checkH, g);
  }

  private checkInterval(g: number, hc: { inter: number; fastinter: number; downinter: number; rise: number; fall: number }): number {
    const h = this.health[g];
    if (this.up[g] === 1) return h === hc.rise + hc.fall - 1 ? hc.inter : hc.fastinter;
    return h === 0 ? hc.downinter : hc.fastinter;
  }

  /** HAProxy's health counter: 0..rise+fall-1; up while >= rise; a failure takes one off, a success adds one. */
  private applyCheck(g: number, ok: boolean): void {
    const hc = this.pools[this.poolOfBackend[g]].cfg.health_check!;
    const top = hc.rise + hc.fall - 1;
    if (this.up[g] === 1) {
      if (ok) this.health[g] = math.min(top, this.health[g] + 1);
      else if (--this.health[g] < hc.rise) {
        this.health[g] = 0;
        this.up[g] = 0;
        this.markDetected(g);
        this.refreshEligible(g);
      }
    } else if (ok) {
      if (++this.health[g] >= hc.rise) {
        this.health[g] = top;
        this.up[g] = 1;
        this.joined(g);
        this.refreshEligible(g);
      }
    } else this.health[g] = math.max(0, this.health[g] - 1);
  }

  private outlierFailure(g: number): void {
    const p = this.pools[this.poolOfBackend[g]];
    const od = p.cfg.outlier_detection;
    if (!od || this.ejected[g]) return;
    if (++this.consecutive[g] < od.consecutive_5xx) return;
    this.consecutive[g] = 0;
    let ejectedNow = 0;
    for (let i = 0; i < p.n; i++) ejectedNow += this.ejected[p.offset + i];
    if (ejectedNow >= math.max(1, math.floor((p.n * od.max_ejection_percent) / 100))) return;
    const times = ++this.timesEjected[g];
    this.ejected[g] = 1;
    this.ejectedUntil[g] = this.sim.now + math.min(od.base_ejection_time * times, math.max(od.base_ejection_time, od.max_ejection_time));
    this.ejections.push({ backend: this.backends[g].name, at: this.sim.now, until: this.ejectedUntil[g] });
    this.markDetected(g);
    this.refreshEligible(g);
  }

  /** Envoy's outlier timer: every `interval`, hosts whose ejection time is over come back. */
  private outlierSweep(pi: number): void {
    const p = this.pools[pi];
    const od = p.cfg.outlier_detection!;
    for (let i = 0; i < p.n; i++) {
      const g = p.offset + i;
      if (this.ejected[g] && this.sim.now >= this.ejectedUntil[g]) {
        this.ejected[g] = 0;
        this.consecutive[g] = 0;
        this.refreshEligible(g);
      }
    }
    this.sim.schedule(od.interval, this.sweepH, pi);
  }

  // ---- failures -----------------------------------------------------------------------------------

  private crashBackend(g: number): void {
    const server = this.backends[g];
    if (!server.alive) return;
    this.crashAt[g] = this.sim.now;
    server.crash();
    this.scheduleRepair(g);
  }

  private recoverBackend(g: number): void {
    const server = this.backends[g];
    if (server.alive) return;
    server.recover();
    this.crashAt[g] = NaN;
    const p = this.pools[this.poolOfBackend[g]];
    if (!p.cfg.health_check) this.joined(g);
    const bc = p.cfg.backends[g - p.offset];
    if (bc.mttf !== Infinity) this.sim.schedule(-math.log1p(-this.failureRng.next()) * bc.mttf, this.crashH, g);
  }

  /** Schedules the repair after a crash of a backend that fails at random (mttr). */
  private scheduleRepair(g: number): void {
    const p = this.pools[this.poolOfBackend[g]];
    const bc = p.cfg.backends[g - p.offset];
    if (bc.mttr !== Infinity) this.sim.schedule(-math.log1p(-this.failureRng.next()) * bc.mttr, this.recoverH, g);
  }

  private crashBalancer(): void {
    const pair = this.config.balancer.pair;
    const now = this.sim.now;
    if (this.nodes.length > 0) this.nodes[0].crash();
    if (this.vipOwner !== 0) return;
    this.vipOwner = -1;
    this.vipEpoch++;
    if (pair) {
      const a = pair.advert_int;
      const last = this.advertPhase + math.floor((now - this.advertPhase) / a) * a;
      const takeover = math.max(now, last + masterDownInterval(a, pair.priority, pair.version));
      this.failovers.push({ crash: now, lastAdvertisement: last, takeover, downtime: takeover - now });
      this.sim.scheduleAt(takeover, this.takeoverH);
    }
  }

  private takeover(): void {
    if (this.vipOwner >= 0) return;
    this.vipOwner = 1;
    this.vipEpoch++;
  }

  private recoverBalancer(): void {
    const pair = this.config.balancer.pair;
    if (this.nodes.length > 0) this.nodes[0].recover();
    if (!pair) {
      this.vipOwner = 0;
      this.vipEpoch++;
    } else if (pair.preempt || this.vipOwner < 0) {
      // the master's priority is higher: with preemption it takes the address back at once
      this.vipOwner = 0;
      this.vipEpoch++;
      this.advertPhase = this.sim.now % pair.advert_int;
    }
  }

  // ---- results ------------------------------------------------------------------------------------

  summary(): LoadBalancerSummary {
    const elapsed = this.backends[0].numberInSystem.elapsed;
    const failed = REASONS.reduce((s, r) => s + this.failures[r], 0);
    const backends: BackendSummary[] = this.backends.map((s, g) => {
      const p = this.pools[this.poolOfBackend[g]];
      let poolTotal = 0;
      for (let i = 0; i < p.n; i++) poolTotal += this.dispatched[p.offset + i];
      return {
        pool: p.cfg.name,
        name: s.name,
        alive: s.alive,
        requests: this.dispatched[g],
        share: poolTotal > 0 ? this.dispatched[g] / poolTotal : NaN,
        completions: s.completions,
        utilisation: s.busyWorkers.mean / s.workers,
        meanInSystem: s.numberInSystem.mean,
        meanResponse: s.responseTime.meanOrNaN,
      };
    });
    const first = this.pools[0];
    const queueTail: number[] = [];
    for (let i = 0; i < first.n; i++) {
      const t = this.backends[first.offset + i].tailFractions();
      t.forEach((v, k) => (queueTail[k] = (queueTail[k] ?? 0) + v / first.n));
    }
    const bins = math.max(this.timelineOk.length, this.timelineFailed.length, ...this.timelineDispatched.map((d) => (d ? d.length : 0)));
    const bin = this.config.timeline_bin;
    return {
      elapsed,
      requests: this.sent,
      completed: this.completed,
      failed,
      errorRate: this.completed + failed > 0 ? failed / (this.completed + failed) : NaN,
      failures: { ...this.failures },
      retries: this.retried,
      throughput: elapsed > 0 ? this.completed / elapsed : NaN,
      meanResponse: this.response.tallied().meanOrNaN,
      p50: this.response.quantile(0.5),
      p95: this.response.quantile(0.95),
      p99: this.response.quantile(0.99),
      pools: this.pools.map((p) => {
        let busy = 0;
        let workers = 0;
        for (let i = 0; i < p.n; i++) {
          busy += this.backends[p.offset + i].busyWorkers.mean;
          workers += this.backends[p.offset + i].workers;
        }
        const served = p.response.tallied();
        return { name: p.cfg.name, completed: served.count, meanResponse: served.meanOrNaN, p99: p.response.quantile(0.99), utilisation: busy / workers };
      }),
      classes: this.config.clients.mix.map((m, k) => {
        // one class: its requests are all requests, recorded once in `response`
        const c = this.classResponse.length === 1 ? this.response : this.classResponse[k];
        return { path: m.path, host: m.host ?? null, completed: c.tallied().count, meanResponse: c.tallied().meanOrNaN, p99: c.quantile(0.99) };
      }),
      backends,
      queueTail,
      balancer: this.nodes.length > 0 ? { utilisation: this.nodes[0].busyWorkers.mean / this.nodes[0].workers, refused: this.nodes.reduce((s, n) => s + n.refused, 0) } : null,
      routedToMarkedDown: this.routedToMarkedDown,
      failOpen: this.failOpen,
      detections: this.detections.slice(),
      ejections: this.ejections.slice(),
      failovers: this.failovers.slice(),
      timeline: {
        t: Array.from({ length: bins }, (_, i) => (i + 0.5) * bin),
        completed: Array.from({ length: bins }, (_, i) => this.timelineOk[i] ?? 0),
        failed: Array.from({ length: bins }, (_, i) => this.timelineFailed[i] ?? 0),
        dispatched: this.backends.map((_, g) => Array.from({ length: bins }, (_, i) => this.timelineDispatched[g]?.[i] ?? 0)),
      },
    };
  }

  /** The balancer's view of a backend now: marked up by checks, ejected, eligible. */
  view(pool: number, i: number): { up: boolean; ejected: boolean; eligible: boolean; weight: number } {
    const p = this.pools[pool];
    if (!p || !(i >= 0 && i < p.n)) throw new ParameterError('backend', `${pool}/${i}`, 'must name an existing pool and backend');
    if (p.slowStarting > 0) this.updateSlowStart(p);
    const g = p.offset + i;
    return { up: this.up[g] === 1, ejected: this.ejected[g] === 1, eligible: p.state.eligible[i] === 1, weight: p.state.weight[i] };
  }
}

/**
 * Runs a configuration: `warmup` seconds (statistics then restart), then `duration` seconds more;
 * returns the summary of the measured period.
 */
export function simulateLoadBalancer(config: LoadBalancerConfig, options: { seed?: number; duration: number; warmup?: number }): LoadBalancerSummary {
  const duration = requirePositive('duration', options?.duration);
  const warmup = requireNonNegative('warmup', options.warmup ?? 0);
  const system = new LoadBalancerSystem(config, { seed: options.seed });
  if (warmup > 0) {
    system.run(warmup);
    system.sim.resetStatistics();
  }
  system.run(warmup + duration);
  return system.summary();
}
