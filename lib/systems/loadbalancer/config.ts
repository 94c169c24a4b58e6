/**
 * The load balancer simulator's configuration: real knob names, their real defaults (with the
 * product they come from), and validation that names the bad field (ParameterError). Times are
 * in seconds (HAProxy writes `inter 2000` in milliseconds: here `inter: 2`).
 */
import { ParameterError, requireInRange, requireInteger, requireNonNegative, requirePositive } from '../../errors';
import type { Distribution } from '../../random/distribution';
import { Exponential } from '../../random/exponential';
import type { GatewayConfig } from './gateway';
import { routeRequest, validateGateway } from './gateway';
import { BALANCE_ALGORITHMS } from './policies';
import type { BalanceAlgorithm } from './policies';
import { VRRP_DEFAULTS } from './vrrp';

/** A scheduled outage: down at `at`, back `duration` later. */
export interface Outage {
  at: number;
  duration: number;
}

export interface BackendConfig {
  name?: string;
  /** Service speed: a request's work divided by it is its service time (default 1). */
  speed?: number;
  /** HAProxy `weight` (default 1, 0-256; 0 = no new traffic). */
  weight?: number;
  /** Concurrent workers (default 1). */
  workers?: number;
  /** Scheduled crashes. */
  failures?: Outage[];
  /** Mean time to failure: exponential failures when given (with `mttr`). */
  mttf?: number;
  /** Mean time to repair (exponential). */
  mttr?: number;
}

/** HAProxy active health check (`check`): defaults `inter` 2 s, `rise` 2, `fall` 3, `fastinter` = `downinter` = `inter`, `timeout check` = `inter`. */
export interface HealthCheckConfig {
  inter?: number;
  fastinter?: number;
  downinter?: number;
  rise?: number;
  fall?: number;
  /** `timeout check`: a check of a dead server fails this long after it starts, at most `inter` (HAProxy connects with min(timeout connect, inter)). */
  timeout?: number;
}

export const HEALTH_CHECK_DEFAULTS = { inter: 2, rise: 2, fall: 3 } as const;

/** Envoy outlier detection (consecutive 5xx): defaults `consecutive_5xx` 5, `interval` 10 s, `base_ejection_time` 30 s, `max_ejection_time` 300 s, `max_ejection_percent` 10. */
export interface OutlierDetectionConfig {
  consecutive_5xx?: number;
  interval?: number;
  base_ejection_time?: number;
  max_ejection_time?: number;
  max_ejection_percent?: number;
}

export const OUTLIER_DEFAULTS = { consecutive_5xx: 5, interval: 10, base_ejection_time: 30, max_ejection_time: 300, max_ejection_percent: 10 } as const;

/** Envoy `slow_start_config`: weight x max(`min_weight_percent`/100, (max(t, 1)/`slow_start_window`)^(1/`aggression`)); defaults aggression 1.0, min_weight_percent 10. */
export interface SlowStartConfig {
  slow_start_window: number;
  aggression?: number;
  min_weight_percent?: number;
}

export interface PoolConfig {
  name: string;
  /** The backends, or their number (all alike, speed 1, weight 1). */
  backends: BackendConfig[] | number;
  /** The algorithm (default `roundrobin`). */
  balance?: BalanceAlgorithm;
  choice_count?: number;
  active_request_bias?: number;
  hash_balance_factor?: number;
  minimum_ring_size?: number;
  /** What `source`/`ring_hash` hash: the client address (default) or the request URI (L7 only). */
  hash_key?: 'source' | 'uri';
  /** Work of a request at speed 1 (default exponential, mean 0.1 s), unless the request's class says otherwise. */
  service?: Distribution;
  /** Active checks (HAProxy); omitted or false: none, the balancer believes every server is up. */
  health_check?: HealthCheckConfig | false;
  /** Passive checks (Envoy outlier detection); omitted or false: none. */
  outlier_detection?: OutlierDetectionConfig | false;
  slow_start?: SlowStartConfig | false;
  /** Decay time of `least_time`'s EWMA of response times (Finagle `decayTime`, default 10 s). */
  decay_time?: number;
}

