/**
 * Resolves and validates a microservices configuration once: every default filled in, every bad
 * value a ParameterError naming its path, its value and the valid range, every unknown key a
 * ParameterError with a did-you-mean, the call graph checked (graph.ts), the gateway's routing
 * checked and applied to each request class (lib/systems/loadbalancer/gateway.ts).
 */
import {
  ParameterError,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requirePositive,
  requireProbability,
} from '../../errors';
import type { Distribution } from '../../random/distribution';
import { keyPath, nearestKey, rejectUnknownKeys } from '../common/config';
import { type ResolvedFailureSpec, resolveFailureSpec } from '../common/failures';
import { type GatewayConfig, routeRequest, validateGateway } from '../loadbalancer/gateway';
import {
  BALANCE_ALGORITHMS,
  type BalanceAlgorithm,
  type PolicyOptions,
} from '../loadbalancer/policies';
import { type ResolvedBreakerConfig, resolveBreakerConfig } from './breaker';
import {
  BACK_OFF_KEYS,
  BULKHEAD_KEYS,
  CLASS_KEYS,
  CLIENTS_KEYS,
  CONFIG_KEYS,
  HEDGE_KEYS,
  POLICY_KEYS,
  RETRY_BUDGET_KEYS,
  RETRY_POLICY_KEYS,
  SERVICE_KEYS,
  STEP_KEYS,
  SURGE_KEYS,
  type CallPolicyConfig,
  type CallStep,
  type MicroservicesConfig,
  type ServiceConfig,
} from './config';
import { topologicalOrder, visitCounts } from './graph';
import { requireDelayDistribution } from '../../sim/delays';

export interface ResolvedPolicy {
  timeout: number;
  num_retries: number;
  base_interval: number;
  max_interval: number;
  circuitBreaker: ResolvedBreakerConfig | null;
  maxConcurrentCalls: number;
  hedge: { delay: number; cancelLoser: boolean } | null;
}

export interface ResolvedStep extends ResolvedPolicy {
  /** Callee service indices, one per call (callees × fanout). */
  targets: number[];
  /** Answers needed (1 ≤ need ≤ targets.length). */
  need: number;
  visits: number;
  async: boolean;
  /** `caller → callee` for reports. */
  label: string;
}

export interface ResolvedService {
  name: string;
  replicas: number;
  servers: number;
  service: Distribution;
  capacity: number;
  discipline: 'fifo' | 'lifo' | 'ps';
  balance: BalanceAlgorithm;
  balance_options: PolicyOptions;
  errorRate: number;
  propagateCancellation: boolean;
  onCrash: 'fail' | 'keep';
  failures: ResolvedFailureSpec;
  slowdowns: ResolvedFailureSpec;
  slowdownFactor: number;
  retry_budget: { budget_percent: number; min_retry_concurrency: number } | null;
  steps: ResolvedStep[];
}

export interface ResolvedClass {
  host: string | undefined;
  path: string;
  share: number;
  /** Entry service index, or -1 when the gateway routes the class nowhere. */
  entry: number;
}

export interface ResolvedMicroservicesConfig {
  readonly resolved: true;
  services: ResolvedService[];
  rate: number;
  surges: Array<{ at: number; duration: number; multiplier: number }>;
  users: number;
  thinkTime: number;
  classes: ResolvedClass[];
  call: ResolvedPolicy;
  gateway: GatewayConfig | null;
  timelineBin: number;
  slowRequestThreshold: number;
  /** Mean visits per request of each service (forced flow). */
  visits: number[];
}

function isDistribution(d: unknown): d is Distribution {
  return (
    d != null &&
    typeof (d as Distribution).sample === 'function' &&
    typeof (d as Distribution).mean === 'number'
  );
}

function serviceIndex(names: readonly string[], name: unknown, path: string): number {
  const i = typeof name === 'string' ? names.indexOf(name) : -1;
  if (i >= 0) return i;
  const near = typeof name === 'string' ? nearestKey(name, names) : null;
  throw new ParameterError(
    path,
    name,
    `must name a service (${names.join(', ')})${near ? `; did you mean "${near}"?` : ''}`,
  );
}

