/**
 * The load balancer simulator's configuration: real knob names and their real defaults (with the
 * product they come from), and the list of known keys of every object in it (an unknown key is a
 * ParameterError with a did-you-mean, lib/systems/common/config.ts). Times are in seconds
 * (HAProxy writes `inter 2000` in milliseconds: here `inter: 2`). The checks and defaults are
 * applied by `resolveLoadBalancerConfig` (resolve.ts).
 */
import type { Distribution } from '../../random/distribution';
import { knownKeys } from '../common/config';
import type { Outage } from '../common/failures';
import type { GatewayConfig } from './gateway';
import type { BalanceAlgorithm } from './policies';

/** A scheduled outage: down at `at`, back `duration` later (the shared failure process's type). */
export type { Outage } from '../common/failures';

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
  /**
   * What a failure looks like from the balancer: `'blackhole'` (default: the host is dead or cut
   * off, packets go unanswered, so connections and checks time out: `timeout_connect`,
   * `timeout_server`, the check's `timeout`) or `'crash'` (the process died but the host is up:
   * the closed port answers RST, so connections and checks fail at once).
   */
  failure_mode?: FailureMode;
  /** HAProxy server `maxconn` (L7): requests it serves at once; more wait in the backend's queue (default 0: no limit). */
  maxconn?: number;
  /**
   * How the server's `workers` share its requests: `'fifo'` (default: a worker per request, the
   * others wait in order, a thread pool with a run queue) or `'ps'` (processor sharing: every
   * request inside progresses at rate min(1, workers / n), a web server's threads time-sharing its
   * CPUs; BCMP type 2, so a network of them keeps the product form whatever the work's distribution).
   */
  discipline?: BackendDiscipline;
}

/** How a backend's workers serve the requests inside it: FIFO workers or processor sharing. */
export type BackendDiscipline = 'fifo' | 'ps';

/** How a down backend answers: nothing (`blackhole`: timeouts) or a reset (`crash`: port closed, refused at once). */
export type FailureMode = 'blackhole' | 'crash';

export const BACKEND_KEYS = knownKeys<BackendConfig>()([
  'name',
  'speed',
  'weight',
  'workers',
  'failures',
  'mttf',
  'mttr',
  'failure_mode',
  'maxconn',
  'discipline',
]);

/**
 * HAProxy active health check (`check`): defaults `inter` 2 s, `rise` 2, `fall` 3, `fastinter` =
 * `downinter` = `inter`, `timeout check` = `inter`. The next check starts `inter` (or `fastinter`,
 * `downinter`) after the previous one ENDS (src/check.c, process_chk_conn: `t->expire =
 * tick_add(now_ms, srv_getinter(check))` once the check is over), so a check that times out
 * delays the next.
 */
export interface HealthCheckConfig {
  inter?: number;
  fastinter?: number;
  downinter?: number;
  rise?: number;
  fall?: number;
  /** `timeout check`: a check of a blackholed server fails this long after it starts, at most `inter` (HAProxy connects with min(timeout connect, inter), src/tcpcheck.c); a crashed one (port closed) fails at once. */
  timeout?: number;
}

export const HEALTH_CHECK_KEYS = knownKeys<HealthCheckConfig>()([
  'inter',
  'fastinter',
  'downinter',
  'rise',
  'fall',
  'timeout',
]);

export const HEALTH_CHECK_DEFAULTS = { inter: 2, rise: 2, fall: 3 } as const;

/** Envoy outlier detection (consecutive 5xx): defaults `consecutive_5xx` 5, `interval` 10 s, `base_ejection_time` 30 s, `max_ejection_time` 300 s, `max_ejection_percent` 10. */
export interface OutlierDetectionConfig {
  consecutive_5xx?: number;
  interval?: number;
  base_ejection_time?: number;
  max_ejection_time?: number;
  max_ejection_percent?: number;
}

