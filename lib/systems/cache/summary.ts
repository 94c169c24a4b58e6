/** What a cache system run reports (see system.ts for the semantics of each outcome). */
import type { StationSummary } from '../../sim/station';
import type { LatencySummary } from '../common/latency';
import type { OverloadSummary } from '../common/overload';

/** `overloaded`: the database's queue grew without bound over the run (overloadOf). */
export interface CacheSystemSummary extends OverloadSummary {
  /** Reads completed, by outcome (reads = hits + stale + misses + errors). */
  reads: number;
  hits: number;
  stale: number;
  misses: number;
  errors: number;
  /** hits / reads, and (hits + stale) / reads. */
  hitRatio: number;
  servedFromCache: number;
  /**
   * Hits / gets at the memcached nodes, counted when the get is answered (every get, also those
   * whose request is still waiting for the database at the end: unbiased when the database is
   * overloaded, where completed reads over-represent hits).
   */
  lookupHitRatio: number;
  /** Misses that waited for another request's query (single-flight, read-through). */
  coalesced: number;
  /** Lease "hot miss" answers (each a wait and a retry). */
  leaseWaits: number;
  /** XFetch early recomputations. */
  earlyRefreshes: number;
  writes: number;
  /** Reads the database served, and fills (sets of a key that was not fresh). */
  dbReads: number;
  fills: number;
  /**
   * Episodes: times a key's database reads in flight went from 0 to 1 (one per expiry under a
   * stampede), and the mean reads per episode (1 + λδ without protection: every read arriving
   * during the recompute time δ misses too), over the episodes begun since the last reset.
   */
  episodes: number;
  dbReadsPerEpisode: number;
  /** Largest number of requests in the database at once, and of database reads for one key. */
  peakDbConcurrency: number;
  peakKeyConcurrency: number;
  /** Response time of completed reads and writes (seconds). */
  latency: LatencySummary;
  database: StationSummary;
  nodes: Array<{ up: boolean; items: number; availability: number; evictions: number }>;
  /** Requests that arrived and are not yet answered at the end. */
  inFlight: number;
  /** With `interval`: hit ratio and reads per bin, bins starting at `t` (from time 0, not reset). */
  series: { t: number[]; hitRatio: Array<number | null>; reads: number[] } | null;
}
