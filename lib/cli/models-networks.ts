/**
 * The network models of `scalelab model`: closed networks by MVA (exact, multi-server, multiclass,
 * Bard-Schweitzer), their bounds and the most users at a target, open Jackson networks, the USL fit.
 */
import { ParameterError } from '../errors';
import { closedNetworkBounds } from '../queueing/bounds';
import { jackson, type JacksonParams } from '../queueing/jackson';
import { maxUsersFor } from '../queueing/max-users-for';
import { mva } from '../queueing/mva';
import type { MulticlassMvaParams, MulticlassMvaResult } from '../queueing/mva-classes';
import { mvaMulticlass } from '../queueing/mva-multiclass';
import { mvaSchweitzer } from '../queueing/mva-schweitzer';
import { stationsFromLists, type MvaStation } from '../queueing/mva-stations';
import { fitUsl } from '../queueing/usl-fit';
import { readJsonFile, readPointsCsv } from './inputs';
import type { ModelArgs } from './model-args';
import type { CommandOutput, KeyDoc, ModelCommand, Table } from './model-types';
import { UsageError } from './usage';

function stationTable(names: readonly string[], cols: Record<string, readonly number[]>): Table {
  const keys = Object.keys(cols);
  return {
    title: 'stations',
    header: ['station', ...keys],
    rows: names.map((n, k) => [n, ...keys.map((c) => cols[c][k])]),
  };
}

function multiclassOutput(r: MulticlassMvaResult): CommandOutput {
  const rows: unknown[][] = [];
  r.classNames.forEach((cls, i) =>
    r.names.forEach((st, k) => rows.push([cls, st, r.X[i][k], r.R[i][k], r.Q[i][k], r.U[i][k]])),
  );
  return {
    json: { ...r },
    tabled: [
      'classNames',
      'names',
      'N',
      'Z',
      'throughput',
      'responseTime',
      'X',
      'R',
      'Q',
      'U',
      'Qtotal',
      'Utotal',
    ],
    tables: [
      {
        title: 'classes',
        header: ['class', 'N', 'Z', 'throughput', 'responseTime'],
        rows: r.classNames.map((c, i) => [c, r.N[i], r.Z[i], r.throughput[i], r.responseTime[i]]),
      },
      { title: 'per class and station', header: ['class', 'station', 'X', 'R', 'Q', 'U'], rows },
      stationTable(r.names, { Qtotal: r.Qtotal, Utotal: r.Utotal }),
    ],
  };
}

interface ClosedInput {
  single?: { stations: MvaStation[]; users: number; thinkTime: number };
  multi?: MulticlassMvaParams;
  method: string;
}

/** Reads a closed network from --input model.json or from --users/--think/--demands/--servers. */
function readClosedNetwork(args: ModelArgs, needUsers: boolean): ClosedInput {
  const methodArg = args.string('method');
  if (args.has('input')) {
    const file = readJsonFile(args.requiredString('input')) as Record<string, unknown>;
    if (file === null || typeof file !== 'object')
      throw new ParameterError('input', file, 'must be a JSON object');
    const method = methodArg ?? (typeof file.method === 'string' ? file.method : 'exact');
    if (Array.isArray(file.classes)) {
      return {
        multi: {
          classes: file.classes,
          stations: file.stations as MulticlassMvaParams['stations'],
        },
        method,
      };
    }
    const users = args.has('users') ? args.number('users') : (file.users as number);
    const thinkTime = args.has('think')
      ? args.number('think')
      : ((file.thinkTime ?? file.think ?? 0) as number);
    if (needUsers && users === undefined)
      throw new UsageError('missing users: give "users" in the file or --users');
    return { single: { stations: file.stations as MvaStation[], users, thinkTime }, method };
  }
  const demands = args.list('demands');
  const servers = args.optionalList('servers');
  const names = args
    .string('names')
    ?.split(',')
    .map((s) => s.trim());
  return {
    single: {
      stations: stationsFromLists(demands, servers, names),
      users: needUsers ? args.number('users') : 0,
      thinkTime: args.number('think', 0),
    },
    method: methodArg ?? 'exact',
  };
}

const CLOSED_KEYS: KeyDoc[] = [
  { key: 'users', unit: 'jobs', description: 'population N, integer >= 1' },
  { key: 'think', unit: 'time', description: 'think time Z (default 0)', optional: true },
  {
    key: 'demands',
    unit: 'time',
    description: 'service demand per station, d1,d2,... (D = visits x service time)',
  },
  {
    key: 'servers',
    unit: 'servers',
    description: 'servers per station c1,c2,... (0 = delay station; default 1)',
    optional: true,
  },
  { key: 'names', unit: '', description: 'station names n1,n2,...', optional: true },
  {
    key: 'input',
    unit: 'file',
    description:
      'model.json instead of the lists: {users, thinkTime, stations: [{name, demand (or visits, serviceTime), servers, kind: "queue"|"delay"}]} ' +
      'or, multiclass, {classes: [{name, population, thinkTime}], stations: [{name, kind, demands: [one per class]}]}',
    optional: true,
  },
  {
    key: 'method',
    unit: 'exact|schweitzer',
    description: 'MVA algorithm (default exact)',
    optional: true,
  },
];

