/**
 * What a web tier run reports, since the last statistics reset: users and sessions (with their
 * conservation terms), sessions logged out by crashes and by scale-in, refused logins, requests,
 * errors, the response times as a LatencySummary, per-server sessions and utilisation, the
 * store's summary, instance-hours and SLO-violation minutes, and the timeline (binned, with `t`).
 */
import type { StationSummary } from '../../sim/station';
import type { LatencySummary } from '../common/latency';
import type { ScalingActivity } from './autoscaler';
import type { WebTierSystem } from './system';
import type { TimelineSeries } from './timeline';
import { overloadOf } from '../common/overload';
import type { OverloadSummary } from '../common/overload';

/** `overloaded`: a server's or the session store's queue grew without bound over the run (overloadOf). */
export interface WebTierSummary extends OverloadSummary {
  elapsed: number;
  usersArrived: number;
  usersLeft: number;
  usersPresent: number;
  usersAtReset: number;
  sessionsStarted: number;
  sessionsEnded: number;
  sessionsActive: number;
  sessionsAtReset: number;
  /** Sessions lost with a crashed server (memory store). */
  loggedOut: number;
  /** Sessions lost when scale-in drained their server (memory store). */
  loggedOutScaleIn: number;
  /** Logins refused by a server whose memory was full. */
  sessionsRefused: number;
  logins: number;
  /** Server crashes. */
  crashes: number;
  loggedOutPerCrash: number;
  requests: number;
  completed: number;
  errors: number;
  errorRate: number;
  throughput: number;
  latency: LatencySummary;
  p95: number;
  meanResponse: number;
  /** Per server: sessions held now, utilisation, availability, requests completed. */
  servers: Array<{
    name: string;
    sessions: number;
    utilisation: number;
    availability: number;
    departures: number;
  }>;
  store: StationSummary | null;
  storeAvailability: number;
  instanceHours: number;
  sloViolationMinutes: number;
  scalingActivities: ScalingActivity[];
  timeline: TimelineSeries;
}

export function summarizeWebTier(w: WebTierSystem): WebTierSummary {
  const c = w.counts;
  const sim = w.sim;
  const st0 = w.pool.stations[0].summary();
  const elapsed = st0.elapsed;
  const lat = w.latency.summary();
  const reqs = c.completed + c.errors;
  return {
    ...overloadOf(w.store ? [...w.pool.stations, w.store] : w.pool.stations),
    elapsed,
    usersArrived: c.usersArrived,
    usersLeft: c.usersLeft,
    usersPresent: w.usersPresent,
    usersAtReset: w.atReset.users,
    sessionsStarted: c.sessionsStarted,
    sessionsEnded: c.sessionsEnded,
    sessionsActive: w.activeSessions,
    sessionsAtReset: w.atReset.sessions,
    loggedOut: c.loggedOut,
    loggedOutScaleIn: c.loggedOutScaleIn,
    sessionsRefused: c.sessionsRefused,
    logins: c.logins,
    crashes: c.crashes,
    loggedOutPerCrash: c.crashes > 0 ? c.loggedOut / c.crashes : NaN,
    requests: c.requests,
    completed: c.completed,
    errors: c.errors,
    errorRate: reqs > 0 ? c.errors / reqs : NaN,
    throughput: elapsed > 0 ? c.completed / elapsed : NaN,
    latency: lat,
    p95: lat.p95,
    meanResponse: lat.mean,
    servers: w.pool.stations.map((s, i) => {
      const x = s.summary();
      return {
        name: x.name,
        sessions: w.sessionsOn[i],
        utilisation: x.utilisation,
        availability: w.pool.failures[i].availability,
        departures: x.departures,
      };
    }),
    store: w.store !== null ? w.store.summary() : null,
    storeAvailability: w.store !== null ? w.store.availability : NaN,
    instanceHours: w.pool.serverSeconds / 3600,
    sloViolationMinutes: w.timeline.sloViolationMinutes(sim.now - elapsed),
    scalingActivities: w.autoscaler !== null ? w.autoscaler.activities.slice() : [],
    timeline: w.timeline.series,
  };
}