export function resolvePolicy(
  p: CallPolicyConfig,
  path: string,
  keys: readonly string[] = POLICY_KEYS,
): ResolvedPolicy {
  rejectUnknownKeys(p, keys, path);
  const timeout = p.timeout ?? Infinity;
  if (timeout !== Infinity) requirePositive(keyPath(path, 'timeout'), timeout);
  let num_retries = 0;
  let base_interval = 0.025;
  let max_interval = 0.25;
  if (p.retry_policy !== undefined) {
    const rp = keyPath(path, 'retry_policy');
    rejectUnknownKeys(p.retry_policy, RETRY_POLICY_KEYS, rp);
    num_retries = requireInteger(
      keyPath(rp, 'num_retries'),
      p.retry_policy.num_retries ?? 1,
      0,
      100,
    );
    const b = p.retry_policy.retry_back_off;
    if (b !== undefined) {
      const bp = keyPath(rp, 'retry_back_off');
      rejectUnknownKeys(b, BACK_OFF_KEYS, bp);
      base_interval = requireNonNegative(keyPath(bp, 'base_interval'), b.base_interval ?? 0.025);
      max_interval = requireNonNegative(
        keyPath(bp, 'max_interval'),
        b.max_interval ?? 10 * base_interval,
      );
      if (max_interval < base_interval)
        throw new ParameterError(
          keyPath(bp, 'max_interval'),
          max_interval,
          `must be >= base_interval (${base_interval})`,
        );
    }
  }
  let maxConcurrentCalls = Infinity;
  if (p.bulkhead !== undefined) {
    rejectUnknownKeys(p.bulkhead, BULKHEAD_KEYS, keyPath(path, 'bulkhead'));
    maxConcurrentCalls = requireInteger(
      keyPath(keyPath(path, 'bulkhead'), 'maxConcurrentCalls'),
      p.bulkhead.maxConcurrentCalls ?? 25,
      1,
      1e9,
    );
  }
  let hedge: ResolvedPolicy['hedge'] = null;
  if (p.hedge !== undefined) {
    const hp = keyPath(path, 'hedge');
    rejectUnknownKeys(p.hedge, HEDGE_KEYS, hp);
    hedge = {
      delay: requireNonNegative(keyPath(hp, 'delay'), p.hedge.delay),
      cancelLoser: p.hedge.cancelLoser ?? true,
    };
  }
  const circuitBreaker =
    p.circuitBreaker !== undefined
      ? resolveBreakerConfig(p.circuitBreaker, keyPath(path, 'circuitBreaker'))
      : null;
  return {
    timeout,
    num_retries,
    base_interval,
    max_interval,
    circuitBreaker,
    maxConcurrentCalls,
    hedge,
  };
}

function resolveStep(
  s: CallStep,
  names: readonly string[],
  caller: string,
  path: string,
): ResolvedStep {
  const policy = resolvePolicy(s, path, STEP_KEYS);
  const callees = Array.isArray(s.service) ? s.service : [s.service];
  if (callees.length === 0)
    throw new ParameterError(keyPath(path, 'service'), s.service, 'must name at least one service');
  const idx = callees.map((c, i) =>
    serviceIndex(
      names,
      c,
      Array.isArray(s.service) ? `${keyPath(path, 'service')}[${i}]` : keyPath(path, 'service'),
    ),
  );
  const fanout = requireInteger(keyPath(path, 'fanout'), s.fanout ?? 1, 1, 100000);
  const targets: number[] = [];
  for (let f = 0; f < fanout; f++) targets.push(...idx);
  const n = targets.length;
  const needIn = s.need ?? 'all';
  const need =
    needIn === 'all'
      ? n
      : needIn === 'first'
        ? 1
        : requireInteger(keyPath(path, 'need'), needIn, 1, Infinity);
  if (need > n)
    throw new ParameterError(
      keyPath(path, 'need'),
      needIn,
      `must be at most n = ${n} (callees × fanout): a step cannot wait for more answers than it makes calls`,
    );
  const async = s.async ?? false;
  if (typeof async !== 'boolean')
    throw new ParameterError(keyPath(path, 'async'), async, 'must be true or false');
  if (async && (policy.hedge !== null || s.need !== undefined))
    throw new ParameterError(
      keyPath(path, policy.hedge !== null ? 'hedge' : 'need'),
      policy.hedge ?? s.need,
      'does not apply to an asynchronous (fire and forget) step',
    );
  if (policy.hedge !== null && n > 1)
    throw new ParameterError(
      keyPath(path, 'hedge'),
      policy.hedge,
      'applies to a single call (one callee, fanout 1)',
    );
  return {
    ...policy,
    targets,
    need,
    visits: requireNonNegative(keyPath(path, 'visits'), s.visits ?? 1),
    async,
    label: `${caller} → ${callees.join(', ')}${fanout > 1 ? ` ×${fanout}` : ''}`,
  };
}

