/**
 * The load balancer simulator (lab 03): balancing algorithms, health checks, failover of an
 * active-passive pair, L4 vs L7, and the application gateway's host/path routing to pools.
 */
export { Server, QUEUE_HISTOGRAM_BINS } from './server';
export type { ServerOptions } from './server';
export { hashKey, hashString, moduloPick, HashRing, ringShares, keysMovedOnRemoval, RING_HASH_DEFAULTS } from './hashing';
export { createPolicy, leastRequestWeight, BALANCE_ALGORITHMS } from './policies';
export type { BalanceAlgorithm, Policy, PolicyOptions, PolicyState } from './policies';
export { routeRequest, selectListener, validateGateway, globMatch, pathOf } from './gateway';
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
export { resolveConfig, HEALTH_CHECK_DEFAULTS, OUTLIER_DEFAULTS } from './config';
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
} from './config';
export { LoadBalancerSystem, simulateLoadBalancer } from './system';
export type { LoadBalancerSummary, BackendSummary, Detection, Ejection, Failover, FailureReason } from './system';
