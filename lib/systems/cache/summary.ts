/** What a cache system run reports (see system.ts for the semantics of each outcome). */
import type { StationSummary } from '../../sim/station';
import type { LatencySummary } from '../common/latency';
import { overloadOf, type OverloadSummary } from '../common/overload';
import type { CacheSystem } from './system';

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

/** Hits / gets at the memcached nodes, counted when each get is answered. */
function lookupHitRatio(x: CacheSystem): number {
  let h = 0;
  let n = 0;
  for (const node of x.pool.nodes) {
    h += node.store.hits;
    n += node.store.hits + node.store.misses;
  }
  return n > 0 ? h / n : NaN;
}

/**
 * A cache system's summary from its counters (system.ts): reads by outcome, hit ratios (of
 * completed reads, and of gets at the nodes), stampede counts, latency, the database, the nodes,
 * and the binned hit-ratio series.
 */
export function summarizeCache(
  x: CacheSystem,
  bins: { binReads: number[]; binHits: number[]; episodeReads: number },
): CacheSystemSummary {
  const r = x.reads;
  const t: number[] = [];
  const hr: Array<number | null> = [];
  for (let b = 0; b < bins.binReads.length; b++) {
    t.push(b * x.config.interval);
    hr.push(bins.binReads[b] > 0 ? bins.binHits[b] / bins.binReads[b] : null);
  }
  return {
    ...overloadOf([x.database, ...x.nodeStations]),
    reads: r,
    hits: x.hits,
    stale: x.stale,
    misses: x.misses,
    errors: x.errors,
    hitRatio: r > 0 ? x.hits / r : NaN,
    servedFromCache: r > 0 ? (x.hits + x.stale) / r : NaN,
    lookupHitRatio: lookupHitRatio(x),
    coalesced: x.coalesced,
    leaseWaits: x.leaseWaits,
    earlyRefreshes: x.earlyRefreshes,
    writes: x.writes,
    dbReads: x.dbReads,
    fills: x.fills,
    episodes: x.episodes,
    dbReadsPerEpisode: x.episodes > 0 ? bins.episodeReads / x.episodes : NaN,
    peakDbConcurrency: x.peakDbConcurrency,
    peakKeyConcurrency: x.peakKeyConcurrency,
    latency: x.latency.summary(),
    database: x.database.summary(),
    nodes: x.pool.nodes.map((n, i) => ({
      up: n.up,
      items: n.store.count,
      availability: x.pool.failures[i].availability,
      evictions: n.store.evictions,
    })),
    inFlight: x.inFlight,
    series: x.config.interval > 0 ? { t: t, hitRatio: hr, reads: bins.binReads.slice() } : null,
  };
}
