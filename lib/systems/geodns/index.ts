// Public API of lib/systems/geodns: client regions, GeoDNS (Route 53 routing policies, resolver caches, health checks) and datacenters.
export {
  AWS_REGIONS,
  CONTINENTS,
  REGION_CONTINENT,
  awsRttMatrix,
  awsRegionRtt,
  isAwsRegion,
  parseRttCsv,
  rttDataPath,
} from './rtt';
export type { AwsRegion, Continent } from './rtt';
export {
  ROUTING_POLICIES,
  GEODNS_KEYS,
  DATACENTER_KEYS,
  REGION_KEYS,
  HEALTH_CHECK_KEYS,
  RESOLVER_KEYS,
} from './config';
export { resolveGeoDnsConfig } from './resolve';
export type {
  GeoDnsConfig,
  ResolvedGeoDnsConfig,
  ClientRegionConfig,
  DatacenterConfig,
  HealthCheckConfig,
  ResolverConfig,
  RoutingPolicy,
  FailoverRole,
  ResolvedRegion,
  ResolvedDatacenter,
} from './config';
export { Authoritative, NO_ANSWER } from './policies';
export { HealthChecker } from './health';
export { ResolverCaches } from './resolvers';
export type { HealthTarget } from './health';
export { GeoDnsSystem, simulateGeoDns } from './system';
export type { GeoDnsSummary, DatacenterSummary } from './system';
export {
  meanDetectionTime,
  cacheOccupancy,
  expectedFailedRequests,
  expectedRecoveryTime,
  mixtureMean,
  mixtureQuantile,
  mixtureJumpMargin,
  rttMixture,
  survivorUtilisation,
  nPlusOneHeadroom,
} from './theory';
export type { TtlFailoverInput, Mixture } from './theory';
