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
import { grownFloat64, grownInt32 } from '../../sim/grown';
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
import { Autoscaler } from './autoscaler';
import { resolveWebTierConfig } from './config';
import type { ResolvedWebTier, WebTierConfig } from './config';
import type { ResolvedLoad } from './load';
import { TierBalancer } from './balancer';
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
  private readonly balancer: TierBalancer;
  private readonly reqRng: Rng;
  private readonly thinkRng: Rng;
  private readonly thinkH: number;
  private readonly think: Exponential | null;
  private readonly calls: Calls | null;
  private readonly afterStore: JobTarget;
  private readonly afterOnward: JobTarget;
  /** Called mode: each request's user (its session), and when it reached the tier. */
  private userOf: Int32Array = new Int32Array(0);
  private sentAt: Float64Array = new Float64Array(0);
  /** Called mode: where requests come in (null when the tier has users of its own). */
  readonly entry: JobTarget | null;
  /** Called mode: answered requests go here (default `Calls.of(sim).reply`). */
  to: JobTarget;
  /** Called mode: failed requests (server crashed, session refused, store failed) go here (default `Calls.of(sim).error`). */
  error: JobTarget;
  /** Where a server's finished work continues (the cache, the database) before the answer; null: answered at once. */
  serverTo: JobTarget | null = null;

  constructor(sim: Simulation, config: WebTierConfig) {
    const cfg = (this.config = resolveWebTierConfig(config));
    this.sim = sim;
    const n = cfg.capacity;
    this.latency = new Latency(sim);
    this.sessions = new SessionTable(n);
    this.sessionsOn = this.sessions.sessionsOn;
    this.remaining = new Int32Array(1024);
    const prefix = cfg.prefix;
    this.reqRng = sim.streams.get(`${prefix}users.requests`);
    this.thinkRng = sim.streams.get(`${prefix}users.think`);
    const u = cfg.users;
    this.think = u !== null && u.think_time > 0 ? Exponential.withMean(u.think_time) : null;
    const calls = Calls.of(sim);
    this.to = calls.reply;
    this.error = calls.error;
    this.afterOnward = target((job) => this.respond(job, calls.outcome[job] === CALL_OK));
    const done = target((job) =>
      this.serverTo === null ? this.respond(job, true) : this.onward(job, this.serverTo),
    );
    const failed = target((job) => this.respond(job, false));
    this.pool = new ServerPool(sim, cfg, done, failed);
    this.timeline = new Timeline(sim, this, cfg.timeline_bin, cfg.slo_p95);
    this.balancer = new TierBalancer(
      cfg.balance,
      this.pool,
      sim.streams.get(`${prefix}webtier.balancer`),
    );
    this.pool.onLost = (i, cause) => this.lose(i, cause);
    if (cfg.session_store === 'shared') {
      this.calls = calls;
      const built = buildSessionStore(sim, cfg.store, calls, prefix);
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
    if (u !== null)
      new Source(sim, {
        name: 'users',
        rate: u.rateAt,
        maxRate: u.maxRate,
        to: target((job) => this.arrive(job)),
      });
    this.entry = u === null ? target((job) => this.arriveCalled(job)) : null;
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
    const k = (this.config.users as ResolvedLoad).requests_per_session;
    this.remaining[job] =
      k <= 1 ? 1 : 1 + Math.floor(Math.log1p(-this.reqRng.next()) / Math.log1p(-1 / k));
    this.request(job);
  }

  private grow(cap: number): void {
    this.sessions.grow(cap);
    this.remaining = grownInt32(this.remaining, cap);
  }

  /**
   * Called mode: the user of request `job` before it goes to `entry` (an integer >= 0 naming the
   * session: sticky to its server with `memory`, read from the store with `shared`); unset: a
   * request without a session, balanced by the policy.
   */
  setUser(job: number, user: number): void {
    if (!(Number.isInteger(user) && user >= 0 && user < 2 ** 31))
      throw new ParameterError('user', user, 'must be an integer in [0, 2^31)');
    this.growCalled(job);
    this.userOf[job] = user;
    this.sessions.grow(2 * (user + 1));
  }

  /** Called mode: the request's CPU work on a warm server, seconds; unset: drawn from `service`. */
  setWork(job: number, work: number): void {
    if (!(work >= 0 && work < Infinity))
      throw new ParameterError('work', work, 'must be a finite number >= 0 (seconds)');
    this.growCalled(job);
    this.pool.workOf[job] = work;
  }

  /** Called mode: the user's session ends (logout, or its expiry as the caller models it). */
  logout(user: number): void {
    if (user < 0 || user >= this.sessions.home.length || !this.sessions.isActive(user)) return;
    this.counts.sessionsEnded++;
    this.sessions.end(user);
  }

  private growCalled(job: number): void {
    if (job < this.userOf.length) return;
    const n = Math.max(1024, 2 * (job + 1));
    this.userOf = grownInt32(this.userOf, n, -1);
    this.sentAt = grownFloat64(this.sentAt, n);
    this.pool.workOf = grownFloat64(this.pool.workOf, n, -1);
  }

  /** Called mode: a request reaches the tier; its user's session (or none) decides where it runs. */
  private arriveCalled(job: number): void {
    this.growCalled(job);
    this.sentAt[job] = this.sim.now;
    this.counts.requests++;
    this.route(job, this.userOf[job]);
  }

  /** The server's work is done: the request goes on to `onward` and waits for its answer. */
  private onward(job: number, onward: JobTarget): void {
    const calls = Calls.of(this.sim);
    calls.wait(job, { then: this.afterOnward });
    onward.accept(calls.child(job));
  }

  /** One request of the user's session (login when no session exists). */
  private request(job: number): void {
    const sim = this.sim;
    sim.jobs.born[job] = sim.now;
    this.counts.requests++;
    this.route(job, job);
  }

  /** Request `job` of session `s` (-1: none, called mode) to a server, through the store with `shared`. */
  private route(job: number, s: number): void {
    const store = this.config.session_store;
    if (s < 0) {
      this.toServer(job);
      return;
    }
    if (store === 'shared') {
      if (!this.sessions.isActive(s)) this.login(s);
      (this.calls as Calls).call(
        job,
        this.store as Station,
        this.afterStore,
        this.config.store.timeout,
      );
      return;
    }
    if (store === 'token') {
      if (!this.sessions.isActive(s)) this.login(s);
      this.toServer(job);
      return;
    }
    const h = this.sessions.home[s];
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
      if (this.entry !== null) {
        this.respond(job, false);
        return;
      }
      this.counts.errors++;
      this.leave(job);
      return;
    }
    this.login(s);
    this.sessions.home[s] = i;
    this.sessionsOn[i]++;
    this.send(i, job);
  }

  private login(job: number): void {
    this.counts.logins++;
    this.sessions.start(job);
    this.counts.sessionsStarted++;
  }

  private pick(job: number): number {
    return this.balancer.pick(job);
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
    const called = this.entry !== null;
    if (ok) {
      const r = sim.now - (called ? this.sentAt[job] : sim.jobs.born[job]);
      this.latency.record(r);
      this.timeline.record(r);
      this.counts.completed++;
    } else {
      this.counts.errors++;
      this.timeline.failed++;
    }
    if (called) {
      this.userOf[job] = -1;
      this.pool.workOf[job] = -1;
      (ok ? this.to : this.error).accept(job);
      return;
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
