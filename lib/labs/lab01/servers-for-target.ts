/**
 * Lab 01, servers-for-target: the fewest M/M/c servers that keep a response-time percentile under
 * a target (serversFor, from the M/M/c response-time distribution), confirmed by simulating the
 * server counts around that answer.
 */
import type { ColumnTable } from 'arquero';
import { ParameterError } from '../../errors';
import { defineExperiment } from '../../experiment/experiment';
import type { Point } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { line } from '../../plot/builders';
import { Exponential } from '../../random/exponential';
import { mmc, responsePercentile } from '../../queueing/mmc';
import { serversFor } from '../../queueing/servers-for';
import { runLength, simulateOpenQueue } from '../scenarios';
import { customersAt, customersSpec, customersWork, lab, serviceTimeSpec } from './shared';

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
  precisionMetrics: ['pTarget'],
  statedPrecision: { pTarget: 0.1 },
  exactTheory: ['pTarget', 'W'],
  units: {
    servers: 'servers',
    pTarget: 's',
    W: 's',
    overloaded: 'fraction of replications',
    target: 's',
    answer: 'servers',
  },
  workEstimate: (point, p) =>
    customersWork(
      customersAt(p.customers, (p.arrivalRate * p.serviceTime) / (point.servers as number)),
    ),
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
      ...runLength(customersAt(p.customers, (p.arrivalRate * p.serviceTime) / c), p.arrivalRate),
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
