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
import {
  ParameterError,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requirePositive,
  requireProbability,
} from '../../errors';
import type { Distribution } from '../../random/distribution';
import { keyPath, knownKeys, rejectUnknownKeys } from '../common/config';
import { type FailureSpec, type ResolvedFailureSpec, resolveFailureSpec } from '../common/failures';
import {
  AWS_REGIONS,
  type AwsRegion,
  CONTINENTS,
  type Continent,
  REGION_CONTINENT,
  awsRttMatrix,
  isAwsRegion,
} from './rtt';

export const ROUTING_POLICIES = ['geolocation', 'latency', 'weighted', 'failover'] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];
export type FailoverRole = 'PRIMARY' | 'SECONDARY';

/** Clients in one region. */
export interface ClientRegionConfig {
  /** The AWS region the clients sit next to (their RTTs are that region's row of the matrix). */
  name: string;
  /** Requests per second (the daily mean when `diurnal` > 0); 0 or omitted: no source of its own (called mode), requests come through `GeoDnsSystem.entry`. */
  rate?: number;
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

function isDistribution(d: unknown): d is Distribution {
  return (
    d != null &&
    typeof (d as Distribution).sample === 'function' &&
    typeof (d as Distribution).mean === 'number'
  );
}

function resolveRegion(r: ClientRegionConfig, i: number): ResolvedRegion {
  const p = keyPath('regions', i);
  rejectUnknownKeys(r, REGION_KEYS, p);
  if (typeof r.name !== 'string' || !r.name)
    throw new ParameterError(`${p}.name`, r.name, 'must be a non-empty string');
  const continent = r.continent ?? (isAwsRegion(r.name) ? REGION_CONTINENT[r.name] : undefined);
  if (!(CONTINENTS as readonly string[]).includes(continent as string)) {
    throw new ParameterError(
      `${p}.continent`,
      r.continent,
      `must be one of ${CONTINENTS.join(', ')} (required for a region outside ${AWS_REGIONS.join(', ')})`,
    );
  }
  return {
    name: r.name,
    rate: requireNonNegative(`${p}.rate`, r.rate ?? 0),
    continent: continent as Continent,
    utcOffset: requireInRange(`${p}.utcOffset`, r.utcOffset ?? 0, -12, 14),
    diurnal: requireInRange(`${p}.diurnal`, r.diurnal ?? 0, 0, 1, { maxOpen: true }),
    peakHour: requireInRange(`${p}.peakHour`, r.peakHour ?? 20, 0, 24, { maxOpen: true }),
  };
}

function resolveDatacenter(
  d: DatacenterConfig,
  i: number,
  policy: RoutingPolicy,
): ResolvedDatacenter {
  const p = keyPath('datacenters', i);
  rejectUnknownKeys(d, DATACENTER_KEYS, p);
  if (typeof d.name !== 'string' || !d.name)
    throw new ParameterError(`${p}.name`, d.name, 'must be a non-empty string');
  if (typeof d.region !== 'string' || !d.region)
    throw new ParameterError(`${p}.region`, d.region, 'must be a region name');
  const external = d.external ?? false;
  if (typeof external !== 'boolean')
    throw new ParameterError(`${p}.external`, external, 'must be true or false');
  if (external)
    for (const key of ['servers', 'service'] as const)
      if (d[key] !== undefined)
        throw new ParameterError(
          `${p}.${key}`,
          d[key],
          "must be omitted: an external datacenter is the caller's (system.sites[i].target)",
        );
  if (!external && !isDistribution(d.service))
    throw new ParameterError(
      `${p}.service`,
      d.service,
      'must be a Distribution (service time of one request)',
    );
  const failover = d.failover ?? null;
  if (failover !== null && failover !== 'PRIMARY' && failover !== 'SECONDARY')
    throw new ParameterError(`${p}.failover`, failover, "must be 'PRIMARY' or 'SECONDARY'");
  const geo = d.geolocation ?? null;
  if (geo !== null && geo !== '*' && !(CONTINENTS as readonly string[]).includes(geo))
    throw new ParameterError(
      `${p}.geolocation`,
      geo,
      `must be '*' or one of ${CONTINENTS.join(', ')}`,
    );
  if (policy === 'failover' && failover === null)
    throw new ParameterError(
      `${p}.failover`,
      failover,
      "must be 'PRIMARY' or 'SECONDARY' under the failover policy",
    );
  if (policy === 'geolocation' && geo === null)
    throw new ParameterError(
      `${p}.geolocation`,
      geo,
      "must be a continent code or '*' under the geolocation policy",
    );
  const hc = d.health_check ?? true;
  if (typeof hc !== 'boolean')
    throw new ParameterError(`${p}.health_check`, hc, 'must be true or false');
  return {
    name: d.name,
    region: d.region,
    external,
    servers: requireInteger(`${p}.servers`, d.servers ?? 1, 1, 100000),
    service: external ? null : (d.service as Distribution),
    failures: resolveFailureSpec(d.failures, `${p}.failures`),
    weight: requireInteger(`${p}.weight`, d.weight ?? 1, 0, 255),
    failover: failover,
    geolocation: geo,
    health_check: hc,
  };
}

/** Validates a configuration and fills every default. */
export function resolveGeoDnsConfig(
  config: GeoDnsConfig | ResolvedGeoDnsConfig,
): ResolvedGeoDnsConfig {
  if ((config as ResolvedGeoDnsConfig)?.resolved === true) return config as ResolvedGeoDnsConfig;
  const c = config as GeoDnsConfig;
  rejectUnknownKeys(c, GEODNS_KEYS, '');
  rejectUnknownKeys(c.routing, ['policy', 'ttl'], 'routing');
  const policy = c.routing.policy;
  if (!(ROUTING_POLICIES as readonly string[]).includes(policy))
    throw new ParameterError(
      'routing.policy',
      policy,
      `must be one of ${ROUTING_POLICIES.join(', ')}`,
    );
  const ttl = requireInRange('routing.ttl', c.routing.ttl ?? 300, 0, 2147483647);
  if (!Array.isArray(c.regions) || c.regions.length === 0)
    throw new ParameterError('regions', c.regions, 'must be a non-empty array of client regions');
  if (!Array.isArray(c.datacenters) || c.datacenters.length === 0)
    throw new ParameterError(
      'datacenters',
      c.datacenters,
      'must be a non-empty array of datacenters',
    );
  const regions = c.regions.map(resolveRegion);
  const datacenters = c.datacenters.map((d, i) => resolveDatacenter(d, i, policy));
  const names = new Set<string>();
  datacenters.forEach((d, i) => {
    if (names.has(d.name))
      throw new ParameterError(`datacenters[${i}].name`, d.name, 'must be unique');
    names.add(d.name);
  });
  if (policy === 'failover' && datacenters.filter((d) => d.failover === 'PRIMARY').length !== 1) {
    throw new ParameterError(
      'datacenters',
      datacenters.map((d) => d.failover).join(','),
      'the failover policy needs exactly one PRIMARY record',
    );
  }
  const hc = c.health_check ?? {};
  rejectUnknownKeys(hc, HEALTH_CHECK_KEYS, 'health_check');
  const interval = hc.request_interval ?? 30;
  if (interval !== 10 && interval !== 30)
    throw new ParameterError(
      'health_check.request_interval',
      interval,
      'must be 10 or 30 (Route 53 allows only these)',
    );
  const rs = c.resolvers ?? {};
  rejectUnknownKeys(rs, RESOLVER_KEYS, 'resolvers');
  const soa = c.soa ?? {};
  rejectUnknownKeys(soa, ['ttl', 'minimum'], 'soa');
  const client = c.client ?? {};
  rejectUnknownKeys(client, ['retry', 'connect_timeout'], 'client');
  if (client.retry !== undefined && typeof client.retry !== 'boolean')
    throw new ParameterError('client.retry', client.retry, 'must be true or false');
  const accessRtt = requireNonNegative('accessRtt', c.accessRtt ?? 0);
  let rtt: number[][];
  if (c.rtt !== undefined) {
    if (!Array.isArray(c.rtt) || c.rtt.length !== regions.length)
      throw new ParameterError(
        'rtt',
        c.rtt,
        `must be a ${regions.length} x ${datacenters.length} matrix of seconds [region][datacenter]`,
      );
    rtt = c.rtt.map((row, i) => {
      if (!Array.isArray(row) || row.length !== datacenters.length)
        throw new ParameterError(`rtt[${i}]`, row, `must have ${datacenters.length} entries`);
      return row.map((x, j) => requireNonNegative(`rtt[${i}][${j}]`, x) + accessRtt);
    });
  } else {
    const m = awsRttMatrix();
    const index = (name: string, path: string): number => {
      if (!isAwsRegion(name))
        throw new ParameterError(
          path,
          name,
          `must be one of the regions with published RTTs (${AWS_REGIONS.join(', ')}), or give rtt`,
        );
      return AWS_REGIONS.indexOf(name as AwsRegion);
    };
    rtt = regions.map((r, i) =>
      datacenters.map(
        (d, j) =>
          m[index(r.name, `regions[${i}].name`)][index(d.region, `datacenters[${j}].region`)] +
          accessRtt,
      ),
    );
  }
  const soaTtl = requireNonNegative('soa.ttl', soa.ttl ?? 900);
  const soaMinimum = requireNonNegative('soa.minimum', soa.minimum ?? 86400);
  return {
    resolved: true,
    regions: regions,
    datacenters: datacenters,
    policy: policy,
    ttl: ttl,
    request_interval: interval,
    failure_threshold: requireInteger(
      'health_check.failure_threshold',
      hc.failure_threshold ?? 3,
      1,
      10,
    ),
    perRegion: requireInteger('resolvers.perRegion', rs.perRegion ?? 16, 1, 100000),
    stretchShare: requireProbability('resolvers.stretchShare', rs.stretchShare ?? 0),
    cacheMinTtl: requireNonNegative('resolvers.cache-min-ttl', rs['cache-min-ttl'] ?? 3600),
    negativeTtl: Math.min(soaTtl, soaMinimum),
    retry: client.retry ?? false,
    connectTimeout: requireNonNegative('client.connect_timeout', client.connect_timeout ?? 1),
    accessRtt: accessRtt,
    rtt: rtt,
    bin: requirePositive('bin', c.bin ?? 10),
  };
}
