/**
 * What an architecture's simulation (./simulate.ts) takes and reports: the run's options (the load,
 * the web servers, an outage) and its summary, with the per-tier utilisation over every
 * datacenter's servers of the tier (the balancer's node and web backends (the colocated host's one),
 * the cache pool's worker threads, the cluster's primary and replica nodes) and the pool's measured hit ratio.
 * An autoscaled web tier (./sim-webtier.ts) reports its servers as their time-average count over
 * the window and its utilisation as busy server-seconds over provisioned server-seconds.
 */
import type { Station } from '../../sim/station';
import type { LatencySummary } from '../common/latency';
import type { Layout, Tier } from './layout';
import type { Datacenter } from './sim-datacenter';
import type { AsyncWorkSummary } from './sim-kafka';
import type { OutageSpec } from './sim-outage';
import { cdnCounts } from './sim-cdn';
import { webTierServers } from './sim-webtier';

export interface ArchitectureRunOptions {
  /** Users (closed load) or requests/s (open load) instead of the file's; web servers chosen as the analytic model does. */
  load?: number;
  /** Web servers per datacenter instead of the file's (or the autoscaler's): a fixed count, the balancer's backends, no autoscaler. */
  webServers?: number;
  /** With `web.autoscaling`: the autoscaled tier's servers at the start (default the analytic count), the HPA scaling from there. */
  webStart?: number;
  /** One instance of one tier down for a while (./sim-outage.ts). */
  outage?: OutageSpec;
}

export interface ArchitectureSummary {
  load: number;
  webServers: number;
  throughput: number;
  latency: LatencySummary;
  /** Requests that failed (refused or lost by a crashed server) and their share of the requests that ended. */
  failed: number;
  failedShare: number;
  /** With an outage: the latency and failed share in datacenter 0, where the instance is down (the whole system's with one datacenter). */
  outage: { latency: LatencySummary; failedShare: number } | null;
  tiers: { tier: Tier; servers: number; utilisation: number; overloaded: boolean }[];
  /** Measured cache hit ratio (NaN without a cache). */
  cacheHitRatio: number;
  /** Measured CDN edge hit ratio, fresh hits over static requests (NaN without a CDN; ./sim-cdn.ts). */
  cdnHitRatio: number;
  /** The Kafka topic and consumer group (null without kafka). */
  kafka: AsyncWorkSummary | null;
}

/** The stations of tier station `s` in datacenter `dc`, the component's own. */
function stationsOf(layout: Layout, dc: Datacenter, s: number): Station[] {
  const tier = layout.stations[s].tier;
  if (tier === 'balancer') return dc.lb.pair.nodes.slice(0, 1);
  if (tier === 'web') return dc.lb.backends;
  if (tier === 'cache') return (dc.cache as NonNullable<Datacenter['cache']>).nodeStations;
  const db = dc.db as NonNullable<Datacenter['db']>;
  return tier === 'primary' ? db.stations.slice(0, 1) : db.stations.slice(1);
}

/** Per tier: its servers, the mean utilisation of one, and whether any queue grew through the window. */
export function tierSummaries(
  layout: Layout,
  datacenters: Datacenter[],
): ArchitectureSummary['tiers'] {
  return layout.stations.map((st, s) => {
    if (st.tier === 'web' && datacenters[0].web !== null) return autoscaledTier(datacenters);
    let u = 0;
    let n = 0;
    let overloaded = false;
    for (const dc of datacenters)
      for (const station of stationsOf(layout, dc, s)) {
        const x = station.summary();
        u += x.utilisation;
        n++;
        overloaded = overloaded || x.overloaded;
      }
    return { tier: st.tier, servers: st.copies, utilisation: u / n, overloaded: overloaded };
  });
}

/** The autoscaled web tier over every datacenter: mean servers per datacenter, busy over provisioned time. */
function autoscaledTier(datacenters: Datacenter[]): ArchitectureSummary['tiers'][number] {
  let servers = 0;
  let busy = 0;
  let overloaded = false;
  for (const dc of datacenters) {
    const web = dc.web as NonNullable<Datacenter['web']>;
    const w = webTierServers(web, web.pool.stations[0].summary().elapsed);
    servers += w.meanServers;
    busy += w.meanServers * w.utilisation;
    for (const station of web.pool.stations)
      overloaded = overloaded || station.summary().overloaded;
  }
  return {
    tier: 'web',
    servers: servers / datacenters.length,
    utilisation: servers > 0 ? busy / servers : 0,
    overloaded: overloaded,
  };
}

/** The pools' measured hit ratio over every datacenter (NaN without a cache). */
export function cacheHitRatioOf(datacenters: Datacenter[]): number {
  let hits = 0;
  let reads = 0;
  for (const dc of datacenters)
    if (dc.cache !== null) {
      hits += dc.cache.hits;
      reads += dc.cache.reads;
    }
  return datacenters[0].cache !== null ? hits / reads : NaN;
}

/** The CDN edges' measured hit ratio over every datacenter (NaN without a CDN). */
export function cdnHitRatioOf(datacenters: Datacenter[]): number {
  if (datacenters[0].cdn === null) return NaN;
  const c = cdnCounts(datacenters.map((dc) => dc.cdn as NonNullable<Datacenter['cdn']>));
  return c.hits / c.requests;
}
