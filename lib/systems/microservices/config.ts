/**
 * The microservices simulator's configuration, with the real names of every knob (§2-3 of the
 * subsystems reference) and the list of known keys of every object in it (an unknown key is a
 * ParameterError with a did-you-mean). Times in seconds. Checked and defaulted by
 * `resolveMicroservicesConfig` (resolve.ts).
 *
 * - services: each a pool of `replicas`, each replica `servers` workers with a `service` time
 *   distribution and a `capacity`, behind its own balancer (`balance`: lib/systems/loadbalancer's
 *   algorithms), calling other services after its own work along `calls` (the call graph).
 * - a call step: `service` (one name, or a list for a parallel fan-out to several services),
 *   `fanout` copies of each, `need` ('all', 'first' or k of n), `visits` per request (a mean: 0.3
 *   is a call 30 % of the time, 2 two serial calls), `async` (fire and forget), and the caller's
 *   resilience: `timeout`, `retry_policy` (Envoy), `retry_budget` (Envoy), `circuitBreaker` and
 *   `bulkhead` (Resilience4j), `hedge` (The Tail at Scale).
 */
import type { Distribution } from '../../random/distribution';
import { knownKeys } from '../common/config';
import type { FailureSpec } from '../common/failures';
import type { GatewayConfig } from '../loadbalancer/gateway';
import type { BalanceAlgorithm, PolicyOptions } from '../loadbalancer/policies';

/** Envoy `retry_policy` (route): `num_retries` (Envoy default 1), `retry_back_off` (default base 25 ms, max 10x base). */
export interface RetryPolicyConfig {
  num_retries?: number;
  /**
   * Envoy's fully jittered exponential back-off: the k-th retry waits U(0, (2^k − 1)·base_interval),
   * capped at max_interval. `base_interval: 0` retries at once (a naive client).
   */
  retry_back_off?: { base_interval?: number; max_interval?: number };
}

/** Envoy cluster `circuit_breakers.thresholds.retry_budget`: active retries ≤ max(min_retry_concurrency, budget_percent % of active requests). */
export interface RetryBudgetConfig {
  /** Default 20 (%). */
  budget_percent?: number;
  /** Default 3. */
  min_retry_concurrency?: number;
}

/** Resilience4j CircuitBreakerConfig, with its defaults (resilience4j.readme.io/docs/circuitbreaker). */
export interface CircuitBreakerConfig {
  /** Percent of failed calls that opens the breaker (default 50). */
  failureRateThreshold?: number;
  /** Percent of slow calls that opens the breaker (default 100). */
  slowCallRateThreshold?: number;
  /** A call at least this long (s) is slow (default 60). */
  slowCallDurationThreshold?: number;
  /** Trial calls in HALF_OPEN (default 10). */
  permittedNumberOfCallsInHalfOpenState?: number;
  /** COUNT_BASED (last N calls, default) or TIME_BASED (last N seconds). */
  slidingWindowType?: 'COUNT_BASED' | 'TIME_BASED';
  /** N of the window (default 100). */
  slidingWindowSize?: number;
  /** Calls recorded before any rate is computed (default 100). */
  minimumNumberOfCalls?: number;
  /** Seconds OPEN before HALF_OPEN (default 60). */
  waitDurationInOpenState?: number;
}

/** Resilience4j SemaphoreBulkhead: `maxConcurrentCalls` (default 25); `maxWaitDuration` 0 (reject when full). */
export interface BulkheadConfig {
  maxConcurrentCalls?: number;
}

/** Hedged requests (Dean & Barroso 2013): a second copy after `delay` seconds (e.g. the p95), the first answer wins. */
export interface HedgeConfig {
  delay: number;
  /** Cancel the loser: a replica skips the work of a copy whose caller already has its answer (default true). */
  cancelLoser?: boolean;
}

/** The resilience of one edge (the caller's side of a call). */
export interface CallPolicyConfig {
  /** Per-try timeout, s (Envoy `per_try_timeout`; default Infinity). */
  timeout?: number;
  retry_policy?: RetryPolicyConfig;
  circuitBreaker?: CircuitBreakerConfig;
  bulkhead?: BulkheadConfig;
  hedge?: HedgeConfig;
}

/** One step of a service's call graph, run after its own work and after the steps before it. */
export interface CallStep extends CallPolicyConfig {
  /** The callee, or a list of callees called in parallel. */
  service: string | string[];
  /** Copies of the call to each callee, in parallel (default 1): a fan-out to n leaves. */
  fanout?: number;
  /** 'all' (default), 'first', or k: the answers the step waits for (k of n). */
  need?: 'all' | 'first' | number;
  /** Mean visits per request (default 1): floor(v) serial calls plus one more with probability v − floor(v). */
  visits?: number;
  /** Fire and forget onto the callee's queue (no wait, no answer). */
  async?: boolean;
}

