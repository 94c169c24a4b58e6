/**
 * A load balancer configuration's clients, resolved (part of resolve.ts's checks): open Poisson
 * requests (`rate` over `clients` addresses) or a closed population (`users`, `think`), keep-alive
 * (`requests_per_connection`), and the request mix, each class routed to its pool by the gateway
 * (or to the first pool). Omitted, or `{ external: true }`: called mode (no load of its own; the
 * address space `clients`, keep-alive and the mix still apply to the requests that come in).
 */
import { ParameterError, requireInteger, requirePositive } from '../../errors';
import { Exponential } from '../../random/exponential';
import { rejectUnknownKeys } from '../common/config';
import { CLIENT_KEYS, REQUEST_CLASS_KEYS } from './config';
import type { LoadBalancerConfig, ResolvedClass, ResolvedConfig, ResolvedPool } from './config';
import { routeRequest } from './gateway';
import { requireDistribution } from './resolve-backend';

/** The `clients` section of `config`, whose pools are `pools`. */
export function resolveClients(
  config: LoadBalancerConfig,
  pools: ResolvedPool[],
): ResolvedConfig['clients'] {
  const names = pools.map((p) => p.name);
  const c = config.clients ?? { external: true };
  if (c != null && typeof c === 'object') rejectUnknownKeys(c, CLIENT_KEYS, 'clients');
  if (c != null && c.external !== undefined && c.external !== false) {
    if (c.external !== true)
      throw new ParameterError('clients.external', c.external, 'must be true or false');
    for (const key of ['model', 'rate', 'users', 'think'] as const)
      if (c[key] !== undefined)
        throw new ParameterError(
          `clients.${key}`,
          c[key],
          'must be omitted: a called balancer (clients.external) has no load of its own; its requests come to entry',
        );
  }
  const external = c != null && c.external === true;
  if (!external && (c == null || (c.model !== 'open' && c.model !== 'closed')))
    throw new ParameterError('clients.model', c?.model, "must be 'open' or 'closed'");
  const open = c.model === 'open' || external;
  const rate = external ? NaN : open ? requirePositive('clients.rate', c.rate) : NaN;
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
  return {
    model: external ? 'external' : (c.model as 'open' | 'closed'),
    rate,
    clients,
    users,
    think,
    requests_per_connection: rpc,
    mix,
  };
}
