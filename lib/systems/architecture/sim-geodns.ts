/**
 * GeoDNS in an architecture's simulation: the library's `geodns.GeoDnsSystem`, called
 * (lib/systems/README.md, "Components called by others"). Its client regions are the
 * architecture's datacenters' users (region i: the users of datacenter i, no rate of their own:
 * their requests come through `entry` with `setRegion`), its datacenters the architecture's
 * (`external`: `sites[i].target` is the caller's entry of datacenter i). Route 53's `latency`
 * policy over an RTT matrix of `geodns.rtt` to the own datacenter and `network.rtt` (at least
 * twice `geodns.rtt`) to the others, so every user is sent home while its datacenter is healthy;
 * GeoDNS's half round trips are the requests' round trip (the class's constant delay less
 * `geodns.rtt`). Each region has the component's 16 recursive resolvers (`resolvers.perRegion`
 * default), a request picks one at random; the TTL is `geodns.ttl`, Route 53's health checks
 * `geodns.request_interval` and `geodns.failure_threshold`, no client retry.
 *
 * The resolvers' caches start stationary for the users' request rate λ_res = (N/k)/Z/16 per
 * resolver (closed; λ/k/16 open): the region's `calledRate` (N/k)/Z, with which the component
 * starts them as it does for its own clients (lib/systems/geodns/resolvers.ts): held a share
 * λ_res·T/(1 + λ_res·T) of the time, aged uniformly on [0, T). Without it they would start empty,
 * all expiring nearly in step.
 *
 * The site loss (`outage.tier: 'datacenter'`): datacenter 0's failure process is GeoDNS's own
 * (`datacenters[0].failures`, `{ at, duration }`), which crashes datacenter 0's web servers (the
 * balancer's backends) with the site (its CDN edge, elsewhere, still answers its hits); after detection D = (threshold − 1 + U)·interval the authoritative
 * answers leave it out, and each resolver's old answer lasts until it expires: λ·(D + (T/2)·
 * occupancy) failures (lib/systems/geodns/theory.ts `expectedFailedRequests`).
 */
import { GeoDnsSystem } from '../geodns/system';
import type { GeoDnsConfig } from '../geodns/config';
import type { Simulation } from '../../sim/simulation';
import type { JobTarget } from '../../sim/target';
import type { Datacenter } from './sim-datacenter';
import type { OutageSpec } from './sim-outage';
import type { Architecture } from './types';

/** The component's recursive resolvers per client region (its `resolvers.perRegion` default). */
export const RESOLVERS_PER_REGION = 16;

/** The round trip from datacenter r's users to datacenter d. */
export function geoRtt(a: Architecture, r: number, d: number): number {
  const g = a.geodns as NonNullable<Architecture['geodns']>;
  return r === d ? g.rtt : Math.max(a.network.rtt, 2 * g.rtt);
}

/**
 * The GeoDNS config of an architecture: its datacenters as external sites, dc0 failing with a site
 * loss, each region's resolvers started for the caller's `regionRate` requests/s (0: empty).
 */
export function geoDnsConfigOf(
  a: Architecture,
  siteLoss: OutageSpec | null,
  regionRate: number = 0,
): GeoDnsConfig {
  const g = a.geodns as NonNullable<Architecture['geodns']>;
  const k = g.datacenters;
  const idx = Array.from({ length: k }, (_, i) => i);
  return {
    regions: idx.map((i) => ({
      name: `dc${i}.users`,
      continent: 'NA',
      ...(regionRate > 0 ? { calledRate: regionRate } : {}),
    })),
    datacenters: idx.map((i) => ({
      name: `dc${i}`,
      region: `dc${i}.users`,
      external: true,
      ...(i === 0 && siteLoss !== null
        ? { failures: { outages: [{ at: siteLoss.at, duration: siteLoss.duration }] } }
        : {}),
    })),
    routing: { policy: 'latency', ttl: g.ttl },
    health_check: {
      request_interval: g.request_interval as 10 | 30,
      failure_threshold: g.failure_threshold,
    },
    resolvers: { perRegion: RESOLVERS_PER_REGION },
    client: { retry: false },
    rtt: idx.map((r) => idx.map((d) => geoRtt(a, r, d))),
  };
}

export class GeoDnsRouting {
  readonly system: GeoDnsSystem;

  /**
   * @param regionRate each region's request rate (users/Z closed, λ/k open), for the caches' start
   * @param sites the caller's entry of each datacenter
   */
  constructor(
    sim: Simulation,
    a: Architecture,
    regionRate: number,
    sites: JobTarget[],
    siteLoss: { outage: OutageSpec; dc0: Datacenter } | null,
  ) {
    const g = new GeoDnsSystem(
      sim,
      geoDnsConfigOf(a, siteLoss ? siteLoss.outage : null, regionRate),
    );
    this.system = g;
    sites.forEach((t, i) => ((g.sites[i] as NonNullable<(typeof g.sites)[number]>).target = t));
    if (siteLoss !== null) {
      const dc0 = siteLoss.dc0;
      g.failures[0].onCrash(() => {
        for (const m of dc0.lb.members) m.crash();
      });
      g.failures[0].onRecover(() => {
        for (const m of dc0.lb.members) if (!m.station.up) m.recover();
      });
    }
  }
}
