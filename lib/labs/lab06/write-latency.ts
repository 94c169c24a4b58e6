/**
 * Lab 06, experiment 3: write latency by mode (async, MySQL semisync, PostgreSQL sync at
 * remote_write / on / remote_apply): the primary's commit + one round trip (+ flush, + apply).
 */
import { defineExperiment } from '../../experiment/experiment';
import { figure, markers } from '../../plot/builders';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import { mmc } from '../../queueing/mmc';
import { simulateReplication } from '../../systems/replication/simulate';
import type { ReplicationConfig } from '../../systems/replication/config';
import { col, LAB, replicationWork } from './common';

const MODES = ['async', 'semisync', 'sync-remote_write', 'sync-on', 'sync-remote_apply'] as const;

export function modeConfig(mode: string): Partial<ReplicationConfig> {
  if (mode === 'async') return { mode: 'async' };
  if (mode === 'semisync') return { mode: 'semisync' };
  if (mode === 'semisync-after-commit')
    return { mode: 'semisync', rpl_semi_sync_source_wait_point: 'AFTER_COMMIT' };
  const level = mode.replace('sync-', '') as 'remote_write' | 'on' | 'remote_apply';
  return { mode: 'sync', synchronous_commit: level };
}

export const replicationWriteLatency = defineExperiment({
  name: 'replication-write-latency',
  title: 'Write latency by replication mode',
  description:
    'Mean and p99 write latency (client arrival to acknowledgement) for async, MySQL semisync (1 ack, AFTER_SYNC) and PostgreSQL sync FIRST 1 at synchronous_commit = remote_write / on / remote_apply, with a link of one-way latency d. Theory: the primary M/M/c commit time, plus 2d for remote_write, plus the replica flush F for on and semisync, plus the replica apply sojourn for remote_apply.',
  lab: LAB,
  params: {
    modes: { type: 'choices', default: [...MODES], choices: MODES, doc: 'replication modes' },
    writeRate: {
      type: 'number',
      default: 100,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'writes/s',
      doc: 'write rate',
    },
    linkLatency: {
      type: 'number',
      default: 0.005,
      min: 0,
      max: 60,
      unit: 's',
      doc: 'one-way link latency d',
    },
    flushTime: {
      type: 'number',
      default: 0.001,
      min: 0,
      max: 60,
      unit: 's',
      doc: 'replica relay-log/WAL flush time F (constant)',
    },
    applyRate: {
      type: 'number',
      default: 200,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'tx/s',
      doc: 'apply rate μ (exponential)',
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
    replicas: { type: 'integer', default: 2, min: 1, max: 16, doc: 'replicas' },
    duration: {
      type: 'number',
      default: 40,
      min: 1,
      max: 1e6,
      unit: 's',
      doc: 'simulated time after warm-up',
    },
  },
  replications: 5,
  metrics: {
    writeLatencyMean: 'nonNegative',
    writeLatencyP99: 'quantile',
    overloaded: 'proportion',
  },
  precisionMetrics: ['writeLatencyMean', 'writeLatencyP99'],
  statedPrecision: { writeLatencyMean: 0.05, writeLatencyP99: 0.1 },
  units: { writeLatencyMean: 'ms', writeLatencyP99: 'ms' },
  sharedSeedAcross: ['mode'],
  points: (p) => p.modes.map((m) => ({ mode: m })),
  workEstimate: (_point, p) => replicationWork(p.writeRate, 0, p.replicas, p.duration + 5),
  simulate: (point, p, seed) => {
    const { summary } = simulateReplication(
      {
        replicas: p.replicas,
        ...modeConfig(point.mode as string),
        writeRate: p.writeRate,
        commitTime: new Exponential(1 / p.commitTime),
        applyTime: new Exponential(p.applyRate),
        linkLatency: new Deterministic(p.linkLatency),
        replicaFlushTime: new Deterministic(p.flushTime),
      },
      { seed, duration: p.duration, warmup: 5 },
    );
    return {
      writeLatencyMean: summary.writeLatency.mean * 1000,
      writeLatencyP99: summary.writeLatency.p99 * 1000,
      overloaded: summary.overloaded ? 1 : 0,
    };
  },
  theory: (point, p) => {
    const commit = mmc({ lambda: p.writeRate, mu: 1 / p.commitTime, c: 8 }).W;
    const d = p.linkLatency;
    const apply = p.writeRate < p.applyRate ? 1 / (p.applyRate - p.writeRate) : Infinity;
    const extra: Record<string, number> = {
      async: 0,
      semisync: 2 * d + p.flushTime,
      'sync-remote_write': 2 * d,
      'sync-on': 2 * d + p.flushTime,
      'sync-remote_apply': 2 * d + apply,
    };
    return { writeLatencyMean_theory: 1000 * (commit + extra[point.mode as string]) };
  },
  figures: (table) => [
    figure(
      [
        markers(table.array('mode') as string[], col(table, 'writeLatencyMean_theory'), {
          name: 'theory (mean)',
          symbol: 'line-ew-open',
          size: 28,
          group: 'theory',
        }),
        markers(table.array('mode') as string[], col(table, 'writeLatencyMean'), {
          name: 'simulation mean',
          lower: col(table, 'writeLatencyMean_lo'),
          upper: col(table, 'writeLatencyMean_hi'),
          group: 'mean',
        }),
        markers(table.array('mode') as string[], col(table, 'writeLatencyP99'), {
          name: 'simulation p99',
          symbol: 'diamond',
          lower: col(table, 'writeLatencyP99_lo'),
          upper: col(table, 'writeLatencyP99_hi'),
          group: 'p99',
        }),
      ],
      {
        title: 'Write latency by replication mode',
        x: { title: 'mode' },
        y: { title: 'write latency (ms)', fromZero: true },
        height: 420,
      },
    ),
  ],
});
