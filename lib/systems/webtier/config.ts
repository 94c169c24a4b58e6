/**
 * The web tier's configuration: servers behind a balancer, users who log in, hold a session and
 * leave, where the sessions live, how servers fail, how new ones come up and what scales them.
 * Every value is checked once by {@link resolveWebTierConfig}; a bad value or an unknown key is a
 * ParameterError naming its path.
 *
 * Session stores (subsystems.md §7.7): `memory` keeps a session in the server that logged the
 * user in, so the balancer must be sticky (a cookie naming the server); the session dies with it
 * and a server holds at most `max_sessions`. `shared` keeps it in a Redis-like store (a Station of
 * its own: `latency`, `servers`, failures; `replicas` with Redis Sentinel's failover after
 * `down-after-milliseconds`): every request pays a round trip, any server can serve anyone.
 * `token` signs the session into the client's cookie (a JWT): no store, but every request carries
 * `bytes` more over a link of `bandwidth` and the server verifies the signature (`verify` s).
 */
import {
  ParameterError,
  requireInteger,
  requireNonNegative,
  requirePositive,
  requireInRange,
} from '../../errors';
import type { Distribution } from '../../random/distribution';
import { Exponential } from '../../random/exponential';
import { resolveFailureSpec } from '../common/failures';
import type { FailureSpec, ResolvedFailureSpec } from '../common/failures';
import { rejectUnknownKeys } from '../common/config';
import { BALANCE_ALGORITHMS } from '../loadbalancer/policies';
import type { BalanceAlgorithm } from '../loadbalancer/policies';
import { resolveHpa } from './hpa';
import type { HpaConfig, ResolvedHpa } from './hpa';
import { resolveStepScaling, resolveTargetTracking } from './aws';
import type {
  ResolvedStepScaling,
  ResolvedTargetTracking,
  StepScalingConfig,
  TargetTrackingConfig,
} from './aws';
import { resolveLoad } from './load';
import type { LoadConfig, ResolvedLoad } from './load';
import { requireDelayDistribution } from '../../sim/delays';

export type SessionStore = 'memory' | 'shared' | 'token';

export interface StoreConfig {
  /** Mean time of one session read in the store (network round trip + service), seconds (default 0.001). */
  latency?: number;
  /** Store threads (Redis: 1). */
  servers?: number;
  /** Replicas behind Redis Sentinel (0: none; the store's failure is an outage). */
  replicas?: number;
  /** Sentinel's down-after-milliseconds: a dead primary is replaced after this (default 30000). */
  'down-after-milliseconds'?: number;
  failures?: FailureSpec;
  /** Caller-side timeout of a store call, seconds (default 1). */
  timeout?: number;
}

export interface TokenConfig {
  /** Extra bytes per request (default 1024: a signed cookie). */
  bytes?: number;
  /** Client link, bytes/s (default 1.25e6: 10 Mbit/s). */
  bandwidth?: number;
  /** Signature check per request, seconds (default 0.0002). */
  verify?: number;
}

export interface ProvisioningConfig {
  /** Seconds from scale-out until a new server takes requests (instance launch, pod start; default 60). */
  delay?: number;
  /** Seconds a new server then runs slower (cold caches, JIT; default 60). */
  warmup?: number;
  /** Its speed during the warm-up, as a fraction of a warm server's (default 0.5). */
  warmupSpeed?: number;
}

export type AutoscalerConfig = HpaConfig | TargetTrackingConfig | StepScalingConfig;

export interface WebTierConfig {
  /** Servers at start (default 4). */
  replicas?: number;
  /** CPU time of a request on a warm server (default exponential, mean 0.05 s). */
  service?: Distribution;
  /** Requests a server runs at once (default 1). */
  workers?: number;
  /**
   * How a server serves its requests: `'fifo'` (default: `workers` at a time, the others wait in
   * order) or `'ps'` (processor sharing: every request in the server shares its `workers` CPUs at
   * once, as a server's threads time-share a CPU; the product form holds for any work
   * distribution, BCMP type 2).
   */
  discipline?: 'fifo' | 'ps';
  /** Balancing algorithm for logins (sticky) or every request (default roundrobin). */
  balance?: BalanceAlgorithm;
  session_store?: SessionStore;
  /** Sessions a server's memory holds (memory store; default Infinity). */
  max_sessions?: number;
  store?: StoreConfig;
  token?: TokenConfig;
  /** The tier's own load; omitted or `{ external: true }`: called mode (requests come to `entry`). */
  users?: LoadConfig | { external: true };
  /** Prefix of the tier's stations and random streams (`<name>.web0`), so two tiers in one simulation draw apart; default none. */
  name?: string;
  /** Server failures: one spec for every server, or one per server index. */
  failures?: FailureSpec | FailureSpec[];
  provisioning?: ProvisioningConfig;
  autoscaler?: AutoscalerConfig;
  /** Manual scaling: at `at` seconds set the server count to `replicas`. */
  schedule?: Array<{ at: number; replicas: number }>;
  /** Width of the timeline's bins, seconds (default 60). */
  timeline_bin?: number;
  /** p95 objective of a bin, seconds (default 0.5): bins above it are SLO violations. */
  slo_p95?: number;
}

