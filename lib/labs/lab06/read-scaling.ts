/**
 * Lab 06, experiment 6: read throughput vs replicas with closed clients, beside exact MVA and the
 * bound set by the primary's writes.
 */
import { defineExperiment } from '../../experiment/experiment';
import { figure, line, markers } from '../../plot/builders';
import { Exponential } from '../../random/exponential';
import { simulateReplication } from '../../systems/replication/simulate';
import { readScaleOutMva } from '../../systems/replication/theory';
import { col, LAB } from './common';
import { workOf } from '../../experiment/work';

export const replicationReadScaling = defineExperiment({
  name: 'replication-read-scaling',
  title: 'Read throughput vs number of replicas',
  description:
    'Closed clients (N users, think time Z, a fraction f of requests are writes). Writes go to the primary, reads to the replicas (round robin; with no replica, to the primary). Read throughput grows with replicas until the primary saturates on writes: X ≤ c/(f S_w), so reads flatten at (1 − f) c/(f S_w). Exact MVA (product form, round robin taken as an even split) beside the simulation.',
  lab: LAB,
  params: {
    replicaCounts: {
      type: 'numbers',
      default: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      min: 0,
      max: 9,
      integer: true,
      doc: 'numbers of replicas (exact MVA takes at most 10 multi-server stations)',
    },
    users: { type: 'integer', default: 250, min: 1, max: 100000, doc: 'users N' },
    thinkTime: {
      type: 'number',
      default: 0.2,
      min: 0,
      max: 3600,
      unit: 's',
      doc: 'mean think time Z',
    },
    writeFraction: {
      type: 'number',
      default: 0.25,
      min: 0,
      max: 1,
      minOpen: true,
      maxOpen: true,
      doc: 'fraction f of requests that write',
    },
    servers: {
      type: 'integer',
      default: 4,
      min: 1,
      max: 1024,
      doc: 'servers (connections) per database node c',
    },
    commitTime: {
      type: 'number',
      default: 0.02,
      min: 0,
      minOpen: true,
      max: 60,
      unit: 's',
      doc: 'mean write time S_w on the primary (exponential)',
    },
    readTime: {
      type: 'number',
      default: 0.04,
      min: 0,
      minOpen: true,
      max: 60,
      unit: 's',
      doc: 'mean read time S_r (exponential)',
    },
    duration: {
      type: 'number',
      default: 20,
      min: 1,
      max: 1e6,
      unit: 's',
      doc: 'simulated time after warm-up',
    },
  },
  replications: 3,
  metrics: { readThroughput: 'nonNegative', readLatencyMean: 'nonNegative' },
  precisionMetrics: ['readThroughput'],
  statedPrecision: { readThroughput: 0.15 },
  units: {
    replicas: 'replicas',
    readThroughput: 'reads/s',
    readThroughput_bound: 'reads/s',
    readLatencyMean: 'ms',
  },
  points: (p) => p.replicaCounts.map((r) => ({ replicas: r })),
  // X ≤ min(N / (Z + S_min), servers · (replicas + 1) / S_min): the think-time and capacity bounds
  workEstimate: (point, p) => {
    const r = point.replicas as number;
    const fastest = Math.min(p.commitTime, p.readTime);
    const X = Math.min(p.users / (p.thinkTime + fastest), (p.servers * (r + 1)) / fastest);
    return workOf({ 'users × duration': X * (p.duration + 5) * (3 + 4 * r * p.writeFraction) });
  },
  simulate: (point, p, seed) => {
    const { summary } = simulateReplication(
      {
        replicas: point.replicas as number,
        clients: 'closed',
        users: p.users,
        thinkTime: p.thinkTime,
        writeFraction: p.writeFraction,
        servers: p.servers,
        commitTime: new Exponential(1 / p.commitTime),
        readTime: new Exponential(1 / p.readTime),
        applyTime: new Exponential(2000),
        readRouting: 'replicas',
      },
      { seed, duration: p.duration, warmup: 5 },
    );
    return {
      readThroughput: summary.readThroughput,
      readLatencyMean: summary.readLatency.mean * 1000,
    };
  },
  theory: (point, p) => {
    const m = readScaleOutMva({
      users: p.users,
      thinkTime: p.thinkTime,
      writeFraction: p.writeFraction,
      replicas: point.replicas as number,
      servers: p.servers,
      commitMean: p.commitTime,
      readMean: p.readTime,
    });
    return { readThroughput_theory: m.readThroughput, readThroughput_bound: m.readBound };
  },
  figures: (table, p) => {
    const x = col(table, 'replicas') as number[];
    const primaryBound = ((1 - p.writeFraction) * p.servers) / (p.writeFraction * p.commitTime);
    return [
      figure(
        [
          markers(x, col(table, 'readThroughput_theory'), {
            name: 'exact MVA (at each replica count)',
            group: 'mva',
            symbol: 'diamond-open',
            size: 11,
          }),
          line(x, col(table, 'readThroughput_bound'), {
            name: 'asymptotic bound',
            dash: 'dash',
            group: 'bound',
          }),
          line([x[0], x[x.length - 1]], [primaryBound, primaryBound], {
            name: 'primary write saturation (1 − f) c/(f S_w)',
            dash: 'dot',
            color: '#444',
          }),
          markers(x, col(table, 'readThroughput'), {
            name: 'simulation',
            group: 'mva',
            lower: col(table, 'readThroughput_lo'),
            upper: col(table, 'readThroughput_hi'),
          }),
        ],
        {
          title: 'Read throughput vs replicas (closed clients)',
          x: { title: 'replicas R', integer: true },
          y: { title: 'reads/s', fromZero: true },
          height: 440,
        },
      ),
    ];
  },
});
