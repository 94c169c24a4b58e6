/**
 * The models `scalelab model NAME` can run: their keys (with units) and how each turns parsed
 * arguments into one JSON-ready result object plus optional column tables.
 */
import { ParameterError } from '../errors';
import { ModelArgs, UsageError } from './cli-args';
import { readJsonFile, readPointsCsv } from './cli-inputs';
import { gg1 } from './kingman';
import { ggc } from './allen-cunneen';
import { amdahl } from './amdahl';
import { closedNetworkBounds } from './bounds';
import type { DelayTarget } from './delay-target';
import { erlangB, mmcc } from './erlang-b';
import { erlangC } from './erlang-c';
import { finiteSource } from './finite-source';
import { gustafson } from './gustafson';
import { jackson, type JacksonParams } from './jackson';
import { maxRateFor } from './max-rate-for';
import { maxUsersFor } from './max-users-for';
import { md1 } from './md1';
import { mg1 } from './mg1';
import { mm1, type Mm1Result } from './mm1';
import { mm1k } from './mm1k';
import { mmInfinity } from './mm-infinity';
import { mmc, responseTail, waitTail, type MmcResult } from './mmc';
import { mmck } from './mmck';
import { mva } from './mva';
import type { MulticlassMvaParams, MulticlassMvaResult } from './mva-classes';
import { mvaMulticlass } from './mva-multiclass';
import { mvaSchweitzer } from './mva-schweitzer';
import { stationsFromLists, type MvaStation } from './mva-stations';
import { serversFor } from './servers-for';
import { fitUsl } from './usl-fit';
import { forcedFlowLaw, interactiveResponseTime, littlesLaw, utilisationLaw } from './operational-laws';

export interface KeyDoc {
  readonly key: string;
  readonly unit: string;
  readonly description: string;
  readonly optional?: boolean;
}

