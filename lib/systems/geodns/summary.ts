/**
 * What a GeoDNS run reports (system.ts): the client requests' fate (completed, failed after any
 * retry, unresolved by NODATA), RTTs and client latencies as LatencySummary, DNS queries, the first
 * crash and the last failure (the recovery time), per datacenter and per region, and a timeline of
 * binned counts from time 0 with its `t` array.
 */
import type { LatencySummary } from '../common/latency';
import { overloadOf } from '../common/overload';
import type { OverloadSummary } from '../common/overload';
import type { Station } from '../../sim/station';
import type { ExternalSite } from './site';
import type { GeoDnsSystem } from './system';

export interface DatacenterSummary {
  name: string;
  region: string;
  /** Requests sent to it (first attempts and retries), served, and failed there (refused or crashed). */
  sent: number;
  served: number;
  failed: number;
  utilisation: number;
  /** Mean time in the datacenter (queue + service) of the requests it served (an external one: hand-off to answer); utilisation NaN for an external one. */
  meanResponse: number;
  availability: number;
  /** Time from each crash to Route 53 marking the record unhealthy. */
  detection: LatencySummary;
  healthy: boolean;
}

/** `overloaded`: a datacenter's queue grew without bound over the run (overloadOf): the survivors of a site loss saturated. */
export interface GeoDnsSummary extends OverloadSummary {
  elapsed: number;
  /** Client requests made, served, failed (after any retry) and unresolved (NODATA). */
  requests: number;
  completed: number;
  failed: number;
  unresolved: number;
  /** Requests retried at the answer's second address. */
  retried: number;
  /** Requests on their way or in a datacenter at the start and at the end of the window. */
  inFlightAtStart: number;
  inFlight: number;
  throughput: number;
  /** Network round trip to the datacenter that served the request (seconds). */
  rtt: LatencySummary;
  /** Client-observed latency of served requests: RTT plus time in the datacenter (plus a failed attempt when retried). */
  latency: LatencySummary;
  /** Queries that reached the authoritative server, and its NODATA answers. */
  dnsQueries: number;
  noData: number;
  /** First datacenter crash in the window, last failed request, and their difference (NaN without both). */
  firstCrashAt: number;
  lastFailureAt: number;
  recoveryTime: number;
  datacenters: DatacenterSummary[];
  regions: Array<{ name: string; requests: number; failed: number; meanRtt: number }>;
  /** Counts per bin of `bin` seconds from time 0: requests made, failed, and sent to each datacenter. */
  timeline: { t: number[]; requests: number[]; failed: number[]; sent: number[][] };
}

/** The summary of `g`'s measured period (since the last statistics reset). */
export function summarizeGeoDns(g: GeoDnsSystem): GeoDnsSummary {
  const cfg = g.config;
  const elapsed = g.sim.now - g.resetAt;
  const n = Math.max(g.tlRequests.length, g.tlFailed.length, ...g.tlSent.map((s) => s.length));
  const pad = (s: number[]): number[] => Array.from({ length: n }, (_, i) => s[i] ?? 0);
  return {
    ...overloadOf(g.stations.filter((s): s is Station => s !== null)),
    elapsed: elapsed,
    requests: g.requests,
    completed: g.completed,
    failed: g.failed,
    unresolved: g.unresolved,
    retried: g.retried,
    inFlightAtStart: g.inFlightAtStart,
    inFlight: g.inFlight,
    throughput: elapsed > 0 ? g.completed / elapsed : NaN,
    rtt: g.rttLatency.summary(),
    latency: g.latency.summary(),
    dnsQueries: g.authoritative.queries,
    noData: g.authoritative.noData,
    firstCrashAt: g.firstCrashAt,
    lastFailureAt: g.lastFailureAt,
    recoveryTime: g.lastFailureAt - g.firstCrashAt,
    datacenters: cfg.datacenters.map((d, i) => {
      const st = g.stations[i];
      const s = st !== null ? st.summary() : null;
      const site = g.sites[i];
      return {
        name: d.name,
        region: d.region,
        sent: g.sent[i],
        served: g.served[i],
        failed: g.failedAt[i],
        utilisation: s !== null ? s.utilisation : NaN,
        meanResponse: s !== null ? s.meanResponse : (site as ExternalSite).residence.summary().mean,
        availability: g.failures[i].availability,
        detection: g.checkers[i].detection.summary(),
        healthy: g.checkers[i].healthy,
      };
    }),
    regions: cfg.regions.map((r, i) => ({
      name: r.name,
      requests: g.regionRequests[i],
      failed: g.regionFailed[i],
      meanRtt: g.regionRtt[i].summary().mean,
    })),
    timeline: {
      t: Array.from({ length: n }, (_, i) => i * g.bin),
      requests: pad(g.tlRequests),
      failed: pad(g.tlFailed),
      sent: g.tlSent.map(pad),
    },
  };
}