/** One kind of request in the mix: its target (path and query), host, share and work. */
export interface RequestClass {
  path: string;
  host?: string;
  weight: number;
  /** Work at speed 1 (default: the pool's `service`). */
  work?: Distribution;
}

export interface ClientConfig {
  /** Open arrivals (Poisson requests) or a closed population of users with think time. */
  model: 'open' | 'closed';
  /** Open: requests per second. */
  rate?: number;
  /** Open: distinct client addresses, each with its own connection (default 65536). */
  clients?: number;
  /** Closed: number of users, each its own client address. */
  users?: number;
  /** Closed: think time between a response and the next request (default exponential, mean 1 s). */
  think?: Distribution;
  /** Requests a connection carries before it closes (keep-alive); default 1 for open, Infinity for closed. */
  requests_per_connection?: number;
  /** Request classes (paths, hosts); default one class `/` to the first pool. */
  mix?: RequestClass[];
}

export interface BalancerConfig {
  /** Time the balancer spends per request; omitted: none (the balancer never queues). */
  service?: Distribution;
  /** Balancer workers (default 1). */
  workers?: number;
  /** HAProxy global `maxconn`: requests inside the balancer at once; more are refused (default Infinity). */
  maxconn?: number;
  /** Crashes of the (master) balancer node. */
  failures?: Outage[];
  /** An active-passive pair with VRRP (keepalived); omitted or false: a single balancer. */
  pair?: PairConfig | false;
}

/** keepalived VRRP instance of the pair: `advert_int` 1 s; the backup's `priority` 100; the master's 200; VRRPv3; `preempt` on. */
export interface PairConfig {
  advert_int?: number;
  priority?: number;
  master_priority?: number;
  version?: 2 | 3;
  preempt?: boolean;
}

export interface LoadBalancerConfig {
  /** L4 picks a backend per connection; L7 per request (and can route, retry). */
  mode: 'L4' | 'L7';
  clients: ClientConfig;
  balancer?: BalancerConfig;
  pools: PoolConfig[];
  /** L7 only: host/path routing to pools (the application gateway). */
  gateway?: GatewayConfig;
  /** L7: retries of a request whose backend refused the connection, on another backend (HAProxy `retries` with `option redispatch`); default 1 at L7, 0 at L4. */
  retries?: number;
  /** Route to every backend when all are marked down (ALB fail-open, Envoy panic mode); default true. */
  fail_open?: boolean;
  /** Width of the timeline's bins (s); omitted: no timeline. */
  timeline_bin?: number;
}

/** A checked configuration with every default filled in. */
export interface ResolvedBackend {
  name: string;
  speed: number;
  weight: number;
  workers: number;
  failures: Outage[];
  mttf: number;
  mttr: number;
}

export interface ResolvedPool {
  name: string;
  backends: ResolvedBackend[];
  balance: BalanceAlgorithm;
  choice_count: number;
  active_request_bias: number;
  hash_balance_factor: number;
  minimum_ring_size: number;
  hash_key: 'source' | 'uri';
  service: Distribution;
  health_check: Required<HealthCheckConfig> | null;
  outlier_detection: Required<OutlierDetectionConfig> | null;
  slow_start: Required<SlowStartConfig> | null;
  decay_time: number;
}

export interface ResolvedClass {
  path: string;
  host: string | undefined;
  weight: number;
  work: Distribution | null;
  /** Pool index, or -1 when the gateway does not route it. */
  pool: number;
}

export interface ResolvedConfig {
  mode: 'L4' | 'L7';
  clients: { model: 'open' | 'closed'; rate: number; clients: number; users: number; think: Distribution; requests_per_connection: number; mix: ResolvedClass[] };
  balancer: { service: Distribution | null; workers: number; maxconn: number; failures: Outage[]; pair: Required<PairConfig> | null };
  pools: ResolvedPool[];
  retries: number;
  fail_open: boolean;
  timeline_bin: number;
}

