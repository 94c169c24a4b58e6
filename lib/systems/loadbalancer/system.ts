/**
 * The load balancer simulator, on the discrete-event kernel, following the systems' contract
 * (lib/systems/README.md): clients (clients.ts: the kernel's Source or Population, over
 * keep-alive connections at L4, connections.ts) -> the balancer (pair.ts: one node or an
 * active-passive VRRP pair, optionally Stations with maxconn) -> dispatch (dispatch.ts, pool.ts:
 * the gateway's host/path route to a pool, then the pool's balancing algorithm, policies.ts) ->
 * backends (backend.ts: Stations that crash and recover through the shared failure process),
 * watched by active checks and outlier detection with slow start and fail-open (health.ts);
 * statistics in stats.ts, the summary in summary.ts.
 *
 * Common random numbers: arrival times, client addresses, request classes and request work come
 * from the clients' own streams (`clients.*`), drawn when a request is created, so every policy in
 * a comparison sees the same requests; a policy's own draws come from `lb.<pool>.policy`.
 *
 * Called mode (lib/systems/README.md, "Components called by others"): with `clients` omitted or
 * `{ external: true }` the balancer has no load of its own; a caller hands requests to `entry`
 * (after `setClient`, `setClass`, `setWork` if it wants them set), the balancer does its work on
 * them (the node, the pair, routing, the policy, health checks, maxconn and the queue, retries,
 * the backends' service) and hands each to `to` when answered or `error` when it failed (defaults
 * `Calls.of(sim).reply` and `.error`). With `serverTo` set, a backend's finished work goes on
 * there before the answer returns (dispatch.ts). With `name`, stations and streams are prefixed
 * `<name>.` so that two balancers in one simulation draw apart.
 */
import { ParameterError } from '../../errors';
import type { Station } from '../../sim/station';
import type { Simulation } from '../../sim/simulation';
import type { JobTarget } from '../../sim/target';
import { Calls } from '../common/calls';
import { measure } from '../common/runner';
import type { RunWindow } from '../common/runner';
import { Backend } from './backend';
import { Clients } from './clients';
import type { LoadBalancerConfig, ResolvedConfig } from './config';
import { Connections } from './connections';
import { Dispatcher } from './dispatch';
import { ActiveChecks, NginxMaxFails, OutlierDetection } from './health';
import type { Detection, Ejection } from './health';
import { BalancerPair } from './pair';
import { resolveLoadBalancerConfig } from './resolve';
import { LbStatistics } from './stats';
import { summarize } from './summary';
import type { LoadBalancerSummary } from './summary';

/**
 * A load-balanced system built on a simulation it is handed: run the simulation, then read
 * `summary()`. Use {@link simulateLoadBalancer} for a whole run with warm-up in one call.
 */
export class LoadBalancerSystem {
  readonly sim: Simulation;
  readonly config: ResolvedConfig;
  readonly stats: LbStatistics;
  readonly connections: Connections;
  readonly dispatcher: Dispatcher;
  /** Every pool's backends in pool order (global index), with their failure processes. */
  readonly members: Backend[] = [];
  /** The backends' stations, in the same order. */
  readonly backends: Station[] = [];
  readonly pair: BalancerPair;
  readonly clients: Clients;
  readonly checks: ActiveChecks[] = [];
  readonly detections: Detection[] = [];
  readonly ejections: Ejection[] = [];
  /** Called mode: where requests come in (null when the balancer has clients of its own). */
  readonly entry: JobTarget | null;
  /** Called mode: answered requests go here (default `Calls.of(sim).reply`). */
  to: JobTarget;
  /** Called mode: failed requests (refused, no backend, timed out, lost) go here (default `Calls.of(sim).error`). */
  error: JobTarget;
  /** Where a backend's finished work continues (the cache, the database) before the answer returns; null: answered at once. */
  serverTo: JobTarget | null = null;

