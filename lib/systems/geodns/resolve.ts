/**
 * Checks a GeoDNS configuration (config.ts: the knobs, their defaults and sources) and fills in
 * every default: regions (a rate of 0 or none: no clients of their own), datacenters and their
 * Route 53 records (an `external` one: no `servers`/`service`, the caller's site), the policy and
 * TTL, health checks, resolvers, negative caching (RFC 2308: min(SOA TTL, MINIMUM)), the clients'
 * retry and the RTT matrix. Every bad value or unknown key is a ParameterError naming its path.
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
import { keyPath, rejectUnknownKeys } from '../common/config';
import { resolveFailureSpec } from '../common/failures';
import {
  AWS_REGIONS,
  type AwsRegion,
  CONTINENTS,
  type Continent,
  REGION_CONTINENT,
  awsRttMatrix,
  isAwsRegion,
} from './rtt';
import {
  DATACENTER_KEYS,
  GEODNS_KEYS,
  HEALTH_CHECK_KEYS,
  REGION_KEYS,
  RESOLVER_KEYS,
  ROUTING_POLICIES,
} from './config';
import type {
  ClientRegionConfig,
  DatacenterConfig,
  GeoDnsConfig,
  ResolvedDatacenter,
  ResolvedGeoDnsConfig,
  ResolvedRegion,
  RoutingPolicy,
} from './config';

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
  const rate = requireNonNegative(`${p}.rate`, r.rate ?? 0);
  if (r.calledRate !== undefined && rate > 0)
    throw new ParameterError(
      `${p}.calledRate`,
      r.calledRate,
      `is only for a called region (no rate of its own); this one has rate = ${rate}`,
    );
  return {
    name: r.name,
    rate,
    calledRate: r.calledRate === undefined ? 0 : requirePositive(`${p}.calledRate`, r.calledRate),
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
