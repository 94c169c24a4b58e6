/**
 * Validation of an architecture against its JSON Schema (./schema.json, shipped in the package),
 * by a small validator driven by that schema (the subset it uses: type, properties, required,
 * additionalProperties: false, minimum, maximum, exclusiveMinimum, minLength, enum, default).
 * Every error is a ParameterError naming the JSON path of the bad field (`web.servers`,
 * `database.replicas`), its value and the valid range; an unknown key names its path and the
 * nearest known key (common.rejectUnknownKeys: `web.sevrers ... did you mean "servers"?`).
 * Defaults from the schema are filled in, so the result is a complete {@link Architecture}.
 * Rules a schema cannot say simply are checked after: exactly one of `users` and `arrivalRate`,
 * a colocated database only on a single web server and without a cache, minReplicas <=
 * maxReplicas, Kafka's replication.factor <= brokers and min.insync.replicas <= replication.factor,
 * the CDN edge sized by `cdn.capacity` (<= `cdn.objects`) or `cdn.hitRatio` (default 0.9, when
 * neither is given), not both, and a reachable ratio (./cdn-edge.ts).
 */
import { ParameterError } from '../../errors';
import { rejectUnknownKeys, keyPath } from '../common/config';
import { cdnEdgeOf, DEFAULT_CDN_HIT_RATIO } from './cdn-edge';
import schemaJson from './schema.json';
import type { Architecture } from './types';

export interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  enum?: unknown[];
  default?: unknown;
  description?: string;
}

/** The architecture's JSON Schema (draft-07). */
export const architectureSchema: SchemaNode = schemaJson as unknown as SchemaNode;

function range(node: SchemaNode): string {
  const parts: string[] = [];
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.minimum !== undefined) parts.push(`>= ${node.minimum}`);
  if (node.maximum !== undefined) parts.push(`<= ${node.maximum}`);
  return parts.join(' and ');
}

/** Checks `value` against `node` at `path`, returning it with defaults filled in. */
export function validateNode(value: unknown, node: SchemaNode, path: string): unknown {
  if (node.enum) {
    if (!node.enum.includes(value))
      throw new ParameterError(
        path,
        value,
        `must be one of ${node.enum.map((e) => JSON.stringify(e)).join(', ')}`,
      );
    return value;
  }
  switch (node.type) {
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new ParameterError(path || 'architecture', value, 'must be an object');
      const props = node.properties ?? {};
      if (node.additionalProperties === false) rejectUnknownKeys(value, Object.keys(props), path);
      const v = value as Record<string, unknown>;
      for (const r of node.required ?? [])
        if (v[r] === undefined)
          throw new ParameterError(keyPath(path, r), undefined, 'is required');
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(props)) {
        const given =
          v[key] === undefined
            ? child.default !== undefined
              ? structuredClone(child.default)
              : undefined
            : v[key];
        if (given === undefined) continue;
        out[key] = validateNode(given, child, keyPath(path, key));
      }
      return out;
    }
    case 'number':
    case 'integer': {
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (node.type === 'number' || Number.isInteger(value));
      const bad =
        !ok ||
        (node.minimum !== undefined && (value as number) < node.minimum) ||
        (node.maximum !== undefined && (value as number) > node.maximum) ||
        (node.exclusiveMinimum !== undefined && (value as number) <= node.exclusiveMinimum);
      if (bad)
        throw new ParameterError(
          path,
          value,
          `must be ${node.type === 'integer' ? 'an integer' : 'a finite number'}${range(node) ? ' ' + range(node) : ''}`,
        );
      return value;
    }
    case 'string':
      if (typeof value !== 'string' || value.length < (node.minLength ?? 0))
        throw new ParameterError(
          path,
          value,
          node.minLength ? 'must be a non-empty string' : 'must be a string',
        );
      return value;
    case 'boolean':
      if (typeof value !== 'boolean')
        throw new ParameterError(path, value, 'must be true or false');
      return value;
    default:
      return value;
  }
}

/** Validates an architecture (a parsed JSON file or a typed object) and fills in its defaults. */
export function resolveArchitecture(input: unknown): Architecture {
  const a = validateNode(input, architectureSchema, '') as Architecture;
  if ((a.users === undefined) === (a.arrivalRate === undefined)) {
    throw new ParameterError(
      'users',
      a.users,
      'give exactly one of users {count, thinkTime} (closed load) and arrivalRate (open load)',
    );
  }
  if (a.database.colocated && a.web.servers !== 1) {
    throw new ParameterError(
      'database.colocated',
      true,
      `needs web.servers = 1 (the one host), got ${a.web.servers}`,
    );
  }
  if (a.database.colocated && a.database.replicas > 0) {
    throw new ParameterError(
      'database.replicas',
      a.database.replicas,
      'must be 0 with a colocated database',
    );
  }
  if (a.web.servers > 1 && !a.balancer) {
    throw new ParameterError(
      'balancer',
      undefined,
      `is required with web.servers = ${a.web.servers} > 1`,
    );
  }
  const as = a.web.autoscaling;
  if (as && as.minReplicas > as.maxReplicas)
    throw new ParameterError(
      'web.autoscaling.minReplicas',
      as.minReplicas,
      `must be <= maxReplicas = ${as.maxReplicas}`,
    );
  if (as && !a.balancer)
    throw new ParameterError('balancer', undefined, 'is required with web.autoscaling');
  const k = a.kafka;
  if (k && k['replication.factor'] > k.brokers)
    throw new ParameterError(
      'kafka.replication.factor',
      k['replication.factor'],
      `must be <= kafka.brokers = ${k.brokers} (InvalidReplicationFactorException)`,
    );
  if (k && k['min.insync.replicas'] > k['replication.factor'])
    throw new ParameterError(
      'kafka.min.insync.replicas',
      k['min.insync.replicas'],
      `must be <= kafka.replication.factor = ${k['replication.factor']}`,
    );
  if (a.cache && a.database.colocated)
    throw new ParameterError(
      'cache',
      undefined,
      'needs a database tier of its own (database.colocated = false): the memcached pool fills from it',
    );
  const cdn = a.cdn;
  if (cdn && cdn.capacity !== undefined && cdn.hitRatio !== undefined)
    throw new ParameterError(
      'cdn.hitRatio',
      cdn.hitRatio,
      `give cdn.capacity (${cdn.capacity}) or cdn.hitRatio, not both: the edge's hit ratio is Che's for its capacity, and a ratio sizes the edge`,
    );
  if (cdn && cdn.capacity === undefined && cdn.hitRatio === undefined)
    cdn.hitRatio = DEFAULT_CDN_HIT_RATIO;
  if (cdn && cdn.capacity !== undefined && cdn.capacity > cdn.objects)
    throw new ParameterError(
      'cdn.capacity',
      cdn.capacity,
      `must be <= cdn.objects = ${cdn.objects} (an edge holding the whole catalogue)`,
    );
  if (cdn) cdnEdgeOf(cdn); // an unreachable hitRatio is a ParameterError here, not at the first evaluation
  if (k && a.database.colocated)
    throw new ParameterError(
      'kafka',
      undefined,
      'needs a database tier of its own (database.colocated = false): the one-host step has no room for brokers',
    );
  return a;
}

/** Parses and validates an architecture file's text; a JSON syntax error names the file. */
export function parseArchitecture(text: string, file = 'architecture'): Architecture {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ParameterError(
      file,
      text.slice(0, 40),
      `must be valid JSON (${(e as Error).message})`,
    );
  }
  return resolveArchitecture(parsed);
}
