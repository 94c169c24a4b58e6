/**
 * Lab 06, experiment 5: what read-your-writes costs (violations, the primary's share of reads,
 * read latency) by routing: plain replicas, pin-primary, wait-for-apply, all on the primary.
 */
import { defineExperiment } from '../../experiment/experiment';
import { figure, markers } from '../../plot/builders';
import type { Figure } from '../../plot/types';
import { Exponential } from '../../random/exponential';
import { simulateReplication } from '../../systems/replication/simulate';
import type { ReplicationConfig } from '../../systems/replication/config';
import { col, LAB, replicationWork, applyRateParam } from './common';

const RYW = ['replicas', 'pin-primary', 'wait-for-apply', 'primary'] as const;

export const replicationReadYourWrites = defineExperiment({
  name: 'replication-read-your-writes',
  title: 'What read-your-writes costs',
  description:
    "Sessions that write and then read. Reads on replicas may miss the session's own last write (a read-your-writes violation). Pinning the session to the primary for a window after each write moves reads back onto the primary; waiting until the replica has applied the session's last write keeps reads on replicas but adds the lag to read latency; all reads on the primary never violate and never scale.",
  lab: LAB,
  params: {
    routings: { type: 'choices', default: [...RYW], choices: RYW, doc: 'read routings' },
    writeRate: {
      type: 'number',
      default: 150,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'writes/s',
      doc: 'write rate',
    },
    readRate: {
      type: 'number',
      default: 500,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'reads/s',
      doc: 'read rate',
    },
    sessions: { type: 'integer', default: 200, min: 1, max: 100000, doc: 'client sessions' },
    rywWindow: {
      type: 'number',
      default: 0.5,
      min: 0,
      max: 3600,
      unit: 's',
      doc: 'pin-primary window after a write',
    },
    applyRate: applyRateParam,
    replicas: { type: 'integer', default: 2, min: 1, max: 16, doc: 'replicas' },
    duration: {
      type: 'number',
      default: 30,
      min: 1,
      max: 1e6,
      unit: 's',
      doc: 'simulated time after warm-up',
    },
  },
  replications: 5,
  metrics: {
    rywViolationRate: 'proportion',
    primaryReadShare: 'proportion',
    readLatencyMean: 'nonNegative',
    readLatencyP99: 'quantile',
  },
  precisionMetrics: ['rywViolationRate', 'readLatencyMean'],
  statedPrecision: { rywViolationRate: 0.2, readLatencyMean: 0.05 },
  units: {
    rywViolationRate: 'fraction of reads',
    primaryReadShare: 'fraction of reads',
    readLatencyMean: 'ms',
    readLatencyP99: 'ms',
  },
  sharedSeedAcross: ['routing'],
  points: (p) => p.routings.map((r) => ({ routing: r })),
  workEstimate: (_point, p) => replicationWork(p.writeRate, p.readRate, p.replicas, p.duration + 5),
  simulate: (point, p, seed) => {
    const r = point.routing as string;
    const routing: Partial<ReplicationConfig> =
      r === 'replicas' || r === 'primary'
        ? { readRouting: r }
        : {
            readRouting: 'read-your-writes',
            rywMethod: r as 'pin-primary' | 'wait-for-apply',
            rywWindow: p.rywWindow,
          };
    const { summary } = simulateReplication(
      {
        replicas: p.replicas,
        writeRate: p.writeRate,
        readRate: p.readRate,
        sessions: p.sessions,
        applyTime: new Exponential(p.applyRate),
        ...routing,
      },
      { seed, duration: p.duration, warmup: 5 },
    );
    const reads = summary.readsCompleted;
    return {
      rywViolationRate: summary.rywViolations / reads,
      primaryReadShare: Math.max(0, 1 - summary.replicaReads / reads),
      readLatencyMean: summary.readLatency.mean * 1000,
      readLatencyP99: summary.readLatency.p99 * 1000,
    };
  },
  figures: (table) => {
    const x = table.array('routing') as string[];
    const panel = (m: string, title: string, y: string): Figure =>
      figure(
        [
          markers(x, col(table, m), {
            name: title,
            lower: col(table, `${m}_lo`),
            upper: col(table, `${m}_hi`),
            size: 10,
          }),
        ],
        {
          title,
          x: { title: 'read routing' },
          y: { title: y, fromZero: true },
          height: 320,
          showlegend: false,
        },
      );
    return [
      panel(
        'rywViolationRate',
        "Reads missing their own session's last write",
        'fraction of reads',
      ),
      panel('primaryReadShare', 'Share of reads served by the primary', 'fraction of reads'),
      figure(
        [
          markers(x, col(table, 'readLatencyMean'), {
            name: 'mean',
            lower: col(table, 'readLatencyMean_lo'),
            upper: col(table, 'readLatencyMean_hi'),
            size: 10,
          }),
          markers(x, col(table, 'readLatencyP99'), {
            name: 'p99',
            symbol: 'diamond',
            lower: col(table, 'readLatencyP99_lo'),
            upper: col(table, 'readLatencyP99_hi'),
            size: 10,
          }),
        ],
        {
          title: 'Read latency',
          x: { title: 'read routing' },
          y: { title: 'ms', fromZero: true },
          height: 320,
        },
      ),
    ];
  },
});
