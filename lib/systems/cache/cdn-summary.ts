/** What a CDN run reports (see cdn.ts). */
import type { StationSummary } from '../../sim/station';
import type { LatencySummary } from '../common/latency';
import { overloadOf } from '../common/overload';
import type { OverloadSummary } from '../common/overload';
import type { Cdn } from './cdn';

/** `overloaded`: the origin's queue grew without bound over the run (overloadOf). */
export interface CdnSummary extends OverloadSummary {
  /** Client requests completed, by outcome: fresh hits, stale (while revalidating), misses, errors, stale-if-error. */
  requests: number;
  hits: number;
  stale: number;
  misses: number;
  errors: number;
  staleIfError: number;
  /** hits / requests, (hits + stale + staleIfError) / requests, stale / requests. */
  hitRatio: number;
  servedFromEdge: number;
  staleShare: number;
  /** Requests that reached the origin, and per second of the measured window. */
  originRequests: number;
  originRate: number;
  /** Fetches the shield answered from its copy / fetches it received. */
  shieldHitRatio: number;
  latency: LatencySummary;
  perRegion: Array<{ name: string; requests: number; hitRatio: number; latency: LatencySummary }>;
  origin: StationSummary;
}

/** A client request's outcome, as cdn.ts counts them (`Cdn.counts[outcome]`). */
export const HIT = 0;
export const STALE = 1;
export const MISS = 2;
export const ERROR = 3;
export const STALE_IF_ERROR = 4;

/** The summary of `cdn`'s measured period (since the last statistics reset); counts are by outcome as cdn.ts records them. */
export function summarizeCdn(cdn: Cdn): CdnSummary {
  const k = cdn.counts;
  const n = k[HIT] + k[STALE] + k[MISS] + k[ERROR] + k[STALE_IF_ERROR];
  const elapsed = cdn.sim.now - cdn.since;
  return {
    ...overloadOf([cdn.origin]),
    requests: n,
    hits: k[HIT],
    stale: k[STALE],
    misses: k[MISS],
    errors: k[ERROR],
    staleIfError: k[STALE_IF_ERROR],
    hitRatio: n > 0 ? k[HIT] / n : NaN,
    servedFromEdge: n > 0 ? (k[HIT] + k[STALE] + k[STALE_IF_ERROR]) / n : NaN,
    staleShare: n > 0 ? k[STALE] / n : NaN,
    originRequests: cdn.originRequests,
    originRate: elapsed > 0 ? cdn.originRequests / elapsed : NaN,
    shieldHitRatio: cdn.shieldFetches > 0 ? cdn.shieldHits / cdn.shieldFetches : NaN,
    latency: cdn.latency.summary(),
    perRegion: cdn.config.regions.map((r, i) => ({
      name: r.name,
      requests: cdn.regionCount[i],
      hitRatio: cdn.regionCount[i] > 0 ? cdn.regionHits[i] / cdn.regionCount[i] : NaN,
      latency: cdn.regionLatency[i].summary(),
    })),
    origin: cdn.origin.summary(),
  };
}
