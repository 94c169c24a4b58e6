/**
 * Lab 06, experiment 4: the stale-read rate on replicas vs lag, beside the exact form for Poisson
 * writes on Zipf keys with an M/M/1 apply queue.
 */
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import { Zipf } from '../../random/zipf';
import { simulateReplication } from '../../systems/replication/simulate';
import { meanApplyLag } from '../../systems/replication/theory';
import { LAB, replicationWork, applyRateParam, linkLatencyParam } from './common';

/**
 * Stale-read probability of a read on a replica at a random time, Poisson writes of rate λ on Zipf
 * keys (probabilities p_k, the same for reads), link latency d, M/M/1 apply (ν = μ − λ): the key
 * is stale iff its last write (age A ~ Exp(λ p_k)) is not yet applied (lag L = d + Exp(ν),
 * independent of A under FIFO), so P(stale) = Σ_k p_k (1 − e^{−λ p_k d} ν/(ν + λ p_k)).
 */
export function staleReadProbability(
  writeRate: number,
  applyRate: number,
  linkLatency: number,
  keys: number,
  keySkew: number,
): number {
  if (writeRate >= applyRate) return 1;
  const nu = applyRate - writeRate;
  const z = keySkew > 0 && keys > 1 ? new Zipf(keys, keySkew) : null;
  let sum = 0;
  for (let k = 1; k <= keys; k++) {
    const pk = z ? z.probability(k) : 1 / keys;
    const lk = writeRate * pk;
    sum += pk * (1 - (Math.exp(-lk * linkLatency) * nu) / (nu + lk));
  }
  return sum;
}

export const replicationStaleReads = defineExperiment({
  name: 'replication-stale-reads',
  title: 'Stale reads on replicas vs replication lag',
  description:
    'Reads on replicas, writes on the primary, Zipf key popularity for both. A read is stale when its key has a committed write the replica has not applied. As the write rate approaches the apply capacity the lag grows and so does the stale-read rate; the exact form Σ p_k (1 − e^{−λ p_k d} ν/(ν + λ p_k)) with ν = μ − λ is drawn beside the simulation.',
  lab: LAB,
  params: {
    writeRates: {
      type: 'numbers',
      default: [25, 50, 100, 150, 175, 190],
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'writes/s',
      doc: 'write rates',
    },
    readRate: {
      type: 'number',
      default: 400,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'reads/s',
      doc: 'read rate',
    },
    keys: { type: 'integer', default: 1000, min: 1, max: 1000000, doc: 'number of keys' },
    keySkew: {
      type: 'number',
      default: 1,
      min: 0,
      max: 5,
      doc: 'Zipf exponent of key popularity (0 = uniform)',
    },
    applyRate: applyRateParam,
    linkLatency: linkLatencyParam,
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
    staleReadRate: 'proportion',
    lagMean: 'nonNegative',
    stalenessMean: 'nonNegative',
    overloaded: 'proportion',
  },
  precisionMetrics: ['staleReadRate'],
  // worst at the lowest write rate (0.5 % stale) and at rho 0.95; the median row is ±9 %
  statedPrecision: { staleReadRate: 0.25 },
  units: {
    writeRate: 'writes/s',
    staleReadRate: 'fraction of reads',
    lagMean: 'ms',
    stalenessMean: 'ms',
  },
  points: (p) => p.writeRates.map((w) => ({ writeRate: w })),
  workEstimate: (point, p) =>
    replicationWork(point.writeRate as number, p.readRate, p.replicas, p.duration + 5),
  simulate: (point, p, seed) => {
    const { summary } = simulateReplication(
      {
        replicas: p.replicas,
        writeRate: point.writeRate as number,
        readRate: p.readRate,
        keys: p.keys,
        keySkew: p.keySkew,
        applyTime: new Exponential(p.applyRate),
        linkLatency: new Deterministic(p.linkLatency),
        readRouting: 'replicas',
      },
      { seed, duration: p.duration, warmup: 5 },
    );
    return {
      staleReadRate: summary.staleReadRate,
      lagMean: summary.lag.mean * 1000,
      stalenessMean: summary.staleness.count > 0 ? summary.staleness.mean * 1000 : null,
      overloaded: summary.overloaded ? 1 : 0,
    };
  },
  theory: (point, p) => {
    const l = point.writeRate as number;
    const stable = l < p.applyRate;
    return {
      lagMean_theory: stable
        ? 1000 *
          meanApplyLag({
            writeRate: l,
            applyMean: 1 / p.applyRate,
            applyScv: 1,
            linkLatency: p.linkLatency,
          })
        : null,
      staleReadRate_theory: staleReadProbability(l, p.applyRate, p.linkLatency, p.keys, p.keySkew),
    };
  },
  figures: (table) => [
    theoryVsSimulation(table, {
      x: 'lagMean_theory',
      y: 'staleReadRate',
      title: 'Stale-read rate on replicas vs mean replay lag',
      xAxis: { title: 'mean replay lag d + 1/(μ − λ) (ms)', log: true },
      yAxis: { title: 'fraction of reads that are stale', fromZero: true },
      theoryLabel: 'exact: Σ p_k (1 − e^(−λ p_k d) ν/(ν + λ p_k))',
    }),
  ],
});