function badCrash(v: unknown, path: string): never {
  throw new ParameterError(path, v, "must be 'fail' or 'keep'");
}

function resolveService(s: ServiceConfig, names: readonly string[], path: string): ResolvedService {
  rejectUnknownKeys(s, SERVICE_KEYS, path);
  if (!isDistribution(s.service))
    throw new ParameterError(
      keyPath(path, 'service'),
      s.service,
      'must be a Distribution (the service time of one call)',
    );
  requireDelayDistribution(keyPath(path, 'service'), s.service, { positive: false });
  const balance = s.balance ?? 'roundrobin';
  if (!BALANCE_ALGORITHMS.includes(balance))
    throw new ParameterError(
      keyPath(path, 'balance'),
      balance,
      `must be one of ${BALANCE_ALGORITHMS.join(', ')}`,
    );
  const discipline = s.discipline ?? 'fifo';
  if (discipline !== 'fifo' && discipline !== 'lifo' && discipline !== 'ps')
    throw new ParameterError(
      keyPath(path, 'discipline'),
      discipline,
      "must be 'fifo', 'lifo' or 'ps'",
    );
  const capacity = s.capacity ?? Infinity;
  if (capacity !== Infinity) requireInteger(keyPath(path, 'capacity'), capacity, 1);
  const calls = s.calls ?? [];
  if (!Array.isArray(calls))
    throw new ParameterError(keyPath(path, 'calls'), calls, 'must be an array of call steps');
  let retry_budget: ResolvedService['retry_budget'] = null;
  if (s.retry_budget !== undefined) {
    const bp = keyPath(path, 'retry_budget');
    rejectUnknownKeys(s.retry_budget, RETRY_BUDGET_KEYS, bp);
    retry_budget = {
      budget_percent: requireInRange(
        keyPath(bp, 'budget_percent'),
        s.retry_budget.budget_percent ?? 20,
        0,
        100,
      ),
      min_retry_concurrency: requireInteger(
        keyPath(bp, 'min_retry_concurrency'),
        s.retry_budget.min_retry_concurrency ?? 3,
        0,
        1e9,
      ),
    };
  }
  return {
    name: s.name,
    replicas: requireInteger(keyPath(path, 'replicas'), s.replicas ?? 1, 1, 100000),
    servers: requireInteger(keyPath(path, 'servers'), s.servers ?? 1, 1, 100000),
    service: s.service,
    capacity,
    discipline,
    balance,
    balance_options: s.balance_options ?? {},
    errorRate: requireProbability(keyPath(path, 'errorRate'), s.errorRate ?? 0),
    propagateCancellation: s.propagateCancellation ?? false,
    onCrash:
      s.onCrash === undefined || s.onCrash === 'fail' || s.onCrash === 'keep'
        ? (s.onCrash ?? 'fail')
        : badCrash(s.onCrash, keyPath(path, 'onCrash')),
    failures: resolveFailureSpec(s.failures, keyPath(path, 'failures')),
    slowdowns: resolveFailureSpec(s.slowdowns, keyPath(path, 'slowdowns')),
    slowdownFactor: requirePositive(keyPath(path, 'slowdownFactor'), s.slowdownFactor ?? 10),
    retry_budget,
    steps: calls.map((c, j) => resolveStep(c, names, s.name, `${keyPath(path, 'calls')}[${j}]`)),
  };
}

