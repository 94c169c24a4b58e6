/**
 * The web tier (lab 05): users who log in, hold a session for a few requests and leave
 * (load.ts), a balancer in front of the servers (the load balancer's policies, createPolicy from
 * lib/systems/loadbalancer), the session kept in server memory (sticky), a shared store or a
 * signed token (config.ts), servers that crash (FailureProcess) and come and go (servers.ts,
 * autoscaler.ts).
 *
 * A session is a job id for its whole life. Its request starts at the balancer: with `memory`
 * a request of a logged-in user goes to the server holding its session (sticky cookie); a login
 * (first request, or the first after the session was lost) is balanced by the policy and refused
 * when that server's memory holds `max_sessions` (the user leaves). With `shared` each request
 * first reads the session from the store (a Calls round trip to the store Station, timeout
 * `store.timeout`), then runs on any server; with `token` it runs on any server, `token.extra`
 * seconds longer. A server crash fails the requests inside it (errors) and, with `memory`, logs
 * out every session it held (`loggedOut`): the user's next request logs in again elsewhere.
 * Scale-in of a `memory` server logs its sessions out too (`loggedOutScaleIn`).
 *
 * Conservation (tested): sessions active at the reset + started = ended + logged out + active now;
 * users present at the reset + arrived = left + present now.
 */
