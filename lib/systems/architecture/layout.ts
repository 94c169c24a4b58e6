/**
 * The queueing network of one datacenter of an architecture, shared by the analytic evaluation
 * and the simulation so that both solve the same model: the tiers (each a set of `copies`
 * identical single-server processor-sharing stations, a request picking one uniformly at random,
 * as the balancer's `random` policy does), and the request classes with their probabilities, their
 * constant delays (round trip, CDN edge) and their visits with mean service times.
 *
 * Class probabilities: static s, CDN hit share h_cdn, reads r of the dynamic share, cache hit
 * ratio h; both hit ratios from Che's approximation for LRU under Zipf(alpha) popularity (Che,
 * Tung and Wang, IEEE JSAC 20(7), 2002; lib/systems/cache/theory.ts `cheLru`; the CDN edge's size
 * from ./cdn-edge.ts):
 *   static-cdn s h_cdn, static s (1 - h_cdn), read-hit (1-s) r h, read-miss (1-s) r (1-h), write (1-s)(1-r).
 * Both static classes pay the CDN edge's round trip `cdn.latency` (a miss crosses the edge on its
 * way to the origin: the CDN component's path), the origin's static work on a miss.
 */
import { cdnEdgeOf, cheHitRatio } from './cdn-edge';
import type { Architecture, RequestClass } from './types';

export { cheHitRatio } from './cdn-edge';

export type Tier = 'balancer' | 'web' | 'cache' | 'primary' | 'replicas';

export interface TierStation {
  tier: Tier;
  /** Identical single-server PS stations of the tier, one picked at random per visit. */
  copies: number;
}

export interface Visit {
  station: number;
  /** Mean service time of this visit. */
  service: number;
}

export interface ClassPath {
  cls: RequestClass;
  p: number;
  /** Constant delay (round trip, CDN edge), seconds. */
  constant: number;
  visits: Visit[];
}

export interface Layout {
  stations: TierStation[];
  classes: ClassPath[];
  /** Che's hit ratio of the cache (0 without one). */
  cacheHitRatio: number;
  /** Che's hit ratio of the CDN's edge (./cdn-edge.ts; 0 without a CDN). */
  cdnHitRatio: number;
  /** The CDN edge's round trip `cdn.latency` (0 without a CDN): in both static classes' constants. */
  cdnLatency: number;
  datacenters: number;
}

/** memcached servers of the pool, ceil(capacity / serverCapacity) (0 without a cache). */
export function cacheServersOf(a: Architecture): number {
  return a.cache ? Math.ceil(a.cache.capacity / a.cache.serverCapacity) : 0;
}

/** The network of one datacenter, with `webServers` web servers (default the file's count). */
export function layoutOf(a: Architecture, webServers: number = a.web.servers): Layout {
  const stations: TierStation[] = [];
  const index = (tier: Tier, copies: number): number => stations.push({ tier, copies }) - 1;
  const lb = a.balancer ? index('balancer', 1) : -1;
  const web = index('web', webServers);
  const cache = a.cache ? index('cache', cacheServersOf(a)) : -1;
  const primary = a.database.colocated ? web : index('primary', 1);
  const replicas = a.database.replicas > 0 ? index('replicas', a.database.replicas) : primary;
  const rtt = a.geodns ? a.geodns.rtt : a.network.rtt;
  const s = a.mix.static;
  const r = a.mix.reads;
  const hCdn = a.cdn ? cdnEdgeOf(a.cdn).hitRatio : 0;
  const cdnLatency = a.cdn ? a.cdn.latency : 0;
  const h = a.cache ? cheHitRatio(a.cache.objects, a.cache.alpha, a.cache.capacity) : 0;
  const front = (service: number): Visit[] => {
    const v: Visit[] = [];
    if (lb >= 0)
      v.push({ station: lb, service: (a.balancer as { serviceTime: number }).serviceTime });
    v.push({ station: web, service });
    return v;
  };
  const cacheVisit: Visit[] =
    cache >= 0
      ? [{ station: cache, service: (a.cache as { serviceTime: number }).serviceTime }]
      : [];
  const classes: ClassPath[] = [
    { cls: 'static-cdn', p: s * hCdn, constant: rtt + cdnLatency, visits: [] },
    {
      cls: 'static',
      p: s * (1 - hCdn),
      constant: rtt + cdnLatency,
      visits: front(a.web.staticServiceTime),
    },
    {
      cls: 'read-hit',
      p: (1 - s) * r * h,
      constant: rtt,
      visits: [...front(a.web.serviceTime), ...cacheVisit],
    },
    {
      cls: 'read-miss',
      p: (1 - s) * r * (1 - h),
      constant: rtt,
      visits: [
        ...front(a.web.serviceTime),
        ...cacheVisit,
        { station: replicas, service: a.database.readServiceTime },
      ],
    },
    {
      cls: 'write',
      p: (1 - s) * (1 - r),
      constant: rtt,
      visits: [
        ...front(a.web.serviceTime),
        { station: primary, service: a.database.writeServiceTime },
      ],
    },
  ];
  return {
    stations,
    classes,
    cacheHitRatio: h,
    cdnHitRatio: hCdn,
    cdnLatency,
    datacenters: a.geodns ? a.geodns.datacenters : 1,
  };
}

/** Service demand per request at ONE copy of each station: D_k = Σ_c p_c Σ_visits S / copies. */
export function demandsOf(layout: Layout): Float64Array {
  const D = new Float64Array(layout.stations.length);
  for (const c of layout.classes) for (const v of c.visits) D[v.station] += c.p * v.service;
  for (let k = 0; k < D.length; k++) D[k] /= layout.stations[k].copies;
  return D;
}

/** Mean constant delay per request Σ_c p_c constant_c (a delay station in the network). */
export function constantDelayOf(layout: Layout): number {
  let d = 0;
  for (const c of layout.classes) d += c.p * c.constant;
  return d;
}