export const WEBTIER_KEYS = [
  'replicas',
  'service',
  'workers',
  'discipline',
  'balance',
  'session_store',
  'max_sessions',
  'store',
  'token',
  'users',
  'failures',
  'provisioning',
  'autoscaler',
  'schedule',
  'timeline_bin',
  'slo_p95',
  'name',
] as const;
export const STORE_KEYS = [
  'latency',
  'servers',
  'replicas',
  'down-after-milliseconds',
  'failures',
  'timeout',
] as const;
export const TOKEN_KEYS = ['bytes', 'bandwidth', 'verify'] as const;
export const PROVISIONING_KEYS = ['delay', 'warmup', 'warmupSpeed'] as const;

export interface ResolvedWebTier {
  replicas: number;
  /** Servers the tier may ever have (the autoscaler's maximum, or the largest count used). */
  capacity: number;
  service: Distribution;
  workers: number;
  discipline: 'fifo' | 'ps';
  balance: BalanceAlgorithm;
  session_store: SessionStore;
  max_sessions: number;
  store: {
    latency: number;
    servers: number;
    replicas: number;
    'down-after-milliseconds': number;
    failures: ResolvedFailureSpec;
    timeout: number;
  };
  token: { bytes: number; bandwidth: number; verify: number; extra: number };
  /** null: called mode, no load of its own. */
  users: ResolvedLoad | null;
  /** '' or the prefix of stations and streams, with its dot. */
  prefix: string;
  failures: ResolvedFailureSpec[];
  provisioning: Required<ProvisioningConfig>;
  autoscaler: ResolvedHpa | ResolvedTargetTracking | ResolvedStepScaling | null;
  schedule: Array<{ at: number; replicas: number }>;
  timeline_bin: number;
  slo_p95: number;
}

function resolveAutoscaler(a: AutoscalerConfig | undefined): ResolvedWebTier['autoscaler'] {
  if (a === undefined) return null;
  if (a == null || typeof a !== 'object')
    throw new ParameterError(
      'autoscaler',
      a,
      "must be { kind: 'hpa' | 'target-tracking' | 'step', ... }",
    );
  if (a.kind === 'hpa') return resolveHpa(a, 'autoscaler');
  if (a.kind === 'target-tracking') return resolveTargetTracking(a, 'autoscaler');
  if (a.kind === 'step') return resolveStepScaling(a, 'autoscaler');
  throw new ParameterError(
    'autoscaler.kind',
    (a as { kind: unknown }).kind,
    "must be 'hpa', 'target-tracking' or 'step'",
  );
}

/** The tier's load, or null in called mode (`users` omitted or `{ external: true }` and nothing else). */
function resolveUsers(u: WebTierConfig['users']): ResolvedLoad | null {
  if (u === undefined) return null;
  if (u != null && typeof u === 'object' && 'external' in u) {
    if (u.external !== true)
      throw new ParameterError(
        'users.external',
        u.external,
        'must be true (called mode) or omitted',
      );
    for (const key of Object.keys(u))
      if (key !== 'external')
        throw new ParameterError(
          `users.${key}`,
          (u as Record<string, unknown>)[key],
          'must be omitted: a called web tier (users.external) has no load of its own; its requests come to entry',
        );
    return null;
  }
  return resolveLoad(u as LoadConfig, 'users');
}

function resolvePrefix(name: unknown): string {
  if (name === undefined || name === '') return '';
  if (typeof name !== 'string')
    throw new ParameterError('name', name, 'must be a string (a prefix of stations and streams)');
  return `${name}.`;
}