function requireDistribution(name: string, d: unknown): Distribution {
  if (d == null || typeof (d as Distribution).sample !== 'function') throw new ParameterError(name, d, 'must be a Distribution (e.g. new Exponential(10))');
  return d as Distribution;
}

function outages(name: string, list: unknown): Outage[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ParameterError(name, list, 'must be an array of { at, duration }');
  return list.map((o, i) => {
    if (o == null || typeof o !== 'object') throw new ParameterError(`${name}[${i}]`, o, 'must be { at, duration }');
    return { at: requireNonNegative(`${name}[${i}].at`, (o as Outage).at), duration: requirePositive(`${name}[${i}].duration`, (o as Outage).duration) };
  });
}

function resolveBackend(pool: string, b: BackendConfig, i: number): ResolvedBackend {
  const where = `pools.${pool}.backends[${i}]`;
  if (b == null || typeof b !== 'object') throw new ParameterError(where, b, 'must be a backend { speed, weight, ... }');
  const mttf = b.mttf === undefined ? Infinity : requirePositive(`${where}.mttf`, b.mttf);
  const mttr = b.mttr === undefined ? (mttf === Infinity ? Infinity : NaN) : requirePositive(`${where}.mttr`, b.mttr);
  if (Number.isNaN(mttr)) throw new ParameterError(`${where}.mttr`, undefined, 'must be given with mttf');
  if (mttf === Infinity && b.mttr !== undefined) throw new ParameterError(`${where}.mttf`, undefined, 'must be given with mttr');
  if (mttf !== Infinity && b.failures !== undefined && b.failures.length > 0) throw new ParameterError(`${where}.failures`, b.failures, 'give either a failure schedule or mttf/mttr, not both');
  return {
    name: b.name ?? `${pool}-${i}`,
    speed: requirePositive(`${where}.speed`, b.speed ?? 1),
    weight: requireInRange(`${where}.weight`, b.weight ?? 1, 0, 256),
    workers: requireInteger(`${where}.workers`, b.workers ?? 1, 1, 100000),
    failures: outages(`${where}.failures`, b.failures),
    mttf,
    mttr,
  };
}

