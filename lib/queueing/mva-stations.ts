/**
 * Station descriptions shared by the closed-network solvers (exact and approximate MVA, bounds,
 * max-users inverse), normalised into typed arrays for the hot loops.
 */
import { requireQuantity } from './validate';
import { ParameterError, requireNonNegative, requirePositive } from '../errors';

/** A station of a closed network. Give `demand` (total service per job, D = V S) or `visits` and `serviceTime`. */
export interface MvaStation {
  readonly name?: string;
  /** 'queue' (FCFS / PS servers, the default) or 'delay' (infinite servers: no queueing). */
  readonly kind?: 'queue' | 'delay';
  /** Service demand D = visits x service time, per job. */
  readonly demand?: number;
  /** Visits per job (default 1); with `serviceTime` gives the demand. */
  readonly visits?: number;
  /** Mean service time per visit. */
  readonly serviceTime?: number;
  /** Servers at a queueing station (default 1). */
  readonly servers?: number;
}

export interface NormalisedStations {
  readonly count: number;
  readonly names: string[];
  /** 1 for a delay station, 0 for a queueing station. */
  readonly isDelay: Uint8Array;
  readonly servers: Int32Array;
  readonly demands: Float64Array;
  readonly visits: Float64Array;
}

/** Checks and flattens station descriptions; errors name the offending station and field. */
export function normaliseStations(
  stations: readonly MvaStation[],
  parameter = 'stations',
): NormalisedStations {
  if (!Array.isArray(stations) || stations.length === 0) {
    throw new ParameterError(
      parameter,
      stations,
      'must be a non-empty array of stations {demand, servers?, kind?}',
    );
  }
  const count = stations.length;
  const names: string[] = [];
  const isDelay = new Uint8Array(count);
  const servers = new Int32Array(count);
  const demands = new Float64Array(count);
  const visits = new Float64Array(count);
  stations.forEach((s, k) => {
    const where = `${parameter}[${k}]`;
    if (s == null || typeof s !== 'object')
      throw new ParameterError(where, s, 'must be a station object');
    names.push(s.name ?? `station${k + 1}`);
    if (s.kind !== undefined && s.kind !== 'queue' && s.kind !== 'delay') {
      throw new ParameterError(`${where}.kind`, s.kind, 'must be "queue" or "delay"');
    }
    isDelay[k] = s.kind === 'delay' ? 1 : 0;
    const c = s.servers ?? 1;
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 1 || c > 1e6) {
      throw new ParameterError(
        `${where}.servers`,
        c,
        'must be an integer >= 1 and <= 1000000 (use kind "delay" for infinite servers)',
      );
    }
    servers[k] = c;
    const v = s.visits === undefined ? 1 : requirePositive(`${where}.visits`, s.visits);
    visits[k] = v;
    if (s.demand !== undefined) demands[k] = requireQuantity(`${where}.demand`, s.demand);
    else if (s.serviceTime !== undefined)
      demands[k] = v * requireNonNegative(`${where}.serviceTime`, s.serviceTime);
    else
      throw new ParameterError(
        `${where}.demand`,
        undefined,
        'must be a finite number >= 0 (or give serviceTime)',
      );
  });
  return { count, names, isDelay, servers, demands, visits };
}

/** Builds stations from parallel lists, as the command line gives them: servers 0 means a delay station. */
export function stationsFromLists(
  demands: readonly number[],
  servers?: readonly number[],
  names?: readonly string[],
): MvaStation[] {
  if (servers && servers.length !== demands.length) {
    throw new ParameterError(
      'servers',
      servers,
      `must list one entry per demand (${demands.length})`,
    );
  }
  return demands.map((demand, k) => {
    const c = servers ? servers[k] : 1;
    const name = names?.[k] ?? `station${k + 1}`;
    if (c === 0 || c === Infinity) return { name, demand, kind: 'delay' as const };
    return { name, demand, servers: c };
  });
}
