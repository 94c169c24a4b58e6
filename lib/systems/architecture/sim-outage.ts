/**
 * A single failure in an architecture's simulation: one instance of one tier (a web server, a cache
 * server, the primary, a replica, the balancer, a Kafka broker) in datacenter 0 goes down for
 * `{ at, duration }`, and the architecture reacts as the real systems do:
 *
 * - web server: backend 0 of the balancer component (./sim-datacenter.ts) with that outage as its
 *   `failures` and `failure_mode: 'crash'` (the requests inside fail, connections are refused at
 *   once, `retries: 0`); HAProxy's active health check (inter 2 s, fall 3) marks it down 4-6 s
 *   after the crash (the analytic model takes `inter · fall` = 6 s): until then 1/n of the requests
 *   it routes fail, afterwards it picks among the n − 1 left. With `database.colocated` the web
 *   server is the host, the balancer component's one backend (so every request fails).
 * - balancer: the balancer component's node, `balancer.failures`: every request through it fails;
 *   with `balancer.pair` the backup takes the virtual IP after keepalived's master-down interval,
 *   3 · advert_int + skew = 3.6 s (VRRP, RFC 5798 §6.1; the analytic model takes 3 s), and serves
 *   with the same capacity.
 * - cache server (the memcached pool's own failure process for node 0, ./sim-datacenter.ts): the
 *   node empties and the clients eject it (ketama moves its keys to the others, where they miss);
 *   the gets inside it fall through to the database, as a refused connection does; none fails.
 * - primary (the replication cluster's `primaryCrashAt`): the requests inside fail, and so do the
 *   writes (and, without a replica, the reads) until a replica is promoted after
 *   `database.failoverTime` (the cluster's `detectionDelay`, Orchestrator/Patroni); without a
 *   replica the database is gone for the rest of the run.
 * - replica (the cluster's `replicaCrashes` for replica 1): the reads inside it fail; the read
 *   router skips it at once (ProxySQL retries a refused connection on another server,
 *   `mysql-connect_retries_on_failure`), so the other replicas (or the primary) take its reads.
 * - datacenter: the whole of datacenter 0 (./sim-site-loss.ts: GeoDNS's health check, the TTL).
 * - kafka: one broker crashes (the Kafka component's own failure process, `brokers[0].failures`):
 *   leaders move after the controller's session timeout; the producer retries.
 */
import { ParameterError } from '../../errors';
import type { Layout, Tier } from './layout';
import type { Architecture } from './types';

/** Tiers whose one instance an outage can take down. */
export type OutageTier = Tier | 'kafka' | 'datacenter';

export const OUTAGE_TIERS: readonly OutageTier[] = [
  'balancer',
  'web',
  'cache',
  'primary',
  'replicas',
  'kafka',
  'datacenter',
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
 * Checks that `o.tier` is a tier of this architecture (every tier is a component whose own failure
 * process takes the outage: ./sim-datacenter.ts, ./sim-kafka.ts, ./sim-site-loss.ts).
 */
export function checkOutageTier(a: Architecture, layout: Layout, o: OutageSpec): void {
  if (o.tier === 'kafka') {
    if (!a.kafka)
      throw new ParameterError('outage.tier', o.tier, 'needs kafka in the architecture');
    return;
  }
  if (o.tier === 'datacenter') return;
  if (layout.stations.findIndex((st) => st.tier === o.tier) < 0)
    throw new ParameterError(
      'outage.tier',
      o.tier,
      `must be a tier of this architecture (${layout.stations.map((st) => st.tier).join(', ')}${a.kafka ? ', kafka' : ''})`,
    );
}