function resolvePool(p: PoolConfig, mode: 'L4' | 'L7'): ResolvedPool {
  if (p == null || typeof p.name !== 'string' || p.name.length === 0) throw new ParameterError('pools[].name', p?.name, 'must be a non-empty string');
  const where = `pools.${p.name}`;
  const list: BackendConfig[] = typeof p.backends === 'number' ? Array.from({ length: requireInteger(`${where}.backends`, p.backends, 1, 100000) }, () => ({})) : p.backends;
  if (!Array.isArray(list) || list.length === 0) throw new ParameterError(`${where}.backends`, p.backends, 'must be a number >= 1 or a non-empty array of backends');
  const backends = list.map((b, i) => resolveBackend(p.name, b, i));
  if (new Set(backends.map((b) => b.name)).size !== backends.length) throw new ParameterError(`${where}.backends`, backends.map((b) => b.name), 'must have distinct names');
  const balance = p.balance ?? 'roundrobin';
  if (!BALANCE_ALGORITHMS.includes(balance)) throw new ParameterError(`${where}.balance`, balance, `must be one of ${BALANCE_ALGORITHMS.join(', ')}`);
  if (balance === 'static-rr' && !backends.some((b) => Math.round(b.weight) >= 1)) throw new ParameterError(`${where}.backends[].weight`, backends.map((b) => b.weight), 'static-rr needs a server with weight >= 1');
  const hashKeyName = p.hash_key ?? 'source';
  if (hashKeyName !== 'source' && hashKeyName !== 'uri') throw new ParameterError(`${where}.hash_key`, hashKeyName, "must be 'source' or 'uri'");
  if (hashKeyName === 'uri' && mode === 'L4') throw new ParameterError(`${where}.hash_key`, 'uri', 'needs L7: an L4 balancer cannot see the URI');
  let health: Required<HealthCheckConfig> | null = null;
  if (p.health_check) {
    const h = p.health_check;
    const inter = requirePositive(`${where}.health_check.inter`, h.inter ?? HEALTH_CHECK_DEFAULTS.inter);
    health = {
      inter,
      fastinter: requirePositive(`${where}.health_check.fastinter`, h.fastinter ?? inter),
      downinter: requirePositive(`${where}.health_check.downinter`, h.downinter ?? inter),
      rise: requireInteger(`${where}.health_check.rise`, h.rise ?? HEALTH_CHECK_DEFAULTS.rise, 1, 1000),
      fall: requireInteger(`${where}.health_check.fall`, h.fall ?? HEALTH_CHECK_DEFAULTS.fall, 1, 1000),
      timeout: requirePositive(`${where}.health_check.timeout`, h.timeout ?? inter),
    };
  } else if (p.health_check !== undefined && p.health_check !== false) {
    throw new ParameterError(`${where}.health_check`, p.health_check, 'must be an object or false');
  }
  let outlier: Required<OutlierDetectionConfig> | null = null;
  if (p.outlier_detection) {
    const o = p.outlier_detection;
    const base = requirePositive(`${where}.outlier_detection.base_ejection_time`, o.base_ejection_time ?? OUTLIER_DEFAULTS.base_ejection_time);
    outlier = {
      consecutive_5xx: requireInteger(`${where}.outlier_detection.consecutive_5xx`, o.consecutive_5xx ?? OUTLIER_DEFAULTS.consecutive_5xx, 1, 1e9),
      interval: requirePositive(`${where}.outlier_detection.interval`, o.interval ?? OUTLIER_DEFAULTS.interval),
      base_ejection_time: base,
      max_ejection_time: requirePositive(`${where}.outlier_detection.max_ejection_time`, o.max_ejection_time ?? OUTLIER_DEFAULTS.max_ejection_time),
      max_ejection_percent: requireInRange(`${where}.outlier_detection.max_ejection_percent`, o.max_ejection_percent ?? OUTLIER_DEFAULTS.max_ejection_percent, 0, 100),
    };
  }
  let slow: Required<SlowStartConfig> | null = null;
  if (p.slow_start) {
    slow = {
      slow_start_window: requirePositive(`${where}.slow_start.slow_start_window`, p.slow_start.slow_start_window),
      aggression: requirePositive(`${where}.slow_start.aggression`, p.slow_start.aggression ?? 1),
      min_weight_percent: requireInRange(`${where}.slow_start.min_weight_percent`, p.slow_start.min_weight_percent ?? 10, 0, 100),
    };
  }
  const factor = p.hash_balance_factor ?? 0;
  if (!(factor === 0 || (Number.isFinite(factor) && factor > 100))) throw new ParameterError(`${where}.hash_balance_factor`, factor, 'must be 0 (off) or a percentage > 100');
  return {
    name: p.name,
    backends,
    balance,
    choice_count: requireInteger(`${where}.choice_count`, p.choice_count ?? 2, 1, 1000),
    active_request_bias: requireInRange(`${where}.active_request_bias`, p.active_request_bias ?? 1, 0, 100),
    hash_balance_factor: factor,
    minimum_ring_size: requireInteger(`${where}.minimum_ring_size`, p.minimum_ring_size ?? 1024, 1, 8388608),
    hash_key: hashKeyName,
    service: requireDistribution(`${where}.service`, p.service ?? new Exponential(10)),
    health_check: health,
    outlier_detection: outlier,
    slow_start: slow,
    decay_time: requirePositive(`${where}.decay_time`, p.decay_time ?? 10),
  };
}