/** Resolves and validates a configuration (idempotent on a resolved one). */
export function resolveMicroservicesConfig(
  config: MicroservicesConfig | ResolvedMicroservicesConfig,
): ResolvedMicroservicesConfig {
  if ((config as ResolvedMicroservicesConfig)?.resolved === true)
    return config as ResolvedMicroservicesConfig;
  const c = config as MicroservicesConfig;
  rejectUnknownKeys(c, CONFIG_KEYS, '');
  if (!Array.isArray(c.services) || c.services.length === 0)
    throw new ParameterError('services', c.services, 'must be a non-empty array of services');
  const names = c.services.map((s, i) => {
    if (s == null || typeof s.name !== 'string' || s.name.length === 0)
      throw new ParameterError(`services[${i}].name`, s?.name, 'must be a non-empty string');
    return s.name;
  });
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i)
      throw new ParameterError(`services[${i}].name`, n, 'must be unique');
  });
  const services = c.services.map((s, i) => resolveService(s, names, `services[${i}]`));
  topologicalOrder(services);
  const cl = c.clients;
  rejectUnknownKeys(cl, CLIENTS_KEYS, 'clients');
  const open = cl.rate !== undefined;
  if (open === (cl.users !== undefined))
    throw new ParameterError(
      'clients',
      open ? 'rate and users' : 'neither',
      'give an open rate (clients.rate) or a closed population (clients.users), not both',
    );
  const rate = open ? requirePositive('clients.rate', cl.rate) : 0;
  const users = open ? 0 : requireInteger('clients.users', cl.users, 1, 1e7);
  const thinkTime = requireNonNegative('clients.thinkTime', cl.thinkTime ?? 0);
  const surges = (cl.surges ?? []).map((s, i) => {
    const p = `clients.surges[${i}]`;
    rejectUnknownKeys(s, SURGE_KEYS, p);
    if (!open) throw new ParameterError(p, s, 'surges apply to an open rate');
    return {
      at: requireNonNegative(`${p}.at`, s.at),
      duration: requirePositive(`${p}.duration`, s.duration),
      multiplier: requireNonNegative(`${p}.multiplier`, s.multiplier),
    };
  });
  const gateway = c.gateway ?? null;
  if (gateway !== null) validateGateway(gateway, names);
  if (c.entry !== undefined && gateway !== null)
    throw new ParameterError('entry', c.entry, 'give an entry service or a gateway, not both');
  const entry = c.entry !== undefined ? serviceIndex(names, c.entry, 'entry') : 0;
  const mixIn = cl.mix ?? [{ path: '/' }];
  if (!Array.isArray(mixIn) || mixIn.length === 0)
    throw new ParameterError(
      'clients.mix',
      mixIn,
      'must be a non-empty array of { host?, path, weight? }',
    );
  const weights = mixIn.map((m, i) => {
    rejectUnknownKeys(m, CLASS_KEYS, `clients.mix[${i}]`);
    if (typeof m.path !== 'string' || !m.path.startsWith('/'))
      throw new ParameterError(
        `clients.mix[${i}].path`,
        m.path,
        "must be a request target starting with '/'",
      );
    return requireNonNegative(`clients.mix[${i}].weight`, m.weight ?? 1);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0))
    throw new ParameterError('clients.mix', weights, 'needs a positive total weight');
  const classes = mixIn.map((m, i) => {
    const pool = gateway !== null ? routeRequest(gateway, m.host, m.path) : names[entry];
    return {
      host: m.host,
      path: m.path,
      share: weights[i] / total,
      entry: pool === null ? -1 : names.indexOf(pool),
    };
  });
  const call = resolvePolicy(cl.call ?? {}, 'clients.call');
  const timelineBin = requireNonNegative('timelineBin', c.timelineBin ?? 0);
  const slowRequestThreshold = c.slowRequestThreshold ?? Infinity;
  if (slowRequestThreshold !== Infinity)
    requireNonNegative('slowRequestThreshold', slowRequestThreshold);
  return {
    resolved: true,
    services,
    rate,
    surges,
    users,
    thinkTime,
    classes,
    call,
    gateway,
    timelineBin,
    slowRequestThreshold,
    visits: visitCounts(
      services,
      classes.map((k) => ({ service: k.entry, share: k.share })),
    ),
  };
}
