/**
 * What a microservices run reports: the end-to-end outcomes of requests (ok, error, timeout,
 * rejected; conservation with the requests in flight at both ends of the window), the end-to-end
 * availability ok / ended and the goodput ok per second, the end-to-end latency of successful
 * requests (LatencySummary), each service's utilisation, throughput, availability and latency,
 * each edge's calls, visits per request, retries, hedges and rejections, the calls' late answers,
 * and the timeline of outcomes per bin (since time 0) when `timelineBin` is set.
 */
import type { LatencySummary } from '../common/latency';
import type { ServiceSummary } from './service';
import type { EdgeSummary } from './steps';
import type { MicroservicesSystem } from './system';
import type { OverloadSummary } from '../common/overload';

/** `overloaded`: a service replica's queue grew without bound over the run (each replica's summary `overloaded`, the station's growth test). */
export interface MicroservicesSummary extends OverloadSummary {
  /** Measured seconds. */
  elapsed: number;
  /** Requests that entered the gateway since the statistics restarted. */
  requests: number;
  ok: number;
  errors: number;
  timeouts: number;
  rejected: number;
  inFlightAtStart: number;
  inFlightAtEnd: number;
  /** ok / (ok + errors + timeouts + rejected). */
  availability: number;
  /** Successful requests per second, and all ended requests per second. */
  goodput: number;
  throughput: number;
  /** Successful requests slower than `slowRequestThreshold`, as a fraction of the successful ones. */
  slowFraction: number;
  /** End-to-end latency of successful requests, and of every ended request. */
  latency: LatencySummary;
  latencyAll: LatencySummary;
  /** Calls the client made through the gateway per request (retries included). */
  attemptsPerRequest: number;
  /** Answers that came after their caller stopped waiting (timeouts, hedges' losers, k of n). */
  lateAnswers: number;
  services: Array<ServiceSummary & { latency: LatencySummary; errors: number; visits: number }>;
  edges: EdgeSummary[];
  /** Outcomes per `timelineBin` seconds since time 0 (empty when off). */
  timeline: { t: number[]; ok: number[]; errors: number[]; timeouts: number[]; rejected: number[] };
  /** The client's circuit-breaker transitions of the first edge with a breaker: [{t, state}]. */
  breakerTransitions: Array<{ edge: string; t: number; state: string }>;
}

export function summarize(m: MicroservicesSystem): MicroservicesSummary {
  const elapsed = m.sim.now - m.observedFrom;
  const [ok, errors, timeouts, rejected] = Array.from(m.outcomes);
  const ended = ok + errors + timeouts + rejected;
  const clientCalls = m.steps
    .filter((s) => s.config.label.startsWith('client →'))
    .reduce((a, s) => a + s.calls, 0);
  const bin = m.config.timelineBin;
  const tl = m.timeline;
  const states = ['CLOSED', 'OPEN', 'HALF_OPEN'];
  // each service, and so each of its stations, summarised once; the flag from those summaries
  const services = m.services.map((s) => s.summary());
  const overloadedAt = services.flatMap((s) =>
    s.replicaStats.filter((r) => r.overloaded).map((r) => r.name),
  );
  return {
    overloaded: overloadedAt.length > 0,
    overloadedAt,
    elapsed,
    requests: m.requests,
    ok,
    errors,
    timeouts,
    rejected,
    inFlightAtStart: m.inFlightAtStart,
    inFlightAtEnd: m.inFlight,
    availability: ended > 0 ? ok / ended : NaN,
    goodput: elapsed > 0 ? ok / elapsed : NaN,
    throughput: elapsed > 0 ? ended / elapsed : NaN,
    slowFraction: ok > 0 ? m.slowRequests / ok : NaN,
    latency: m.latency.summary(),
    latencyAll: m.latencyAll.summary(),
    attemptsPerRequest: m.requests > 0 ? clientCalls / m.requests : NaN,
    lateAnswers: m.calls.late,
    services: services.map((s, i) => ({
      ...s,
      latency: m.serviceLatency[i].summary(),
      errors: m.serviceErrors[i],
      visits: m.config.visits[i],
    })),
    edges: m.steps.map((s) => s.summary(m.requests)),
    timeline: {
      t: tl[0].map((_, i) => i * bin),
      ok: tl[0],
      errors: tl[1],
      timeouts: tl[2],
      rejected: tl[3],
    },
    breakerTransitions: m.steps.flatMap((s) =>
      s.breaker !== null
        ? s.breaker.transitions.map((x) => ({
            edge: s.config.label,
            t: x.t,
            state: states[x.state],
          }))
        : [],
    ),
  };
}
