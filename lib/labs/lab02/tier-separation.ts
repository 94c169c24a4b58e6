/**
 * Lab 02, tier-separation: what moving the database to its own host (and adding a second web
 * host) buys a closed interactive system, by exact MVA with a two-server web station and simulation.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import { mva } from '../../queueing/mva';
import type { MvaStation } from '../../queueing/mva-stations';
import { runLength, thinkTimeOf } from '../scenarios';
import type { ClosedStationModel } from '../scenarios';
import { simulateCheckedNetwork } from './checked-network';
import { lab, usersSpec, completionsSpec } from './shared';

export const tierConfigs = [
  'web and database on one host',
  'database on its own host',
  'two web hosts, one database host',
] as const;

interface TierParams {
  webDemand: number;
  dbDemand: number;
}

/** Stations of each configuration, for the simulation and for MVA. */
function tierStations(
  config: string,
  p: TierParams,
): Array<ClosedStationModel & MvaStation & { demand: number }> {
  if (config === tierConfigs[0])
    return [
      {
        name: 'host',
        service: new Exponential(1 / (p.webDemand + p.dbDemand)),
        demand: p.webDemand + p.dbDemand,
        servers: 1,
      },
    ];
  const webServers = config === tierConfigs[2] ? 2 : 1;
  return [
    {
      name: 'web',
      service: new Exponential(1 / p.webDemand),
      demand: p.webDemand,
      servers: webServers,
    },
    { name: 'db', service: new Exponential(1 / p.dbDemand), demand: p.dbDemand, servers: 1 },
  ];
}

export const tierSeparation = defineExperiment({
  name: 'tier-separation',
  title: 'Web server and database on one host, or on two tiers',
  description:
    'Each request needs D_web seconds of web-server work and D_db of database work. On one host both demands queue for the same CPU (demand D_web + D_db); ' +
    'on two tiers each host serves its own part, so throughput is capped by the larger demand instead of the sum: the bottleneck moves to the busier tier. ' +
    'Adding a second web host then helps only until the database saturates. MVA (with a two-server station for the two web hosts) beside the simulation.',
  lab,
  params: {
    users: { ...usersSpec, default: [1, 10, 25, 50, 75, 100, 150, 200] },
    thinkTime: {
      type: 'number',
      default: 3,
      min: 0,
      max: 1e6,
      unit: 's',
      doc: 'Mean think time Z.',
    },
    webDemand: {
      type: 'number',
      default: 0.03,
      min: 0,
      minOpen: true,
      max: 3600,
      unit: 's',
      doc: 'Web-server service demand per request.',
    },
    dbDemand: {
      type: 'number',
      default: 0.02,
      min: 0,
      minOpen: true,
      max: 3600,
      unit: 's',
      doc: 'Database service demand per request.',
    },
    configs: {
      type: 'choices',
      default: [...tierConfigs],
      choices: tierConfigs,
      doc: 'Deployments to compare.',
    },
    completions: completionsSpec,
  },
  replications: 5,
  metrics: { X: 'nonNegative', R: 'nonNegative', U_web: 'proportion', U_db: 'proportion' },
  precisionMetrics: ['X', 'R', 'U_db'],
  statedPrecision: { X: 0.05, R: 0.2, U_db: 0.05 },
  exactTheory: ['X', 'R'],
  units: { N: 'users', X: 'requests/s', R: 's', U_web: 'fraction', U_db: 'fraction' },
  sharedSeedAcross: ['config'],
  workEstimate: (point, p) => ({
    events: 1.1 * p.completions * 4 + (point.N as number),
    parameter: 'completions',
  }),
  points: (p) => p.configs.flatMap((config) => p.users.map((N) => ({ config: config, N: N }))),
  simulate: (point, p, seed) => {
    const stations = tierStations(point.config as string, p);
    const N = point.N as number;
    const x = mva({ stations: stations, users: N, thinkTime: p.thinkTime }).throughput;
    const s = simulateCheckedNetwork({
      users: N,
      think: thinkTimeOf(p.thinkTime),
      stations: stations,
      ...runLength(p.completions, x),
      seed,
    });
    // on one host the web and database work share one CPU: report each part's share of it
    const oneHost = stations.length === 1;
    const share = (d: number) => (s.U[0] * d) / (p.webDemand + p.dbDemand);
    return {
      X: s.X,
      R: s.R,
      U_web: oneHost ? share(p.webDemand) : s.U[0],
      U_db: oneHost ? share(p.dbDemand) : s.U[1],
      warmupTruncated: s.warmupTruncated,
    };
  },
  theory: (point, p) => {
    const stations = tierStations(point.config as string, p);
    const m = mva({ stations: stations, users: point.N as number, thinkTime: p.thinkTime });
    const oneHost = stations.length === 1;
    const share = (d: number) => (m.U[0] * d) / (p.webDemand + p.dbDemand);
    const Xmax = Math.min(...stations.map((s) => (s.servers ?? 1) / s.demand));
    return {
      X_theory: m.throughput,
      R_theory: m.responseTime,
      U_web_theory: oneHost ? share(p.webDemand) : m.U[0],
      U_db_theory: oneHost ? share(p.dbDemand) : m.U[1],
      X_max: Xmax,
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'N',
      y: 'X',
      groupBy: 'config',
      theoryLabel: 'MVA',
      title: 'Throughput vs users, by deployment',
      xAxis: { title: 'users N' },
      yAxis: { title: 'throughput X (requests/s)' },
    }),
    theoryVsSimulation(t, {
      x: 'N',
      y: 'R',
      groupBy: 'config',
      theoryLabel: 'MVA',
      title: 'Response time vs users',
      xAxis: { title: 'users N' },
      yAxis: { title: 'response time R (s)' },
    }),
    theoryVsSimulation(t, {
      x: 'N',
      y: 'U_db',
      groupBy: 'config',
      theoryLabel: 'MVA',
      title: 'Database utilisation: where the bottleneck goes',
      xAxis: { title: 'users N' },
      yAxis: { title: 'database utilisation', range: [0, 1.05] },
    }),
  ],
});