export const networkModels: readonly ModelCommand[] = [
  {
    name: 'mva',
    summary:
      'closed network by Mean Value Analysis (exact, multi-server, multiclass, or Bard-Schweitzer)',
    keys: CLOSED_KEYS,
    example: 'mva --users 3 --think 15 --demands 0.605,2.1,1.35',
    run: (a) => {
      const input = readClosedNetwork(a, true);
      if (input.method !== 'exact' && input.method !== 'schweitzer') {
        throw new ParameterError('method', input.method, 'must be "exact" or "schweitzer"');
      }
      if (input.multi) {
        return multiclassOutput(
          input.method === 'exact' ? mvaMulticlass(input.multi) : mvaSchweitzer(input.multi),
        );
      }
      const s = input.single!;
      if (input.method === 'schweitzer') {
        const stations = (s.stations ?? []).map((st) => {
          if ((st.servers ?? 1) !== 1)
            throw new ParameterError(
              'servers',
              st.servers,
              'must be 1 (or 0 for delay) with --method schweitzer',
            );
          const demand = st.demand ?? (st.visits ?? 1) * (st.serviceTime as number);
          return { name: st.name, kind: st.kind, demands: [demand] };
        });
        return multiclassOutput(
          mvaSchweitzer({ classes: [{ population: s.users, thinkTime: s.thinkTime }], stations }),
        );
      }
      const r = mva({ stations: s.stations, users: s.users, thinkTime: s.thinkTime });
      const { throughputByN: _x, responseTimeByN: _r, ...json } = r;
      return {
        json,
        tabled: ['names', 'X', 'R', 'Q', 'U'],
        tables: [stationTable(r.names, { X: r.X, R: r.R, Q: r.Q, U: r.U })],
      };
    },
  },
  {
    name: 'bounds',
    summary: 'asymptotic and balanced-job bounds on a closed network, with N*',
    keys: [
      { key: 'users', unit: 'jobs', description: 'population N' },
      { key: 'think', unit: 'time', description: 'think time Z (default 0)', optional: true },
      {
        key: 'demands',
        unit: 'time',
        description: 'demands of the single-server queueing stations d1,d2,...',
      },
    ],
    example: 'bounds --users 20 --think 15 --demands 0.605,2.1,1.35',
    run: (a) => ({
      json: {
        ...closedNetworkBounds({
          users: a.number('users'),
          thinkTime: a.number('think', 0),
          demands: a.list('demands'),
        }),
      },
    }),
  },
  {
    name: 'jackson',
    summary: 'open Jackson network from a routing matrix',
    keys: [
      {
        key: 'input',
        unit: 'file',
        description: 'net.json: {stations: [{name, mu, servers, arrivalRate}], routing: [[...]]}',
      },
    ],
    example: 'jackson --input data/examples/queueing/net.json',
    run: (a) => {
      const r = jackson(readJsonFile(a.requiredString('input')) as JacksonParams);
      const names = r.stations.map((s) => s.name);
      const col = (f: (s: (typeof r.stations)[number]) => number) => r.stations.map(f);
      return {
        json: { ...r },
        tabled: ['lambda', 'rho', 'stations'],
        tables: [
          stationTable(names, {
            servers: col((s) => s.servers),
            mu: col((s) => s.mu),
            lambda: col((s) => s.lambda),
            visits: col((s) => s.visits),
            rho: col((s) => s.rho),
            L: col((s) => s.L),
            W: col((s) => s.W),
            Wq: col((s) => s.Wq),
          }),
        ],
      };
    },
  },
  {
    name: 'usl',
    summary: 'fit the Universal Scalability Law to measured (N, X) points',
    keys: [
      { key: 'input', unit: 'file', description: 'points.csv with columns N,X (header optional)' },
    ],
    example: 'usl --input data/examples/queueing/points.csv',
    run: (a) => ({ json: { ...fitUsl(readPointsCsv(a.requiredString('input'))) } }),
  },
  {
    name: 'max-users-for',
    summary: 'most users N of a closed network with MVA response time <= --r',
    keys: [
      { key: 'r', unit: 'time', description: 'target mean response time (excluding think time)' },
      ...CLOSED_KEYS.filter((k) => k.key !== 'users' && k.key !== 'method'),
    ],
    example: 'max-users-for --r 10 --think 15 --demands 0.605,2.1,1.35',
    run: (a) => {
      const input = readClosedNetwork(a, false);
      if (!input.single)
        throw new ParameterError(
          'input',
          a.string('input'),
          'must describe a single-class network',
        );
      const r = maxUsersFor({
        stations: input.single.stations,
        thinkTime: input.single.thinkTime,
        maxResponseTime: a.number('r'),
      });
      return { json: { ...r } };
    },
  },
];
