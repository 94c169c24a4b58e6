/**
 * The `shared` session store (config.ts `store`): a Redis-like Station (`servers` threads, mean
 * `latency` per read, answers to common.Calls' reply, a crash fails the reads inside to its error)
 * with its own failure process (substream `store.failures`); with `replicas`, Redis Sentinel
 * promotes one `down-after-milliseconds` after the primary died, so the store is back then.
 */
import { Exponential } from '../../random/exponential';
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import type { Calls } from '../common/calls';
import { FailureProcess } from '../common/failures';
import type { ResolvedWebTier } from './config';

export function buildSessionStore(
  sim: Simulation,
  s: ResolvedWebTier['store'],
  calls: Calls,
  prefix: string = '',
): { store: Station; failures: FailureProcess } {
  const store = new Station(sim, {
    name: `${prefix}store`,
    servers: s.servers,
    service: Exponential.withMean(s.latency),
    to: calls.reply,
    onCrash: 'fail',
    failTo: calls.error,
  });
  const promoteH = sim.handler(() => store.recover(), 'store.promote');
  const failover = s.replicas > 0;
  const failures = new FailureProcess(
    sim,
    {
      crash: () => {
        store.crash();
        if (failover) sim.schedule(s['down-after-milliseconds'] / 1000, promoteH, 0); // Sentinel promotes a replica
      },
      recover: () => store.recover(),
    },
    s.failures,
    { name: `${prefix}store` },
  );
  return { store, failures };
}