/**
 * Envoy's outlier detection ejects a host for base_ejection_time x its ejection multiplier, which
 * grows by one per ejection (while multiplier x base < max + base) and decays by one at every
 * `interval` the host is not ejected (source/common/upstream/outlier_detection_impl.cc,
 * ejectHost and checkHostForUneject); a host is ejected only while the ejected share is below
 * max_ejection_percent.
 */
export const OUTLIER_DETECTION_KEYS = knownKeys<OutlierDetectionConfig>()([
  'consecutive_5xx',
  'interval',
  'base_ejection_time',
  'max_ejection_time',
  'max_ejection_percent',
]);

export const OUTLIER_DEFAULTS = {
  consecutive_5xx: 5,
  interval: 10,
  base_ejection_time: 30,
  max_ejection_time: 300,
  max_ejection_percent: 10,
} as const;

/** Envoy `slow_start_config`: weight x max(`min_weight_percent`/100, (max(t, 1)/`slow_start_window`)^(1/`aggression`)); defaults aggression 1.0, min_weight_percent 10. */
export interface SlowStartConfig {
  slow_start_window: number;
  aggression?: number;
  min_weight_percent?: number;
}

export const SLOW_START_KEYS = knownKeys<SlowStartConfig>()([
  'slow_start_window',
  'aggression',
  'min_weight_percent',
]);

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
  /** What `source`/`ring_hash`/`maglev` hash: the client address (default) or the request URI (L7 only). */
  hash_key?: 'source' | 'uri';
  /** HAProxy `hash-type` of `balance source`: `map-based` (default: modulo the weights up) or `consistent` (a ring of 16 x weight points per server, fixed). */
  hash_type?: 'map-based' | 'consistent';
  /** Envoy `healthy_panic_threshold` (percent, default 50): below this share of healthy hosts the pool balances over all hosts, healthy or not; 0 disables panic. */
  healthy_panic_threshold?: number;
  /** Envoy MAGLEV `table_size` (a prime, default 65537). */
  table_size?: number;
  /** NGINX `max_fails` of every server: failures that take it out for `fail_timeout` (default 0: off here; NGINX's own default is 1). */
  max_fails?: number;
  /** NGINX `fail_timeout` (s, default 10). */
  fail_timeout?: number;
  /** HAProxy `cookie SERVERID insert` (L7): a client's later requests go to the server its first one went to, while it is eligible (default false). */
  cookie?: boolean;
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

export const POOL_KEYS = knownKeys<PoolConfig>()([
  'name',
  'backends',
  'balance',
  'choice_count',
  'active_request_bias',
  'hash_balance_factor',
  'minimum_ring_size',
  'hash_key',
  'hash_type',
  'healthy_panic_threshold',
  'table_size',
  'max_fails',
  'fail_timeout',
  'cookie',
  'service',
  'health_check',
  'outlier_detection',
  'slow_start',
  'decay_time',
]);

/** One kind of request in the mix: its target (path and query), host, share and work. */
export interface RequestClass {
  path: string;
  host?: string;
  weight: number;
  /** Work at speed 1 (default: the pool's `service`). */
  work?: Distribution;
}

export const REQUEST_CLASS_KEYS = knownKeys<RequestClass>()(['path', 'host', 'weight', 'work']);

