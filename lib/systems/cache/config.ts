/**
 * The cache system's configuration (a web tier calling a memcached pool and, on a miss, the
 * database), with memcached's and Facebook's names where they exist: `exptime` (item expiry,
 * seconds, 0 = never; memcached takes up to 30 days relative), `-m` as `capacity` with
 * `unit: 'bytes'`, ketama consistent hashing as the clients' `hashing`, leases (Nishtala et al.,
 * "Scaling Memcache at Facebook", NSDI 2013). Resolved and validated once by
 * {@link resolveCacheConfig}; every bad value is a ParameterError naming its path.
 */
import {
  ParameterError,
  requireInteger,
  requireNonNegative,
  requirePositive,
  requireProbability,
} from '../../errors';
import type { Distribution } from '../../random/distribution';
import { Exponential } from '../../random/exponential';
import { knownKeys, keyPath, rejectUnknownKeys } from '../common/config';
import { resolveFailureSpec, type FailureSpec, type ResolvedFailureSpec } from '../common/failures';
import { resolvePopularity, type PopularityConfig } from './popularity';
import { EVICTION_POLICIES, type CapacityUnit, type EvictionPolicy } from './store';
import { requireDelayDistribution } from '../../sim/delays';

/** How concurrent misses on one key are handled (the stampede cures). */
export type StampedeProtection = 'none' | 'single-flight' | 'lease' | 'xfetch';
export const STAMPEDE_PROTECTIONS: readonly StampedeProtection[] = [
  'none',
  'single-flight',
  'lease',
  'xfetch',
];

export interface CacheTierConfig {
  /** memcached servers in the pool (default 1). */
  nodes?: number;
  /** How clients shard keys: 'ketama' (consistent hashing, libmemcached's default distribution for ketama clients) or 'modulo'. */
  hashing?: 'ketama' | 'modulo';
  /** Eviction policy of each node (memcached: a segmented LRU, close to 'lru'; default 'lru'). */
  policy?: EvictionPolicy;
  /** Capacity of each node, in objects or bytes (memcached `-m` is bytes: 64 MB by default). */
  capacity: number;
  unit?: CapacityUnit;
  /** Object sizes in bytes (with unit 'bytes'): one draw per object. */
  objectSize?: Distribution;
  /** Item expiry (memcached `exptime`), seconds; 0 = never (default). */
  exptime?: number;
  /** Round trip web server <-> memcached, seconds (default 0.0005). */
  latency?: number;
  /** Stampede protection (default 'none'). */
  stampede?: StampedeProtection;
  /** Leases: a waiting client retries after `retry` s; a lease lapses after `timeout` s (FB: 10 s); `stale` serves the expired value meanwhile. */
  lease?: { retry?: number; timeout?: number; stale?: boolean };
  /** XFetch's β (default 1; larger refreshes earlier). */
  xfetch?: { beta?: number };
  /** Failures of each node (one spec for all, or one per node): a crash empties the node. */
  failures?: FailureSpec | FailureSpec[];
  /** memcached's worker threads (`-t`, default 4), the servers of a node when `serviceTime` is given. */
  threads?: number;
  /** A get's time on a worker thread: with it, each node is a processor-sharing Station of `threads` servers (queueing); without, a get is the round trip `latency` only. */
  serviceTime?: Distribution;
}

export const CACHE_TIER_KEYS = knownKeys<CacheTierConfig>()([
  'nodes',
  'hashing',
  'policy',
  'capacity',
  'unit',
  'objectSize',
  'exptime',
  'latency',
  'stampede',
  'lease',
  'xfetch',
  'failures',
  'threads',
  'serviceTime',
]);

export interface DatabaseConfig {
  /** Connections served at once (the M/M/c's c; default 8). */
  servers?: number;
  /** Query time per read (default exponential, mean 10 ms). */
  service?: Distribution;
  /** Queue limit, waiting plus in service (default unlimited). */
  capacity?: number;
  /** Client-side query timeout, seconds (default Infinity). */
  timeout?: number;
  failures?: FailureSpec;
}

