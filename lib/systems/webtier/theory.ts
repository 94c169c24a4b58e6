/**
 * Closed forms beside the web tier's simulations.
 *
 * - Sessions (Little's law on the sessions): with Poisson session arrivals λ, k requests each of
 *   mean response R and k − 1 think times Z, the mean number of active sessions is
 *   λ·(k·R + (k − 1)·Z); a crash of one of n evenly balanced servers logs out 1/n of them
 *   (subsystems.md §7.7, models-for-new-labs.md).
 * - Availability of redundant parts (models-for-new-labs.md, microservices: parallel replicas):
 *   1 − (1 − a)^n for n servers of availability a = MTTF/(MTTF + MTTR), any one enough; the
 *   capacity that survives one loss is (n − 1)/n (N+1 sizing: each must carry n/(n − 1) of its
 *   normal load).
 * - Autoscaling's steady state (subsystems.md §7.7): a step load L with per-server target t
 *   converges to ⌈L/t⌉ servers (within tolerance); reaction lag ≈ metric window + sync period +
 *   provisioning delay.
 */
import { mm1 } from '../../queueing/mm1';

/** Mean active sessions: λ·(k·R + (k − 1)·Z). */
export function activeSessions(
  rate: number,
  requestsPerSession: number,
  thinkTime: number,
  responseTime: number,
): number {
  return rate * (requestsPerSession * responseTime + (requestsPerSession - 1) * thinkTime);
}

/** Sessions logged out by one crash of one of n servers: the active sessions / n. */
export function loggedOutPerCrash(
  rate: number,
  requestsPerSession: number,
  thinkTime: number,
  responseTime: number,
  servers: number,
): number {
  return activeSessions(rate, requestsPerSession, thinkTime, responseTime) / servers;
}

/** Mean response of one of n servers fed an even share of requests (M/M/1, random split), for the theory above. */
export function evenShareResponse(
  requestRate: number,
  servers: number,
  serviceTime: number,
): number {
  const lambda = requestRate / servers;
  const mu = 1 / serviceTime;
  return lambda < mu ? mm1({ lambda, mu }).W : Infinity;
}

/** Availability a = MTTF / (MTTF + MTTR). */
export function availability(mttf: number, mttr: number): number {
  return mttf / (mttf + mttr);
}

/** At least one of n independent parts up: 1 − (1 − a)^n. */
export function parallelAvailability(a: number, n: number): number {
  return 1 - Math.pow(1 - a, n);
}

/** At least k of n independent parts up (binomial). */
export function atLeastAvailability(a: number, n: number, k: number): number {
  let p = 0;
  for (let j = k; j <= n; j++) p += binom(n, j) * Math.pow(a, j) * Math.pow(1 - a, n - j);
  return p;
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Servers a steady load needs at a per-server utilisation target: ⌈offered load / target⌉. */
export function steadyReplicas(offeredLoad: number, targetUtilisation: number): number {
  return Math.ceil(offeredLoad / targetUtilisation - 1e-9);
}
