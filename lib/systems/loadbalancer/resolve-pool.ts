/**
 * A load balancer configuration's pools, resolved (part of resolve.ts's checks): the balancing
 * algorithm and its knobs (Envoy `choice_count`, `hash_balance_factor`, MAGLEV `table_size`,
 * HAProxy `hash-type`), HAProxy active checks, Envoy outlier detection and slow start, NGINX
 * `max_fails`, the cookie, the service distribution; every bad value a ParameterError naming
 * `pools.<name>.<key>`.
 */
import { ParameterError, requireInRange, requireInteger, requirePositive } from '../../errors';
import { Exponential } from '../../random/exponential';
import { rejectUnknownKeys } from '../common/config';
import {
  HEALTH_CHECK_DEFAULTS,
  HEALTH_CHECK_KEYS,
  OUTLIER_DEFAULTS,
  OUTLIER_DETECTION_KEYS,
  POOL_KEYS,
  SLOW_START_KEYS,
} from './config';
import type {
  BackendConfig,
  HealthCheckConfig,
  OutlierDetectionConfig,
  PoolConfig,
  ResolvedPool,
  SlowStartConfig,
} from './config';
import { BALANCE_ALGORITHMS } from './policies';
import { requireDistribution, resolveBackend } from './resolve-backend';