export interface ClientConfig {
  /**
   * Called mode (lib/systems/README.md, "Components called by others"): `true` builds the balancer
   * without load of its own; requests come to `entry` from a caller, who may set each one's
   * client address, class and work (`setClient`, `setClass`, `setWork`). Then only `clients`,
   * `requests_per_connection` and `mix` may be given, not `model`, `rate`, `users` or `think`.
   */
  external?: boolean;
  /** Open arrivals (Poisson requests) or a closed population of users with think time. */
  model?: 'open' | 'closed';
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

export const CLIENT_KEYS = knownKeys<ClientConfig>()([
  'external',
  'model',
  'rate',
  'clients',
  'users',
  'think',
  'requests_per_connection',
  'mix',
]);

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

export const BALANCER_KEYS = knownKeys<BalancerConfig>()([
  'service',
  'workers',
  'maxconn',
  'failures',
  'pair',
]);

/** keepalived VRRP instance of the pair: `advert_int` 1 s; the backup's `priority` 100; the master's 200; `version` 2 (keepalived's default `vrrp_version`); `preempt` on. */
export interface PairConfig {
  advert_int?: number;
  priority?: number;
  master_priority?: number;
  version?: 2 | 3;
  preempt?: boolean;
}

export const PAIR_KEYS = knownKeys<PairConfig>()([
  'advert_int',
  'priority',
  'master_priority',
  'version',
  'preempt',
]);

export interface LoadBalancerConfig {
  /** Prefix of the balancer's stations and random streams (`<name>.web.web-0`, `<name>.lb.web.policy`), so two balancers in one simulation draw apart; default none. */
  name?: string;
  /** L4 picks a backend per connection; L7 per request (and can route, retry). */
  mode: 'L4' | 'L7';
  /** The load: open or closed clients; omitted or `{ external: true }`: called mode, requests come to `entry`. */
  clients?: ClientConfig;
  balancer?: BalancerConfig;
  pools: PoolConfig[];
  /** L7 only: host/path routing to pools (the application gateway). */
  gateway?: GatewayConfig;
  /** L7: retries of a request whose connection failed (refused or timed out), on another backend (HAProxy `retries` with `option redispatch`, `retry-on conn-failure`); default 1 at L7, 0 at L4. */
  retries?: number;
  /**
   * What is retried: `'connect-failure'` (default; HAProxy `retry-on conn-failure`: refused or timed-out
   * connections) or `'5xx'` (Envoy `retry_on: 5xx`: also requests reset or timed out inside a backend).
   */
  retry_on?: 'connect-failure' | '5xx';
  /** Envoy's retry budget (circuit_breakers thresholds `retry_budget`): retries in flight at most max(min_retry_concurrency, budget_percent % of the requests in flight); omitted: no budget. */
  retry_budget?: RetryBudgetConfig;
  /** Route to every backend when none is healthy (ALB fail-open); default true. Envoy's panic below `healthy_panic_threshold` applies whenever some are healthy. */
  fail_open?: boolean;
  /** HAProxy `timeout connect` (s): a connection to a blackholed backend fails this long after it was tried (default 5 s, Envoy's `connect_timeout` default). */
  timeout_connect?: number;
  /** HAProxy `timeout queue` (s): a request waiting in the backend's queue (every server at its `maxconn`) fails after this (default: `timeout_connect`, as HAProxy). */
  timeout_queue?: number;
  /** HAProxy `timeout server` (s): a request inside a backend that went dark fails this long after it was sent (default 30 s, HAProxy's example configuration). */
  timeout_server?: number;
  /** Width of the timeline's bins (s); omitted: no timeline. */
  timeline_bin?: number;
}

export const LOAD_BALANCER_KEYS = knownKeys<LoadBalancerConfig>()([
  'name',
  'mode',
  'clients',
  'balancer',
  'pools',
  'gateway',
  'retries',
  'retry_on',
  'retry_budget',
  'fail_open',
  'timeout_connect',
  'timeout_queue',
  'timeout_server',
  'timeline_bin',
]);

/** Envoy `retry_budget`: defaults `budget_percent` 20 %, `min_retry_concurrency` 3. */
export interface RetryBudgetConfig {
  budget_percent?: number;
  min_retry_concurrency?: number;
}

export const RETRY_BUDGET_KEYS = knownKeys<RetryBudgetConfig>()([
  'budget_percent',
  'min_retry_concurrency',
]);

/** Keys of a scheduled outage `{ at, duration }`. */
export const OUTAGE_KEYS = ['at', 'duration'] as const;

/** The checked configuration's types (resolved.ts), here too so that `./config` names them all. */
export type { ResolvedBackend, ResolvedClass, ResolvedConfig, ResolvedPool } from './resolved';
