/**
 * The GeoDNS deployment's configuration, resolved and validated once: client regions, the
 * datacenters and their Route 53 records, the routing policy and TTL, Route 53 health checks,
 * recursive resolvers (some of which stretch TTLs) and the clients' retry.
 *
 * Names and defaults, with their sources:
 * - `routing.policy`: Route 53's routing policies `geolocation`, `latency` (latency-based),
 *   `weighted`, `failover` (Route 53 Developer Guide, "Choosing a routing policy").
 * - `routing.ttl`: the record's TTL in seconds. Route 53 has no default (every non-alias record
 *   must give one); 300 s here is scalelab's choice, not a documented default.
 * - Per datacenter record: `weight` 0..255 (weighted), `failover` 'PRIMARY' | 'SECONDARY',
 *   `geolocation` a continent code (AF, AN, AS, EU, NA, OC, SA) or '*' (Route 53's default
 *   location, CountryCode '*'), `health_check` whether a health check is associated.
 * - `health_check.request_interval` 30 s (or 10: "fast"), `failure_threshold` 3 (1..10): Route 53
 *   health checks (Developer Guide, "Values that you specify when you create a health check").
 * - `resolvers['cache-min-ttl']`: Unbound's option of that name: the resolvers that set it keep an
 *   answer at least that long whatever its TTL says; `resolvers.stretchShare` of them do.
 * - `soa.ttl` 900 and `soa.minimum` 86400: the SOA record Route 53 creates for a hosted zone; a
 *   negative answer (NODATA) is cached for min(SOA TTL, SOA MINIMUM) (RFC 2308 §5).
 */
import type { Distribution } from '../../random/distribution';
import { knownKeys } from '../common/config';
import type { FailureSpec, ResolvedFailureSpec } from '../common/failures';
import type { Continent } from './rtt';

export const ROUTING_POLICIES = ['geolocation', 'latency', 'weighted', 'failover'] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];
export type FailoverRole = 'PRIMARY' | 'SECONDARY';

/** Clients in one region. */
export interface ClientRegionConfig {
  /** The AWS region the clients sit next to (their RTTs are that region's row of the matrix). */
  name: string;
  /** Requests per second (the daily mean when `diurnal` > 0); 0 or omitted: no source of its own (called mode), requests come through `GeoDnsSystem.entry`. */
  rate?: number;
  /**
   * Called mode: the caller's request rate from this region (requests/s, through `entry`), used
   * only to start the region's resolver caches in their stationary state (resolvers.ts); omitted,
   * they start empty. Only for a region without a `rate` (one with a rate starts from that).
   */
  calledRate?: number;
  /** Continent for geolocation routing (default: the region's). */
  continent?: Continent;
  /** Hours from UTC of the clients' local time (default 0). */
  utcOffset?: number;
  /** Daily swing a in [0, 1): rate(t) = rate · (1 + a · cos(2π (local hour − peakHour) / 24)) (default 0). */
  diurnal?: number;
  /** Local hour of the daily peak (default 20). */
  peakHour?: number;
}

/** One datacenter (a site) and its DNS record. */
export interface DatacenterConfig {
  name: string;
  /** The AWS region it is in. */
  region: string;
  /**
   * Called mode: the caller provides this datacenter (`system.sites[i].target`, its balancer's
   * entry, say) instead of the GeoDNS's own servers; then `servers` and `service` must be omitted.
   */
  external?: boolean;
  /** Servers c (default 1). */
  servers?: number;
  /** Service time of one request on one server (required unless `external`). */
  service?: Distribution;
  /** Crashes and recoveries (the shared failure process). */
  failures?: FailureSpec;
  /** Route 53 weighted record's Weight, 0..255 (default 1). */
  weight?: number;
  /** Route 53 failover record type (failover policy: exactly one PRIMARY). */
  failover?: FailoverRole;
  /** Route 53 geolocation record's location: a continent code or '*' (default). */
  geolocation?: Continent | '*';
  /** A health check is associated with the record (default true). */
  health_check?: boolean;
}

