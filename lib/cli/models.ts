/**
 * The models `scalelab model NAME` can run: their keys (with units) and how each turns parsed
 * arguments into one JSON-ready result object plus optional column tables. The network models
 * (MVA, bounds, Jackson, USL) are in models-networks.ts.
 */
import { ParameterError } from '../errors';
import { ggc } from '../queueing/allen-cunneen';
import { amdahl } from '../queueing/amdahl';
import type { DelayTarget } from '../queueing/delay-target';
import { erlangB, mmcc } from '../queueing/erlang-b';
import { erlangC } from '../queueing/erlang-c';
import { finiteSource } from '../queueing/finite-source';
import { gustafson } from '../queueing/gustafson';
import { gg1 } from '../queueing/kingman';
import { maxRateFor } from '../queueing/max-rate-for';
import { md1 } from '../queueing/md1';
import { mg1 } from '../queueing/mg1';
import { mm1, type Mm1Result } from '../queueing/mm1';
import { mm1k } from '../queueing/mm1k';
import { mmInfinity } from '../queueing/mm-infinity';
import { mmc, responseTail, waitTail, type MmcResult } from '../queueing/mmc';
import { mmck } from '../queueing/mmck';
import {
  forcedFlowLaw,
  interactiveResponseTime,
  littlesLaw,
  utilisationLaw,
} from '../queueing/operational-laws';
import { serversFor } from '../queueing/servers-for';
import type { ModelArgs } from './model-args';
import type { CommandOutput, KeyDoc, ModelCommand } from './model-types';
import { networkModels } from './models-networks';
import { UsageError } from './usage';

export type { CommandOutput, KeyDoc, ModelCommand, Table } from './model-types';
export { RESULT_UNITS } from './model-types';

const rate = (key: string, what: string, optional = false): KeyDoc => ({
  key,
  unit: '1/time',
  description: what,
  optional,
});
const LAMBDA = rate('lambda', 'arrival rate');
const MU = rate('mu', 'service rate of one server');
const C_KEY: KeyDoc = { key: 'c', unit: 'servers', description: 'number of servers, integer >= 1' };
const T_KEY: KeyDoc = {
  key: 't',
  unit: 'time',
  description: 'also report P(Wq > t) and P(W > t)',
  optional: true,
};

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
  {
    key: 't',
    unit: 'time',
    description: 'percentile target: time limit t, with --p',
    optional: true,
  },
  {
    key: 'p',
    unit: 'probability',
    description: 'percentile target: P(metric <= t) >= p, e.g. 0.95',
    optional: true,
  },
  {
    key: 'metric',
    unit: 'W|Wq',
    description: 'what --t/--p constrain (default W)',
    optional: true,
  },
];

function readTarget(args: ModelArgs): DelayTarget {
  const given = ['w', 'wq', 't'].filter((k) => args.has(k));
  if (given.length !== 1)
    throw new UsageError('give exactly one target: --w T, --wq T, or --t T --p P');
  if (args.has('w')) return { metric: 'W', max: args.number('w') };
  if (args.has('wq')) return { metric: 'Wq', max: args.number('wq') };
  const metric = args.string('metric') ?? 'W';
  if (metric !== 'W' && metric !== 'Wq')
    throw new ParameterError('metric', metric, 'must be "W" or "Wq"');
  return { metric, max: args.number('t'), percentile: args.number('p') };
}