export function resolveWebTierConfig(config: WebTierConfig): ResolvedWebTier {
  rejectUnknownKeys(config, WEBTIER_KEYS, '');
  const autoscaler = resolveAutoscaler(config.autoscaler);
  const max =
    autoscaler === null
      ? Infinity
      : autoscaler.kind === 'hpa'
        ? autoscaler.maxReplicas
        : autoscaler.MaxSize;
  const min =
    autoscaler === null
      ? 1
      : autoscaler.kind === 'hpa'
        ? autoscaler.minReplicas
        : autoscaler.MinSize;
  const replicas = requireInteger(
    'replicas',
    config.replicas ?? Math.max(4, min),
    1,
    max === Infinity ? 10000 : max,
  );
  if (replicas < min)
    throw new ParameterError('replicas', replicas, `must be >= the autoscaler's minimum (${min})`);
  const schedule = (config.schedule ?? [])
    .map((s, i) => {
      rejectUnknownKeys(s, ['at', 'replicas'], `schedule[${i}]`);
      return {
        at: requireNonNegative(`schedule[${i}].at`, s.at),
        replicas: requireInteger(`schedule[${i}].replicas`, s.replicas, 1, 10000),
      };
    })
    .sort((a, b) => a.at - b.at);
  const capacity = max !== Infinity ? max : Math.max(replicas, ...schedule.map((s) => s.replicas));
  const balance = config.balance ?? 'roundrobin';
  if (!BALANCE_ALGORITHMS.includes(balance))
    throw new ParameterError('balance', balance, `must be one of ${BALANCE_ALGORITHMS.join(', ')}`);
  const store = config.session_store ?? 'memory';
  if (store !== 'memory' && store !== 'shared' && store !== 'token')
    throw new ParameterError('session_store', store, "must be 'memory', 'shared' or 'token'");
  const s = config.store ?? {};
  rejectUnknownKeys(s, STORE_KEYS, 'store');
  const t = config.token ?? {};
  rejectUnknownKeys(t, TOKEN_KEYS, 'token');
  const token = {
    bytes: requireNonNegative('token.bytes', t.bytes ?? 1024),
    bandwidth: requirePositive('token.bandwidth', t.bandwidth ?? 1.25e6),
    verify: requireNonNegative('token.verify', t.verify ?? 0.0002),
    extra: 0,
  };
  token.extra = token.verify + token.bytes / token.bandwidth;
  const p = config.provisioning ?? {};
  rejectUnknownKeys(p, PROVISIONING_KEYS, 'provisioning');
  const f = config.failures;
  const failures = Array.from({ length: capacity }, (_, i) =>
    resolveFailureSpec(
      Array.isArray(f) ? f[i] : f,
      Array.isArray(f) ? `failures[${i}]` : 'failures',
    ),
  );
  if (Array.isArray(f) && f.length > capacity)
    throw new ParameterError('failures', f.length, `has more entries than servers (${capacity})`);
  const service = config.service ?? Exponential.withMean(0.05);
  if (service == null || typeof service.sample !== 'function')
    throw new ParameterError('service', service, 'must be a Distribution');
  requireDelayDistribution('service', service, { positive: false });
  const discipline = config.discipline ?? 'fifo';
  if (discipline !== 'fifo' && discipline !== 'ps')
    throw new ParameterError(
      'discipline',
      discipline,
      "must be 'fifo' (workers in order) or 'ps' (processor sharing)",
    );
  return {
    replicas,
    capacity,
    service,
    workers: requireInteger('workers', config.workers ?? 1, 1, 10000),
    discipline,
    balance,
    session_store: store,
    max_sessions:
      config.max_sessions === undefined
        ? Infinity
        : requireInteger('max_sessions', config.max_sessions, 1),
    store: {
      latency: requirePositive('store.latency', s.latency ?? 0.001),
      servers: requireInteger('store.servers', s.servers ?? 1, 1, 1000),
      replicas: requireInteger('store.replicas', s.replicas ?? 0, 0, 10),
      'down-after-milliseconds': requireNonNegative(
        'store.down-after-milliseconds',
        s['down-after-milliseconds'] ?? 30000,
      ),
      failures: resolveFailureSpec(s.failures, 'store.failures'),
      timeout: requirePositive('store.timeout', s.timeout ?? 1),
    },
    token,
    users: resolveUsers(config.users),
    prefix: resolvePrefix(config.name),
    failures,
    provisioning: {
      delay: requireNonNegative('provisioning.delay', p.delay ?? 60),
      warmup: requireNonNegative('provisioning.warmup', p.warmup ?? 60),
      warmupSpeed: requireInRange('provisioning.warmupSpeed', p.warmupSpeed ?? 0.5, 0.01, 1),
    },
    autoscaler,
    schedule,
    timeline_bin: requirePositive('timeline_bin', config.timeline_bin ?? 60),
    slo_p95: requirePositive('slo_p95', config.slo_p95 ?? 0.5),
  };
}
