/**
 * Dispatch, after the balancer node: the request's pool (its class's route), then a backend by
 * the pool's policy, and the answer or failure coming back. At L4 the backend is chosen once per
 * connection (connections.ts) and every request of the connection follows it; a connection to a
 * backend marked down is closed and the client reconnects (HAProxy `on-marked-down
 * shutdown-sessions`). At L7 each request is placed on its own, and a failed connection (refused
 * by a crashed backend, or timed out on a blackholed one) is retried on another backend up to
 * `retries` times (HAProxy `retries` with `option redispatch`, `retry-on conn-failure`); a request
 * lost mid-service is retried only with `retry_on: '5xx'` (Envoy), and any retry only while Envoy's
 * `retry_budget` allows (retries in flight < max(min_retry_concurrency, budget_percent % of the
 * requests in flight; source/common/upstream/resource_manager_impl.h, RetryBudgetImpl). A blackholed backend answers nothing: the balancer learns of a
 * failed connection `timeout_connect` after trying it (at L4, on a connection already open, a
 * request is sent and waits `timeout_server`), and of a request lost inside `timeout_server`
 * after it was sent; until then the request counts as active on that backend. An answer must return through the balancer that
 * took the request: if the virtual address moved meanwhile, it fails.
 *
 * With the system's `serverTo` set, a backend's finished work goes on there (the web server calls
 * the cache, the database) through common.Calls before the answer returns: the request stays
 * active on its backend until then (HAProxy counts a connection until the response is back, so
 * `leastconn` sees it), and fails like a 5xx from the backend if the call fails or
 * `timeout_server` (from when the request was sent to the backend) runs out first.
 */