export interface ServiceConfig {
  name: string;
  /** Replicas behind the service's balancer (default 1). */
  replicas?: number;
  /** Workers per replica (default 1). */
  servers?: number;
  /** Service time of one call on a worker. */
  service: Distribution;
  /** Calls a replica holds, waiting plus in service (default Infinity); beyond, a call is refused (503). */
  capacity?: number;
  discipline?: 'fifo' | 'lifo' | 'ps';
  /** lib/systems/loadbalancer's algorithm over the replicas (default 'roundrobin'). */
  balance?: BalanceAlgorithm;
  /** Knobs of the algorithm (`choice_count`...). */
  balance_options?: PolicyOptions;
  /** Calls made after the service's own work. */
  calls?: CallStep[];
  /** Probability that a replica answers an error after its work (Envoy fault injection `abort.percentage` / 100). */
  errorRate?: number;
  /** A replica skips the work of a call whose caller already gave up (gRPC deadline propagation; default false). */
  propagateCancellation?: boolean;
  /**
   * What a crash does (the kernel Station's `onCrash`): 'fail' (default: the calls inside and every
   * new one fail at once, the balancer skips the replica: a process that died, connection refused)
   * or 'keep' (a hung process: it still accepts connections, the balancer keeps sending, calls wait
   * until their caller's timeout; on recovery the queue is served again).
   */
  onCrash?: 'fail' | 'keep';
  /** Crashes of each replica (the shared failure process, stream `<service>[i].failures`). */
  failures?: FailureSpec;
  /** Slow-downs of each replica: while "down" in this process, service times are `slowdownFactor` times longer. */
  slowdowns?: FailureSpec;
  /** Default 10. */
  slowdownFactor?: number;
  /** Envoy's `retry_budget` of this service's cluster: it bounds the retries of every caller into it (default none). */
  retry_budget?: RetryBudgetConfig;
}

/** Kinds of requests: a host, a request target (path and query) and a share. */
export interface RequestClass {
  host?: string;
  path: string;
  weight?: number;
}

export interface ClientsConfig {
  /** Open Poisson arrivals, req/s (give `rate`, or `users` for a closed population). */
  rate?: number;
  /** Transient surges of the open rate: `multiplier` x rate over [at, at + duration). */
  surges?: Array<{ at: number; duration: number; multiplier: number }>;
  /** Closed population N (users wait for their answer, think, and send the next). */
  users?: number;
  /** Mean exponential think time Z of the closed population (default 0). */
  thinkTime?: number;
  /** The request mix routed by the gateway (default one class, path '/'). */
  mix?: RequestClass[];
  /** The client's call policy on its call through the gateway (timeout, retries, breaker...). */
  call?: CallPolicyConfig;
}

export interface MicroservicesConfig {
  services: ServiceConfig[];
  clients: ClientsConfig;
  /** The application gateway (lib/systems/loadbalancer/gateway.ts): pools are service names. */
  gateway?: GatewayConfig;
  /** The service the client calls when there is no gateway (default the first). */
  entry?: string;
  /** Bin width (s) of the timeline of outcomes per bin since time 0 (default 0: off). */
  timelineBin?: number;
  /** Successful requests slower than this (s) are counted as slow (`slowFraction`; default Infinity). */
  slowRequestThreshold?: number;
}

export const CONFIG_KEYS = knownKeys<MicroservicesConfig>()([
  'services',
  'clients',
  'gateway',
  'entry',
  'timelineBin',
  'slowRequestThreshold',
]);
export const SERVICE_KEYS = knownKeys<ServiceConfig>()([
  'name',
  'replicas',
  'servers',
  'service',
  'capacity',
  'discipline',
  'balance',
  'balance_options',
  'calls',
  'errorRate',
  'propagateCancellation',
  'onCrash',
  'failures',
  'slowdowns',
  'slowdownFactor',
  'retry_budget',
]);
export const POLICY_KEYS = knownKeys<CallPolicyConfig>()([
  'timeout',
  'retry_policy',
  'circuitBreaker',
  'bulkhead',
  'hedge',
]);
export const STEP_KEYS = [
  ...POLICY_KEYS,
  ...knownKeys<CallStep>()(['service', 'fanout', 'need', 'visits', 'async']),
];
export const RETRY_POLICY_KEYS = knownKeys<RetryPolicyConfig>()(['num_retries', 'retry_back_off']);
export const BACK_OFF_KEYS = ['base_interval', 'max_interval'] as const;
export const RETRY_BUDGET_KEYS = knownKeys<RetryBudgetConfig>()([
  'budget_percent',
  'min_retry_concurrency',
]);
export const BREAKER_KEYS = knownKeys<CircuitBreakerConfig>()([
  'failureRateThreshold',
  'slowCallRateThreshold',
  'slowCallDurationThreshold',
  'permittedNumberOfCallsInHalfOpenState',
  'slidingWindowType',
  'slidingWindowSize',
  'minimumNumberOfCalls',
  'waitDurationInOpenState',
]);
export const BULKHEAD_KEYS = knownKeys<BulkheadConfig>()(['maxConcurrentCalls']);
export const HEDGE_KEYS = knownKeys<HedgeConfig>()(['delay', 'cancelLoser']);
export const CLIENTS_KEYS = knownKeys<ClientsConfig>()([
  'rate',
  'surges',
  'users',
  'thinkTime',
  'mix',
  'call',
]);
export const CLASS_KEYS = knownKeys<RequestClass>()(['host', 'path', 'weight']);
export const SURGE_KEYS = ['at', 'duration', 'multiplier'] as const;
