/**
 * Lab 01, latency vs utilisation: how long one request takes as load grows, what the mean hides
 * in the tail, one fast server vs several slow ones, and the capacity of n cores.
 */
import type { ColumnTable } from 'arquero';
import { ParameterError } from '../errors';
import { defineExperiment } from '../experiment/experiment';
import type { Point } from '../experiment/experiment';
import { theoryVsSimulation } from '../experiment/figures';
import { figure, line } from '../plot/builders';
import type { Figure } from '../plot/types';
import { Deterministic } from '../random/deterministic';
import { Exponential } from '../random/exponential';
import { Lognormal } from '../random/lognormal';
import type { Distribution } from '../random/distribution';
import { mm1 } from '../queueing/mm1';
import { mmc, responsePercentile } from '../queueing/mmc';
import { mg1 } from '../queueing/mg1';
import { md1 } from '../queueing/md1';
import { mmck } from '../queueing/mmck';
import { serversFor } from '../queueing/servers-for';
import { runLength, simulateOpenQueue, simulateRandomSplit } from './scenarios';
import type { OpenQueueModel, OpenQueueResult } from './scenarios';
import { measure } from '../systems/common/runner';
import { Sink } from '../sim/sink';
import { Source } from '../sim/source';
import { Station } from '../sim/station';
import { mser5 } from '../sim/warmup';

const lab = '01-latency-vs-utilization';

const serviceTimeSpec = {
  type: 'number',
  default: 0.1,
  min: 0,
  minOpen: true,
  max: 3600,
  unit: 's',
  doc: 'Mean service time x of one request on one server.',
} as const;
const customersSpec = {
  type: 'integer',
  default: 20000,
  min: 1000,
  max: 10_000_000,
  unit: 'requests',
  doc: 'Requests measured per replication (after a warm-up of a tenth as many).',
} as const;

/**
 * Work of one replication measuring `customers` requests: a warm-up of a tenth as many, and about
 * three kernel events per request (arrival, service end, the next arrival's scheduling), so
 * 3.3 × customers events, driven by the `customers` parameter.
 */
function customersWork(customers: number): { events: number; parameter: string } {
  return { events: 3.3 * customers, parameter: 'customers' };
}

/** Customers per batch of the warm-up check's series (MSER-5 then works on batches of 5 × 10 customers). */
const WARMUP_BATCH = 10;

/**
 * One replication of the open M/G/c station, as scenarios' simulateOpenQueue (the same blocks,
 * streams and numbers: a fixed warm-up of a tenth of the run is deleted), plus the MSER-5 check of
 * that warm-up: the response times of every departure from time 0 are averaged in batches of
 * {@link WARMUP_BATCH} and MSER-5 (lib/sim/warmup.ts) picks its truncation point on that series;
 * `warmupTruncated` is that point in customers, reported per point in the provenance beside the
 * fixed warm-up. The deletion itself stays the fixed one, chosen before the run: the coverage study
 * (test/experiment/coverage.test.ts) measured MSER-5's data-dependent deletion biasing the M/M/1
 * mean and p99 low at high load (p99 coverage 0.52 at ρ 0.9, against 0.90 with a fixed tenth).
 */
function simulateCheckedQueue(m: OpenQueueModel): OpenQueueResult & { warmupTruncated: number } {
  let sum = 0;
  let inBatch = 0;
  const batches: number[] = [];
  const { system: station } = measure(
    (sim) => {
      const server = new Station(sim, {
        name: 'server',
        service: m.service,
        servers: m.servers ?? 1,
        capacity: m.capacity,
        to: new Sink(sim, { name: 'done' }),
      });
      new Source(sim, {
        name: 'clients',
        interarrival: new Exponential(m.arrivalRate),
        to: server,
      });
      server.onDeparture = (job: number) => {
        sum += sim.now - sim.jobs.arrived[job];
        if (++inBatch === WARMUP_BATCH) {
          batches.push(sum / WARMUP_BATCH);
          sum = 0;
          inBatch = 0;
        }
      };
      return server;
    },
    { seed: m.seed, warmup: m.warmup, duration: m.horizon },
  );
  const sketch = station.responseQuantiles!;
  const warmupTruncated = batches.length >= 20 ? mser5(batches).truncate * WARMUP_BATCH : 0;
  return {
    ...station.summary(),
    quantile: (p: number) => sketch.quantile(p),
    warmupTruncated: warmupTruncated,
  };
}

