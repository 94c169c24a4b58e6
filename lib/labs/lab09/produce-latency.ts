// Lab 09, produce-latency: what acks and linger.ms cost in produce latency.
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import type { Acks } from '../../systems/kafka/config';
import { simulateKafka } from '../../systems/kafka/system';
import { acksOf, lab } from './common';
import { openLoadWork } from '../../experiment/work';

/**
 * Mean produce latency at low load on one partition: the linger wait of a Poisson stream in a
 * batch that closes `linger.ms` after its first record, L(1 + λL/2)/(1 + λL) (valid while the
 * batch does not fill, λL < batch.size / recordBytes), plus network: acks=0 none, acks=1 a round
 * trip 2d, acks=all 2d more for the follower's fetch to report the record (a lower bound: a
 * follower in mid-fetch adds up to another 2d).
 */
export function produceLatencyTheory(
  lingerMs: number,
  ratePerMs: number,
  acks: Acks,
  d: number,
): number {
  const L = lingerMs;
  const wait = L === 0 ? 0 : (L * (1 + (ratePerMs * L) / 2)) / (1 + ratePerMs * L);
  return wait + (acks === 0 ? 0 : acks === 1 ? 2 * d : 4 * d);
}

export const produceLatency = defineExperiment({
  name: 'produce-latency',
  title: 'Produce latency vs acks and linger.ms',
  description:
    'One producer sends to a topic of one partition replicated three times; each request and response crosses a network delay d. `linger.ms` holds a batch open so that more records share a request; ' +
    '`acks` decides when the producer hears back: 0 at once, 1 when the leader has written, all when every in-sync replica has fetched the record. The line is the linger wait of a Poisson stream plus the round trips.',
  lab,
  params: {
    acksValues: {
      type: 'choices',
      default: ['0', '1', 'all'],
      choices: ['0', '1', 'all'],
      doc: 'acks settings to compare.',
    },
    lingerMs: {
      type: 'numbers',
      default: [0, 2, 5, 10, 20],
      min: 0,
      max: 10000,
      integer: true,
      unit: 'ms',
      doc: 'linger.ms values.',
    },
    produceRate: {
      type: 'number',
      default: 400,
      min: 1,
      max: 1e5,
      unit: 'records/s',
      doc: 'Producer rate (Poisson).',
    },
    networkDelayMs: {
      type: 'number',
      default: 1,
      min: 0,
      max: 1000,
      unit: 'ms',
      doc: 'One-way network delay d.',
    },
    recordBytes: {
      type: 'integer',
      default: 1000,
      min: 1,
      max: 1e6,
      unit: 'bytes',
      doc: 'Record size (batch.size 16384 holds 16).',
    },
    durationS: {
      type: 'number',
      default: 10,
      min: 1,
      max: 36000,
      unit: 's',
      doc: 'Simulated time.',
    },
  },
  replications: 3,
  metrics: { latency: 'nonNegative', p99: 'quantile', requestsPerRecord: 'nonNegative' },
  precisionMetrics: ['latency', 'requestsPerRecord'],
  statedPrecision: { latency: 0.05, requestsPerRecord: 0.05 },
  units: { lingerMs: 'ms', latency: 'ms', p99: 'ms', requestsPerRecord: 'requests' },
  sharedSeedAcross: ['acks', 'setting'],
  points: (p) =>
    p.acksValues.flatMap((a) =>
      p.lingerMs.map((L) => ({ setting: `acks=${a}`, acks: a, lingerMs: L })),
    ),
  workEstimate: (_point, p) =>
    openLoadWork(p.produceRate, p.durationS, 10, 'produceRate × durationS'),
  simulate: (point, p, seed) => {
    const s = simulateKafka(
      {
        brokers: 3,
        networkDelayMs: p.networkDelayMs,
        topics: [
          { name: 'events', partitions: 1, 'replication.factor': 3, 'min.insync.replicas': 2 },
        ],
        producers: [
          {
            topic: 'events',
            rate: p.produceRate,
            recordBytes: p.recordBytes,
            config: { acks: acksOf(point.acks as string), 'linger.ms': point.lingerMs as number },
          },
        ],
      },
      { seed, duration: p.durationS },
    );
    const pr = s.producers.producer;
    // the summary's latencies are seconds; the lab reads them in ms
    return {
      latency: pr.latency.mean * 1000,
      p99: pr.latency.p99 * 1000,
      requestsPerRecord: pr.requests / Math.max(1, pr.sent),
    };
  },
  theory: (point, p) => {
    const acks = acksOf(point.acks as string);
    const lambdaL = (p.produceRate / 1000) * (point.lingerMs as number);
    return {
      latency_theory: produceLatencyTheory(
        point.lingerMs as number,
        p.produceRate / 1000,
        acks,
        p.networkDelayMs,
      ),
      // a batch holds its first record plus the Poisson(λL) that arrive while it lingers
      requestsPerRecord_theory: (point.lingerMs as number) === 0 ? 1 : 1 / (1 + lambdaL),
    };
  },
  figures: (t, p) => [
    theoryVsSimulation(t, {
      x: 'lingerMs',
      y: 'latency',
      groupBy: 'setting',
      title: 'Mean produce latency vs linger.ms, per acks',
      xAxis: { title: 'linger.ms' },
      yAxis: { title: 'mean produce latency (ms)', fromZero: true },
      theoryLabel: 'linger wait + round trips',
      simulationLabel: 'simulation (95% CI)',
    }),
    theoryVsSimulation(
      t
        .params({ which: p.acksValues[p.acksValues.length - 1] })
        .filter((d: Record<string, unknown>, $: Record<string, unknown>) => d.acks === $.which),
      {
        x: 'lingerMs',
        y: 'requestsPerRecord',
        groupBy: 'setting',
        title: 'What lingering buys: produce requests per record (the same for every acks)',
        xAxis: { title: 'linger.ms' },
        yAxis: { title: 'requests per record', fromZero: true },
        theoryLabel: '1 / (1 + λ·linger.ms)',
        simulationLabel: 'simulation (95% CI)',
      },
    ),
  ],
});
