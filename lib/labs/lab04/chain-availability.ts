/**
 * Lab 04, chain-availability: a request that must pass through a serial chain of L services is
 * answered only if every one is up, A = Π a_i (10 services at 99.9 % give 99.0 %; at 99 %,
 * 90.4 %); with two redundant replicas per service (the balancer skips a crashed one) each part is
 * 1 − (1 − a)², and the chain (1 − (1 − a)²)^L. Each replica fails and recovers through the shared
 * failure process (exponential, a = MTTF / (MTTF + MTTR)); the service time is short beside the
 * repairs, so a request sees an instant's state of every part. A crash also fails the calls in
 * service on the replica (Station onCrash 'fail'): a call of exponential service time S survives
 * its replica with probability E[e^(−S/MTTF)] = 1 / (1 + S̄/MTTF), a factor per part in the theory
 * (2·10⁻⁴ here: visible at 99.9 %).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import type { MicroservicesConfig, ServiceConfig } from '../../systems/microservices/config';
import { simulateMicroservices } from '../../systems/microservices/system';
import {
  chainAvailability,
  partAvailability,
  redundantAvailability,
} from '../../systems/microservices/theory';
import { lab } from './shared';
import { openLoadWork } from '../../experiment/work';

const serviceMean = 0.001;

/** A chain s1 → s2 → … → sL, each with `replicas` replicas failing with mttf/mttr. */
export function chainConfig(
  length: number,
  replicas: number,
  mttf: number,
  mttr: number,
  rate: number,
): MicroservicesConfig {
  const services: ServiceConfig[] = Array.from({ length: length }, (_, i) => ({
    name: `s${i + 1}`,
    replicas: replicas,
    servers: 16,
    service: Exponential.withMean(serviceMean),
    failures: { mttf: mttf, mttr: mttr },
    calls: i + 1 < length ? [{ service: `s${i + 2}` }] : [],
  }));
  return { services: services, clients: { rate: rate } };
}

export const chainAvailabilityExperiment = defineExperiment({
  name: 'chain-availability',
  title: 'Availability of a serial chain of services vs its length: the product of the parts',
  description:
    'Requests pass through a chain of L services; each replica fails on its own (MTTF 4.95 s, MTTR 0.05 s: 99 % up). With one replica per service the chain is up a^L of the time ' +
    '(90.4 % at L = 10); with two replicas behind each balancer every part is up 1 − (1 − a)² = 99.99 % of the time, and what is left is the calls a crash fails ' +
    'while in service (S̄/MTTF = 0.02 % per part): 99.7 % at L = 10.',
  lab,
  params: {
    lengths: {
      type: 'numbers',
      default: [1, 2, 4, 6, 8, 10],
      min: 1,
      max: 100,
      integer: true,
      doc: 'Chain lengths L.',
    },
    replicas: {
      type: 'numbers',
      default: [1, 2],
      min: 1,
      max: 10,
      integer: true,
      doc: 'Replicas per service.',
    },
    mttf: {
      type: 'number',
      default: 4.95,
      min: 0.001,
      max: 1e9,
      unit: 's',
      doc: 'Mean time to failure of a replica.',
    },
    mttr: {
      type: 'number',
      default: 0.05,
      min: 0.001,
      max: 1e9,
      unit: 's',
      doc: 'Mean time to repair.',
    },
    rate: { type: 'number', default: 20, min: 0.1, max: 1e5, unit: 'req/s', doc: 'Request rate.' },
    duration: {
      type: 'number',
      default: 600,
      min: 10,
      max: 1e7,
      unit: 's',
      doc: 'Seconds measured per replication.',
    },
  },
  replications: 3,
  metrics: { availability: 'proportion' },
  precisionMetrics: ['availability'],
  statedPrecision: { availability: 0.02 },
  units: { replicas: 'replicas', length: 'services', availability: 'fraction of requests' },
  points: (p) => p.replicas.flatMap((r) => p.lengths.map((L) => ({ replicas: r, length: L }))),
  // four events per request and service, an upper bound (3.0 counted at the first default point)
  workEstimate: (point, p) =>
    openLoadWork(p.rate, (p.duration + 1) * (point.length as number), 4, 'rate × duration', {
      mttf:
        (4 * (point.length as number) * (point.replicas as number) * (p.duration + 1)) /
        (p.mttf + p.mttr),
    }),
  simulate: (point, p, seed) => {
    const s = simulateMicroservices(
      chainConfig(point.length as number, point.replicas as number, p.mttf, p.mttr, p.rate),
      { seed: seed, duration: p.duration, warmup: 1 },
    );
    return { availability: s.availability };
  },
  theory: (point, p) => {
    const a = partAvailability(p.mttf, p.mttr);
    const part = redundantAvailability(new Array(point.replicas as number).fill(a));
    const survive = 1 / (1 + serviceMean / p.mttf); // the call is not failed by a crash during its service
    return {
      availability_theory: chainAvailability(
        new Array(point.length as number).fill(part * survive),
      ),
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'length',
      y: 'availability',
      groupBy: 'replicas',
      title:
        'End-to-end availability of a serial chain (lines: Π a_i; legend: replicas per service)',
      xAxis: { title: 'services in the chain L' },
      yAxis: { title: 'share of requests answered' },
    }),
  ],
});
