/**
 * The load and routing part of a replication configuration (resolve.ts resolves the rest): who
 * sends the requests (`clients`: open Poisson sources, a closed population, or an external caller
 * through `reads`/`writes`, which must then bring no load of its own), the cluster's `name`,
 * ProxySQL's read `weights` and the nodes' queueing `discipline`. Every bad value is a
 * ParameterError naming its key.
 */
import { ParameterError, requireInteger, requireNonNegative, requirePositive } from '../../errors';
import { rejectUnknownKeys } from '../common/config';
import { rejectOwnLoad } from './called';
import { WRITE_BURST_KEYS } from './config';
import type { ReplicationConfig, ResolvedReplicationConfig, WriteBurst } from './config';

type Load = Pick<
  ResolvedReplicationConfig,
  | 'clients'
  | 'name'
  | 'weights'
  | 'discipline'
  | 'writeRate'
  | 'readRate'
  | 'writeBurst'
  | 'sessions'
  | 'users'
  | 'thinkTime'
  | 'writeFraction'
>;

/** `value` if it is one of `choices`, `fallback` when undefined; else a ParameterError naming `name`. */
export function choice<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !choices.includes(value as T))
    throw new ParameterError(name, value, `must be one of ${choices.join(', ')}`);
  return value as T;
}

/** ProxySQL's weights, one per replica (> 0), as a per-node table (node 0, the first primary, weight 1). */
function resolveWeights(w: readonly number[] | undefined, replicas: number): Float64Array | null {
  if (w === undefined) return null;
  if (!Array.isArray(w) || w.length !== replicas)
    throw new ParameterError(
      'weights',
      w,
      `must be an array of one weight per replica (${replicas})`,
    );
  const out = new Float64Array(replicas + 1);
  out[0] = 1;
  w.forEach((x, i) => (out[i + 1] = requirePositive(`weights[${i}]`, x)));
  return out;
}

/** The clients, the name, the weights and the discipline, resolved; `sessions` is the users' count for closed clients. */
export function resolveLoad(config: ReplicationConfig, replicas: number): Load {
  const clients = choice(
    'clients',
    config.clients,
    ['open', 'closed', 'external'] as const,
    'open',
  );
  if (clients === 'external') rejectOwnLoad(config);
  const name = config.name ?? 'replication';
  if (!(typeof name === 'string' && name.length > 0))
    throw new ParameterError('name', name, 'must be a non-empty string');
  const weights = resolveWeights(config.weights, replicas);
  const discipline = choice('discipline', config.discipline, ['fifo', 'ps'] as const, 'fifo');
  const writeRate = requireNonNegative('writeRate', config.writeRate ?? 100);
  const readRate = requireNonNegative('readRate', config.readRate ?? 0);
  let writeBurst: WriteBurst | null = null;
  if (config.writeBurst !== undefined) {
    const b = config.writeBurst;
    if (b != null && typeof b === 'object') rejectUnknownKeys(b, WRITE_BURST_KEYS, 'writeBurst');
    writeBurst = {
      start: requireNonNegative('writeBurst.start', b?.start),
      duration: requireNonNegative('writeBurst.duration', b?.duration),
      rate: requireNonNegative('writeBurst.rate', b?.rate),
    };
  }
  const sessions = requireInteger('sessions', config.sessions ?? 100, 1, 1e7);
  let users = 0;
  let thinkTime = 0;
  let writeFraction = 0;
  if (clients === 'closed') {
    users = requireInteger('users', config.users, 1, 1e7);
    thinkTime = requireNonNegative('thinkTime', config.thinkTime);
    writeFraction = config.writeFraction ?? NaN;
    if (!(writeFraction >= 0 && writeFraction <= 1))
      throw new ParameterError('writeFraction', config.writeFraction, 'must be a number in [0, 1]');
  }
  return {
    clients,
    name,
    weights,
    discipline,
    writeRate,
    readRate,
    writeBurst,
    sessions: clients === 'closed' ? users : sessions,
    users,
    thinkTime,
    writeFraction,
  };
}