// ---------------------------------------------------------------------------------------------
// latency-vs-utilization
// ---------------------------------------------------------------------------------------------

export const queueModels = ['M/M/1', 'M/M/c', 'M/D/1', 'M/G/1 lognormal'] as const;

function serviceOf(model: string, x: number, scv: number): Distribution {
  if (model === 'M/D/1') return new Deterministic(x);
  if (model === 'M/G/1 lognormal') return Lognormal.fit(x, scv);
  return new Exponential(1 / x);
}

function serversOf(model: string, c: number): number {
  return model === 'M/M/c' ? c : 1;
}

export const latencyVsUtilization = defineExperiment({
  name: 'latency-vs-utilization',
  title: 'Mean, p95 and p99 response time vs utilisation',
  description:
    'Poisson arrivals at one queue, for exponential (M/M/1), several pooled servers (M/M/c), constant (M/D/1) and heavy-tailed lognormal (M/G/1) service of the same mean. ' +
    'Response time grows like 1/(1 - rho): slowly, then steeply past the knee. The closed forms give the mean for all four and the percentiles where they exist (M/M/1, M/M/c); ' +
    'with heavy-tailed service the p99 is many times the mean, which the mean alone hides.',
  lab,
  params: {
    utilisations: {
      type: 'numbers',
      default: [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95],
      min: 0,
      max: 1,
      minOpen: true,
      maxOpen: true,
      doc: 'Per-server utilisations rho = lambda x / c to simulate (open queues need rho < 1).',
    },
    models: {
      type: 'choices',
      default: [...queueModels],
      choices: queueModels,
      doc: 'Queue models to compare.',
    },
    servers: {
      type: 'integer',
      default: 4,
      min: 2,
      max: 1000,
      unit: 'servers',
      doc: 'Servers c of the M/M/c model.',
    },
    serviceTime: serviceTimeSpec,
    heavyScv: {
      type: 'number',
      default: 4,
      min: 1,
      max: 100,
      doc: 'Squared coefficient of variation of the lognormal service (4 or more is heavy-tailed).',
    },
    customers: customersSpec,
  },
  replications: 5,
  metrics: {
    W: 'nonNegative',
    p95: 'quantile',
    p99: 'quantile',
    U: 'proportion',
    X: 'nonNegative',
    overloaded: 'proportion',
  },
  units: {
    rho: 'fraction',
    W: 's',
    p95: 's',
    p99: 's',
    U: 'fraction',
    X: 'requests/s',
    overloaded: 'fraction of replications',
  },
  points: (p) =>
    p.models.flatMap((model) => p.utilisations.map((rho) => ({ model: model, rho: rho }))),
  workEstimate: (_point, p) => customersWork(p.customers),
  simulate: (point, p, seed) => {
    const model = point.model as string;
    const c = serversOf(model, p.servers);
    const lambda = ((point.rho as number) * c) / p.serviceTime;
    const s = simulateCheckedQueue({
      arrivalRate: lambda,
      service: serviceOf(model, p.serviceTime, p.heavyScv),
      servers: c,
      ...runLength(p.customers, lambda),
      seed,
    });
    return {
      W: s.meanResponse,
      p95: s.p95,
      p99: s.p99,
      U: s.utilisation,
      X: s.throughput,
      overloaded: s.overloaded ? 1 : 0,
      warmupTruncated: s.warmupTruncated,
    };
  },
  theory: (point, p) => {
    const model = point.model as string;
    const x = p.serviceTime;
    const c = serversOf(model, p.servers);
    const lambda = ((point.rho as number) * c) / x;
    const mu = 1 / x;
    if (model === 'M/M/1' || model === 'M/M/c') {
      const q =
        model === 'M/M/1' ? mm1({ lambda: lambda, mu: mu }) : mmc({ lambda: lambda, mu: mu, c: c });
      return {
        W_theory: q.W,
        p95_theory: q.percentiles.W.p95,
        p99_theory: q.percentiles.W.p99,
        U_theory: q.rho,
        X_theory: lambda,
      };
    }
    const q =
      model === 'M/D/1'
        ? md1({ lambda: lambda, mean: x })
        : mg1({ lambda: lambda, mean: x, scv: p.heavyScv });
    return { W_theory: q.W, p95_theory: null, p99_theory: null, U_theory: q.rho, X_theory: lambda };
  },
  figures: (t: ColumnTable) => latencyFigures(t),
});

