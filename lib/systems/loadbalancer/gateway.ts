import { ParameterError } from '../../errors';
import { knownKeys, rejectUnknownKeys } from '../common/config';

/**
 * Application-gateway routing (§2 of the subsystems reference): listener (host name) -> routing
 * rule (path) -> backend pool.
 *
 * - `first-match`: rules are tried in the order listed and the first whose pattern matches wins
 *   (Azure Application Gateway path maps, AWS ALB rules by ascending priority, Envoy routes). A
 *   pattern is a case-sensitive glob over the path: `*` any run of characters, `?` one character
 *   (ALB path patterns); `/images/*` matches `/images/x.png`.
 * - `longest-prefix`: NGINX `location` semantics without regexes: an exact rule (`=/path`) wins,
 *   else the longest literal prefix (a trailing `*` is dropped: `/images/*` is the prefix
 *   `/images/`).
 * Patterns match the path only, never the query string: `/video?x=/images` routes as `/video`.
 * A path no rule matches goes to the listener's `default_pool`. Listeners with `hosts`
 * (multi-site) are tried before a basic listener (no `hosts`); among multi-site listeners an exact
 * host beats `*.suffix`, which beats `prefix.*`, which beats `*` (Envoy's virtual-host order). A
 * host no listener takes is not routed (`null`: the gateway answers with an error).
 */
export type RouteMatch = 'first-match' | 'longest-prefix';

export interface RouteRule {
  /** Path pattern (see {@link RouteMatch}). */
  path: string;
  /** Backend pool the rule sends to. */
  pool: string;
}

export interface Listener {
  /** Host names of a multi-site listener (`api.example.com`, `*.example.com`); omit for a basic listener. */
  hosts?: string[];
  rules: RouteRule[];
  /** Pool for paths no rule matches; omit to answer 404 (not routed). */
  default_pool?: string;
}

export interface GatewayConfig {
  match?: RouteMatch;
  listeners: Listener[];
}

export const GATEWAY_KEYS = knownKeys<GatewayConfig>()(['match', 'listeners']);
export const LISTENER_KEYS = knownKeys<Listener>()(['hosts', 'rules', 'default_pool']);
export const ROUTE_RULE_KEYS = knownKeys<RouteRule>()(['path', 'pool']);

