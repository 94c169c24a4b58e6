/**
 * The load balancer's own statistics (each block keeps its own too): requests sent, answered and
 * failed by reason, retries, response times (client send to answer) overall, per pool and per
 * request class as LatencySummary streams (lib/systems/common/latency.ts), requests dispatched per
 * backend. All restart on `sim.resetStatistics()` except the timeline.
 *
 * The timeline (with `timeline_bin` > 0) counts answers, failures and dispatches per backend in
 * bins of `timeline_bin` seconds from time 0, warm-up included: binned counts over time, reported
 * as arrays beside a `t` array of bin midpoints.
 */
import type { Simulation } from '../../sim/simulation';
import { Latency } from '../common/latency';
import type { ResolvedConfig } from './config';

/** Why a request failed. */
export type FailureReason =
  'balancer' | 'balancer_overload' | 'backend' | 'no_backend' | 'not_routed' | 'queue_timeout';
export const FAILURE_REASONS: readonly FailureReason[] = [
  'balancer',
  'balancer_overload',
  'backend',
  'no_backend',
  'not_routed',
  'queue_timeout',
];

export class LbStatistics {
  sent = 0;
  completed = 0;
  readonly failures: Record<FailureReason, number> = {
    balancer: 0,
    balancer_overload: 0,
    backend: 0,
    no_backend: 0,
    not_routed: 0,
    queue_timeout: 0,
  };
  retried = 0;
  /** Requests that waited in a backend queue (every server at its maxconn). */
  queued = 0;
  /** Retries the retry budget refused (Envoy `upstream_rq_retry_overflow`). */
  retryOverflow = 0;
  /** Requests whose backend was blackholed: the balancer waited for `timeout_connect` or `timeout_server`. */
  timedOut = 0;
  /** Requests dispatched to a member the balancer had marked down or ejected while others were eligible. */
  routedToMarkedDown = 0;
  /** Requests dispatched while the pool was in panic (Envoy `healthy_panic_threshold`) or fail-open (none healthy). */
  failOpen = 0;
  readonly response: Latency;
  readonly poolResponse: Latency[];
  /** Per request class; empty with a single class (its requests are all requests). */
  readonly classResponse: Latency[];
  /** Requests dispatched to each backend (global index). */
  readonly dispatched: Float64Array;
  readonly bin: number;
  readonly timelineOk: number[] = [];
  readonly timelineFailed: number[] = [];
  readonly timelineDispatched: number[][] = [];
  private readonly sim: Simulation;

  constructor(sim: Simulation, config: ResolvedConfig, backends: number) {
    this.sim = sim;
    this.bin = config.timeline_bin;
    this.response = new Latency(sim);
    this.poolResponse = config.pools.map(() => new Latency(sim));
    this.classResponse =
      config.clients.mix.length > 1 ? config.clients.mix.map(() => new Latency(sim)) : [];
    this.dispatched = new Float64Array(backends);
    sim.onReset(() => {
      this.sent = 0;
      this.completed = 0;
      for (const r of FAILURE_REASONS) this.failures[r] = 0;
      this.retried = 0;
      this.timedOut = 0;
      this.retryOverflow = 0;
      this.queued = 0;
      this.routedToMarkedDown = 0;
      this.failOpen = 0;
      this.dispatched.fill(0);
    });
  }

  /** A request of class k answered after `r` seconds, served by pool `pool`. */
  answered(r: number, pool: number, k: number): void {
    this.completed++;
    this.response.record(r);
    this.poolResponse[pool].record(r);
    if (this.classResponse.length > 0) this.classResponse[k].record(r);
    if (this.bin > 0) this.bump(this.timelineOk);
  }

  failed(reason: FailureReason): void {
    this.failures[reason]++;
    if (this.bin > 0) this.bump(this.timelineFailed);
  }

  dispatchedTo(g: number): void {
    this.dispatched[g]++;
    if (this.bin > 0) this.bump(this.timelineDispatched[g] ?? (this.timelineDispatched[g] = []));
  }

  private bump(series: number[]): void {
    const i = Math.floor(this.sim.now / this.bin);
    while (series.length <= i) series.push(0);
    series[i]++;
  }
}