import { ParameterError } from '../../errors';
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import { grownInt32 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import { Source } from '../../sim/source';
import { Station } from '../../sim/station';
import { target } from '../../sim/target';
import type { JobTarget } from '../../sim/target';
import { CALL_OK, Calls } from '../common/calls';
import { FailureProcess } from '../common/failures';
import { Latency } from '../common/latency';
import { measure } from '../common/runner';
import type { RunWindow } from '../common/runner';
import { createPolicy } from '../loadbalancer/policies';
import type { Policy, PolicyState } from '../loadbalancer/policies';
import { Autoscaler } from './autoscaler';
import { resolveWebTierConfig } from './config';
import type { ResolvedWebTier, WebTierConfig } from './config';
import { ServerPool } from './servers';
import { SessionTable } from './sessions';
import { buildSessionStore } from './store';
import { Timeline } from './timeline';
import { summarizeWebTier } from './summary';
import type { WebTierSummary } from './summary';

export class WebTierSystem {
  readonly config: ResolvedWebTier;
  readonly pool: ServerPool;
  readonly store: Station | null;
  readonly storeFailures: FailureProcess | null;
  readonly autoscaler: Autoscaler | null;
  readonly latency: Latency;
  readonly timeline: Timeline;
  /** Counters since start or reset. */
  counts = {
    usersArrived: 0,
    usersLeft: 0,
    sessionsStarted: 0,
    sessionsEnded: 0,
    loggedOut: 0,
    loggedOutScaleIn: 0,
    sessionsRefused: 0,
    requests: 0,
    completed: 0,
    errors: 0,
    crashes: 0,
    logins: 0,
  };
  /** Sessions and users present when statistics last restarted. */
  atReset = { sessions: 0, users: 0 };
  /** Sessions held per server (memory store). */
  readonly sessionsOn: Int32Array;
  readonly sim: Simulation;
  private readonly sessions: SessionTable;
  private remaining: Int32Array;
  private users = 0;
  private readonly policy: Policy;
  private readonly state: PolicyState;
  private readonly load: Float64Array;
  private readonly policyRng: Rng;
  private readonly reqRng: Rng;
  private readonly thinkRng: Rng;
  private readonly thinkH: number;
  private readonly think: Exponential | null;
  private readonly calls: Calls | null;
  private readonly afterStore: JobTarget;

  constructor(sim: Simulation, config: WebTierConfig) {
    const cfg = (this.config = resolveWebTierConfig(config));
    this.sim = sim;
    const n = cfg.capacity;
    this.latency = new Latency(sim);
    this.sessions = new SessionTable(n);
    this.sessionsOn = this.sessions.sessionsOn;
    this.remaining = new Int32Array(1024);
    this.policyRng = sim.streams.get('webtier.balancer');
    this.reqRng = sim.streams.get('users.requests');
    this.thinkRng = sim.streams.get('users.think');
    this.think = cfg.users.think_time > 0 ? Exponential.withMean(cfg.users.think_time) : null;
    const done = target((job) => this.respond(job, true));
    const failed = target((job) => this.respond(job, false));
    this.pool = new ServerPool(sim, cfg, done, failed);
    this.timeline = new Timeline(sim, this, cfg.timeline_bin, cfg.slo_p95);
    this.load = new Float64Array(n);
    const names = Array.from({ length: n }, (_, i) => `web${i}`);
    const ones = new Float64Array(n).fill(1);
    this.policy = createPolicy(cfg.balance, names, ones);
    this.state = {
      n,
      eligible: this.pool.eligible,
      weight: ones,
      nominal: ones,
      load: this.load,
      latency: new Float64Array(n),
    };
    if (this.policy.rebuild) this.policy.rebuild(this.state);
    this.pool.onChange = () => {
      if (this.policy.rebuild) this.policy.rebuild(this.state);
    };
    this.pool.onLost = (i, cause) => this.lose(i, cause);
    if (cfg.session_store === 'shared') {
      const calls = (this.calls = Calls.of(sim));
      const built = buildSessionStore(sim, cfg.store, calls);
      this.store = built.store;
      this.storeFailures = built.failures;
      this.afterStore = target((job) =>
        calls.outcome[job] === CALL_OK ? this.toServer(job) : this.respond(job, false),
      );
    } else {
      this.calls = null;
      this.store = null;
      this.storeFailures = null;
      this.afterStore = failed;
    }
    this.thinkH = sim.handler((job) => this.request(job), 'users.thinkEnd');
    const u = cfg.users;
    new Source(sim, {
      name: 'users',
      rate: u.rateAt,
      maxRate: u.maxRate,
      to: target((job) => this.arrive(job)),
    });
    this.autoscaler =
      cfg.autoscaler !== null ? new Autoscaler(sim, this.pool, cfg.autoscaler, cfg.workers) : null;
    if (cfg.schedule.length > 0) {
      const setH = sim.handler(
        (k) => this.pool.setDesired(cfg.schedule[k].replicas),
        'webtier.schedule',
      );
      cfg.schedule.forEach((e, k) => sim.scheduleAt(Math.max(e.at, sim.now), setH, k));
    }
    sim.onReset(() => {
      for (const k of Object.keys(this.counts) as Array<keyof WebTierSystem['counts']>)
        this.counts[k] = 0;
      this.atReset = { sessions: this.sessions.active.length, users: this.users };
    });
  }

  /** Active sessions now. */
  get activeSessions(): number {
    return this.sessions.active.length;
  }

  /** Users present now (in a session, or between a lost session and their next login). */
  get usersPresent(): number {
    return this.users;
  }

  summary(): WebTierSummary {
    return summarizeWebTier(this);
  }

  private arrive(job: number): void {
    this.counts.usersArrived++;
    this.users++;
    if (job >= this.remaining.length) this.grow(this.sim.jobs.capacity);
    this.sessions.home[job] = -1;
    this.sessions.activeIdx[job] = -1;
    // requests in the session: geometric with mean k (at least 1), drawn at arrival
    const k = this.config.users.requests_per_session;
    this.remaining[job] =
      k <= 1 ? 1 : 1 + Math.floor(Math.log1p(-this.reqRng.next()) / Math.log1p(-1 / k));
    this.request(job);
  }

  private grow(cap: number): void {
    this.sessions.grow(cap);
    this.remaining = grownInt32(this.remaining, cap);
  }

  /** One request of the user's session (login when no session exists). */
  private request(job: number): void {
    const sim = this.sim;
    sim.jobs.born[job] = sim.now;
    this.counts.requests++;
    const store = this.config.session_store;
    if (store === 'shared') {
      if (!this.sessions.isActive(job)) this.login(job);
      (this.calls as Calls).call(
        job,
        this.store as Station,
        this.afterStore,
        this.config.store.timeout,
      );
      return;
    }
    if (store === 'token') {
      if (!this.sessions.isActive(job)) this.login(job);
      this.toServer(job);
      return;
    }
    const h = this.sessions.home[job];
    if (h >= 0 && this.pool.eligible[h] === 1) {
      this.send(h, job);
      return;
    }
    // a login: pick a server by the policy; a full one refuses the new session
    const i = this.pick(job);
    if (i < 0) {
      this.respond(job, false);
      return;
    }
    if (this.sessionsOn[i] >= this.config.max_sessions) {
      this.counts.sessionsRefused++;
      this.counts.errors++;
      this.leave(job);
      return;
    }
    this.login(job);
    this.sessions.home[job] = i;
    this.sessionsOn[i]++;
    this.send(i, job);
  }

  private login(job: number): void {
    this.counts.logins++;
    this.sessions.start(job);
    this.counts.sessionsStarted++;
  }

  private pick(job: number): number {
    const st = this.pool.stations;
    for (let i = 0; i < this.load.length; i++) this.load[i] = st[i].inSystem;
    return this.policy.pick(this.state, Math.imul(job + 1, 0x9e3779b1) >>> 0, this.policyRng);
  }

  private toServer(job: number): void {
    const i = this.pick(job);
    if (i < 0) this.respond(job, false);
    else this.send(i, job);
  }

  private send(i: number, job: number): void {
    this.pool.stations[i].accept(job);
  }

  /** A request ends: answered (latency recorded) or failed; then the user thinks, or leaves after the last one. */
  private respond(job: number, ok: boolean): void {
    const sim = this.sim;
    if (ok) {
      const r = sim.now - sim.jobs.born[job];
      this.latency.record(r);
      this.timeline.record(r);
      this.counts.completed++;
    } else {
      this.counts.errors++;
      this.timeline.failed++;
    }
    if (--this.remaining[job] <= 0) {
      this.counts.sessionsEnded += this.sessions.isActive(job) ? 1 : 0;
      this.sessions.end(job);
      this.leave(job);
      return;
    }
    if (this.think === null) this.request(job);
    else sim.scheduleSample(this.think, this.thinkRng, this.thinkH, job);
  }

  private leave(job: number): void {
    this.counts.usersLeft++;
    this.users--;
    this.sim.jobs.free(job);
  }

  /** Server i crashed or is draining: with in-memory sessions, every session it holds is logged out. */
  private lose(i: number, cause: 'crash' | 'scale-in'): void {
    if (cause === 'crash') this.counts.crashes++;
    if (this.config.session_store !== 'memory') return;
    const lost = this.sessions.loseOn(i);
    if (cause === 'crash') this.counts.loggedOut += lost;
    else this.counts.loggedOutScaleIn += lost;
  }
}

/** One run (contract rule 2): warm-up, statistics reset, `duration` measured; the summary. */
export function simulateWebTier(config: WebTierConfig, window: RunWindow): WebTierSummary {
  if (config == null) throw new ParameterError('config', config, 'must be a web tier config');
  const m = measure((sim) => new WebTierSystem(sim, config), window);
  return m.system.summary();
}
