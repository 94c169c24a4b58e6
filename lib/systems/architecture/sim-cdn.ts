/**
 * The CDN of an architecture's simulation (step 6 on): per datacenter the library's CDN component
 * (lib/systems/cache/cdn.ts `Cdn`, called, name `dc<i>.cdn`), one region whose edge the
 * datacenter's users reach (with GeoDNS, the datacenter a user's resolver answered: its edge):
 *
 * - the edge: an LRU of `capacity` objects (./cdn-edge.ts: `cdn.capacity`, or the capacity whose
 *   Che hit ratio is `cdn.hitRatio`), the catalogue `cdn.objects` with Zipf(`cdn.alpha`)
 *   popularity (the CDN draws each request's object, stream `dc<i>.cdn.cdn.requests`), RFC 9111
 *   freshness `Cache-Control: max-age = cdn.maxAge`, collapsed misses;
 * - the client's round trip to the edge `cdn.latency` (the region's `rtt`); the edge's round trip
 *   to the origin is 0 here, the origin's path carrying the datacenter's `network.rtt` already paid
 *   by the request (./simulate.ts: the class's constant delay), so a hit takes rtt + cdn.latency
 *   and a miss rtt + cdn.latency + the origin's response, the analytic model's two static classes;
 * - a miss's fetch goes to `originTo`: the caller's balancer and a web server's static work
 *   (`web.staticServiceTime`), the path of the analytic 'static' class; a failed fetch fails the request.
 *
 * Warm start: the edge is filled before the run by 20 capacities of requests drawn from the same
 * popularity (stream `dc<i>.cdn.warm`; LRU's contents do not depend on time under the IRM), each
 * copy born a uniform time within `cdn.maxAge` ago (a stationary age for a lifetime-limited copy),
 * so the warm-up does not have to fill thousands of objects one miss at a time.
 *
 * Measured hit ratio: fresh hits over the CDN's requests (the component's counters, restarted with
 * the statistics). It differs from Che's by the approximation's error (about 1 % for Zipf under the
 * IRM, ./cdn-edge.ts), the edge's sampling noise and, with a short maxAge, expiries.
 */
import { Zipf } from '../../random/zipf';
import type { Simulation } from '../../sim/simulation';
import type { JobTarget } from '../../sim/target';
import { Cdn } from '../cache/cdn';
import { HIT } from '../cache/cdn-summary';
import { cdnEdgeOf } from './cdn-edge';
import type { CdnSpec } from './types';

/** Datacenter `d`'s CDN, its fetches to `origin`, the edge warmed. */
export function cdnOf(sim: Simulation, d: number, cdn: CdnSpec, origin: JobTarget): Cdn {
  const edge = cdnEdgeOf(cdn);
  const c = new Cdn(sim, {
    name: `dc${d}.cdn`,
    regions: [{ rtt: cdn.latency, originRtt: 0 }],
    popularity: { model: 'zipf', objects: cdn.objects, alpha: cdn.alpha },
    cacheControl: { 'max-age': cdn.maxAge },
    edgeCapacity: edge.capacity,
  });
  c.originTo = origin;
  warmEdge(sim, d, c, cdn, edge.capacity);
  return c;
}

function warmEdge(sim: Simulation, d: number, c: Cdn, cdn: CdnSpec, capacity: number): void {
  const rng = sim.streams.get(`dc${d}.cdn.warm`);
  const zipf = new Zipf(cdn.objects, cdn.alpha);
  const edge = c.caches[0];
  edge.ensure(cdn.objects);
  const lifetime = Math.min(cdn.maxAge, 1e9);
  for (let r = 20 * capacity; r > 0; r--) {
    const key = zipf.sample(rng) - 1;
    if (edge.store.resident[key] === 1) edge.store.get(key, 0);
    else {
      edge.store.set(key, 0, 0);
      edge.birth[key] = -rng.next() * lifetime;
    }
  }
  edge.store.resetCounters();
}

/** Fresh hits and requests of the CDNs, summed over the datacenters. */
export function cdnCounts(cdns: Cdn[]): { hits: number; requests: number } {
  let hits = 0;
  let requests = 0;
  for (const c of cdns) {
    hits += c.counts[HIT];
    for (let o = 0; o < c.counts.length; o++) requests += c.counts[o];
  }
  return { hits, requests };
}
