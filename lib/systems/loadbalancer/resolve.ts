/**
 * Checks a load balancer configuration and fills in its defaults (config.ts lists the knobs and
 * their sources). Every bad value is a ParameterError naming the field (`pools.web.health_check.fall`)
 * and every unknown key one too, with the nearest known key suggested (`pools.web.health_check.inetr`:
 * did you mean "inter"?). Failures (`failures`, `mttf`/`mttr`) become the shared failure process's
 * specs (lib/systems/common/failures.ts). The backends' checks are in resolve-backend.ts, the
 * pools' in resolve-pool.ts, the clients' in resolve-clients.ts; the balancer node, the pair and
 * the retries here.
 */
import { ParameterError, requireInRange, requireInteger, requirePositive } from '../../errors';
import { rejectUnknownKeys } from '../common/config';
import { resolveFailureSpec } from '../common/failures';
import { BALANCER_KEYS, LOAD_BALANCER_KEYS, PAIR_KEYS, RETRY_BUDGET_KEYS } from './config';
import type { LoadBalancerConfig, PairConfig, ResolvedConfig } from './config';
import { validateGateway } from './gateway';
import { outages, requireDistribution } from './resolve-backend';
import { resolveClients } from './resolve-clients';
import { checkSection, resolvePool } from './resolve-pool';
import { VRRP_DEFAULTS } from './vrrp';

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
  const clients = resolveClients(config, pools);
  const name = config.name ?? '';
  if (typeof name !== 'string')
    throw new ParameterError('name', name, 'must be a string (a prefix of stations and streams)');
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
    prefix: name === '' ? '' : `${name}.`,
    mode,
    clients,
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