/** Checks a configuration and fills in the defaults; every bad field is a ParameterError naming it. */
export function resolveConfig(config: LoadBalancerConfig): ResolvedConfig {
  if (config == null || typeof config !== 'object') throw new ParameterError('config', config, 'must be a load balancer configuration object');
  const mode = config.mode;
  if (mode !== 'L4' && mode !== 'L7') throw new ParameterError('mode', mode, "must be 'L4' or 'L7'");
  if (!Array.isArray(config.pools) || config.pools.length === 0) throw new ParameterError('pools', config.pools, 'must be a non-empty array of pools');
  const pools = config.pools.map((p) => resolvePool(p, mode));
  const names = pools.map((p) => p.name);
  if (new Set(names).size !== names.length) throw new ParameterError('pools[].name', names, 'must be distinct');
  if (config.gateway !== undefined) {
    if (mode === 'L4') throw new ParameterError('gateway', 'routes', 'needs L7: an L4 balancer cannot see hosts or paths');
    validateGateway(config.gateway, names);
  }
  const c = config.clients;
  if (c == null || (c.model !== 'open' && c.model !== 'closed')) throw new ParameterError('clients.model', c?.model, "must be 'open' or 'closed'");
  const open = c.model === 'open';
  const rate = open ? requirePositive('clients.rate', c.rate) : NaN;
  const users = open ? 0 : requireInteger('clients.users', c.users, 1, 10000000);
  const clients = open ? requireInteger('clients.clients', c.clients ?? 65536, 1, 10000000) : users;
  const rpc = c.requests_per_connection ?? (open ? 1 : Infinity);
  if (!(rpc === Infinity || (Number.isInteger(rpc) && rpc >= 1))) throw new ParameterError('clients.requests_per_connection', rpc, 'must be an integer >= 1 or Infinity');
  const think = open ? new Exponential(1) : requireDistribution('clients.think', c.think ?? new Exponential(1));
  const mixIn = c.mix ?? [{ path: '/', weight: 1 }];
  if (!Array.isArray(mixIn) || mixIn.length === 0) throw new ParameterError('clients.mix', mixIn, 'must be a non-empty array of { path, weight }');
  const mix: ResolvedClass[] = mixIn.map((m, i) => {
    if (m == null || typeof m.path !== 'string' || !m.path.startsWith('/')) throw new ParameterError(`clients.mix[${i}].path`, m?.path, "must be a request target starting with '/'");
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
  let pair: Required<PairConfig> | null = null;
  if (b.pair) {
    const backup = requireInteger('balancer.pair.priority', b.pair.priority ?? VRRP_DEFAULTS.priority, 1, 254);
    pair = {
      advert_int: requirePositive('balancer.pair.advert_int', b.pair.advert_int ?? VRRP_DEFAULTS.advert_int),
      priority: backup,
      master_priority: requireInteger('balancer.pair.master_priority', b.pair.master_priority ?? 200, backup + 1, 255),
      version: b.pair.version ?? 3,
      preempt: b.pair.preempt ?? true,
    };
    if (pair.version !== 2 && pair.version !== 3) throw new ParameterError('balancer.pair.version', pair.version, 'must be 2 or 3');
  }
  const workers = requireInteger('balancer.workers', b.workers ?? 1, 1, 100000);
  const maxconn = b.maxconn ?? Infinity;
  if (maxconn !== Infinity) requireInteger('balancer.maxconn', maxconn, workers);
  const retries = config.retries ?? (mode === 'L7' ? 1 : 0);
  requireInteger('retries', retries, 0, 100);
  if (mode === 'L4' && retries > 0) throw new ParameterError('retries', retries, 'must be 0 at L4: an L4 balancer cannot retry a single request');
  return {
    mode,
    clients: { model: c.model, rate, clients, users, think, requests_per_connection: rpc, mix },
    balancer: {
      service: b.service === undefined ? null : requireDistribution('balancer.service', b.service),
      workers,
      maxconn,
      failures: outages('balancer.failures', b.failures),
      pair,
    },
    pools,
    retries,
    fail_open: config.fail_open ?? true,
    timeline_bin: config.timeline_bin === undefined ? 0 : requirePositive('timeline_bin', config.timeline_bin),
  };
}