function cookieOf(c: unknown, mode: 'L4' | 'L7', where: string): boolean {
  if (c === undefined || c === false) return false;
  if (c !== true) throw new ParameterError(where, c, 'must be true or false');
  if (mode === 'L4')
    throw new ParameterError(where, c, 'needs L7: an L4 balancer cannot see cookies');
  return true;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** Rejects unknown keys of an optional sub-object (`health_check: {...}`; false and undefined are fine). */
export function checkSection(value: unknown, known: readonly string[], path: string): void {
  if (value !== undefined && value !== false && value !== null && typeof value === 'object')
    rejectUnknownKeys(value, known, path);
}

/** Pool i, with its defaults, for a balancer in `mode`. */
export function resolvePool(p: PoolConfig, i: number, mode: 'L4' | 'L7'): ResolvedPool {
  if (p == null || typeof p !== 'object')
    throw new ParameterError(`pools[${i}]`, p, 'must be a pool { name, backends, ... }');
  const named = typeof p.name === 'string' && p.name.length > 0;
  rejectUnknownKeys(p, POOL_KEYS, named ? `pools.${p.name}` : `pools[${i}]`);
  if (!named) throw new ParameterError('pools[].name', p.name, 'must be a non-empty string');
  const where = `pools.${p.name}`;
  checkSection(p.health_check, HEALTH_CHECK_KEYS, `${where}.health_check`);
  checkSection(p.outlier_detection, OUTLIER_DETECTION_KEYS, `${where}.outlier_detection`);
  checkSection(p.slow_start, SLOW_START_KEYS, `${where}.slow_start`);
  const list: BackendConfig[] =
    typeof p.backends === 'number'
      ? Array.from(
          { length: requireInteger(`${where}.backends`, p.backends, 1, 100000) },
          () => ({}),
        )
      : p.backends;
  if (!Array.isArray(list) || list.length === 0)
    throw new ParameterError(
      `${where}.backends`,
      p.backends,
      'must be a number >= 1 or a non-empty array of backends',
    );
  const backends = list.map((b, i) => resolveBackend(p.name, b, i));
  if (new Set(backends.map((b) => b.name)).size !== backends.length)
    throw new ParameterError(
      `${where}.backends`,
      backends.map((b) => b.name),
      'must have distinct names',
    );
  const balance = p.balance ?? 'roundrobin';
  if (!BALANCE_ALGORITHMS.includes(balance))
    throw new ParameterError(
      `${where}.balance`,
      balance,
      `must be one of ${BALANCE_ALGORITHMS.join(', ')}`,
    );
  if (balance === 'static-rr' && !backends.some((b) => Math.round(b.weight) >= 1))
    throw new ParameterError(
      `${where}.backends[].weight`,
      backends.map((b) => b.weight),
      'static-rr needs a server with weight >= 1',
    );
  const hashKeyName = p.hash_key ?? 'source';
  if (hashKeyName !== 'source' && hashKeyName !== 'uri')
    throw new ParameterError(`${where}.hash_key`, hashKeyName, "must be 'source' or 'uri'");
  if (hashKeyName === 'uri' && mode === 'L4')
    throw new ParameterError(
      `${where}.hash_key`,
      'uri',
      'needs L7: an L4 balancer cannot see the URI',
    );
  const hashType = p.hash_type ?? 'map-based';
  if (hashType !== 'map-based' && hashType !== 'consistent')
    throw new ParameterError(`${where}.hash_type`, hashType, "must be 'map-based' or 'consistent'");
  if (hashType === 'consistent' && balance !== 'source')
    throw new ParameterError(
      `${where}.hash_type`,
      hashType,
      "applies to balance 'source' (ring_hash and maglev are consistent already)",
    );
  const tableSize = requireInteger(`${where}.table_size`, p.table_size ?? 65537, 3, 5000011);
  if (!isPrime(tableSize))
    throw new ParameterError(`${where}.table_size`, tableSize, 'must be a prime (Envoy MAGLEV)');
  let health: Required<HealthCheckConfig> | null = null;
  if (p.health_check) {
    const h = p.health_check;
    const inter = requirePositive(
      `${where}.health_check.inter`,
      h.inter ?? HEALTH_CHECK_DEFAULTS.inter,
    );
    health = {
      inter,
      fastinter: requirePositive(`${where}.health_check.fastinter`, h.fastinter ?? inter),
      downinter: requirePositive(`${where}.health_check.downinter`, h.downinter ?? inter),
      rise: requireInteger(
        `${where}.health_check.rise`,
        h.rise ?? HEALTH_CHECK_DEFAULTS.rise,
        1,
        1000,
      ),
      fall: requireInteger(
        `${where}.health_check.fall`,
        h.fall ?? HEALTH_CHECK_DEFAULTS.fall,
        1,
        1000,
      ),
      timeout: requirePositive(`${where}.health_check.timeout`, h.timeout ?? inter),
    };
  } else if (p.health_check !== undefined && p.health_check !== false) {
    throw new ParameterError(`${where}.health_check`, p.health_check, 'must be an object or false');
  }
  let outlier: Required<OutlierDetectionConfig> | null = null;
  if (p.outlier_detection) {
    const o = p.outlier_detection;
    const base = requirePositive(
      `${where}.outlier_detection.base_ejection_time`,
      o.base_ejection_time ?? OUTLIER_DEFAULTS.base_ejection_time,
    );
    outlier = {
      consecutive_5xx: requireInteger(
        `${where}.outlier_detection.consecutive_5xx`,
        o.consecutive_5xx ?? OUTLIER_DEFAULTS.consecutive_5xx,
        1,
        1e9,
      ),
      interval: requirePositive(
        `${where}.outlier_detection.interval`,
        o.interval ?? OUTLIER_DEFAULTS.interval,
      ),
      base_ejection_time: base,
      max_ejection_time: requirePositive(
        `${where}.outlier_detection.max_ejection_time`,
        o.max_ejection_time ?? OUTLIER_DEFAULTS.max_ejection_time,
      ),
      max_ejection_percent: requireInRange(
        `${where}.outlier_detection.max_ejection_percent`,
        o.max_ejection_percent ?? OUTLIER_DEFAULTS.max_ejection_percent,
        0,
        100,
      ),
    };
  }
  let slow: Required<SlowStartConfig> | null = null;
  if (p.slow_start) {
    slow = {
      slow_start_window: requirePositive(
        `${where}.slow_start.slow_start_window`,
        p.slow_start.slow_start_window,
      ),
      aggression: requirePositive(`${where}.slow_start.aggression`, p.slow_start.aggression ?? 1),
      min_weight_percent: requireInRange(
        `${where}.slow_start.min_weight_percent`,
        p.slow_start.min_weight_percent ?? 10,
        0,
        100,
      ),
    };
  }
  const factor = p.hash_balance_factor ?? 0;
  if (!(factor === 0 || (Number.isFinite(factor) && factor > 100)))
    throw new ParameterError(
      `${where}.hash_balance_factor`,
      factor,
      'must be 0 (off) or a percentage > 100',
    );
  return {
    name: p.name,
    backends,
    balance,
    choice_count: requireInteger(`${where}.choice_count`, p.choice_count ?? 2, 1, 1000),
    active_request_bias: requireInRange(
      `${where}.active_request_bias`,
      p.active_request_bias ?? 1,
      0,
      100,
    ),
    hash_balance_factor: factor,
    minimum_ring_size: requireInteger(
      `${where}.minimum_ring_size`,
      p.minimum_ring_size ?? 1024,
      1,
      8388608,
    ),
    hash_key: hashKeyName,
    hash_type: hashType,
    healthy_panic_threshold: requireInRange(
      `${where}.healthy_panic_threshold`,
      p.healthy_panic_threshold ?? 50,
      0,
      100,
    ),
    table_size: tableSize,
    max_fails: requireInteger(`${where}.max_fails`, p.max_fails ?? 0, 0, 1e9),
    fail_timeout: requirePositive(`${where}.fail_timeout`, p.fail_timeout ?? 10),
    cookie: cookieOf(p.cookie, mode, `${where}.cookie`),
    service: requireDistribution(`${where}.service`, p.service ?? new Exponential(10)),
    health_check: health,
    outlier_detection: outlier,
    slow_start: slow,
    decay_time: requirePositive(`${where}.decay_time`, p.decay_time ?? 10),
  };
}
