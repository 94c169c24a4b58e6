/**
 * cross-site-replication: a primary in N. Virginia and one replica in another region, replicated
 * by the replication simulator (lib/systems/replication, its public API: `simulateReplication`)
 * over a link whose one-way latency is half the published RTT between the regions (data/geodns).
 * Theory (subsystems.md §7.3, §7.4, §7.7): replay lag = d + the apply queue's M/M/1 sojourn
 * (`meanApplyLag`); write latency at light load = commit, plus one RTT and the replica's flush for
 * MySQL semisync and PostgreSQL sync `on` (`lightLoadWriteLatency`); at a primary crash about λ·d
 * committed writes are on the wire and lost: acknowledged ones in async mode, unacknowledged ones
 * in semisync and sync mode (which acknowledge only what the replica has).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import type { ReplicationConfig } from '../../systems/replication/config';
import { simulateReplication } from '../../systems/replication/simulate';
import { lightLoadWriteLatency, meanApplyLag } from '../../systems/replication/theory';
import { AWS_REGIONS, awsRegionRtt } from '../../systems/geodns/rtt';
import { lab08 } from './latency';
import { replicationWork } from '../lab06/common';

export const crossSiteModes = ['async', 'semisync', 'sync'] as const;
const PRIMARY_REGION = 'us-east-1';
const COMMIT_MEAN = 0.001; // the replication simulator's defaults: commit 1 ms, replica flush 0.2 ms (exponential)
const FLUSH_MEAN = 0.0002;

function modeOf(mode: string): Partial<ReplicationConfig> {
  if (mode === 'sync') return { mode: 'sync', synchronous_commit: 'on' };
  return { mode: mode as 'async' | 'semisync' };
}

export const crossSiteReplication = defineExperiment({
  name: 'cross-site-replication',
  title: 'Cross-site replication: lag, write latency and writes lost at a site failure vs distance',
  description:
    'A primary in us-east-1 and one replica in another AWS region; the link one-way latency d is half the published RTT. Async: writes commit locally, the replica lags by d plus its apply queue, ' +
    'and a primary crash loses the acknowledged writes on the wire (about lambda d). MySQL semisync and PostgreSQL sync (synchronous_commit on): every write waits one RTT plus the replica flush, ' +
    'and the writes lost at the crash were never acknowledged.',
  lab: lab08,
  params: {
    regions: {
      type: 'choices',
      default: ['us-west-1', 'eu-west-1', 'ap-northeast-1', 'ap-southeast-2'],
      choices: AWS_REGIONS.filter((r) => r !== PRIMARY_REGION),
      doc: 'Regions of the replica (the primary is in us-east-1).',
    },
    modes: {
      type: 'choices',
      default: [...crossSiteModes],
      choices: crossSiteModes,
      doc: 'Replication modes (MySQL async, semisync; PostgreSQL sync, synchronous_commit on).',
    },
    writeRate: {
      type: 'number',
      default: 50,
      min: 0,
      minOpen: true,
      max: 10000,
      unit: 'writes/s',
      doc: 'Write rate λ.',
    },
    applyRate: {
      type: 'number',
      default: 250,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'tx/s',
      doc: 'Apply rate μ of the replica (exponential apply times).',
    },
    crashAt: {
      type: 'number',
      default: 20,
      min: 1,
      max: 1e5,
      unit: 's',
      doc: 'When the primary site dies.',
    },
    detectionDelay: {
      type: 'number',
      default: 2,
      min: 0,
      max: 3600,
      unit: 's',
      doc: 'Seconds to the promotion decision (Patroni ttl is 30 s).',
    },
  },
  replications: 40,
  metrics: {
    lag: 'nonNegative',
    writeLatency: 'nonNegative',
    lostAcknowledged: 'count',
    lostUnacknowledged: 'count',
  },
  precisionMetrics: ['writeLatency', 'lostAcknowledged'],
  // 40 replications (40 crashes per point, 2.4 s on one core): async's lost writes (about λ·d =
  // 1.8-5.8 per failover) are within ±15-30 %
  statedPrecision: { writeLatency: 0.05, lostAcknowledged: 0.35 },
  precisionExcludes: [
    {
      where: { mode: 'semisync' },
      metrics: ['lostAcknowledged'],
      why: 'semisync acknowledges a write only once the replica has it',
    },
    {
      where: { mode: 'sync' },
      metrics: ['lostAcknowledged'],
      why: 'synchronous_commit on acknowledges a write only once the standby has flushed it',
    },
  ],
  units: {
    rtt: 'ms',
    lag: 'ms',
    writeLatency: 'ms',
    lostAcknowledged: 'writes',
    lostUnacknowledged: 'writes',
  },
  sharedSeedAcross: ['mode'],
  points: (p) =>
    p.regions.flatMap((region) =>
      p.modes.map((mode) => ({
        mode: mode,
        region: region,
        rtt: awsRegionRtt(PRIMARY_REGION, region as (typeof AWS_REGIONS)[number]) * 1000,
      })),
    ),
  workEstimate: (_point, p) => replicationWork(p.writeRate, 0, 1, p.crashAt + p.detectionDelay + 2),
  simulate: (point, p, seed) => {
    const d = (point.rtt as number) / 2000;
    const { summary } = simulateReplication(
      {
        replicas: 1,
        ...modeOf(point.mode as string),
        writeRate: p.writeRate,
        applyTime: new Exponential(p.applyRate),
        linkLatency: new Deterministic(d),
        primaryCrashAt: p.crashAt,
        detectionDelay: p.detectionDelay,
      },
      { seed: seed, duration: p.crashAt + p.detectionDelay + 2 },
    );
    return {
      lag: summary.lag.mean * 1000,
      writeLatency: summary.writeLatency.mean * 1000,
      lostAcknowledged: summary.lostAcknowledged,
      lostUnacknowledged: summary.lostUnacknowledged,
    };
  },
  theory: (point, p) => {
    const d = (point.rtt as number) / 2000;
    const mode = point.mode as string;
    const inFlight = p.writeRate * d;
    return {
      lag_theory:
        meanApplyLag({
          writeRate: p.writeRate,
          applyMean: 1 / p.applyRate,
          applyScv: 1,
          linkLatency: d,
        }) * 1000,
      writeLatency_theory:
        lightLoadWriteLatency(
          {
            commitMean: COMMIT_MEAN,
            linkLatency: d,
            flushMean: FLUSH_MEAN,
            applyMean: 1 / p.applyRate,
          },
          mode === 'sync' ? 'on' : (mode as 'async' | 'semisync'),
        ) * 1000,
      lostAcknowledged_theory: mode === 'async' ? inFlight : 0,
      lostUnacknowledged_theory: mode === 'async' ? 0 : inFlight,
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'rtt',
      y: 'writeLatency',
      groupBy: 'mode',
      title: 'Write latency vs distance to the replica',
      xAxis: { title: 'RTT us-east-1 → replica region (ms)' },
      yAxis: { title: 'mean write latency (ms)' },
    }),
    theoryVsSimulation(t, {
      x: 'rtt',
      y: 'lostAcknowledged',
      groupBy: 'mode',
      title: 'Acknowledged writes lost when the primary site dies',
      xAxis: { title: 'RTT us-east-1 → replica region (ms)' },
      yAxis: { title: 'acknowledged writes lost' },
    }),
  ],
});
