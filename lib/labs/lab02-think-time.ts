/**
 * Lab 02, think-time capacity: a closed system of N users who each think for Z seconds between
 * requests. Throughput and response time vs N from exact MVA, from simulation and from the
 * asymptotic bounds with their knee N*; and what moving the database to its own tier buys.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../experiment/experiment';
import { theoryVsSimulation } from '../experiment/figures';
import { line, figure, integerTicks } from '../plot/builders';
import type { Figure, Trace } from '../plot/types';
import { Exponential } from '../random/exponential';
import { mva } from '../queueing/mva';
import { closedNetworkBounds } from '../queueing/bounds';
import type { MvaStation } from '../queueing/mva-stations';
import { runLength, thinkTimeOf } from './scenarios';
import type { ClosedNetworkModel, ClosedNetworkResult, ClosedStationModel } from './scenarios';
import { measure } from '../systems/common/runner';
import { Population } from '../sim/population';
import { Station } from '../sim/station';
import { mser5 } from '../sim/warmup';

/** Requests per batch of the warm-up check's series (MSER-5 then works on batches of 5 × 10). */
const WARMUP_BATCH = 10;

/**
 * One replication of the closed interactive network, as scenarios' simulateClosedNetwork (the same
 * blocks, streams and numbers: the fixed warm-up of a tenth of the run is deleted), plus the MSER-5
 * check of that warm-up: the response times of every request from time 0 (taken as it leaves the
 * last station, now − born) are averaged in batches of {@link WARMUP_BATCH}, and MSER-5 picks its
 * truncation point on that series; `warmupTruncated` is that point in requests, per point in the
 * provenance beside the fixed warm-up. The deletion stays the fixed one, chosen before the run: the
 * coverage study (test/experiment/coverage.test.ts) measured MSER-5's data-dependent deletion
 * biasing an M/M/1 queue's mean and p99 low at high load.
 */
function simulateCheckedNetwork(
  m: ClosedNetworkModel,
): ClosedNetworkResult & { warmupTruncated: number } {
  let sum = 0;
  let inBatch = 0;
  const batches: number[] = [];
  const { system } = measure(
    (sim) => {
      const population = new Population(sim, { name: 'users', size: m.users, think: m.think });
      const chain = m.stations.map(
        (s) => new Station(sim, { name: s.name, service: s.service, servers: s.servers ?? 1 }),
      );
      chain.forEach((s, i) => {
        s.to = i + 1 < chain.length ? chain[i + 1] : population;
      });
      population.to = chain[0];
      chain[chain.length - 1].onDeparture = (job: number) => {
        sum += sim.now - sim.jobs.born[job];
        if (++inBatch === WARMUP_BATCH) {
          batches.push(sum / WARMUP_BATCH);
          sum = 0;
          inBatch = 0;
        }
      };
      return { users: population, stations: chain };
    },
    { seed: m.seed, warmup: m.warmup, duration: m.horizon },
  );
  const { users, stations } = system;
  const u = users.summary();
  const summaries = stations.map((s) => s.summary());
  return {
    X: u.throughput,
    R: u.meanResponse,
    p95: u.p95,
    Z: users.thinkTime.meanOrNaN,
    U: summaries.map((s) => s.utilisation),
    Q: summaries.map((s) => s.meanInSystem),
    warmupTruncated: batches.length >= 20 ? mser5(batches).truncate * WARMUP_BATCH : 0,
  };
}

const lab = '02-think-time-capacity';

const usersSpec = {
  type: 'numbers',
  default: [1, 10, 20, 30, 40, 50, 60, 80, 100, 120, 150],
  min: 1,
  max: 100000,
  integer: true,
  unit: 'users',
  doc: 'Populations N to simulate.',
} as const;
const completionsSpec = {
  type: 'integer',
  default: 10000,
  min: 500,
  max: 10_000_000,
  unit: 'requests',
  doc: 'Requests measured per replication (after a warm-up of a tenth as many).',
} as const;

// ---------------------------------------------------------------------------------------------
// think-time-capacity
// ---------------------------------------------------------------------------------------------