export const DATABASE_KEYS = knownKeys<DatabaseConfig>()([
  'servers',
  'service',
  'capacity',
  'timeout',
  'failures',
]);

export interface CacheSystemConfig {
  /**
   * Poisson read and write requests per second at the web tier. Omitted: the cache is called by
   * another component (reads through `entry`, keys set with `setKey`; lib/systems/README.md
   * "Components called by others"), and `writes` must be omitted too.
   */
  rate?: number;
  /** The keys' popularity (required with `rate`; with a called cache, optional: the caller picks the keys). */
  popularity?: PopularityConfig;
  /** Prefix of the streams and failure names (default 'cache'), so two pools in one simulation draw apart. */
  name?: string;
  cache: CacheTierConfig;
  database?: DatabaseConfig;
  /** 'cache-aside' (the web server fills the cache after a miss) or 'read-through' (the cache loads, coalescing concurrent loads). */
  pattern?: 'cache-aside' | 'read-through';
  /** Share of requests that are writes, and what a write does to the cache: delete the key ('invalidate', default) or set the new value ('update'). */
  writes?: { fraction: number; onWrite?: 'invalidate' | 'update' };
  /** Bin width (s) of the hit-ratio time series (default: none). */
  interval?: number;
}

export const CACHE_SYSTEM_KEYS = knownKeys<CacheSystemConfig>()([
  'rate',
  'popularity',
  'name',
  'cache',
  'database',
  'pattern',
  'writes',
  'interval',
]);

export interface ResolvedCacheConfig {
  /** True when called by another component (no `rate`); `rate` is then 0. */
  called: boolean;
  name: string;
  rate: number;
  popularity: PopularityConfig | null;
  threads: number;
  serviceTime: Distribution | null;
  nodes: number;
  hashing: 'ketama' | 'modulo';
  policy: EvictionPolicy;
  capacity: number;
  unit: CapacityUnit;
  objectSize: Distribution | null;
  exptime: number;
  latency: number;
  stampede: StampedeProtection;
  lease: { retry: number; timeout: number; stale: boolean };
  beta: number;
  nodeFailures: ResolvedFailureSpec[];
  db: {
    servers: number;
    service: Distribution;
    capacity: number;
    timeout: number;
    failures: ResolvedFailureSpec;
  };
  pattern: 'cache-aside' | 'read-through';
  writeFraction: number;
  onWrite: 'invalidate' | 'update';
  interval: number;
}

function oneOf<T extends string>(path: string, v: unknown, allowed: readonly T[], def: T): T {
  if (v === undefined) return def;
  if (!allowed.includes(v as T))
    throw new ParameterError(path, v, `must be one of ${allowed.join(', ')}`);
  return v as T;
}

function distribution(path: string, d: unknown, def: Distribution): Distribution {
  if (d === undefined) return def;
  if (d == null || typeof (d as Distribution).sample !== 'function')
    throw new ParameterError(path, d, 'must be a Distribution (lib/random)');
  return requireDelayDistribution(path, d, { positive: false }); // a duration or a size: no value below 0
}