function latencyFigures(t: ColumnTable): Figure[] {
  const mean = theoryVsSimulation(t, {
    x: 'rho',
    y: 'W',
    groupBy: 'model',
    title: 'Mean response time vs utilisation',
    xAxis: { title: 'utilisation ρ' },
    yAxis: { title: 'mean response time W (s)', log: true },
  });
  const p99 = theoryVsSimulation(t, {
    x: 'rho',
    y: 'p99',
    groupBy: 'model',
    title: 'p99 response time vs utilisation',
    xAxis: { title: 'utilisation ρ' },
    yAxis: { title: 'p99 response time (s)', log: true },
  });
  const rows = t.objects() as Array<Record<string, number | string>>;
  const models = Array.from(new Set(rows.map((r) => String(r.model))));
  const ratio = figure(
    models.map((m) => {
      const rs = rows.filter((r) => r.model === m);
      return line(
        rs.map((r) => r.rho as number),
        rs.map((r) => (r.p99 as number) / (r.W as number)),
        { name: m, group: m },
      );
    }),
    {
      title: 'What the mean hides: p99 / mean response time (simulated)',
      x: { title: 'utilisation ρ' },
      y: { title: 'p99 / W', fromZero: true },
    },
  );
  return [mean, p99, ratio];
}

// ---------------------------------------------------------------------------------------------
// vertical-vs-horizontal
// ---------------------------------------------------------------------------------------------

export const serverConfigs = ['one fast server', 'pooled servers', 'separate queues'] as const;

