/**
 * Lab 06, experiment 8: a near and a far synchronous standby, with a link latency per replica.
 * PostgreSQL `synchronous_standby_names = FIRST 1 (far, near)` waits for the highest-priority
 * standby (the far one, listed first), `ANY 1 (far, near)` for whichever answers first; MySQL
 * semisync counts any acknowledgement (syncrep.c SyncRepGetSyncRecPtr; semisync_source.cc).
 * Theory: the primary's M/M/c commit time + 2·d + F, with d the far standby's latency for FIRST 1
 * and the nearer one's for ANY 1 and semisync.
 */
import { defineExperiment } from '../../experiment/experiment';
import type { Point } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import { mmc } from '../../queueing/mmc';
import { simulateReplication } from '../../systems/replication/simulate';
import type { ReplicationConfig } from '../../systems/replication/config';
import { LAB, replicationWork } from './common';

const QUORUMS = ['FIRST 1', 'ANY 1', 'semisync'] as const;

function quorumConfig(q: string): Partial<ReplicationConfig> {
  if (q === 'semisync') return { mode: 'semisync' };
  return {
    mode: 'sync',
    synchronous_commit: 'on',
    synchronous_standby_names: { method: q.startsWith('FIRST') ? 'FIRST' : 'ANY', num: 1 },
  };
}

export const replicationSyncQuorum = defineExperiment({
  name: 'replication-sync-quorum',
  title: 'FIRST 1 vs ANY 1 with a near and a far standby',
  description:
    'Two standbys, the far one first in synchronous_standby_names, each with its own link latency. FIRST 1 waits for the far standby (2·d_far + F per commit), ANY 1 and MySQL semisync for the first acknowledgement (2·d_near + F). Mean write latency vs the far standby’s one-way latency, beside commit + 2·d + F.',
  lab: LAB,
  params: {
    quorums: {
      type: 'choices',
      default: [...QUORUMS],
      choices: QUORUMS,
      doc: 'FIRST 1, ANY 1 (PostgreSQL sync, synchronous_commit on) or MySQL semisync (1 ack)',
    },
    farLatencies: {
      type: 'numbers',
      default: [0.001, 0.01, 0.03, 0.05],
      min: 0,
      max: 60,
      unit: 's',
      doc: 'one-way latency of the far standby (listed first)',
    },
    nearLatency: {
      type: 'number',
      default: 0.001,
      min: 0,
      max: 60,
      unit: 's',
      doc: 'one-way latency of the near standby',
    },
    flushTime: {
      type: 'number',
      default: 0.001,
      min: 0,
      max: 60,
      unit: 's',
      doc: 'standby WAL/relay-log flush time F (constant)',
    },
    writeRate: {
      type: 'number',
      default: 100,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'writes/s',
      doc: 'write rate',
    },
    commitTime: {
      type: 'number',
      default: 0.001,
      min: 0,
      minOpen: true,
      max: 60,
      unit: 's',
      doc: 'mean commit time on the primary (exponential)',
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
  metrics: { writeLatencyMean: 'nonNegative' },
  precisionMetrics: ['writeLatencyMean'],
  statedPrecision: { writeLatencyMean: 0.05 },
  units: { farLatency: 's', writeLatencyMean: 'ms' },
  sharedSeedAcross: ['quorum'],
  points: (p) =>
    p.farLatencies.flatMap((d) => p.quorums.map((q) => ({ quorum: q, farLatency: d }) as Point)),
  workEstimate: (_point, p) => replicationWork(p.writeRate, 0, 2, p.duration + 2),
  simulate: (point, p, seed) => {
    const { summary } = simulateReplication(
      {
        replicas: 2,
        ...quorumConfig(point.quorum as string),
        writeRate: p.writeRate,
        commitTime: new Exponential(1 / p.commitTime),
        applyTime: new Exponential(1000),
        linkLatency: [
          new Deterministic(point.farLatency as number),
          new Deterministic(p.nearLatency),
        ],
        replicaFlushTime: new Deterministic(p.flushTime),
      },
      { seed, duration: p.duration, warmup: 2 },
    );
    return { writeLatencyMean: summary.writeLatency.mean * 1000 };
  },
  theory: (point, p) => {
    const commit = mmc({ lambda: p.writeRate, mu: 1 / p.commitTime, c: 8 }).W;
    const far = point.farLatency as number;
    const d = point.quorum === 'FIRST 1' ? far : Math.min(far, p.nearLatency);
    return { writeLatencyMean_theory: 1000 * (commit + 2 * d + p.flushTime) };
  },
  figures: (table) => [
    theoryVsSimulation(table, {
      x: 'farLatency',
      y: 'writeLatencyMean',
      groupBy: 'quorum',
      title: 'Write latency with a near (1 ms) and a far standby',
      xAxis: { title: 'one-way latency of the far standby, listed first (s)' },
      yAxis: { title: 'mean write latency (ms)', fromZero: true },
      theoryLabel: 'theory: commit + 2·d + F',
    }),
  ],
});