export function resolveCacheConfig(c: CacheSystemConfig): ResolvedCacheConfig {
  rejectUnknownKeys(c, CACHE_SYSTEM_KEYS, '');
  const called = c.rate === undefined;
  if (called && c.writes !== undefined)
    throw new ParameterError(
      'writes',
      c.writes,
      'must be omitted in a called cache (no rate): the caller sends reads to its entry',
    );
  const rate = called ? 0 : requirePositive('rate', c.rate);
  const popularity =
    called && c.popularity === undefined
      ? null
      : resolvePopularity(c.popularity as PopularityConfig, 'popularity');
  const name = c.name ?? 'cache';
  if (!(typeof name === 'string' && name.length > 0))
    throw new ParameterError('name', name, 'must be a non-empty string');
  const t = c.cache;
  rejectUnknownKeys(t, CACHE_TIER_KEYS, 'cache');
  const nodes = requireInteger('cache.nodes', t.nodes ?? 1, 1, 1000);
  const unit = oneOf<CapacityUnit>('cache.unit', t.unit, ['objects', 'bytes'], 'objects');
  const capacity =
    unit === 'objects'
      ? requireInteger('cache.capacity', t.capacity, 1, 2 ** 30)
      : requirePositive('cache.capacity', t.capacity);
  if (unit === 'objects' && t.objectSize !== undefined)
    throw new ParameterError('cache.objectSize', t.objectSize.label, "needs unit 'bytes'");
  const lease = t.lease ?? {};
  rejectUnknownKeys(lease, ['retry', 'timeout', 'stale'], 'cache.lease');
  const xf = t.xfetch ?? {};
  rejectUnknownKeys(xf, ['beta'], 'cache.xfetch');
  const failuresIn = t.failures;
  let nodeFailures: ResolvedFailureSpec[];
  if (Array.isArray(failuresIn)) {
    if (failuresIn.length !== nodes)
      throw new ParameterError(
        'cache.failures',
        failuresIn.length,
        `must hold one spec per node (${nodes}) or be one spec for all`,
      );
    nodeFailures = failuresIn.map((f, i) => resolveFailureSpec(f, `cache.failures[${i}]`));
  } else {
    const one = resolveFailureSpec(failuresIn, 'cache.failures');
    nodeFailures = Array.from({ length: nodes }, () => one);
  }
  const d = c.database ?? {};
  rejectUnknownKeys(d, DATABASE_KEYS, 'database');
  const servers = requireInteger('database.servers', d.servers ?? 8, 1, 1e6);
  const dbCap = d.capacity ?? Infinity;
  if (dbCap !== Infinity) requireInteger('database.capacity', dbCap, servers);
  const timeout = d.timeout ?? Infinity;
  if (timeout !== Infinity) requirePositive('database.timeout', timeout);
  const w = c.writes ?? { fraction: 0 };
  rejectUnknownKeys(w, ['fraction', 'onWrite'], 'writes');
  const interval = c.interval ?? 0;
  if (interval !== 0) requirePositive('interval', interval);
  return {
    called,
    name,
    rate,
    popularity,
    threads: requireInteger('cache.threads', t.threads ?? 4, 1, 1024),
    serviceTime:
      t.serviceTime === undefined
        ? null
        : distribution('cache.serviceTime', t.serviceTime, Exponential.withMean(1e-4)),
    nodes,
    hashing: oneOf('cache.hashing', t.hashing, ['ketama', 'modulo'], 'ketama'),
    policy: oneOf('cache.policy', t.policy, EVICTION_POLICIES, 'lru'),
    capacity,
    unit,
    objectSize:
      unit === 'bytes'
        ? distribution('cache.objectSize', t.objectSize, Exponential.withMean(1000))
        : null,
    exptime: requireNonNegative('cache.exptime', t.exptime ?? 0),
    latency: requireNonNegative('cache.latency', t.latency ?? 0.0005),
    stampede: oneOf('cache.stampede', t.stampede, STAMPEDE_PROTECTIONS, 'none'),
    lease: {
      retry: requirePositive('cache.lease.retry', lease.retry ?? 0.01),
      timeout: requirePositive('cache.lease.timeout', lease.timeout ?? 10),
      stale: lease.stale ?? false,
    },
    beta: requirePositive('cache.xfetch.beta', xf.beta ?? 1),
    nodeFailures,
    db: {
      servers,
      service: distribution('database.service', d.service, Exponential.withMean(0.01)),
      capacity: dbCap,
      timeout,
      failures: resolveFailureSpec(d.failures, keyPath('database', 'failures')),
    },
    pattern: oneOf('pattern', c.pattern, ['cache-aside', 'read-through'], 'cache-aside'),
    writeFraction: requireProbability('writes.fraction', w.fraction),
    onWrite: oneOf('writes.onWrite', w.onWrite, ['invalidate', 'update'], 'invalidate'),
    interval,
  };
}
