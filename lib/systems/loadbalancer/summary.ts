/**
 * What a load-balancer run reports: the requests' fate (answered, failed by reason, retried),
 * response times as one LatencySummary (`latency`, with the flat `meanResponse`/`p50`/`p95`/`p99`
 * beside it), per pool, per request class and per backend, the first pool's queue-length tail,
 * the balancer node, the health checks' detections, ejections and failovers, and the timeline.
 */
import type { LatencySummary } from '../common/latency';
import { summarizeLatency } from '../common/latency';
import { overloadOf } from '../common/overload';
import type { OverloadSummary } from '../common/overload';
import type { Latency } from '../common/latency';
import { QUEUE_HISTOGRAM_BINS } from './backend';
import type { Detection, Ejection } from './health';
import type { Failover } from './pair';
import { FAILURE_REASONS } from './stats';
import type { FailureReason } from './stats';
import type { LoadBalancerSystem } from './system';

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
  /** Fraction of the measured time it was up. */
  availability: number;
}

/** `overloaded`: a backend's queue or the balancer's grew without bound over the run (overloadOf). */
export interface LoadBalancerSummary extends OverloadSummary {
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
  /** Response times of answered requests (client send to answer). */
  latency: LatencySummary;
  /** `latency.mean`, `.p50`, `.p95`, `.p99`. */
  meanResponse: number;
  p50: number;
  p95: number;
  p99: number;
  /** Per pool: completions, mean and p99 response time. */
  pools: Array<{
    name: string;
    completed: number;
    meanResponse: number;
    p99: number;
    utilisation: number;
    latency: LatencySummary;
  }>;
  /** Per request class of the mix (path, host): completions, mean and p99 response time. */
  classes: Array<{
    path: string;
    host: string | null;
    completed: number;
    meanResponse: number;
    p99: number;
    latency: LatencySummary;
  }>;
  backends: BackendSummary[];
  /** Time-average fraction of the first pool's backends with at least i requests inside, i = 0..64 (the last: >= 64). */
  queueTail: number[];
  balancer: { utilisation: number; refused: number } | null;
  /** Requests dispatched to a backend the balancer had marked down or ejected while others were eligible: always 0. */
  routedToMarkedDown: number;
  /** Requests dispatched over all backends, healthy or not: the pool in panic (Envoy: fewer than `healthy_panic_threshold` % healthy) or fail-open (none healthy). */
  failOpen: number;
  /** Requests whose backend was blackholed: failed only when `timeout_connect` or `timeout_server` ran out. */
  timedOut: number;
  /** Retries refused by the retry budget (Envoy `upstream_rq_retry_overflow`). */
  retryOverflow: number;
  /** Requests that waited in a backend queue because every server was at its `maxconn` (HAProxy). */
  queued: number;
  /** Event logs since time 0 (warm-up included, not reset): crashes detected, ejections, VIP failovers. */
  detections: Detection[];
  ejections: Ejection[];
  failovers: Failover[];
  /**
   * Binned counts over time, per bin of `timeline_bin` seconds from time 0 (not reset by warm-up):
   * `t` the bin midpoints; completions, failures, and requests dispatched to each backend
   * (`dispatched[backend][bin]`, backends in pool order).
   */
  timeline: { t: number[]; completed: number[]; failed: number[]; dispatched: number[][] };
}

function latencyFields(l: Latency): {
  completed: number;
  meanResponse: number;
  p99: number;
  latency: LatencySummary;
} {
  const s = summarizeLatency(l.observations);
  return { completed: s.count, meanResponse: s.mean, p99: s.p99, latency: s };
}

/** The summary of a system's measured period (since the last statistics reset). */
export function summarize(lb: LoadBalancerSystem): LoadBalancerSummary {
  const stats = lb.stats;
  const members = lb.members;
  const pools = lb.dispatcher.pools;
  const elapsed = members[0].station.numberInSystem.elapsed;
  const failed = FAILURE_REASONS.reduce((s, r) => s + stats.failures[r], 0);
  const backends: BackendSummary[] = members.map((m, g) => {
    const p = pools[lb.dispatcher.poolOf[g]];
    let poolTotal = 0;
    for (let i = 0; i < p.n; i++) poolTotal += stats.dispatched[p.offset + i];
    const s = m.station;
    return {
      pool: p.cfg.name,
      name: m.name,
      alive: s.up,
      requests: stats.dispatched[g],
      share: poolTotal > 0 ? stats.dispatched[g] / poolTotal : NaN,
      completions: s.departures,
      utilisation: s.busyServers.mean / s.servers,
      meanInSystem: s.numberInSystem.mean,
      meanResponse: s.responseTime.meanOrNaN,
      availability: m.failures.availability,
    };
  });
  const first = pools[0];
  const queueTail: number[] = new Array(QUEUE_HISTOGRAM_BINS + 1).fill(0);
  for (let i = 0; i < first.n; i++)
    members[first.offset + i].tailFractions().forEach((v, k) => (queueTail[k] += v / first.n));
  const bins = Math.max(
    stats.timelineOk.length,
    stats.timelineFailed.length,
    ...stats.timelineDispatched.map((d) => (d ? d.length : 0)),
  );
  const latency = stats.response.summary();
  const nodes = lb.pair.nodes;
  return {
    ...overloadOf([...members.map((m) => m.station), ...nodes]),
    elapsed,
    requests: stats.sent,
    completed: stats.completed,
    failed,
    errorRate: stats.completed + failed > 0 ? failed / (stats.completed + failed) : NaN,
    failures: { ...stats.failures },
    retries: stats.retried,
    throughput: elapsed > 0 ? stats.completed / elapsed : NaN,
    latency,
    meanResponse: latency.mean,
    p50: latency.p50,
    p95: latency.p95,
    p99: latency.p99,
    pools: pools.map((p, pi) => {
      let busy = 0;
      let workers = 0;
      for (let i = 0; i < p.n; i++) {
        busy += members[p.offset + i].station.busyServers.mean;
        workers += members[p.offset + i].station.servers;
      }
      return {
        name: p.cfg.name,
        ...latencyFields(stats.poolResponse[pi]),
        utilisation: busy / workers,
      };
    }),
    // one class: its requests are all requests, recorded once in `response`
    classes: lb.config.clients.mix.map((m, k) => ({
      path: m.path,
      host: m.host ?? null,
      ...latencyFields(stats.classResponse.length === 0 ? stats.response : stats.classResponse[k]),
    })),
    backends,
    queueTail,
    balancer:
      nodes.length > 0
        ? {
            utilisation: nodes[0].busyServers.mean / nodes[0].servers,
            refused: nodes.reduce((s, n) => s + n.drops + n.refused, 0),
          }
        : null,
    routedToMarkedDown: stats.routedToMarkedDown,
    failOpen: stats.failOpen,
    timedOut: stats.timedOut,
    retryOverflow: stats.retryOverflow,
    queued: stats.queued,
    detections: lb.detections.slice(),
    ejections: lb.ejections.slice(),
    failovers: lb.pair.failovers.slice(),
    timeline: {
      t: Array.from({ length: bins }, (_, i) => (i + 0.5) * stats.bin),
      completed: Array.from({ length: bins }, (_, i) => stats.timelineOk[i] ?? 0),
      failed: Array.from({ length: bins }, (_, i) => stats.timelineFailed[i] ?? 0),
      dispatched: members.map((_, g) =>
        Array.from({ length: bins }, (_, i) => stats.timelineDispatched[g]?.[i] ?? 0),
      ),
    },
  };
}
