/**
 * Dispatch, after the balancer node: the request's pool (its class's route), then a backend by
 * the pool's policy, and the answer or failure coming back. At L4 the backend is chosen once per
 * connection (connections.ts) and every request of the connection follows it; a connection to a
 * backend marked down is closed and the client reconnects (HAProxy `on-marked-down
 * shutdown-sessions`). At L7 each request is placed on its own, and a refused connection is
 * retried on another backend up to `retries` times (HAProxy `retries` with `option redispatch`);
 * a request lost mid-service is not retried. An answer must return through the balancer that
 * took the request: if the virtual address moved meanwhile, it fails.
 */
import { grownFloat64, grownInt32 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import type { JobTarget } from '../../sim/target';
import type { Backend } from './backend';
import type { ResolvedConfig } from './config';
import { hashKey } from './hashing';
import type { OutlierDetection } from './health';
import { PoolView } from './pool';
import type { LoadBalancerSystem } from './system';

export class Dispatcher {
  readonly pools: PoolView[] = [];
  /** Per pool, its outlier detection (or null); set by the system. */
  readonly outliers: Array<OutlierDetection | null> = [];
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
      this.pools.push(new PoolView(sim, p, pi, offset, load.subarray(offset, offset + n)));
      this.poolOf.fill(pi, offset, offset + n);
      offset += n;
    });
    this.answered = { accept: (job: number) => this.backendDone(job) };
    this.route = { accept: (job: number) => this.routeRequest(job) };
  }

  /** A new request: no backend tried yet. */
  begin(job: number): void {
    if (job >= this.jobBackend.length) this.grow(job);
    this.jobTries[job] = 0;
    this.jobBackend[job] = -1;
    this.jobExcluded[job] = -1;
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
      if (i < 0) lb.clients.fail(job, 'no_backend');
      else this.dispatch(job, p.offset + i);
      return;
    }
    const client = this.sim.jobs.origin[job];
    const conn = lb.connections;
    const epoch = lb.pair.vipEpoch;
    if (conn.pin[client] >= 0 && conn.epoch[client] !== epoch) conn.close(client); // the connection died with its balancer
    if (conn.pin[client] >= 0 && p.eligibleCount > 0 && !p.state.eligible[conn.pin[client] - p.offset]) conn.close(client);
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
    const hashed = cfg.balance === 'source' || cfg.balance === 'ring_hash';
    const hash = !hashed ? 0 : cfg.hash_key === 'uri' ? this.lb.clients.classHash[this.lb.clients.jobClass[job]] : hashKey(this.sim.jobs.origin[job]);
    return p.pick(this.sim.now, hash, this.jobExcluded[job] - p.offset, this.config.fail_open);
  }

  private dispatch(job: number, g: number): void {
    const p = this.pools[this.poolOf[g]];
    const stats = this.lb.stats;
    if (p.eligibleCount === 0) stats.failOpen++;
    else if (!p.state.eligible[g - p.offset]) stats.routedToMarkedDown++;
    this.jobBackend[job] = g;
    this.jobSent[job] = this.sim.now;
    stats.dispatchedTo(g);
    this.active[g]++;
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
    const od = this.outliers[pi];
    if (od !== null) od.success(i);
    p.observeLatency(i, now - this.jobSent[job], now);
    if (lb.clients.jobEpoch[job] !== lb.pair.vipEpoch) {
      lb.clients.fail(job, 'balancer'); // the answer had to go back through a balancer that is gone
      return;
    }
    lb.stats.answered(now - this.sim.jobs.born[job], pi, lb.clients.jobClass[job]);
    lb.clients.finish(job);
  }

  /** Backend g refused the request (it is down) or lost it in a crash. */
  backendFailed(job: number, crash: boolean): void {
    const lb = this.lb;
    const g = this.jobBackend[job];
    const pi = this.poolOf[g];
    this.active[g]--;
    const od = this.outliers[pi];
    if (od !== null) od.failure(g - this.pools[pi].offset);
    if (!crash && this.config.mode === 'L7' && this.jobTries[job] < this.config.retries) {
      this.jobTries[job]++;
      lb.stats.retried++;
      this.jobExcluded[job] = g;
      const p = this.pools[pi];
      const i = this.pick(p, job);
      if (i < 0) lb.clients.fail(job, 'no_backend');
      else this.dispatch(job, p.offset + i);
      return;
    }
    lb.clients.fail(job, 'backend');
  }

  private grow(job: number): void {
    let n = this.jobBackend.length;
    while (n <= job) n *= 2;
    this.jobBackend = grownInt32(this.jobBackend, n);
    this.jobTries = grownInt32(this.jobTries, n);
    this.jobExcluded = grownInt32(this.jobExcluded, n);
    this.jobSent = grownFloat64(this.jobSent, n);
  }
}
