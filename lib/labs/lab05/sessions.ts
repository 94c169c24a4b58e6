/**
 * sessions-server-loss: users logged out per server crash with the session in the server's memory
 * (sticky), in a shared store, or in a signed token, for n servers, and the p95 each costs.
 * Theory (subsystems.md §7.7; models-for-new-labs.md): a crash logs out the sessions active on
 * that server, about 1/n of λ·(k·R + (k − 1)·Z) by Little's law; none with a store or a token.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import type { SessionStore, WebTierConfig } from '../../systems/webtier/config';
import { simulateWebTier } from '../../systems/webtier/system';
import { evenShareResponse, loggedOutPerCrash } from '../../systems/webtier/theory';
import { workOf } from '../../experiment/work';

export const lab05 = '05-stateless-web-tier';

/** The labels the lab uses for the three ways to keep a session, and the config value of each. */
export const sessionStores: Record<string, SessionStore> = {
  'sticky in-memory': 'memory',
  'shared store': 'shared',
  'signed token': 'token',
};

export interface SessionScenario {
  store: SessionStore;
  servers: number;
  rate: number;
  requests: number;
  think: number;
  serviceTime: number;
  crashes: number;
  crashEvery: number;
  downFor: number;
  storeLatency: number;
}

/** Servers crash in turn, one every `crashEvery` seconds after a warm-up of `crashEvery`, each down `downFor`. */
export function sessionDeployment(o: SessionScenario): WebTierConfig {
  const failures = Array.from({ length: o.servers }, (_, i) => ({
    outages: Array.from({ length: o.crashes }, (_, c) => c)
      .filter((c) => c % o.servers === i)
      .map((c) => ({ at: o.crashEvery * (c + 1), duration: o.downFor })),
  }));
  return {
    replicas: o.servers,
    session_store: o.store,
    service: Exponential.withMean(o.serviceTime),
    balance: 'roundrobin',
    store: { latency: o.storeLatency },
    users: { rate: o.rate, requests_per_session: o.requests, think_time: o.think },
    failures,
  };
}

export const sessionsServerLoss = defineExperiment({
  name: 'sessions-server-loss',
  title:
    'Users logged out per server crash: sticky in-memory sessions vs a shared store vs a signed token',
  description:
    'Sessions begin at λ per second (Poisson), each k requests on average (geometric) with exponential think times Z in between; n servers behind round robin. ' +
    'Servers crash in turn (one every crashEvery seconds, each down for downFor). With sessions in server memory (sticky cookie) a crash logs out every session on that server: ' +
    'about 1/n of the λ·(k·R + (k − 1)·Z) active sessions (Little). A shared store (a Redis-like station, one round trip per request) or a signed token (larger requests) loses none; ' +
    'they pay in latency instead (p95).',
  lab: lab05,
  params: {
    stores: {
      type: 'choices',
      default: Object.keys(sessionStores),
      choices: Object.keys(sessionStores),
      doc: 'Where sessions live.',
    },
    servers: {
      type: 'numbers',
      default: [2, 4, 8],
      min: 1,
      max: 64,
      integer: true,
      doc: 'Web servers n.',
    },
    rate: {
      type: 'number',
      default: 4,
      min: 0,
      minOpen: true,
      max: 1000,
      unit: 'sessions/s',
      doc: 'Session arrival rate λ.',
    },
    requests: {
      type: 'number',
      default: 10,
      min: 1,
      max: 1000,
      unit: 'requests',
      doc: 'Mean requests per session k (login included).',
    },
    think: { type: 'number', default: 5, min: 0, max: 600, unit: 's', doc: 'Mean think time Z.' },
    serviceTime: {
      type: 'number',
      default: 0.02,
      min: 0,
      minOpen: true,
      max: 10,
      unit: 's',
      doc: 'Mean CPU time of a request (exponential).',
    },
    storeLatency: {
      type: 'number',
      default: 0.002,
      min: 0,
      minOpen: true,
      max: 1,
      unit: 's',
      doc: 'Mean time of a session read in the shared store.',
    },
    crashes: {
      type: 'integer',
      default: 4,
      min: 1,
      max: 100,
      doc: 'Server crashes per replication.',
    },
    crashEvery: {
      type: 'number',
      default: 240,
      min: 10,
      max: 1e5,
      unit: 's',
      doc: 'Seconds between crashes (long beside a session, so each victim is back in balance).',
    },
    downFor: {
      type: 'number',
      default: 30,
      min: 1,
      max: 1e5,
      unit: 's',
      doc: 'How long a crashed server stays down.',
    },
  },
  replications: 3,
  metrics: {
    loggedOutPerCrash: 'nonNegative',
    p95: 'quantile',
    errorsPerCrash: 'nonNegative',
    activeSessions: 'nonNegative',
  },
  precisionMetrics: ['loggedOutPerCrash', 'p95'],
  statedPrecision: { loggedOutPerCrash: 0.3, p95: 0.35 },
  units: {
    servers: 'servers',
    loggedOutPerCrash: 'sessions',
    p95: 's',
    errorsPerCrash: 'requests',
    activeSessions: 'sessions',
  },
  sharedSeedAcross: ['sessionStore'],
  points: (p) => p.stores.flatMap((s) => p.servers.map((n) => ({ sessionStore: s, servers: n }))),
  workEstimate: (_point, p) =>
    workOf({
      'rate × crashEvery × crashes': 5 * p.rate * p.requests * p.crashEvery * (p.crashes + 0.5),
    }),
  simulate: (point, p, seed) => {
    const o: SessionScenario = {
      ...p,
      store: sessionStores[point.sessionStore as string],
      servers: point.servers as number,
    };
    const s = simulateWebTier(sessionDeployment(o), {
      seed: seed,
      duration: p.crashEvery * p.crashes + p.crashEvery / 2,
    });
    return {
      loggedOutPerCrash: s.crashes > 0 ? s.loggedOut / s.crashes : 0,
      p95: s.p95,
      errorsPerCrash: s.crashes > 0 ? s.errors / s.crashes : 0,
      activeSessions: s.sessionsActive,
    };
  },
  theory: (point, p) => {
    const n = point.servers as number;
    const r = evenShareResponse(p.rate * p.requests, n, p.serviceTime);
    const perCrash = loggedOutPerCrash(p.rate, p.requests, p.think, r, n);
    return {
      loggedOutPerCrash_theory: point.sessionStore === 'sticky in-memory' ? perCrash : 0,
      activeSessions_theory: perCrash * n,
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'servers',
      y: 'loggedOutPerCrash',
      groupBy: 'sessionStore',
      title: 'Users logged out per server crash',
      xAxis: { title: 'servers n', log: true },
      yAxis: { title: 'sessions lost per crash' },
      theoryLabel: 'theory: active sessions / n',
    }),
    theoryVsSimulation(t, {
      x: 'servers',
      y: 'p95',
      groupBy: 'sessionStore',
      theory: null,
      title: 'p95 response time by session store',
      xAxis: { title: 'servers n', log: true },
      yAxis: { title: 'p95 (s)' },
    }),
  ],
});
