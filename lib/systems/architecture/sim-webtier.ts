/**
 * An autoscaled web tier of an architecture's simulation (`web.autoscaling`, step 7): the library's
 * web tier, lib/systems/webtier `WebTierSystem`, called (`users: { external: true }`, name
 * `dc<i>.web`), behind the datacenter's balancer (./sim-datacenter.ts):
 *
 * - servers under processor sharing (`discipline: 'ps'`, one CPU each: `workers: 1`), the request's
 *   work the class's mean web time times a standard exponential (`setWork`), so the servers are
 *   BCMP type 2 and the product form of ./analytic.ts holds;
 * - `balance: 'random'` over the serving servers (the analytic model's uniform split), no session
 *   (the tier is stateless: `setUser` is never called, so no server holds a user);
 * - the Kubernetes HPA on the servers' measured CPU (`averageUtilization` =
 *   `targetCPUUtilizationPercentage`, `minReplicas`, `maxReplicas`; the controller's defaults:
 *   15 s sync period, tolerance 0.1, 300 s scale-down stabilization), new servers after the
 *   provisioning delay and warm-up (the web tier's defaults: 60 s, then 60 s at half speed);
 * - the tier starts at `replicas`, the analytic model's count for the target (./analytic.ts
 *   `webServersFor`: the fewest servers whose utilisation is at most the target); on a steady load
 *   the HPA's ratio ceil(n·u/target) is then n (Kubernetes' replica calculator), so it stays there
 *   unless the measured CPU moves more than the tolerance;
 * - an outage of `web` is server 0's own failure process (a crash: the requests inside fail, the
 *   tier's balancer stops picking it at once, as the ALB's target deregistration).
 *
 * The balancer's backend in front of it passes the request through (zero work): the balancer
 * component keeps its node, its VRRP pair and its health check, and the tier's servers are the
 * ones the autoscaler provisions. Source: Kubernetes, "Horizontal Pod Autoscaling" (the algorithm
 * details); lib/systems/webtier/README.md.
 */
import { Exponential } from '../../random/exponential';
import type { Simulation } from '../../sim/simulation';
import { WebTierSystem } from '../webtier/system';
import type { OutageSpec } from './sim-outage';
import type { Architecture } from './types';

/** The called, autoscaled web tier of datacenter `d`, starting at `replicas` servers (clamped to the autoscaler's range). */
export function autoscaledWebTier(
  sim: Simulation,
  d: number,
  a: Architecture,
  replicas: number,
  outage: OutageSpec | null,
): WebTierSystem {
  const as = a.web.autoscaling as NonNullable<Architecture['web']['autoscaling']>;
  const down = outage !== null && outage.tier === 'web';
  return new WebTierSystem(sim, {
    name: `dc${d}.web`,
    users: { external: true },
    replicas: Math.min(as.maxReplicas, Math.max(as.minReplicas, replicas)),
    service: Exponential.withMean(a.web.serviceTime),
    workers: 1,
    discipline: 'ps',
    balance: 'random',
    failures: down ? [{ outages: [{ at: outage.at, duration: outage.duration }] }] : {},
    autoscaler: {
      kind: 'hpa',
      minReplicas: as.minReplicas,
      maxReplicas: as.maxReplicas,
      averageUtilization: as.targetCPUUtilizationPercentage,
    },
  });
}

/** The tier's servers over the measured window: their time-average count and the mean utilisation of one. */
export function webTierServers(
  web: WebTierSystem,
  elapsed: number,
): { meanServers: number; utilisation: number; finalServers: number } {
  const pool = web.pool;
  let busy = 0;
  for (const st of pool.stations) busy += st.busyServers.integral;
  const serverSeconds = pool.serverSeconds;
  return {
    meanServers: serverSeconds / elapsed,
    utilisation: serverSeconds > 0 ? busy / serverSeconds : 0,
    finalServers: pool.active,
  };
}
