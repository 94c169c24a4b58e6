/**
 * A single failure in an architecture's simulation: one instance of one tier (a web server, the
 * cache, the primary, a replica, the balancer, a Kafka broker) in datacenter 0 goes down through
 * the shared failure process (common.FailureProcess with a scheduled outage `{ at, duration }`,
 * stream `dc0.<tier>.failures`), its Station crashes (`onCrash: 'fail'`: the requests inside fail,
 * arrivals are refused and fail), and the rest of the architecture reacts as the real systems do:
 *
 * - web server: the balancer's active health check marks it down after `inter · fall` (HAProxy's
 *   defaults, 2 s · 3 = 6 s; lib/systems/loadbalancer): until then 1/n of the requests it routes
 *   fail, afterwards it picks among the n − 1 left.
 * - replica: the read router (ProxySQL's monitor, the same 6 s) stops sending reads to it; with
 *   none left the reads go to the primary.
 * - cache: a refused connection is a miss at once (cache-aside falls through to the database).
 * - primary: writes fail (and reads too without a replica); with a replica, one is promoted after
 *   `database.failoverTime` (Orchestrator/Patroni) and the primary's Station is back then (the
 *   promoted replica's place is rebuilt: the replica tier keeps its count, a simplification).
 * - balancer: every request through it fails; with `balancer.pair` the backup takes the virtual IP
 *   after keepalived's master-down interval, 3 · advert_int (1 s) = 3 s (VRRP, RFC 5798 §6.1
 *   without skew), and serves with the same capacity.
 * - kafka: one broker crashes (the Kafka component's own failure process, `brokers[0].failures`):
 *   leaders move after the controller's session timeout; the producer retries.
 */
import { ParameterError } from '../../errors';
import type { Simulation } from '../../sim/simulation';
import type { Station } from '../../sim/station';
import { FailureProcess } from '../common/failures';
import type { Layout, Tier } from './layout';
import type { Architecture } from './types';

/** Tiers whose one instance an outage can take down. */
export type OutageTier = Tier | 'kafka';

export const OUTAGE_TIERS: readonly OutageTier[] = [
  'balancer',
  'web',
  'cache',
  'primary',
  'replicas',
  'kafka',
];

export interface OutageSpec {
  tier: OutageTier;
  /** When it goes down (simulated seconds from the start, warm-up included) and for how long. */
  at: number;
  duration: number;
}

/** HAProxy's health check: `inter` 2 s, `fall` 3 (the defaults), seconds to mark a server down. */
export const HEALTH_CHECK_DETECTION = 6;

/** keepalived's master-down interval for advert_int = 1 s: 3 · advert_int (RFC 5798 §6.1, skew ignored). */
export const VRRP_TAKEOVER = 3;

/**
 * Takes copy 0 of `o.tier` in datacenter 0 (`stations`, the routable copies `live`) down during the
 * outage, with the reactions above; returns its failure process.
 */
export function failOneInstance(
  sim: Simulation,
  a: Architecture,
  layout: Layout,
  stations: Station[][],
  live: number[][],
  o: OutageSpec,
): FailureProcess {
  const s = layout.stations.findIndex((st) => st.tier === o.tier);
  if (s < 0)
    throw new ParameterError(
      'outage.tier',
      o.tier,
      `must be a tier of this architecture (${layout.stations.map((st) => st.tier).join(', ')}${a.kafka ? ', kafka' : ''})`,
    );
  const station = stations[s][0];
  const routable = live[s];
  const after = (delay: number, fn: () => void): void => {
    sim.schedule(delay, sim.handler(fn, `dc0.${o.tier}.outage`), 0);
  };
  const routed = o.tier === 'web' || o.tier === 'replicas';
  const component = {
    crash: (): void => {
      station.crash();
      if (routed)
        after(HEALTH_CHECK_DETECTION, () => {
          if (!station.up && routable.includes(0)) routable.splice(routable.indexOf(0), 1);
        });
      if (o.tier === 'balancer' && a.balancer && a.balancer.pair)
        after(VRRP_TAKEOVER, () => station.recover());
      if (o.tier === 'primary' && a.database.replicas > 0)
        after(a.database.failoverTime, () => station.recover());
    },
    recover: (): void => {
      if (!station.up) station.recover();
      if (routed && !routable.includes(0)) routable.unshift(0);
    },
  };
  return new FailureProcess(
    sim,
    component,
    { outages: [{ at: o.at, duration: o.duration }] },
    { name: `dc0.${o.tier}` },
  );
}
