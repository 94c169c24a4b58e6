/**
 * The load balancer simulator (lab 03): balancing algorithms, health checks, failover of an
 * active-passive pair, L4 vs L7, and the application gateway's host/path routing to pools.
 */
export { Backend, QUEUE_HISTOGRAM_BINS } from './backend';
export type { BackendLinks } from './backend';
export {
  hashKey,
  hashString,
  moduloPick,
  HashRing,
  ringShares,
  keysMovedOnRemoval,
  RING_HASH_DEFAULTS,
  HAPROXY_POINTS_PER_WEIGHT,
} from './hashing';
export type { HashRingOptions } from './hashing';
export { createPolicy, leastRequestWeight, BALANCE_ALGORITHMS } from './policies';
export type { BalanceAlgorithm, Policy, PolicyOptions, PolicyState } from './policies';
export {
  routeRequest,
  selectListener,
  validateGateway,
  globMatch,
  pathOf,
  GATEWAY_KEYS,
  LISTENER_KEYS,
  ROUTE_RULE_KEYS,
} from './gateway';
export type { GatewayConfig, Listener, RouteRule, RouteMatch } from './gateway';
export { masterDownInterval, skewTime, VRRP_DEFAULTS } from './vrrp';
export {
  erlangKSigma,
  roundRobinErlang,
  randomSplit,
  supermarketTail,
  supermarketMeanResponse,
  pooledBound,
  detectionDelay,
  l4PinnedImbalance,
  expectedKeysMoved,
} from './theory';
export type { HashScheme } from './theory';
export {
  HEALTH_CHECK_DEFAULTS,
  OUTLIER_DEFAULTS,
  LOAD_BALANCER_KEYS,
  CLIENT_KEYS,
  REQUEST_CLASS_KEYS,
  BALANCER_KEYS,
  PAIR_KEYS,
  POOL_KEYS,
  BACKEND_KEYS,
  HEALTH_CHECK_KEYS,
  OUTLIER_DETECTION_KEYS,
  SLOW_START_KEYS,
  OUTAGE_KEYS,
} from './config';
export { resolveConfig, resolveLoadBalancerConfig } from './resolve';
export type {
  LoadBalancerConfig,
  PoolConfig,
  BackendConfig,
  ClientConfig,
  BalancerConfig,
  PairConfig,
  HealthCheckConfig,
  OutlierDetectionConfig,
  SlowStartConfig,
  RequestClass,
  Outage,
  ResolvedConfig,
  FailureMode,
} from './config';
export { LoadBalancerSystem, simulateLoadBalancer } from './system';
export { Clients } from './clients';
export { Connections } from './connections';
export { Dispatcher } from './dispatch';
export { PoolView } from './pool';
export { ActiveChecks, OutlierDetection, NginxMaxFails } from './health';
export { MaglevTable, MAGLEV_TABLE_SIZE } from './maglev';
export { BalancerPair } from './pair';
export { LbStatistics, FAILURE_REASONS } from './stats';
export type { LoadBalancerSummary, BackendSummary } from './summary';
export type { Detection, Ejection } from './health';
export type { Failover } from './pair';
export type { FailureReason } from './stats';
