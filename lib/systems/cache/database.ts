/**
 * The cache system's own database: an M/M/c Station (`db.servers`, `db.service`, `db.capacity`)
 * answering through the call layer (its drops and crash failures are call errors), and its
 * FailureProcess (`db.failures`). Named 'database' in a standalone cache, `<name>.database` else.
 */
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import type { Calls } from '../common/calls';
import { FailureProcess } from '../common/failures';
import type { ResolvedCacheConfig } from './config';

export function cacheDatabase(
  sim: Simulation,
  c: ResolvedCacheConfig,
  calls: Calls,
): { database: Station; failures: FailureProcess } {
  const name = c.name === 'cache' ? 'database' : `${c.name}.database`;
  const database = new Station(sim, {
    name,
    servers: c.db.servers,
    service: c.db.service,
    capacity: c.db.capacity,
    to: calls.reply,
    dropTo: calls.error,
    failTo: calls.error,
    onCrash: 'fail',
  });
  const failures = new FailureProcess(sim, database, c.db.failures, { name });
  return { database, failures };
}
