/**
 * Lab 01, vertical-vs-horizontal: one server c times as fast (M/M/1 at c mu) against c pooled
 * servers (M/M/c) and c separate queues behind a random split (c M/M/1 at lambda/c).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import { mm1 } from '../../queueing/mm1';
import { mmc } from '../../queueing/mmc';
import { runLength, simulateOpenQueue, simulateRandomSplit } from '../scenarios';
import { customersAt, customersSpec, customersWork, lab, serviceTimeSpec } from './shared';

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
  precisionMetrics: ['W', 'p95'],
  statedPrecision: { W: 0.15, p95: 0.2 },
  exactTheory: ['W', 'p95'],
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
  workEstimate: (point, p) => customersWork(customersAt(p.customers, point.rho as number)),
  simulate: (point, p, seed) => {
    const c = p.servers;
    const x = p.serviceTime;
    const lambda = ((point.rho as number) * c) / x;
    const length = runLength(customersAt(p.customers, point.rho as number), lambda);
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