/** The path part of a request target: everything before `?` or `#`. */
export function pathOf(target: string): string {
  const q = target.search(/[?#]/);
  return q < 0 ? target : target.slice(0, q);
}

/** ALB-style glob: `*` any run of characters, `?` one character, everything else literal and case-sensitive. */
export function globMatch(pattern: string, path: string): boolean {
  let p = 0;
  let s = 0;
  let star = -1;
  let mark = 0;
  while (s < path.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === path[s])) {
      p++;
      s++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = s;
    } else if (star >= 0) {
      p = star + 1;
      s = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Rank of a host pattern matching `host` (higher wins), or -1: exact 3, `*.suffix` 2, `prefix.*` 1, `*` 0. */
function hostRank(pattern: string, host: string): number {
  const h = host.toLowerCase();
  const p = pattern.toLowerCase();
  if (p === h) return 3;
  if (p === '*') return 0;
  if (p.startsWith('*') && h.endsWith(p.slice(1)) && h.length > p.length - 1) return 2;
  if (p.endsWith('*') && h.startsWith(p.slice(0, -1)) && h.length > p.length - 1) return 1;
  return -1;
}

/** Checks a gateway configuration; throws a ParameterError naming the bad field or the unknown key. */
export function validateGateway(config: GatewayConfig, pools?: readonly string[]): void {
  if (config != null && typeof config === 'object')
    rejectUnknownKeys(config, GATEWAY_KEYS, 'gateway');
  if (config == null || !Array.isArray(config.listeners) || config.listeners.length === 0) {
    throw new ParameterError(
      'gateway.listeners',
      config?.listeners,
      'must be a non-empty array of listeners',
    );
  }
  const match = config.match ?? 'first-match';
  if (match !== 'first-match' && match !== 'longest-prefix')
    throw new ParameterError('gateway.match', match, "must be 'first-match' or 'longest-prefix'");
  const knownPool = (where: string, pool: unknown) => {
    if (typeof pool !== 'string' || pool.length === 0)
      throw new ParameterError(where, pool, 'must be a pool name');
    if (pools && !pools.includes(pool))
      throw new ParameterError(where, pool, `must name a pool (${pools.join(', ')})`);
  };
  let basic = 0;
  config.listeners.forEach((l, i) => {
    rejectUnknownKeys(l, LISTENER_KEYS, `gateway.listeners[${i}]`);
    if (
      l.hosts !== undefined &&
      (!Array.isArray(l.hosts) ||
        l.hosts.length === 0 ||
        l.hosts.some((h) => typeof h !== 'string' || h.length === 0))
    ) {
      throw new ParameterError(
        `gateway.listeners[${i}].hosts`,
        l.hosts,
        'must be a non-empty array of host names (omit for a basic listener)',
      );
    }
    if (l.hosts === undefined && ++basic > 1)
      throw new ParameterError(
        `gateway.listeners[${i}]`,
        'basic',
        'only one basic listener (without hosts) per port',
      );
    if (!Array.isArray(l.rules))
      throw new ParameterError(
        `gateway.listeners[${i}].rules`,
        l.rules,
        'must be an array of { path, pool }',
      );
    l.rules.forEach((r, j) => {
      if (r != null && typeof r === 'object')
        rejectUnknownKeys(r, ROUTE_RULE_KEYS, `gateway.listeners[${i}].rules[${j}]`);
      if (
        r == null ||
        typeof r.path !== 'string' ||
        !(r.path.startsWith('/') || r.path.startsWith('=/'))
      ) {
        throw new ParameterError(
          `gateway.listeners[${i}].rules[${j}].path`,
          r?.path,
          "must be a path pattern starting with '/' (or '=/' for an exact match)",
        );
      }
      knownPool(`gateway.listeners[${i}].rules[${j}].pool`, r.pool);
    });
    if (l.default_pool !== undefined)
      knownPool(`gateway.listeners[${i}].default_pool`, l.default_pool);
  });
}

/** The listener that takes `host`: the best-ranked multi-site listener, else the basic one, else null. */
export function selectListener(config: GatewayConfig, host: string | undefined): Listener | null {
  let best: Listener | null = null;
  let bestRank = -1;
  let basic: Listener | null = null;
  for (const l of config.listeners) {
    if (l.hosts === undefined) {
      if (basic === null) basic = l;
      continue;
    }
    if (host === undefined) continue;
    for (const h of l.hosts) {
      const r = hostRank(h, host);
      if (r > bestRank) {
        bestRank = r;
        best = l;
      }
    }
  }
  return best ?? basic;
}

/** The pool for a request to `host` with request target `target` (path and query), or null when not routed. */
export function routeRequest(
  config: GatewayConfig,
  host: string | undefined,
  target: string,
): string | null {
  const listener = selectListener(config, host);
  if (listener === null) return null;
  const path = pathOf(target);
  const match = config.match ?? 'first-match';
  if (match === 'first-match') {
    for (const r of listener.rules) {
      const exact = r.path.startsWith('=');
      if (exact ? r.path.slice(1) === path : globMatch(r.path, path)) return r.pool;
    }
  } else {
    let best: RouteRule | null = null;
    let bestLen = -1;
    for (const r of listener.rules) {
      if (r.path.startsWith('=')) {
        if (r.path.slice(1) === path) return r.pool;
        continue;
      }
      const prefix = r.path.endsWith('*') ? r.path.slice(0, -1) : r.path;
      if (path.startsWith(prefix) && prefix.length > bestLen) {
        best = r;
        bestLen = prefix.length;
      }
    }
    if (best !== null) return best.pool;
  }
  return listener.default_pool ?? null;
}
