/**
 * A load balancer configuration's backends, resolved (part of resolve.ts's checks): speed,
 * weight, workers, HAProxy `maxconn`, `failure_mode`, and failures (`failures` outages or
 * `mttf`/`mttr`) as the shared failure process's spec (lib/systems/common/failures.ts). Also the
 * distribution and outage-list checks the other sections share.
 */
import {
  ParameterError,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requirePositive,
} from '../../errors';
import type { Distribution } from '../../random/distribution';
import { requireDelayDistribution } from '../../sim/delays';
import { rejectUnknownKeys } from '../common/config';
import { resolveFailureSpec } from '../common/failures';
import type { Outage } from '../common/failures';
import { BACKEND_KEYS, OUTAGE_KEYS } from './config';
import type { BackendConfig, ResolvedBackend } from './config';

/** A duration distribution (no value below 0), or a ParameterError naming `name`. */
export function requireDistribution(name: string, d: unknown): Distribution {
  if (d == null || typeof (d as Distribution).sample !== 'function')
    throw new ParameterError(name, d, 'must be a Distribution (e.g. new Exponential(10))');
  return requireDelayDistribution(name, d, { positive: false }); // a duration: no value below 0
}

/** A list of scheduled outages `{ at, duration }`, or a ParameterError naming the bad entry. */
export function outages(name: string, list: unknown): Outage[] {
  if (list === undefined) return [];
  if (!Array.isArray(list))
    throw new ParameterError(name, list, 'must be an array of { at, duration }');
  return list.map((o, i) => {
    if (o == null || typeof o !== 'object')
      throw new ParameterError(`${name}[${i}]`, o, 'must be { at, duration }');
    rejectUnknownKeys(o, OUTAGE_KEYS, `${name}[${i}]`);
    return {
      at: requireNonNegative(`${name}[${i}].at`, (o as Outage).at),
      duration: requirePositive(`${name}[${i}].duration`, (o as Outage).duration),
    };
  });
}

/** Backend i of pool `pool`, with its defaults; errors name `pools.<pool>.backends[i].<key>`. */
export function resolveBackend(pool: string, b: BackendConfig, i: number): ResolvedBackend {
  const where = `pools.${pool}.backends[${i}]`;
  if (b == null || typeof b !== 'object')
    throw new ParameterError(where, b, 'must be a backend { speed, weight, ... }');
  rejectUnknownKeys(b, BACKEND_KEYS, where);
  const mttf = b.mttf === undefined ? Infinity : requirePositive(`${where}.mttf`, b.mttf);
  const mttr =
    b.mttr === undefined
      ? mttf === Infinity
        ? Infinity
        : NaN
      : requirePositive(`${where}.mttr`, b.mttr);
  if (Number.isNaN(mttr))
    throw new ParameterError(`${where}.mttr`, undefined, 'must be given with mttf');
  if (mttf === Infinity && b.mttr !== undefined)
    throw new ParameterError(`${where}.mttf`, undefined, 'must be given with mttr');
  if (mttf !== Infinity && b.failures !== undefined && b.failures.length > 0)
    throw new ParameterError(
      `${where}.failures`,
      b.failures,
      'give either a failure schedule or mttf/mttr, not both',
    );
  const failures = outages(`${where}.failures`, b.failures);
  const mode = b.failure_mode ?? 'blackhole';
  if (mode !== 'blackhole' && mode !== 'crash')
    throw new ParameterError(
      `${where}.failure_mode`,
      mode,
      "must be 'blackhole' (timeouts) or 'crash' (port closed: refused at once)",
    );
  const discipline = b.discipline ?? 'fifo';
  if (discipline !== 'fifo' && discipline !== 'ps')
    throw new ParameterError(
      `${where}.discipline`,
      discipline,
      "must be 'fifo' (workers in order) or 'ps' (processor sharing)",
    );
  return {
    name: b.name ?? `${pool}-${i}`,
    speed: requirePositive(`${where}.speed`, b.speed ?? 1),
    weight: requireInRange(`${where}.weight`, b.weight ?? 1, 0, 256),
    workers: requireInteger(`${where}.workers`, b.workers ?? 1, 1, 100000),
    failures,
    mttf,
    mttr,
    failure_mode: mode,
    maxconn:
      b.maxconn === undefined || b.maxconn === 0
        ? Infinity
        : requireInteger(`${where}.maxconn`, b.maxconn, 1, 1e9),
    discipline,
    failure: resolveFailureSpec(mttf === Infinity ? { outages: failures } : { mttf, mttr }, where),
  };
}