export interface Table {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface CommandOutput {
  /** The result as one JSON object (camelCase keys). */
  readonly json: Record<string, unknown>;
  /** Keys of `json` shown in `tables` rather than in the key/value list. */
  readonly tabled?: readonly string[];
  readonly tables?: readonly Table[];
}

export interface ModelCommand {
  readonly name: string;
  readonly summary: string;
  readonly keys: readonly KeyDoc[];
  readonly example: string;
  run(args: ModelArgs): CommandOutput;
}

/** Units of result keys, shown beside values in the table view. */
export const RESULT_UNITS: Readonly<Record<string, string>> = {
  rho: 'per-server utilisation',
  A: 'erlangs',
  L: 'jobs',
  Lq: 'jobs',
  W: 'time',
  Wq: 'time',
  X: '1/time',
  P0: 'probability',
  Pwait: 'probability',
  C: 'probability',
  B: 'probability',
  PK: 'probability',
  lambdaEff: '1/time',
  lambda: '1/time',
  mu: '1/time',
  mean: 'time',
  percentiles: 'time',
  carriedLoad: 'erlangs',
  lostLoad: 'erlangs',
  WqOverS: 'mean service times',
  PWqAbove: 'probability P(Wq > t)',
  PWAbove: 'probability P(W > t)',
  t: 'time',
  throughput: '1/time',
  responseTime: 'time',
  cycleTime: 'time',
  Z: 'time',
  N: 'jobs',
  peakN: 'concurrency',
  peakX: '1/time (unit of X)',
  Nstar: 'jobs',
};

const rate = (key: string, what: string, optional = false): KeyDoc => ({ key, unit: '1/time', description: what, optional });
const LAMBDA = rate('lambda', 'arrival rate');
const MU = rate('mu', 'service rate of one server');
const C_KEY: KeyDoc = { key: 'c', unit: 'servers', description: 'number of servers, integer >= 1' };
const T_KEY: KeyDoc = { key: 't', unit: 'time', description: 'also report P(Wq > t) and P(W > t)', optional: true };

/** The result, plus P(Wq > t) and P(W > t) when --t is given. */
function withTails(result: Mm1Result | MmcResult, args: ModelArgs): CommandOutput {
  const t = args.optionalNumber('t');
  const json: Record<string, unknown> = { ...result };
  if (t === undefined) return { json };
  return { json: { ...json, t, PWqAbove: waitTail(result, t), PWAbove: responseTail(result, t) } };
}

const TARGET_KEYS: KeyDoc[] = [
  { key: 'w', unit: 'time', description: 'target mean response time W', optional: true },
  { key: 'wq', unit: 'time', description: 'target mean wait in queue Wq', optional: true },
  { key: 't', unit: 'time', description: 'percentile target: time limit t, with --p', optional: true },
  { key: 'p', unit: 'probability', description: 'percentile target: P(metric <= t) >= p, e.g. 0.95', optional: true },
  { key: 'metric', unit: 'W|Wq', description: 'what --t/--p constrain (default W)', optional: true },
];

function readTarget(args: ModelArgs): DelayTarget {
  const given = ['w', 'wq', 't'].filter((k) => args.has(k));
  if (given.length !== 1) throw new UsageError('give exactly one target: --w T, --wq T, or --t T --p P');
  if (args.has('w')) return { metric: 'W', max: args.number('w') };
  if (args.has('wq')) return { metric: 'Wq', max: args.number('wq') };
  const metric = args.string('metric') ?? 'W';
  if (metric !== 'W' && metric !== 'Wq') throw new ParameterError('metric', metric, 'must be "W" or "Wq"');
  return { metric, max: args.number('t'), percentile: args.number('p') };
}

function stationTable(names: readonly string[], cols: Record<string, readonly number[]>): Table {
  const keys = Object.keys(cols);
  return { title: 'stations', header: ['station', ...keys], rows: names.map((n, k) => [n, ...keys.map((c) => cols[c][k])]) };
}

function multiclassOutput(r: MulticlassMvaResult): CommandOutput {
  const rows: unknown[][] = [];
  r.classNames.forEach((cls, i) => r.names.forEach((st, k) => rows.push([cls, st, r.X[i][k], r.R[i][k], r.Q[i][k], r.U[i][k]])));
  return {
    json: { ...r },
    tabled: ['classNames', 'names', 'N', 'Z', 'throughput', 'responseTime', 'X', 'R', 'Q', 'U', 'Qtotal', 'Utotal'],
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
    if (file === null || typeof file !== 'object') throw new ParameterError('input', file, 'must be a JSON object');
    const method = methodArg ?? (typeof file.method === 'string' ? file.method : 'exact');
    if (Array.isArray(file.classes)) {
      return { multi: { classes: file.classes, stations: file.stations as MulticlassMvaParams['stations'] }, method };
    }
    const users = args.has('users') ? args.number('users') : (file.users as number);
    const thinkTime = args.has('think') ? args.number('think') : ((file.thinkTime ?? file.think ?? 0) as number);
    if (needUsers && users === undefined) throw new UsageError('missing users: give "users" in the file or --users');
    return { single: { stations: file.stations as MvaStation[], users, thinkTime }, method };
  }
  const demands = args.list('demands');
  const servers = args.optionalList('servers');
  const names = args.string('names')?.split(',').map((s) => s.trim());
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
  { key: 'demands', unit: 'time', description: 'service demand per station, d1,d2,... (D = visits x service time)' },
  { key: 'servers', unit: 'servers', description: 'servers per station c1,c2,... (0 = delay station; default 1)', optional: true },
  { key: 'names', unit: '', description: 'station names n1,n2,...', optional: true },
  {
    key: 'input',
    unit: 'file',
    description:
      'model.json instead of the lists: {users, thinkTime, stations: [{name, demand (or visits, serviceTime), servers, kind: "queue"|"delay"}]} ' +
      'or, multiclass, {classes: [{name, population, thinkTime}], stations: [{name, kind, demands: [one per class]}]}',
    optional: true,
  },
  { key: 'method', unit: 'exact|schweitzer', description: 'MVA algorithm (default exact)', optional: true },
];

export const MODELS: readonly ModelCommand[] = [
  {
    name: 'mm1',
    summary: 'M/M/1 single server queue',
    keys: [LAMBDA, rate('mu', 'service rate'), T_KEY],
    example: 'mm1 --lambda 0.75 --mu 1',
    run: (a) => withTails(mm1({ lambda: a.number('lambda'), mu: a.number('mu') }), a),
  },
  {
    name: 'mmc',
    summary: 'M/M/c (Erlang C) with waiting-time percentiles',
    keys: [LAMBDA, MU, C_KEY, T_KEY],
    example: 'mmc --lambda 5 --mu 10 --c 2 --t 0.05',
    run: (a) => withTails(mmc({ lambda: a.number('lambda'), mu: a.number('mu'), c: a.number('c') }), a),
  },
  {
    name: 'mm1k',
    summary: 'M/M/1/K single server, capacity K',
    keys: [LAMBDA, rate('mu', 'service rate'), { key: 'k', unit: 'jobs', description: 'system capacity K, integer >= 1' }],
    example: 'mm1k --lambda 5 --mu 5.714 --k 15',
    run: (a) => ({ json: { ...mm1k({ lambda: a.number('lambda'), mu: a.number('mu'), K: a.number('k') }) } }),
  },
  {
    name: 'mmck',
    summary: 'M/M/c/K, c servers, capacity K (arrivals beyond K are lost)',
    keys: [LAMBDA, MU, C_KEY, { key: 'k', unit: 'jobs', description: 'system capacity K, integer >= c' }],
    example: 'mmck --lambda 3 --mu 4 --c 2 --k 3',
    run: (a) => ({ json: { ...mmck({ lambda: a.number('lambda'), mu: a.number('mu'), c: a.number('c'), K: a.number('k') }) } }),
  },
  {
    name: 'mmcc',
    summary: 'M/M/c/c loss system (Erlang B with rates)',
    keys: [LAMBDA, MU, C_KEY],
    example: 'mmcc --lambda 3 --mu 0.25 --c 15',
    run: (a) => ({ json: { ...mmcc({ lambda: a.number('lambda'), mu: a.number('mu'), c: a.number('c') }) } }),
  },
  {
    name: 'erlangb',
    summary: 'Erlang B blocking probability and carried load',
    keys: [{ key: 'a', unit: 'erlangs', description: 'offered load A = lambda/mu' }, C_KEY],
    example: 'erlangb --a 12 --c 15',
    run: (a) => ({ json: { ...erlangB(a.number('a'), a.number('c')) } }),
  },
  {
    name: 'erlangc',
    summary: 'Erlang C probability of waiting',
    keys: [{ key: 'a', unit: 'erlangs', description: 'offered load A = lambda/mu, < c' }, C_KEY],
    example: 'erlangc --a 2 --c 3',
    run: (a) => ({ json: { ...erlangC(a.number('a'), a.number('c')) } }),
  },
  {
    name: 'finite',
    summary: 'M/M/c//N finite source (N users, think time 1/lambda)',
    keys: [rate('lambda', 'request rate of one idle user (1/think time)'), MU, C_KEY, { key: 'n', unit: 'users', description: 'number of sources N' }],
    example: 'finite --lambda 0.25 --mu 4 --c 1 --n 2',
    run: (a) => ({ json: { ...finiteSource({ lambda: a.number('lambda'), mu: a.number('mu'), c: a.number('c'), N: a.number('n') }) } }),
  },
  {
    name: 'mminf',
    summary: 'M/M/infinity (a server per customer)',
    keys: [LAMBDA, rate('mu', 'service rate')],
    example: 'mminf --lambda 10 --mu 2',
    run: (a) => ({ json: { ...mmInfinity({ lambda: a.number('lambda'), mu: a.number('mu') }) } }),
  },
  {
    name: 'mg1',
    summary: 'M/G/1 Pollaczek-Khinchine',
    keys: [
      LAMBDA,
      { key: 'mean', unit: 'time', description: 'mean service time E[S]' },
      { key: 'scv', unit: '', description: 'service squared coefficient of variation Var[S]/E[S]^2 (0 = deterministic, 1 = exponential)' },
    ],
    example: 'mg1 --lambda 0.5 --mean 1 --scv 0',
    run: (a) => ({ json: { ...mg1({ lambda: a.number('lambda'), mean: a.number('mean'), scv: a.number('scv') }) } }),
  },
  {
    name: 'md1',
    summary: 'M/D/1 constant service time',
    keys: [LAMBDA, { key: 'mean', unit: 'time', description: 'the constant service time D' }],
    example: 'md1 --lambda 0.5 --mean 1',
    run: (a) => ({ json: { ...md1({ lambda: a.number('lambda'), mean: a.number('mean') }) } }),
  },
  {
    name: 'gg1',
    summary: 'G/G/1 Kingman approximation',
    keys: [
      LAMBDA,
      rate('mu', 'service rate'),
      { key: 'ca2', unit: '', description: 'interarrival squared coefficient of variation (1 = Poisson)' },
      { key: 'cs2', unit: '', description: 'service squared coefficient of variation (1 = exponential)' },
    ],
    example: 'gg1 --lambda 0.9 --mu 1 --ca2 1 --cs2 0.5',
    run: (a) => ({ json: { ...gg1({ lambda: a.number('lambda'), mu: a.number('mu'), ca2: a.number('ca2'), cs2: a.number('cs2') }) } }),
  },
  {
    name: 'ggc',
    summary: 'G/G/c Allen-Cunneen approximation',
    keys: [
      LAMBDA,
      MU,
      C_KEY,
      { key: 'ca2', unit: '', description: 'interarrival squared coefficient of variation (1 = Poisson)' },
      { key: 'cs2', unit: '', description: 'service squared coefficient of variation (1 = exponential)' },
    ],
    example: 'ggc --lambda 1.6 --mu 1 --c 2 --ca2 1 --cs2 0.5',
    run: (a) => ({
      json: { ...ggc({ lambda: a.number('lambda'), mu: a.number('mu'), c: a.number('c'), ca2: a.number('ca2'), cs2: a.number('cs2') }) },
    }),
  },
  {
    name: 'mva',
    summary: 'closed network by Mean Value Analysis (exact, multi-server, multiclass, or Bard-Schweitzer)',
    keys: CLOSED_KEYS,
    example: 'mva --users 3 --think 15 --demands 0.605,2.1,1.35',
    run: (a) => {
      const input = readClosedNetwork(a, true);
      if (input.method !== 'exact' && input.method !== 'schweitzer') {
        throw new ParameterError('method', input.method, 'must be "exact" or "schweitzer"');
      }
      if (input.multi) {
        return multiclassOutput(input.method === 'exact' ? mvaMulticlass(input.multi) : mvaSchweitzer(input.multi));
      }
      const s = input.single!;
      if (input.method === 'schweitzer') {
        const stations = (s.stations ?? []).map((st) => {
          if ((st.servers ?? 1) !== 1) throw new ParameterError('servers', st.servers, 'must be 1 (or 0 for delay) with --method schweitzer');
          const demand = st.demand ?? (st.visits ?? 1) * (st.serviceTime as number);
          return { name: st.name, kind: st.kind, demands: [demand] };
        });
        return multiclassOutput(mvaSchweitzer({ classes: [{ population: s.users, thinkTime: s.thinkTime }], stations }));
      }
      const r = mva({ stations: s.stations, users: s.users, thinkTime: s.thinkTime });
      const { throughputByN: _x, responseTimeByN: _r, ...json } = r;
      return { json, tabled: ['names', 'X', 'R', 'Q', 'U'], tables: [stationTable(r.names, { X: r.X, R: r.R, Q: r.Q, U: r.U })] };
    },
  },
  {
    name: 'bounds',
    summary: 'asymptotic and balanced-job bounds on a closed network, with N*',
    keys: [
      { key: 'users', unit: 'jobs', description: 'population N' },
      { key: 'think', unit: 'time', description: 'think time Z (default 0)', optional: true },
      { key: 'demands', unit: 'time', description: 'demands of the single-server queueing stations d1,d2,...' },
    ],
    example: 'bounds --users 20 --think 15 --demands 0.605,2.1,1.35',
    run: (a) => ({ json: { ...closedNetworkBounds({ users: a.number('users'), thinkTime: a.number('think', 0), demands: a.list('demands') }) } }),
  },
  {
    name: 'jackson',
    summary: 'open Jackson network from a routing matrix',
    keys: [{ key: 'input', unit: 'file', description: 'net.json: {stations: [{name, mu, servers, arrivalRate}], routing: [[...]]}' }],
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
    keys: [{ key: 'input', unit: 'file', description: 'points.csv with columns N,X (header optional)' }],
    example: 'usl --input data/examples/queueing/points.csv',
    run: (a) => ({ json: { ...fitUsl(readPointsCsv(a.requiredString('input'))) } }),
  },
  {
    name: 'amdahl',
    summary: "Amdahl's law speedup",
    keys: [
      { key: 'p', unit: 'fraction', description: 'parallel fraction in [0, 1]' },
      { key: 'n', unit: 'processors', description: 'number of processors' },
    ],
    example: 'amdahl --p 0.95 --n 16',
    run: (a) => ({ json: { ...amdahl(a.number('p'), a.number('n')) } }),
  },
  {
    name: 'gustafson',
    summary: "Gustafson's law scaled speedup",
    keys: [
      { key: 'p', unit: 'fraction', description: 'parallel fraction in [0, 1]' },
      { key: 'n', unit: 'processors', description: 'number of processors' },
    ],
    example: 'gustafson --p 0.95 --n 16',
    run: (a) => ({ json: { ...gustafson(a.number('p'), a.number('n')) } }),
  },
  {
    name: 'little',
    summary: "Little's law L = X W (give two of --l, --x, --w)",
    keys: [
      { key: 'l', unit: 'jobs', description: 'mean number in system', optional: true },
      { key: 'x', unit: '1/time', description: 'throughput', optional: true },
      { key: 'w', unit: 'time', description: 'mean time in system', optional: true },
    ],
    example: 'little --x 20 --w 0.5',
    run: (a) => ({ json: { ...littlesLaw({ L: a.optionalNumber('l'), X: a.optionalNumber('x'), W: a.optionalNumber('w') }) } }),
  },
  {
    name: 'laws',
    summary: 'utilisation law U = X S / c, forced flow X_k = V X, response time law R = N/X - Z',
    keys: [
      { key: 'x', unit: '1/time', description: 'system throughput X' },
      { key: 's', unit: 'time', description: 'service time per visit S (utilisation law)', optional: true },
      { key: 'c', unit: 'servers', description: 'servers (default 1)', optional: true },
      { key: 'v', unit: 'visits', description: 'visits per job V (forced flow law)', optional: true },
      { key: 'users', unit: 'jobs', description: 'users N (response time law)', optional: true },
      { key: 'think', unit: 'time', description: 'think time Z (response time law, default 0)', optional: true },
    ],
    example: 'laws --x 0.15 --v 121 --s 0.005 --users 3 --think 15',
    run: (a) => {
      const X = a.number('x');
      const V = a.number('v', 1);
      const json: Record<string, unknown> = { X };
      if (a.has('v')) json.Xk = forcedFlowLaw(X, V);
      if (a.has('s')) json.U = utilisationLaw(X * V, a.number('s'), a.number('c', 1));
      if (a.has('users')) json.R = interactiveResponseTime(a.number('users'), X, a.number('think', 0));
      if (Object.keys(json).length === 1) throw new UsageError('give --v, --s or --users with --x');
      return { json };
    },
  },
  {
    name: 'servers-for',
    summary: 'fewest M/M/c servers meeting a delay target or service level',
    keys: [LAMBDA, MU, ...TARGET_KEYS],
    example: 'servers-for --lambda 100 --mu 1 --t 0.333 --p 0.8 --metric Wq',
    run: (a) => {
      const r = serversFor({ lambda: a.number('lambda'), mu: a.number('mu'), target: readTarget(a) });
      return { json: { c: r.c, target: r.target, ...pickQueue(r.queue) } };
    },
  },
  {
    name: 'max-rate-for',
    summary: 'largest M/M/c arrival rate meeting a delay target or percentile',
    keys: [MU, { ...C_KEY, description: 'number of servers (default 1)', optional: true }, ...TARGET_KEYS],
    example: 'max-rate-for --mu 1 --c 1 --w 4',
    run: (a) => {
      const r = maxRateFor({ mu: a.number('mu'), c: a.number('c', 1), target: readTarget(a) });
      return { json: { maxLambda: r.lambda, target: r.target, ...pickQueue(r.queue) } };
    },
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
      if (!input.single) throw new ParameterError('input', a.string('input'), 'must describe a single-class network');
      const r = maxUsersFor({ stations: input.single.stations, thinkTime: input.single.thinkTime, maxResponseTime: a.number('r') });
      return { json: { ...r } };
    },
  },
];

function pickQueue(q: MmcResult): Record<string, unknown> {
  return { lambda: q.lambda, mu: q.mu, servers: q.c, rho: q.rho, L: q.L, Lq: q.Lq, W: q.W, Wq: q.Wq, X: q.X, Pwait: q.Pwait, percentiles: q.percentiles };
}