import { grownFloat64, grownInt32 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import { grownUint8 } from '../../sim/grown';
import type { JobTarget } from '../../sim/target';
import { CALL_OK, Calls } from '../common/calls';
import type { Backend } from './backend';
import type { ResolvedConfig } from './config';
import { hashKey } from './hashing';
import type { NginxMaxFails, OutlierDetection } from './health';
import { PoolView } from './pool';
import { BackendQueues } from './queue';
import type { LoadBalancerSystem } from './system';

export class Dispatcher {
  readonly pools: PoolView[] = [];
  /** Per pool, its outlier detection (or null); set by the system. */
  readonly outliers: Array<OutlierDetection | null> = [];
  /** Per pool, NGINX's max_fails watch (or null); set by the system. */
  readonly maxFails: Array<NginxMaxFails | null> = [];
  /** Per pool with `cookie`, the member each client's cookie names (-1: none yet); null without cookies. */
  private readonly sticky: Array<Int32Array | null>;
  /** Every pool's backends, in pool order (global index); set by the system. */
  readonly backends: Backend[] = [];
  /** Requests in flight at each backend (global index): the L7 policies' load. */
  readonly active: Float64Array;
  /** Pool of each backend (global index). */
  readonly poolOf: Int32Array;
  /** Send answered requests here (the backends' `to`). */
  readonly answered: JobTarget;
  /** The balancer node hands requests on here. */
  readonly route: JobTarget;
  private jobBackend: Int32Array = new Int32Array(64);
  private jobTries: Int32Array = new Int32Array(64);
  private jobExcluded: Int32Array = new Int32Array(64);
  private jobSent: Float64Array = new Float64Array(64);
  /** 1 while the request rides an L4 connection that was already open (not a new connection). */
  private jobOpenConn: Uint8Array = new Uint8Array(64);
  /** 1 if the request was lost inside the backend (not a failed connection), for the timeout's handler. */
  private jobLost: Uint8Array = new Uint8Array(64);
  /** 1 while the request's current try is a retry (counted against the retry budget). */
  private jobRetry: Uint8Array = new Uint8Array(64);
  /** Requests in flight to backends, and retries among them (Envoy's retry budget reads both). */
  private inFlight = 0;
  private retriesInFlight = 0;
  /** Per pool, the backend queue (HAProxy: requests waiting while every server is at its maxconn; queue.ts). */
  private readonly queues: BackendQueues;
  private readonly timeoutH: number;
  private readonly afterOnward: JobTarget;
  private calls: Calls | null = null;
  private readonly sim: Simulation;
  private readonly lb: LoadBalancerSystem;
  private readonly config: ResolvedConfig;

  constructor(sim: Simulation, lb: LoadBalancerSystem) {
    this.sim = sim;
    this.lb = lb;
    const cfg = (this.config = lb.config);
    let total = 0;
    for (const p of cfg.pools) total += p.backends.length;
    this.active = new Float64Array(total);
    this.poolOf = new Int32Array(total);
    const load = cfg.mode === 'L4' ? lb.connections.conns : this.active;
    let offset = 0;
    cfg.pools.forEach((p, pi) => {
      const n = p.backends.length;
      this.pools.push(
        new PoolView(sim, p, pi, offset, load.subarray(offset, offset + n), cfg.prefix),
      );
      this.poolOf.fill(pi, offset, offset + n);
      offset += n;
    });
    this.answered = {
      accept: (job: number) =>
        lb.serverTo === null ? this.backendDone(job) : this.callOnward(job, lb.serverTo),
    };
    this.afterOnward = {
      accept: (job: number) =>
        this.calls!.outcome[job] === CALL_OK ? this.backendDone(job) : this.failed(job, true),
    };
    this.route = { accept: (job: number) => this.routeRequest(job) };
    this.queues = new BackendQueues(
      sim,
      cfg.pools.length,
      cfg.timeout_queue,
      (job) => this.lb.clients.fail(job, 'queue_timeout'),
      (job, pi) => this.pick(this.pools[pi], job),
      (job, pi, i) => this.dispatch(job, this.pools[pi].offset + i),
    );
    this.sticky = cfg.pools.map((p) =>
      p.cookie ? new Int32Array(cfg.clients.clients).fill(-1) : null,
    );
    this.timeoutH = sim.handler((job) => this.failed(job, this.jobLost[job] === 1), 'lb.timeout');
  }

  /** A new request: no backend tried yet. */
  begin(job: number): void {
    if (job >= this.jobBackend.length) this.grow(job);
    this.jobTries[job] = 0;
    this.jobBackend[job] = -1;
    this.jobExcluded[job] = -1;
    this.jobOpenConn[job] = 0;
    this.jobRetry[job] = 0;
    this.queues.queuedAt[job] = NaN;
  }

  private routeRequest(job: number): void {
    const lb = this.lb;
    const pool = this.config.clients.mix[lb.clients.jobClass[job]].pool;
    if (pool < 0) {
      lb.clients.fail(job, 'not_routed');
      return;
    }
    const p = this.pools[pool];
    if (this.config.mode === 'L7') {
      const i = this.pick(p, job);
      if (i === -2) this.enqueue(job, p.index);
      else if (i < 0) lb.clients.fail(job, 'no_backend');
      else this.dispatch(job, p.offset + i);
      return;
    }
    const client = this.sim.jobs.origin[job];
    const conn = lb.connections;
    const epoch = lb.pair.vipEpoch;
    if (conn.pin[client] >= 0 && conn.epoch[client] !== epoch) conn.close(client); // the connection died with its balancer
    const pinned = conn.pin[client] - p.offset;
    if (
      conn.pin[client] >= 0 &&
      !p.panic() &&
      (p.markedUp[pinned] === 0 || p.ejected[pinned] === 1)
    )
      conn.close(client); // a drained server (weight 0) keeps its connections
    this.jobOpenConn[job] = conn.pin[client] >= 0 ? 1 : 0;
    if (conn.pin[client] < 0) {
      const i = this.pick(p, job);
      if (i < 0) {
        lb.clients.fail(job, 'no_backend');
        return;
      }
      conn.open(client, p.offset + i, epoch, this.config.clients.requests_per_connection);
    }
    this.dispatch(job, conn.pin[client]);
  }

  /** The pool's policy for this request: its key hash (client address or URI) and the backend a retry excludes. */
  private pick(p: PoolView, job: number): number {
    const cfg = p.cfg;
    const hashed =
      cfg.balance === 'source' || cfg.balance === 'ring_hash' || cfg.balance === 'maglev';
    const hash = !hashed
      ? 0
      : cfg.hash_key === 'uri'
        ? this.lb.clients.classHash[this.lb.clients.jobClass[job]]
        : hashKey(this.sim.jobs.origin[job]);
    const sticky = this.sticky[p.index];
    if (sticky === null)
      return p.pick(this.sim.now, hash, this.jobExcluded[job] - p.offset, this.config.fail_open);
    // HAProxy cookie insert: the server the client's cookie names, while it is eligible (else redispatch and a new cookie)
    const client = this.sim.jobs.origin[job];
    const named = sticky[client];
    const excluded = this.jobExcluded[job] - p.offset;
    if (named >= 0 && named !== excluded && p.state.eligible[named] === 1 && !p.panic())
      return named;
    const i = p.pick(this.sim.now, hash, excluded, this.config.fail_open);
    if (i >= 0) sticky[client] = i;
    return i;
  }

  private dispatch(job: number, g: number): void {
    const p = this.pools[this.poolOf[g]];
    const stats = this.lb.stats;
    if (p.panic()) stats.failOpen++;
    else if (!p.state.eligible[g - p.offset]) stats.routedToMarkedDown++;
    this.jobBackend[job] = g;
    this.jobSent[job] = this.sim.now;
    stats.dispatchedTo(g);
    this.active[g]++;
    this.inFlight++;
    const mf = this.maxFails[this.poolOf[g]];
    if (mf !== null) mf.picked(g - p.offset);
    this.backends[g].station.accept(job); // a refusal comes back through backendFailed
  }

  private backendDone(job: number): void {
    const lb = this.lb;
    const g = this.jobBackend[job];
    const pi = this.poolOf[g];
    const p = this.pools[pi];
    const i = g - p.offset;
    const now = this.sim.now;
    this.active[g]--;
    this.settled(job);
    if (p.limited) this.serveQueue(pi);
    const od = this.outliers[pi];
    if (od !== null) od.success(i);
    const mf = this.maxFails[pi];
    if (mf !== null) mf.success(i);
    p.observeLatency(i, now - this.jobSent[job], now);
    if (lb.clients.jobEpoch[job] !== lb.pair.vipEpoch) {
      lb.clients.fail(job, 'balancer'); // the answer had to go back through a balancer that is gone
      return;
    }
    lb.stats.answered(now - lb.clients.sentAt[job], pi, lb.clients.jobClass[job]);
    lb.clients.finish(job);
  }

  /** The backend's work is done: the request goes on to `onward` and waits, at most what is left of `timeout_server`. */
  private callOnward(job: number, onward: JobTarget): void {
    const calls = this.calls ?? (this.calls = Calls.of(this.sim));
    const left = Math.max(0, this.jobSent[job] + this.config.timeout_server - this.sim.now);
    calls.wait(job, { timeout: left, then: this.afterOnward });
    onward.accept(calls.child(job));
  }

  /**
   * Backend g is down and handed the request back: refused (`crash` false: the connection failed)
   * or lost inside at its failure (`crash` true). A crashed backend's reset is known at once; a
   * blackholed one's silence only when the balancer's timeout fires.
   */
  backendFailed(job: number, crash: boolean): void {
    const g = this.jobBackend[job];
    if (this.backends[g].failureMode === 'blackhole') {
      const now = this.sim.now;
      const sent = crash || this.jobOpenConn[job] === 1;
      const at = sent
        ? Math.max(now, this.jobSent[job] + this.config.timeout_server)
        : now + this.config.timeout_connect;
      this.jobLost[job] = crash ? 1 : 0;
      this.lb.stats.timedOut++;
      this.sim.schedule(at - now, this.timeoutH, job);
      return;
    }
    this.failed(job, crash);
  }

  /** The balancer learns that the request failed on its backend: a failed connection may be retried at L7. */
  private failed(job: number, crash: boolean): void {
    const lb = this.lb;
    const g = this.jobBackend[job];
    const pi = this.poolOf[g];
    this.active[g]--;
    this.settled(job);
    if (this.pools[pi].limited) this.serveQueue(pi);
    const od = this.outliers[pi];
    if (od !== null) od.failure(g - this.pools[pi].offset);
    const mf = this.maxFails[pi];
    if (mf !== null) mf.failure(g - this.pools[pi].offset);
    const cfg = this.config;
    const retryable = cfg.retry_on === '5xx' || (!crash && this.jobOpenConn[job] === 0);
    if (retryable && cfg.mode === 'L7' && this.jobTries[job] < cfg.retries && this.budgetAllows()) {
      this.jobTries[job]++;
      lb.stats.retried++;
      this.jobExcluded[job] = g;
      const p = this.pools[pi];
      const i = this.pick(p, job);
      if (i === -2) {
        this.enqueue(job, pi);
        return;
      }
      if (i < 0) {
        lb.clients.fail(job, 'no_backend');
        return;
      }
      this.jobRetry[job] = 1;
      this.retriesInFlight++;
      this.dispatch(job, p.offset + i);
      return;
    }
    lb.clients.fail(job, 'backend');
  }

  /** Every eligible server is at its maxconn: the request waits in the backend's queue, at most `timeout_queue`. */
  private enqueue(job: number, pi: number): void {
    this.lb.stats.queued++;
    this.queues.enqueue(job, pi);
  }

  private serveQueue(pi: number): void {
    this.queues.serve(pi);
  }

  /** The request's try is over (answered or failed): it leaves the in-flight counts. */
  private settled(job: number): void {
    this.inFlight--;
    if (this.jobRetry[job] === 1) {
      this.jobRetry[job] = 0;
      this.retriesInFlight--;
    }
  }

  /** Envoy's retry budget: a retry only while retries in flight < max(min_retry_concurrency, budget_percent % of requests in flight). */
  private budgetAllows(): boolean {
    const b = this.config.retry_budget;
    if (b === null) return true;
    const allowed = Math.max(b.min_retry_concurrency, (b.budget_percent / 100) * this.inFlight);
    if (this.retriesInFlight < allowed) return true;
    this.lb.stats.retryOverflow++;
    return false;
  }

  private grow(job: number): void {
    let n = this.jobBackend.length;
    while (n <= job) n *= 2;
    this.jobBackend = grownInt32(this.jobBackend, n);
    this.jobTries = grownInt32(this.jobTries, n);
    this.jobExcluded = grownInt32(this.jobExcluded, n);
    this.jobSent = grownFloat64(this.jobSent, n);
    this.jobOpenConn = grownUint8(this.jobOpenConn, n);
    this.jobLost = grownUint8(this.jobLost, n);
    this.jobRetry = grownUint8(this.jobRetry, n);
    this.queues.grow(n);
  }
}
