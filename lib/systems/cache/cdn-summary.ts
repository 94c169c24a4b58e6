/** What a CDN run reports (see cdn.ts). */
import type { StationSummary } from '../../sim/station';
import type { LatencySummary } from '../common/latency';
import type { OverloadSummary } from '../common/overload';

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