const queueModels: readonly ModelCommand[] = [
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
    run: (a) =>
      withTails(mmc({ lambda: a.number('lambda'), mu: a.number('mu'), c: a.number('c') }), a),
  },
  {
    name: 'mm1k',
    summary: 'M/M/1/K single server, capacity K',
    keys: [
      LAMBDA,
      rate('mu', 'service rate'),
      { key: 'k', unit: 'jobs', description: 'system capacity K, integer >= 1' },
    ],
    example: 'mm1k --lambda 5 --mu 5.714 --k 15',
    run: (a) => ({
      json: { ...mm1k({ lambda: a.number('lambda'), mu: a.number('mu'), K: a.number('k') }) },
    }),
  },
  {
    name: 'mmck',
    summary: 'M/M/c/K, c servers, capacity K (arrivals beyond K are lost)',
    keys: [
      LAMBDA,
      MU,
      C_KEY,
      { key: 'k', unit: 'jobs', description: 'system capacity K, integer >= c' },
    ],
    example: 'mmck --lambda 3 --mu 4 --c 2 --k 3',
    run: (a) => ({
      json: {
        ...mmck({
          lambda: a.number('lambda'),
          mu: a.number('mu'),
          c: a.number('c'),
          K: a.number('k'),
        }),
      },
    }),
  },
  {
    name: 'mmcc',
    summary: 'M/M/c/c loss system (Erlang B with rates)',
    keys: [LAMBDA, MU, C_KEY],
    example: 'mmcc --lambda 3 --mu 0.25 --c 15',
    run: (a) => ({
      json: { ...mmcc({ lambda: a.number('lambda'), mu: a.number('mu'), c: a.number('c') }) },
    }),
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
    keys: [
      rate('lambda', 'request rate of one idle user (1/think time)'),
      MU,
      C_KEY,
      { key: 'n', unit: 'users', description: 'number of sources N' },
    ],
    example: 'finite --lambda 0.25 --mu 4 --c 1 --n 2',
    run: (a) => ({
      json: {
        ...finiteSource({
          lambda: a.number('lambda'),
          mu: a.number('mu'),
          c: a.number('c'),
          N: a.number('n'),
        }),
      },
    }),
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
      {
        key: 'scv',
        unit: '',
        description:
          'service squared coefficient of variation Var[S]/E[S]^2 (0 = deterministic, 1 = exponential)',
      },
    ],
    example: 'mg1 --lambda 0.5 --mean 1 --scv 0',
    run: (a) => ({
      json: {
        ...mg1({ lambda: a.number('lambda'), mean: a.number('mean'), scv: a.number('scv') }),
      },
    }),
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
      {
        key: 'ca2',
        unit: '',
        description: 'interarrival squared coefficient of variation (1 = Poisson)',
      },
      {
        key: 'cs2',
        unit: '',
        description: 'service squared coefficient of variation (1 = exponential)',
      },
    ],
    example: 'gg1 --lambda 0.9 --mu 1 --ca2 1 --cs2 0.5',
    run: (a) => ({
      json: {
        ...gg1({
          lambda: a.number('lambda'),
          mu: a.number('mu'),
          ca2: a.number('ca2'),
          cs2: a.number('cs2'),
        }),
      },
    }),
  },
  {
    name: 'ggc',
    summary: 'G/G/c Allen-Cunneen approximation',
    keys: [
      LAMBDA,
      MU,
      C_KEY,
      {
        key: 'ca2',
        unit: '',
        description: 'interarrival squared coefficient of variation (1 = Poisson)',
      },
      {
        key: 'cs2',
        unit: '',
        description: 'service squared coefficient of variation (1 = exponential)',
      },
    ],
    example: 'ggc --lambda 1.6 --mu 1 --c 2 --ca2 1 --cs2 0.5',
    run: (a) => ({
      json: {
        ...ggc({
          lambda: a.number('lambda'),
          mu: a.number('mu'),
          c: a.number('c'),
          ca2: a.number('ca2'),
          cs2: a.number('cs2'),
        }),
      },
    }),
  },
];

const lawsAndInverses: readonly ModelCommand[] = [
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
    run: (a) => ({
      json: {
        ...littlesLaw({
          L: a.optionalNumber('l'),
          X: a.optionalNumber('x'),
          W: a.optionalNumber('w'),
        }),
      },
    }),
  },
  {
    name: 'laws',
    summary: 'utilisation law U = X S / c, forced flow X_k = V X, response time law R = N/X - Z',
    keys: [
      { key: 'x', unit: '1/time', description: 'system throughput X' },
      {
        key: 's',
        unit: 'time',
        description: 'service time per visit S (utilisation law)',
        optional: true,
      },
      { key: 'c', unit: 'servers', description: 'servers (default 1)', optional: true },
      {
        key: 'v',
        unit: 'visits',
        description: 'visits per job V (forced flow law)',
        optional: true,
      },
      { key: 'users', unit: 'jobs', description: 'users N (response time law)', optional: true },
      {
        key: 'think',
        unit: 'time',
        description: 'think time Z (response time law, default 0)',
        optional: true,
      },
    ],
    example: 'laws --x 0.15 --v 121 --s 0.005 --users 3 --think 15',
    run: (a) => {
      const X = a.number('x');
      const V = a.number('v', 1);
      const json: Record<string, unknown> = { X };
      if (a.has('v')) json.Xk = forcedFlowLaw(X, V);
      if (a.has('s')) json.U = utilisationLaw(X * V, a.number('s'), a.number('c', 1));
      if (a.has('users'))
        json.R = interactiveResponseTime(a.number('users'), X, a.number('think', 0));
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
      const r = serversFor({
        lambda: a.number('lambda'),
        mu: a.number('mu'),
        target: readTarget(a),
      });
      return { json: { c: r.c, target: r.target, ...pickQueue(r.queue) } };
    },
  },
  {
    name: 'max-rate-for',
    summary: 'largest M/M/c arrival rate meeting a delay target or percentile',
    keys: [
      MU,
      { ...C_KEY, description: 'number of servers (default 1)', optional: true },
      ...TARGET_KEYS,
    ],
    example: 'max-rate-for --mu 1 --c 1 --w 4',
    run: (a) => {
      const r = maxRateFor({ mu: a.number('mu'), c: a.number('c', 1), target: readTarget(a) });
      return { json: { maxLambda: r.lambda, target: r.target, ...pickQueue(r.queue) } };
    },
  },
];

/** Every model, in the order `scalelab model --help` lists them. */
export const MODELS: readonly ModelCommand[] = [
  ...queueModels,
  ...networkModels,
  ...lawsAndInverses,
];

function pickQueue(q: MmcResult): Record<string, unknown> {
  return {
    lambda: q.lambda,
    mu: q.mu,
    servers: q.c,
    rho: q.rho,
    L: q.L,
    Lq: q.Lq,
    W: q.W,
    Wq: q.Wq,
    X: q.X,
    Pwait: q.Pwait,
    percentiles: q.percentiles,
  };
}
