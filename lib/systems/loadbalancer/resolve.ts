/**
 * Checks a load balancer configuration and fills in its defaults (config.ts lists the knobs and
 * their sources). Every bad value is a ParameterError naming the field (`pools.web.health_check.fall`)
 * and every unknown key one too, with the nearest known key suggested (`pools.web.health_check.inetr`:
 * did you mean "inter"?). Failures (`failures`, `mttf`/`mttr`) become the shared failure process's
 * specs (lib/systems/common/failures.ts).
 */
import {
  ParameterError,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requirePositive,
} from '../../errors';
import type { Distribution } from '../../random/distribution';
import { Exponential } from '../../random/exponential';
import { rejectUnknownKeys } from '../common/config';
import { resolveFailureSpec } from '../common/failures';
import type { Outage } from '../common/failures';
import {
  BACKEND_KEYS,
  BALANCER_KEYS,
  CLIENT_KEYS,
  HEALTH_CHECK_DEFAULTS,
  HEALTH_CHECK_KEYS,
  LOAD_BALANCER_KEYS,
  OUTAGE_KEYS,
  OUTLIER_DEFAULTS,
  OUTLIER_DETECTION_KEYS,
  PAIR_KEYS,
  POOL_KEYS,
  REQUEST_CLASS_KEYS,
  RETRY_BUDGET_KEYS,
  SLOW_START_KEYS,
} from './config';
import type {
  BackendConfig,
  HealthCheckConfig,
  LoadBalancerConfig,
  OutlierDetectionConfig,
  PairConfig,
  PoolConfig,
  ResolvedBackend,
  ResolvedClass,
  ResolvedConfig,
  ResolvedPool,
  SlowStartConfig,
} from './config';
import { routeRequest, validateGateway } from './gateway';
import { BALANCE_ALGORITHMS } from './policies';
import { VRRP_DEFAULTS } from './vrrp';
import { requireDelayDistribution } from '../../sim/delays';

function requireDistribution(name: string, d: unknown): Distribution {
  if (d == null || typeof (d as Distribution).sample !== 'function')
    throw new ParameterError(name, d, 'must be a Distribution (e.g. new Exponential(10))');
  return requireDelayDistribution(name, d, { positive: false }); // a duration: no value below 0
}

function outages(name: string, list: unknown): Outage[] {
  if (list === undefined) return [];
  if (!Array.isArray(list))
    throw new ParameterError(name, list, 'must be an array of { at, duration }');
  return list.map((o, i) => {
    if (o == null || typeof o !== 'object')
      throw new ParameterError(`${name}[${i}]`, o, 'must be { at, duration }');
    rejectUnknownKeys(o, OUTAGE_KEYS, `${name}[${i}]`);
    return {
      at: requireNonNegative(`${name}[${i}].at`, (o as Outage).at),
      duration: requirePositive(`${name}[${i}].duration`, (o as Outage).duration),
    };
  });
}

function resolveBackend(pool: string, b: BackendConfig, i: number): ResolvedBackend {
  const where = `pools.${pool}.backends[${i}]`;
  if (b == null || typeof b !== 'object')
    throw new ParameterError(where, b, 'must be a backend { speed, weight, ... }');
  rejectUnknownKeys(b, BACKEND_KEYS, where);
  const mttf = b.mttf === undefined ? Infinity : requirePositive(`${where}.mttf`, b.mttf);
  const mttr =
    b.mttr === undefined
      ? mttf === Infinity
        ? Infinity
        : NaN
      : requirePositive(`${where}.mttr`, b.mttr);
  if (Number.isNaN(mttr))
    throw new ParameterError(`${where}.mttr`, undefined, 'must be given with mttf');
  if (mttf === Infinity && b.mttr !== undefined)
    throw new ParameterError(`${where}.mttf`, undefined, 'must be given with mttr');
  if (mttf !== Infinity && b.failures !== undefined && b.failures.length > 0)
    throw new ParameterError(
      `${where}.failures`,
      b.failures,
      'give either a failure schedule or mttf/mttr, not both',
    );
  const failures = outages(`${where}.failures`, b.failures);
  const mode = b.failure_mode ?? 'blackhole';
  if (mode !== 'blackhole' && mode !== 'crash')
    throw new ParameterError(
      `${where}.failure_mode`,
      mode,
      "must be 'blackhole' (timeouts) or 'crash' (port closed: refused at once)",
    );
  return {
    name: b.name ?? `${pool}-${i}`,
    speed: requirePositive(`${where}.speed`, b.speed ?? 1),
    weight: requireInRange(`${where}.weight`, b.weight ?? 1, 0, 256),
    workers: requireInteger(`${where}.workers`, b.workers ?? 1, 1, 100000),
    failures,
    mttf,
    mttr,
    failure_mode: mode,
    maxconn:
      b.maxconn === undefined || b.maxconn === 0
        ? Infinity
        : requireInteger(`${where}.maxconn`, b.maxconn, 1, 1e9),
    failure: resolveFailureSpec(mttf === Infinity ? { outages: failures } : { mttf, mttr }, where),
  };
}

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
function checkSection(value: unknown, known: readonly string[], path: string): void {
  if (value !== undefined && value !== false && value !== null && typeof value === 'object')
    rejectUnknownKeys(value, known, path);
}