export const thinkTimeCapacity = defineExperiment({
  name: 'think-time-capacity',
  title: 'Throughput and response time vs users, with think time',
  description:
    'N users each send a request, wait for the answer, think for Z seconds (exponential), and send the next. The server takes D seconds per request (exponential). ' +
    'Exact MVA gives X(N) and R(N); the asymptotic bounds X <= min(N/(D + Z), 1/D) and R >= max(D, N D - Z) meet at the knee N* = (D + Z)/D. ' +
    'Below N* users are added almost for free; past it throughput is flat at 1/D and every extra user adds D seconds to everyone’s response time. The simulation checks the response-time law R = N/X - Z.',
  lab,
  params: {
    users: usersSpec,
    thinkTimes: {
      type: 'numbers',
      default: [2, 5, 10],
      min: 0,
      max: 1e6,
      unit: 's',
      doc: 'Mean think times Z to compare.',
    },
    serviceDemand: {
      type: 'number',
      default: 0.1,
      min: 0,
      minOpen: true,
      max: 3600,
      unit: 's',
      doc: 'Mean service demand D of one request at the server.',
    },
    completions: completionsSpec,
  },
  replications: 5,
  metrics: { X: 'nonNegative', R: 'nonNegative', R_law: 'real', U: 'proportion' },
  precisionMetrics: ['X', 'R'],
  statedPrecision: { X: 0.05, R: 0.15 },
  exactTheory: ['X', 'R'],
  units: {
    Z: 's',
    N: 'users',
    X: 'requests/s',
    R: 's',
    R_law: 's',
    U: 'fraction',
    X_bound: 'requests/s',
    R_bound: 's',
    Nstar: 'users',
  },
  // closed networks cannot grow without bound (N users bound the queue), so no overload flag here
  workEstimate: (point, p) => ({
    events: 1.1 * p.completions * 3 + (point.N as number),
    parameter: 'completions',
  }),
  points: (p) => p.thinkTimes.flatMap((Z) => p.users.map((N) => ({ Z: Z, N: N }))),
  simulate: (point, p, seed) => {
    const N = point.N as number;
    const Z = point.Z as number;
    const x = mva({ stations: [{ demand: p.serviceDemand }], users: N, thinkTime: Z }).throughput;
    const s = simulateCheckedNetwork({
      users: N,
      think: thinkTimeOf(Z),
      stations: [{ name: 'server', service: new Exponential(1 / p.serviceDemand) }],
      ...runLength(p.completions, x),
      seed,
    });
    // the interactive response-time law applied to the simulated throughput and the think time observed
    return { X: s.X, R: s.R, R_law: N / s.X - s.Z, U: s.U[0], warmupTruncated: s.warmupTruncated };
  },
  theory: (point, p) => {
    const N = point.N as number;
    const Z = point.Z as number;
    const m = mva({ stations: [{ demand: p.serviceDemand }], users: N, thinkTime: Z });
    const b = closedNetworkBounds({ demands: [p.serviceDemand], thinkTime: Z, users: N });
    return {
      X_theory: m.throughput,
      R_theory: m.responseTime,
      R_law_theory: m.responseTime,
      U_theory: m.U[0],
      X_bound: b.aba.X.upper,
      R_bound: b.aba.R.lower,
      Nstar: b.Nstar,
    };
  },
  figures: (t: ColumnTable, p) => thinkTimeFigures(t, p.serviceDemand),
});

/**
 * Adds each group's asymptotic bound as a dotted line to a theory-vs-simulation figure. The bound is
 * piecewise linear with its knee at N* = (D + Z)/D, where it takes `kneeValue` (X = 1/D, R = D):
 * the knee is drawn where it is, not cut off by a chord between the users simulated either side.
 */
function withBounds(fig: Figure, t: ColumnTable, column: string, kneeValue: number): Figure {
  const rows = t.objects() as Array<Record<string, number>>;
  const groups = Array.from(new Set(rows.map((r) => r.Z)));
  const extra: Trace[] = groups.map((Z) => {
    const rs = rows.filter((r) => r.Z === Z);
    const pts = rs.map((r) => [r.N, r[column]]);
    const knee = rs[0]?.Nstar;
    if (
      knee !== undefined &&
      knee > pts[0][0] &&
      knee < pts[pts.length - 1][0] &&
      !pts.some(([n]) => n === knee)
    ) {
      pts.splice(
        pts.findIndex(([n]) => n > knee),
        0,
        [knee, kneeValue],
      );
    }
    return line(
      pts.map((q) => q[0]),
      pts.map((q) => q[1]),
      { name: `Z = ${Z}: asymptotic bound`, group: `Z = ${Z}`, dash: 'dot', width: 1.5 },
    );
  });
  const out = figure([...fig.data, ...extra], {
    title: fig.layout.title?.text,
    x: { title: 'users N' },
    y: { title: fig.layout.yaxis?.title?.text },
    height: fig.layout.height,
  });
  out.layout.xaxis = { ...out.layout.xaxis, ...integerTicks(rows.map((r) => r.N)) }; // ticks at the users simulated, not at the knees
  return out;
}

function thinkTimeFigures(t: ColumnTable, demand: number): Figure[] {
  const zLabel = t.derive({ group: (d: { Z: number }) => 'Z = ' + d.Z });
  const X = theoryVsSimulation(zLabel, {
    x: 'N',
    y: 'X',
    groupBy: 'group',
    theoryLabel: 'MVA',
    title: 'Throughput vs users (MVA, simulation, bounds)',
    xAxis: { title: 'users N' },
    yAxis: { title: 'throughput X (requests/s)' },
  });
  const R = theoryVsSimulation(zLabel, {
    x: 'N',
    y: 'R',
    groupBy: 'group',
    theoryLabel: 'MVA',
    title: 'Response time vs users',
    xAxis: { title: 'users N' },
    yAxis: { title: 'response time R (s)' },
  });
  const law = theoryVsSimulation(zLabel, {
    x: 'N',
    y: 'R_law',
    groupBy: 'group',
    theoryLabel: 'MVA R',
    simulationLabel: 'N/X − Z from the simulation',
    title: 'The response-time law R = N/X − Z, checked on the simulation',
    xAxis: { title: 'users N' },
    yAxis: { title: 'R (s)' },
  });
  return [
    withBounds(X, zLabel.rename({ X_bound: 'bound' }), 'bound', 1 / demand),
    withBounds(R, zLabel.rename({ R_bound: 'bound' }), 'bound', demand),
    law,
  ];
}

// ---------------------------------------------------------------------------------------------
// tier-separation
// ---------------------------------------------------------------------------------------------

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

export const lab02Experiments = [thinkTimeCapacity, tierSeparation];
