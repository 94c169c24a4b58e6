/**
 * The CDN's configuration: edges (PoPs) per region with their round trips to the clients and to
 * the origin, an optional origin shield (Cloudflare's Tiered Cache, CloudFront's Origin Shield,
 * Fastly's shielding), the origin's Cache-Control (RFC 9111 `max-age`, `s-maxage`; RFC 5861
 * `stale-while-revalidate`, `stale-if-error`, seconds) and the origin as an M/M/c station.
 */
import { ParameterError, requireInteger, requireNonNegative, requirePositive } from '../../errors';
import type { Distribution } from '../../random/distribution';
import { Exponential } from '../../random/exponential';
import { knownKeys, keyPath, rejectUnknownKeys } from '../common/config';
import { resolveFailureSpec, type FailureSpec, type ResolvedFailureSpec } from '../common/failures';
import { resolvePopularity, type PopularityConfig } from './popularity';
import { requireDelayDistribution } from '../../sim/delays';

export interface RegionConfig {
  name?: string;
  /** Requests per second from this region's clients (Poisson); 0 or omitted: none of its own (called mode: requests come to `Cdn.entry`). */
  rate?: number;
  /** Round trip client <-> edge, seconds. */
  rtt: number;
  /** Round trip edge <-> origin, seconds. */
  originRtt: number;
  /** Round trip edge <-> shield, seconds (with a shield; default originRtt / 2). */
  shieldRtt?: number;
}
export const REGION_KEYS = knownKeys<RegionConfig>()([
  'name',
  'rate',
  'rtt',
  'originRtt',
  'shieldRtt',
]);

/** The origin's response directives, seconds. Freshness lifetime: s-maxage if present (shared caches), else max-age. */
export interface CacheControl {
  'max-age'?: number;
  's-maxage'?: number;
  'stale-while-revalidate'?: number;
  'stale-if-error'?: number;
}
export const CACHE_CONTROL_KEYS = knownKeys<CacheControl>()([
  'max-age',
  's-maxage',
  'stale-while-revalidate',
  'stale-if-error',
]);

export interface CdnConfig {
  /** Prefix of the CDN's origin station and random streams (`<name>.origin`, `<name>.cdn.requests`); default none. */
  name?: string;
  regions: RegionConfig[];
  popularity: PopularityConfig;
  cacheControl: CacheControl;
  /** Objects each edge holds (LRU; default: the whole catalogue, so only freshness limits hits). */
  edgeCapacity?: number;
  /** An origin shield between the edges and the origin: its round trip to the origin and capacity. */
  shield?: { originRtt: number; capacity?: number };
  origin?: { servers?: number; service?: Distribution; timeout?: number; failures?: FailureSpec };
}
export const CDN_KEYS = knownKeys<CdnConfig>()([
  'name',
  'regions',
  'popularity',
  'cacheControl',
  'edgeCapacity',
  'shield',
  'origin',
]);

export interface ResolvedCdnConfig {
  /** '' or the prefix of the origin station and streams, with its dot. */
  prefix: string;
  regions: Array<Required<RegionConfig>>;
  popularity: PopularityConfig;
  /** Freshness lifetime (s-maxage ?? max-age), stale-while-revalidate and stale-if-error windows. */
  lifetime: number;
  swr: number;
  sie: number;
  edgeCapacity: number;
  shield: { originRtt: number; capacity: number } | null;
  origin: {
    servers: number;
    service: Distribution;
    timeout: number;
    failures: ResolvedFailureSpec;
  };
}

export function resolveCdnConfig(c: CdnConfig): ResolvedCdnConfig {
  rejectUnknownKeys(c, CDN_KEYS, '');
  if (!Array.isArray(c.regions) || c.regions.length === 0)
    throw new ParameterError(
      'regions',
      c.regions,
      'must be a non-empty array of { rate, rtt, originRtt }',
    );
  const regions = c.regions.map((r, i) => {
    const p = keyPath('regions', i);
    rejectUnknownKeys(r, REGION_KEYS, p);
    const originRtt = requireNonNegative(`${p}.originRtt`, r.originRtt);
    return {
      name: r.name ?? `region${i}`,
      rate: r.rate === undefined || r.rate === 0 ? 0 : requirePositive(`${p}.rate`, r.rate),
      rtt: requireNonNegative(`${p}.rtt`, r.rtt),
      originRtt,
      shieldRtt: requireNonNegative(`${p}.shieldRtt`, r.shieldRtt ?? originRtt / 2),
    };
  });
  const popularity = resolvePopularity(c.popularity, 'popularity');
  const cc = c.cacheControl;
  rejectUnknownKeys(cc, CACHE_CONTROL_KEYS, 'cacheControl');
  const sMax = cc['s-maxage'];
  const maxAge = cc['max-age'];
  if (sMax === undefined && maxAge === undefined)
    throw new ParameterError('cacheControl', cc, "needs 'max-age' or 's-maxage' (seconds)");
  const lifetime =
    sMax !== undefined
      ? requireNonNegative("cacheControl['s-maxage']", sMax)
      : requireNonNegative("cacheControl['max-age']", maxAge);
  const keys = popularity.model === 'zipf' ? popularity.objects : popularity.trace.names.length;
  const edgeCapacity = requireInteger('edgeCapacity', c.edgeCapacity ?? keys, 1, 2 ** 30);
  let shield: ResolvedCdnConfig['shield'] = null;
  if (c.shield !== undefined) {
    rejectUnknownKeys(c.shield, ['originRtt', 'capacity'], 'shield');
    shield = {
      originRtt: requireNonNegative('shield.originRtt', c.shield.originRtt),
      capacity: requireInteger('shield.capacity', c.shield.capacity ?? keys, 1, 2 ** 30),
    };
  }
  const o = c.origin ?? {};
  rejectUnknownKeys(o, ['servers', 'service', 'timeout', 'failures'], 'origin');
  if (o.service !== undefined && typeof o.service.sample !== 'function')
    throw new ParameterError('origin.service', o.service, 'must be a Distribution');
  if (o.service !== undefined)
    requireDelayDistribution('origin.service', o.service, { positive: false });
  const timeout = o.timeout ?? Infinity;
  if (timeout !== Infinity) requirePositive('origin.timeout', timeout);
  const name = c.name ?? '';
  if (typeof name !== 'string')
    throw new ParameterError('name', name, 'must be a string (a prefix of the origin and streams)');
  return {
    prefix: name === '' ? '' : `${name}.`,
    regions,
    popularity,
    lifetime,
    swr: requireNonNegative(
      "cacheControl['stale-while-revalidate']",
      cc['stale-while-revalidate'] ?? 0,
    ),
    sie: requireNonNegative("cacheControl['stale-if-error']", cc['stale-if-error'] ?? 0),
    edgeCapacity,
    shield,
    origin: {
      servers: requireInteger('origin.servers', o.servers ?? 16, 1, 1e6),
      service: o.service ?? Exponential.withMean(0.02),
      timeout,
      failures: resolveFailureSpec(o.failures, 'origin.failures'),
    },
  };
}