function resolvePool(p: PoolConfig, i: number, mode: 'L4' | 'L7'): ResolvedPool {
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

/** Checks a configuration and fills in the defaults; every bad field or unknown key is a ParameterError naming it. */
export function resolveLoadBalancerConfig(config: LoadBalancerConfig): ResolvedConfig {
  if (config == null || typeof config !== 'object')
    throw new ParameterError('config', config, 'must be a load balancer configuration object');
  rejectUnknownKeys(config, LOAD_BALANCER_KEYS, '');
  const mode = config.mode;
  if (mode !== 'L4' && mode !== 'L7')
    throw new ParameterError('mode', mode, "must be 'L4' or 'L7'");
  if (!Array.isArray(config.pools) || config.pools.length === 0)
    throw new ParameterError('pools', config.pools, 'must be a non-empty array of pools');
  const pools = config.pools.map((p, i) => resolvePool(p, i, mode));
  const names = pools.map((p) => p.name);
  if (new Set(names).size !== names.length)
    throw new ParameterError('pools[].name', names, 'must be distinct');
  if (config.gateway !== undefined) {
    if (mode === 'L4')
      throw new ParameterError(
        'gateway',
        'routes',
        'needs L7: an L4 balancer cannot see hosts or paths',
      );
    validateGateway(config.gateway, names);
  }
  const c = config.clients;
  if (c != null && typeof c === 'object') rejectUnknownKeys(c, CLIENT_KEYS, 'clients');
  if (c == null || (c.model !== 'open' && c.model !== 'closed'))
    throw new ParameterError('clients.model', c?.model, "must be 'open' or 'closed'");
  const open = c.model === 'open';
  const rate = open ? requirePositive('clients.rate', c.rate) : NaN;
  const users = open ? 0 : requireInteger('clients.users', c.users, 1, 10000000);
  const clients = open ? requireInteger('clients.clients', c.clients ?? 65536, 1, 10000000) : users;
  const rpc = c.requests_per_connection ?? (open ? 1 : Infinity);
  if (!(rpc === Infinity || (Number.isInteger(rpc) && rpc >= 1)))
    throw new ParameterError(
      'clients.requests_per_connection',
      rpc,
      'must be an integer >= 1 or Infinity',
    );
  const think = open
    ? new Exponential(1)
    : requireDistribution('clients.think', c.think ?? new Exponential(1));
  const mixIn = c.mix ?? [{ path: '/', weight: 1 }];
  if (!Array.isArray(mixIn) || mixIn.length === 0)
    throw new ParameterError('clients.mix', mixIn, 'must be a non-empty array of { path, weight }');
  const mix: ResolvedClass[] = mixIn.map((m, i) => {
    if (m != null && typeof m === 'object')
      rejectUnknownKeys(m, REQUEST_CLASS_KEYS, `clients.mix[${i}]`);
    if (m == null || typeof m.path !== 'string' || !m.path.startsWith('/'))
      throw new ParameterError(
        `clients.mix[${i}].path`,
        m?.path,
        "must be a request target starting with '/'",
      );
    const pool = config.gateway ? routeRequest(config.gateway, m.host, m.path) : pools[0].name;
    return {
      path: m.path,
      host: m.host,
      weight: requirePositive(`clients.mix[${i}].weight`, m.weight),
      work: m.work === undefined ? null : requireDistribution(`clients.mix[${i}].work`, m.work),
      pool: pool === null ? -1 : names.indexOf(pool),
    };
  });
  const b = config.balancer ?? {};
  rejectUnknownKeys(b, BALANCER_KEYS, 'balancer');
  checkSection(b.pair, PAIR_KEYS, 'balancer.pair');
  let pair: Required<PairConfig> | null = null;
  if (b.pair) {
    const backup = requireInteger(
      'balancer.pair.priority',
      b.pair.priority ?? VRRP_DEFAULTS.priority,
      1,
      254,
    );
    pair = {
      advert_int: requirePositive(
        'balancer.pair.advert_int',
        b.pair.advert_int ?? VRRP_DEFAULTS.advert_int,
      ),
      priority: backup,
      master_priority: requireInteger(
        'balancer.pair.master_priority',
        b.pair.master_priority ?? 200,
        backup + 1,
        255,
      ),
      version: b.pair.version ?? VRRP_DEFAULTS.version,
      preempt: b.pair.preempt ?? true,
    };
    if (pair.version !== 2 && pair.version !== 3)
      throw new ParameterError('balancer.pair.version', pair.version, 'must be 2 or 3');
  }
  const workers = requireInteger('balancer.workers', b.workers ?? 1, 1, 100000);
  const maxconn = b.maxconn ?? Infinity;
  if (maxconn !== Infinity) requireInteger('balancer.maxconn', maxconn, workers);
  for (const p of pools) {
    const limited = p.backends.findIndex((x) => x.maxconn !== Infinity);
    if (limited >= 0 && mode === 'L4')
      throw new ParameterError(
        `pools.${p.name}.backends[${limited}].maxconn`,
        p.backends[limited].maxconn,
        'needs L7 here (server maxconn queues requests)',
      );
  }
  const retries = config.retries ?? (mode === 'L7' ? 1 : 0);
  requireInteger('retries', retries, 0, 100);
  if (mode === 'L4' && retries > 0)
    throw new ParameterError(
      'retries',
      retries,
      'must be 0 at L4: an L4 balancer cannot retry a single request',
    );
  const retryOn = config.retry_on ?? 'connect-failure';
  if (retryOn !== 'connect-failure' && retryOn !== '5xx')
    throw new ParameterError('retry_on', retryOn, "must be 'connect-failure' or '5xx'");
  let budget: { budget_percent: number; min_retry_concurrency: number } | null = null;
  if (config.retry_budget !== undefined) {
    const rb = config.retry_budget;
    if (rb == null || typeof rb !== 'object')
      throw new ParameterError(
        'retry_budget',
        rb,
        'must be { budget_percent, min_retry_concurrency }',
      );
    rejectUnknownKeys(rb, RETRY_BUDGET_KEYS, 'retry_budget');
    budget = {
      budget_percent: requireInRange(
        'retry_budget.budget_percent',
        rb.budget_percent ?? 20,
        0,
        100,
      ),
      min_retry_concurrency: requireInteger(
        'retry_budget.min_retry_concurrency',
        rb.min_retry_concurrency ?? 3,
        0,
        1e9,
      ),
    };
  }
  const balancerFailures = outages('balancer.failures', b.failures);
  return {
    resolved: true,
    mode,
    clients: { model: c.model, rate, clients, users, think, requests_per_connection: rpc, mix },
    balancer: {
      service: b.service === undefined ? null : requireDistribution('balancer.service', b.service),
      workers,
      maxconn,
      failures: balancerFailures,
      failure: resolveFailureSpec({ outages: balancerFailures }, 'balancer'),
      pair,
    },
    pools,
    retries,
    retry_on: retryOn,
    retry_budget: budget,
    fail_open: config.fail_open ?? true,
    timeout_connect: requirePositive('timeout_connect', config.timeout_connect ?? 5),
    timeout_queue: requirePositive(
      'timeout_queue',
      config.timeout_queue ?? config.timeout_connect ?? 5,
    ),
    timeout_server: requirePositive('timeout_server', config.timeout_server ?? 30),
    timeline_bin:
      config.timeline_bin === undefined ? 0 : requirePositive('timeline_bin', config.timeline_bin),
  };
}

/** The same as {@link resolveLoadBalancerConfig} (its earlier name). */
export const resolveConfig = resolveLoadBalancerConfig;