  constructor(sim: Simulation, config: LoadBalancerConfig | ResolvedConfig) {
    this.sim = sim;
    const calls = Calls.of(sim);
    this.to = calls.reply;
    this.error = calls.error;
    const cfg = (this.config = isResolved(config) ? config : resolveLoadBalancerConfig(config));
    let total = 0;
    for (const p of cfg.pools) total += p.backends.length;
    this.stats = new LbStatistics(sim, cfg, total);
    this.connections = new Connections(cfg.clients.clients, total);
    const dispatcher = (this.dispatcher = new Dispatcher(sim, this));
    const links = {
      done: dispatcher.answered,
      failed: (job: number, crash: boolean) => dispatcher.backendFailed(job, crash),
    };
    for (const p of dispatcher.pools) {
      p.cfg.backends.forEach((b, i) => {
        const m = new Backend(sim, cfg.prefix + p.cfg.name, b, p.offset + i, links, p.index === 0);
        // without active checks the balancer sends to a recovered backend at once: slow start begins
        if (!p.cfg.health_check) m.failures.onRecover(() => p.joined(i, sim.now));
        this.members.push(m);
        this.backends.push(m.station);
      });
    }
    dispatcher.backends.push(...this.members);
    this.pair = new BalancerPair(sim, this);
    this.clients = new Clients(sim, this);
    this.entry = this.clients.entry;
    const checkPhase = sim.streams.get(`${cfg.prefix}lb.checks`);
    for (const p of dispatcher.pools) {
      const members = this.members.slice(p.offset, p.offset + p.n);
      if (p.cfg.health_check)
        this.checks.push(new ActiveChecks(sim, p, members, this.detections, checkPhase));
      dispatcher.outliers.push(
        p.cfg.outlier_detection
          ? new OutlierDetection(sim, p, members, this.detections, this.ejections)
          : null,
      );
      dispatcher.maxFails.push(
        p.cfg.max_fails > 0 ? new NginxMaxFails(sim, p, members, this.detections) : null,
      );
    }
  }

  /** Called mode: the client address of request `job` before it goes to `entry` (source hashing, L4 connections, cookies); unset: drawn uniformly. */
  setClient(job: number, address: number): void {
    this.clients.setClient(job, address);
  }

  /** Called mode: the request's class, an index into `clients.mix` (the gateway routes it); unset: drawn from the mix. */
  setClass(job: number, k: number): void {
    this.clients.setClass(job, k);
  }

  /** Called mode: the request's work at speed 1, seconds; unset: drawn from its class's `work` or its pool's `service`. */
  setWork(job: number, work: number): void {
    this.clients.setWork(job, work);
  }

  /** Results since the last statistics reset. */
  summary(): LoadBalancerSummary {
    return summarize(this);
  }

  /**
   * Changes backend i of pool `pool`'s weight now (HAProxy's runtime API `set server b/s weight w`);
   * weight 0 drains it (`set server b/s state drain`): no new requests, its L4 connections stay.
   */
  setWeight(pool: number, i: number, weight: number): void {
    const p = this.dispatcher.pools[pool];
    if (p === undefined) throw new ParameterError('pool', pool, 'must name an existing pool');
    p.setWeight(i, weight, this.sim.now);
  }

  /** The balancer's view of backend i of pool `pool` now: marked up by checks, ejected, eligible, effective weight. */
  view(
    pool: number,
    i: number,
  ): { up: boolean; ejected: boolean; eligible: boolean; weight: number } {
    const p = this.dispatcher.pools[pool];
    if (p === undefined)
      throw new ParameterError('backend', `${pool}/${i}`, 'must name an existing pool and backend');
    return p.view(i, this.sim.now);
  }
}

function isResolved(c: LoadBalancerConfig | ResolvedConfig): c is ResolvedConfig {
  return c != null && (c as ResolvedConfig).resolved === true;
}

/**
 * One run (lib/systems/common/runner.ts): `warmup` seconds (statistics then restart), then
 * `duration` seconds more; returns the summary of the measured period.
 */
export function simulateLoadBalancer(
  config: LoadBalancerConfig,
  options: RunWindow,
): LoadBalancerSummary {
  const resolved = resolveLoadBalancerConfig(config);
  return measure((sim) => new LoadBalancerSystem(sim, resolved), options).system.summary();
}
