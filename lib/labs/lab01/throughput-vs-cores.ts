/**
 * Lab 01, throughput-vs-cores: the throughput of n cores with a finite accept queue, X = lambda
 * (1 - P_K) from the M/M/n/K closed form (mmck), flat at n/x past saturation.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import { mmck } from '../../queueing/mmck';
import { runLength, simulateOpenQueue } from '../scenarios';
import { customersSpec, customersWork, lab, serviceTimeSpec } from './shared';

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
    customers: {
      ...customersSpec,
      default: 10000,
      doc: 'Requests measured per replication (after a warm-up of a tenth as many).',
    },
  },
  replications: 5,
  metrics: { X: 'nonNegative', dropped: 'proportion', W: 'nonNegative' },
  precisionMetrics: ['X', 'W'],
  statedPrecision: { X: 0.05, W: 0.4 },
  exactTheory: ['X', 'W'],
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
