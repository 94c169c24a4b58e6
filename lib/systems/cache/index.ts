// Public API of lib/systems/cache: caches with eviction policies, a memcached pool in front of a
// database (cache-aside, stampede cures), the hit-ratio closed forms, and the CDN.
export {
  CacheStore,
  LruStore,
  FifoStore,
  RandomStore,
  EVICTION_POLICIES,
  ABSENT,
  FRESH,
  EXPIRED,
} from './store';
export type { EvictionPolicy, CapacityUnit, StoreOptions, StoreCounters } from './store';
export { LfuStore } from './lfu';
export { WTinyLfuStore, FrequencySketch } from './tinylfu';
export { createStore } from './create';
export { SegmentedLruStore } from './segmented';
export { KeyList, Links } from './links';
export { KeySampler, parseTrace, loadTrace, resolvePopularity } from './popularity';
export type { PopularityConfig, ZipfPopularity, TracePopularity, Trace } from './popularity';
export { replay, objectSizes } from './replay';
export type { ReplayOptions, ReplayResult } from './replay';
export {
  zipfPopularity,
  increasingRoot,
  cheLru,
  fifoRandomApproximation,
  lfuTopC,
  ttlHitRatio,
  ttlFetchRate,
  ttlCacheHitRatio,
  ttlCacheFetchRate,
} from './theory';
export type { CacheApproximation } from './theory';
export {
  resolveCacheConfig,
  STAMPEDE_PROTECTIONS,
  CACHE_SYSTEM_KEYS,
  CACHE_TIER_KEYS,
  DATABASE_KEYS,
} from './config';
export type {
  CacheSystemConfig,
  CacheTierConfig,
  DatabaseConfig,
  ResolvedCacheConfig,
  StampedeProtection,
} from './config';
export type { NodeLossLevels } from './pool';
export {
  CachePool,
  CacheNode,
  KETAMA_POINTS_PER_SERVER,
  nodeNames,
  ketamaRing,
  ownersOf,
  poolCheLru,
  hitRatioAfterChange,
  nodeLossLevels,
} from './pool';
export { CacheSystem, simulateCache } from './system';
export type { CacheSystemSummary } from './system';
export { Cdn, simulateCdn } from './cdn';
export type { CdnSummary } from './cdn';
export { resolveCdnConfig, CDN_KEYS, REGION_KEYS, CACHE_CONTROL_KEYS } from './cdn-config';
export type { CdnConfig, RegionConfig, CacheControl, ResolvedCdnConfig } from './cdn-config';
export { cdnOriginRate, cdnStaleShare, cdnHitRatio } from './cdn-theory';