export interface HealthCheckConfig {
  /** Seconds between checks: 30 (standard) or 10 (fast). */
  request_interval?: 10 | 30;
  /** Consecutive failed (or passed) checks that change the status, 1..10 (default 3). */
  failure_threshold?: number;
}

export interface ResolverConfig {
  /** Recursive resolvers per client region (default 16); each client request picks one at random. */
  perRegion?: number;
  /** Share of the resolvers that keep answers longer than the TTL (default 0). */
  stretchShare?: number;
  /** Those resolvers' minimum cache time, seconds (Unbound's `cache-min-ttl`; default 3600). */
  'cache-min-ttl'?: number;
}

export interface GeoDnsConfig {
  regions: ClientRegionConfig[];
  datacenters: DatacenterConfig[];
  routing: { policy: RoutingPolicy; ttl?: number };
  health_check?: HealthCheckConfig;
  resolvers?: ResolverConfig;
  soa?: { ttl?: number; minimum?: number };
  /** Client behaviour on a failed connection. */
  client?: {
    /** Retry once at the answer's other address (default false). */
    retry?: boolean;
    /** Seconds a client waits on a dead site before it gives up on the connection (default 1; a client setting). */
    connect_timeout?: number;
  };
  /** Seconds added to every client round trip for the access network (default 0: no published figure). */
  accessRtt?: number;
  /** RTT matrix override, seconds, [client region][datacenter] (default: the shipped AWS matrix). */
  rtt?: number[][];
  /** Width of the timeline's bins, seconds (default 10). */
  bin?: number;
}

export const GEODNS_KEYS = knownKeys<GeoDnsConfig>()([
  'regions',
  'datacenters',
  'routing',
  'health_check',
  'resolvers',
  'soa',
  'client',
  'accessRtt',
  'rtt',
  'bin',
]);
export const REGION_KEYS = knownKeys<ClientRegionConfig>()([
  'name',
  'rate',
  'calledRate',
  'continent',
  'utcOffset',
  'diurnal',
  'peakHour',
]);
export const DATACENTER_KEYS = knownKeys<DatacenterConfig>()([
  'name',
  'region',
  'external',
  'servers',
  'service',
  'failures',
  'weight',
  'failover',
  'geolocation',
  'health_check',
]);
export const HEALTH_CHECK_KEYS = knownKeys<HealthCheckConfig>()([
  'request_interval',
  'failure_threshold',
]);
export const RESOLVER_KEYS = knownKeys<ResolverConfig>()([
  'perRegion',
  'stretchShare',
  'cache-min-ttl',
]);

export interface ResolvedRegion {
  name: string;
  rate: number;
  /** The caller's rate for the caches' start (0: none given, or the region has a `rate`). */
  calledRate: number;
  continent: Continent;
  utcOffset: number;
  diurnal: number;
  peakHour: number;
}

export interface ResolvedDatacenter {
  name: string;
  region: string;
  /** The caller provides the site (called mode): no Station of its own. */
  external: boolean;
  servers: number;
  /** null when `external`. */
  service: Distribution | null;
  failures: ResolvedFailureSpec;
  weight: number;
  failover: FailoverRole | null;
  geolocation: Continent | '*' | null;
  health_check: boolean;
}

export interface ResolvedGeoDnsConfig {
  readonly resolved: true;
  regions: ResolvedRegion[];
  datacenters: ResolvedDatacenter[];
  policy: RoutingPolicy;
  ttl: number;
  request_interval: 10 | 30;
  failure_threshold: number;
  perRegion: number;
  stretchShare: number;
  cacheMinTtl: number;
  /** RFC 2308: min(SOA TTL, SOA MINIMUM). */
  negativeTtl: number;
  retry: boolean;
  connectTimeout: number;
  accessRtt: number;
  /** Seconds, [region][datacenter], access RTT included. */
  rtt: number[][];
  bin: number;
}