export const verticalVsHorizontal = defineExperiment({
  name: 'vertical-vs-horizontal',
  title: 'One fast server vs c pooled servers vs c separate queues',
  description:
    'The same total capacity c/x three ways: one server c times as fast (vertical scaling, M/M/1 with rate c mu), c servers sharing one queue (M/M/c), ' +
    'and c servers each with its own queue behind a random split (c M/M/1 queues at lambda/c). At low load the fast server wins, because a request is served c times faster; ' +
    'at high load pooling catches up, because its servers are rarely idle while work waits; separate queues are always worst, since one can wait while another idles.',
  lab,
  params: {
    utilisations: {
      type: 'numbers',
      default: [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95],
      min: 0,
      max: 1,
      minOpen: true,
      maxOpen: true,
      doc: 'Utilisations rho = lambda x / c of the total capacity.',
    },
    servers: {
      type: 'integer',
      default: 4,
      min: 2,
      max: 256,
      unit: 'servers',
      doc: 'Number of servers c (the fast server is c times as fast).',
    },
    serviceTime: {
      ...serviceTimeSpec,
      doc: 'Mean service time x of a request on one of the c slow servers.',
    },
    customers: customersSpec,
  },
  replications: 5,
  metrics: { W: 'nonNegative', p95: 'quantile', U: 'proportion', overloaded: 'proportion' },
  units: {
    rho: 'fraction',
    W: 's',
    p95: 's',
    U: 'fraction',
    overloaded: 'fraction of replications',
  },
  sharedSeedAcross: ['config'],
  points: (p) =>
    serverConfigs.flatMap((config) => p.utilisations.map((rho) => ({ config: config, rho: rho }))),
  workEstimate: (_point, p) => customersWork(p.customers),
  simulate: (point, p, seed) => {
    const c = p.servers;
    const x = p.serviceTime;
    const lambda = ((point.rho as number) * c) / x;
    const length = runLength(p.customers, lambda);
    if (point.config === 'separate queues') {
      const s = simulateRandomSplit({
        arrivalRate: lambda,
        service: new Exponential(1 / x),
        servers: c,
        ...length,
        seed,
      });
      return { W: s.W, p95: s.p95, U: s.U, overloaded: s.overloaded ? 1 : 0 };
    }
    const fast = point.config === 'one fast server';
    const s = simulateOpenQueue({
      arrivalRate: lambda,
      service: new Exponential(fast ? c / x : 1 / x),
      servers: fast ? 1 : c,
      ...length,
      seed,
    });
    return { W: s.meanResponse, p95: s.p95, U: s.utilisation, overloaded: s.overloaded ? 1 : 0 };
  },
  theory: (point, p) => {
    const c = p.servers;
    const mu = 1 / p.serviceTime;
    const lambda = (point.rho as number) * c * mu;
    const q =
      point.config === 'one fast server'
        ? mm1({ lambda: lambda, mu: c * mu })
        : point.config === 'pooled servers'
          ? mmc({ lambda: lambda, mu: mu, c: c })
          : mm1({ lambda: lambda / c, mu: mu });
    return { W_theory: q.W, p95_theory: q.percentiles.W.p95, U_theory: point.rho as number };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'rho',
      y: 'W',
      groupBy: 'config',
      title: 'Mean response time: same capacity, three ways',
      xAxis: { title: 'utilisation ρ' },
      yAxis: { title: 'mean response time W (s)', log: true },
    }),
    theoryVsSimulation(t, {
      x: 'rho',
      y: 'p95',
      groupBy: 'config',
      title: 'p95 response time',
      xAxis: { title: 'utilisation ρ' },
      yAxis: { title: 'p95 response time (s)', log: true },
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// throughput-vs-cores
// ---------------------------------------------------------------------------------------------

export const throughputVsCores = defineExperiment({
  name: 'throughput-vs-cores',
  title: 'Throughput of n cores: n/x, then flat',
  description:
    'A server whose requests take x seconds of CPU completes at most 1/x requests per second per core, n/x with n cores. ' +
    'Offered more, it queues, and with a finite accept queue (K requests) it turns the excess away: throughput X = lambda (1 - P_K) from the M/M/n/K closed form, flat at n/x past saturation.',
  lab,
  params: {
    cores: {
      type: 'numbers',
      default: [1, 2, 4, 8],
      min: 1,
      max: 1024,
      integer: true,
      unit: 'cores',
      doc: 'Core counts n to compare.',
    },
    serviceTime: { ...serviceTimeSpec, doc: 'CPU time x of one request.' },
    loads: {
      type: 'numbers',
      default: [0.25, 0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2],
      min: 0,
      minOpen: true,
      max: 100,
      doc: 'Offered load as a multiple of the capacity n/x (above 1 is overload).',
    },
    queueLimit: {
      type: 'integer',
      default: 64,
      min: 0,
      max: 1_000_000,
      unit: 'requests',
      doc: 'Requests that may wait for a core (the accept queue); K = n + queueLimit.',
    },
    customers: { ...customersSpec, default: 10000 },
  },
  replications: 5,
  metrics: { X: 'nonNegative', dropped: 'proportion', W: 'nonNegative' },
  units: {
    cores: 'cores',
    offered: 'requests/s',
    X: 'requests/s',
    dropped: 'fraction',
    W: 's',
    capacity: 'requests/s',
  },
  points: (p) =>
    p.cores.flatMap((n) =>
      p.loads.map((load) => ({ cores: n, offered: (load * n) / p.serviceTime })),
    ),
  // a finite accept queue (K = n + queueLimit) cannot grow without bound: overload shows as drops, not growth
  workEstimate: (point, p) =>
    customersWork(
      p.customers *
        Math.max(
          1,
          p.loads.reduce((m, l) => Math.max(m, l), 0),
        ),
    ),
  simulate: (point, p, seed) => {
    const n = point.cores as number;
    const lambda = point.offered as number;
    const s = simulateOpenQueue({
      arrivalRate: lambda,
      service: new Exponential(1 / p.serviceTime),
      servers: n,
      capacity: n + p.queueLimit,
      ...runLength(p.customers, lambda),
      seed,
    });
    return { X: s.throughput, dropped: s.blockingProbability, W: s.meanResponse };
  },
  theory: (point, p) => {
    const n = point.cores as number;
    const q = mmck({
      lambda: point.offered as number,
      mu: 1 / p.serviceTime,
      c: n,
      K: n + p.queueLimit,
    });
    return {
      X_theory: q.lambdaEff,
      dropped_theory: q.PK,
      W_theory: q.W,
      capacity: n / p.serviceTime,
    };
  },
  figures: (table: ColumnTable) => {
    const t = table.derive({
      n: (d: { cores: number }) => d.cores + (d.cores === 1 ? ' core' : ' cores'),
    });
    return [
      theoryVsSimulation(t, {
        x: 'offered',
        y: 'X',
        groupBy: 'n',
        title: 'Throughput vs offered load, by number of cores',
        xAxis: { title: 'offered load λ (requests/s)' },
        yAxis: { title: 'throughput X (requests/s)' },
      }),
      theoryVsSimulation(t, {
        x: 'offered',
        y: 'W',
        groupBy: 'n',
        title: 'Response time vs offered load',
        xAxis: { title: 'offered load λ (requests/s)' },
        yAxis: { title: 'mean response time W (s)', log: true },
      }),
    ];
  },
});

// ---------------------------------------------------------------------------------------------
// servers-for-target
// ---------------------------------------------------------------------------------------------

export const serversForTarget = defineExperiment({
  name: 'servers-for-target',
  title: 'The fewest servers for a p95 response-time target',
  description:
    'The capacity question: at arrival rate lambda, how many servers keep the p95 response time under a target? The M/M/c response-time distribution answers it in closed form (serversFor); ' +
    'the simulation of c around that answer confirms it: the answer is the first c whose simulated p95 lies under the target.',
  lab,
  params: {
    arrivalRate: {
      type: 'number',
      default: 35,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'requests/s',
      doc: 'Arrival rate lambda.',
    },
    serviceTime: serviceTimeSpec,
    percentile: {
      type: 'number',
      default: 0.95,
      min: 0.5,
      max: 0.999,
      doc: 'The percentile the target is set on.',
    },
    target: {
      type: 'number',
      default: 0.5,
      min: 0,
      minOpen: true,
      max: 3600,
      unit: 's',
      doc: 'Response-time target at that percentile.',
    },
    around: {
      type: 'integer',
      default: 2,
      min: 0,
      max: 20,
      unit: 'servers',
      doc: 'Simulate this many server counts below and above the answer.',
    },
    customers: customersSpec,
  },
  replications: 5,
  metrics: { pTarget: 'quantile', W: 'nonNegative', overloaded: 'proportion' },
  units: {
    servers: 'servers',
    pTarget: 's',
    W: 's',
    overloaded: 'fraction of replications',
    target: 's',
    answer: 'servers',
  },
  workEstimate: (_point, p) => customersWork(p.customers),
  points: (p) => {
    const answer = answerFor(p.arrivalRate, p.serviceTime, p.percentile, p.target);
    const stable = Math.floor(p.arrivalRate * p.serviceTime) + 1;
    const points: Point[] = [];
    for (let c = Math.max(stable, answer - p.around); c <= answer + p.around; c++)
      points.push({ servers: c });
    return points;
  },
  simulate: (point, p, seed) => {
    const c = point.servers as number;
    const s = simulateOpenQueue({
      arrivalRate: p.arrivalRate,
      service: new Exponential(1 / p.serviceTime),
      servers: c,
      ...runLength(p.customers, p.arrivalRate),
      seed,
    });
    return {
      pTarget: s.quantile(p.percentile),
      W: s.meanResponse,
      overloaded: s.overloaded ? 1 : 0,
    };
  },
  theory: (point, p) => {
    const q = mmc({ lambda: p.arrivalRate, mu: 1 / p.serviceTime, c: point.servers as number });
    return {
      pTarget_theory: responsePercentile(q, p.percentile),
      W_theory: q.W,
      target: p.target,
      answer: answerFor(p.arrivalRate, p.serviceTime, p.percentile, p.target),
    };
  },
  figures: (t: ColumnTable, p) => {
    const fig = theoryVsSimulation(t, {
      x: 'servers',
      y: 'pTarget',
      title: `p${Math.round(p.percentile * 1000) / 10} response time vs servers at λ = ${p.arrivalRate}/s`,
      xAxis: { title: 'servers c' },
      yAxis: { title: `p${Math.round(p.percentile * 1000) / 10} response time (s)`, log: true },
    });
    const xs = t.array('servers') as number[];
    fig.data.push(
      line([Math.min(...xs), Math.max(...xs)], [p.target, p.target], {
        name: `target ${p.target} s`,
        dash: 'dash',
        color: '#d62728',
      }),
    );
    return [fig];
  },
});

/** The model's answer; a target no number of servers can meet is an error on `target`. */
function answerFor(lambda: number, x: number, percentile: number, target: number): number {
  try {
    return serversFor({
      lambda: lambda,
      mu: 1 / x,
      target: { metric: 'W', max: target, percentile: percentile },
    }).c;
  } catch (e) {
    if (e instanceof ParameterError && e.parameter === 'max')
      throw new ParameterError('target', target, e.expected);
    throw e;
  }
}

export const lab01Experiments = [
  latencyVsUtilization,
  verticalVsHorizontal,
  throughputVsCores,
  serversForTarget,
];
