/**
 * Closed forms beside the replication simulator.
 *
 * Apply queue (subsystems.md §7.4: "replica lag = queueing delay of the replica's apply process"):
 * writes commit on the primary as a Poisson stream of rate λ (the departures of a stable M/M/c
 * primary fed by Poisson arrivals are Poisson, Burke's theorem), cross a link of constant latency d
 * and queue for one apply thread of mean time E[S] (rate μ = 1/E[S]). The replay lag of a write is
 * then d + the M/G/1 sojourn (Pollaczek–Khinchine; Kleinrock vol. 1 eq. 5.72):
 *   E[lag] = d + E[S] + λ E[S²] / (2 (1 − ρ)),  ρ = λ E[S] < 1;
 * with exponential apply times (M/M/1) the sojourn is Exp(μ − λ), so
 *   P(lag > τ) = exp(−(μ − λ)(τ − d)) for τ ≥ d,   lag quantile p: d − ln(1 − p)/(μ − λ).
 * That tail is also the stale-read probability of a read issued τ after the write on a replica.
 * Above capacity (λ > μ) the backlog grows at λ − μ transactions per second, and the oldest
 * unapplied write ages at 1 − μ/λ seconds per second.
 */
import { mg1 } from '../../queueing/mg1';
import { mva } from '../../queueing/mva';
import type { MvaStation } from '../../queueing/mva-stations';
import { requireNonNegative, requirePositive } from '../../errors';

export interface ApplyQueueParams {
  /** Write (commit) rate λ per second. */
  writeRate: number;
  /** Mean apply time E[S] in seconds. */
  applyMean: number;
  /** Squared coefficient of variation of the apply time (1 for exponential). */
  applyScv: number;
  /** One-way link latency d in seconds (constant). */
  linkLatency: number;
}

/** Mean replay lag d + W(M/G/1); Infinity when λ E[S] ≥ 1. */
export function meanApplyLag(p: ApplyQueueParams): number {
  requireNonNegative('linkLatency', p.linkLatency);
  if (p.writeRate * p.applyMean >= 1) return Infinity;
  if (p.writeRate === 0) return p.linkLatency + p.applyMean;
  return p.linkLatency + mg1({ lambda: p.writeRate, mean: p.applyMean, scv: p.applyScv }).W;
}

/** Lag quantile for exponential apply times: d − ln(1 − q)/(μ − λ); Infinity at or above capacity. */
export function applyLagQuantile(
  writeRate: number,
  applyRate: number,
  linkLatency: number,
  q: number,
): number {
  requirePositive('applyRate', applyRate);
  requireNonNegative('writeRate', writeRate);
  if (writeRate >= applyRate) return Infinity;
  return linkLatency - Math.log(1 - q) / (applyRate - writeRate);
}

/** P(lag > τ) for exponential apply times (M/M/1 sojourn plus a constant link latency d). */
export function lagExceedanceProbability(
  writeRate: number,
  applyRate: number,
  linkLatency: number,
  tau: number,
): number {
  requirePositive('applyRate', applyRate);
  if (writeRate >= applyRate) return 1;
  if (tau <= linkLatency) return 1;
  return Math.exp(-(applyRate - writeRate) * (tau - linkLatency));
}

/** Backlog growth in transactions per second while writes outpace apply: max(0, λ − μ). */
export function lagGrowthRate(writeRate: number, applyRate: number): number {
  return Math.max(0, writeRate - applyRate);
}

/** Time to drain a backlog of B transactions at write rate λ < apply rate μ: B / (μ − λ). */
export function drainTime(backlog: number, writeRate: number, applyRate: number): number {
  if (writeRate >= applyRate) return Infinity;
  return backlog / (applyRate - writeRate);
}

/**
 * Closed clients (N users, think Z, write fraction f) on a primary and R read replicas, each with
 * c servers: exact MVA (Reiser–Lavenberg) with the primary visited by writes (and by reads when
 * R = 0) and each replica by a share (1 − f)/R of requests. Mixing read and write service times at
 * one FCFS station is not product form, so with R = 0 this is an approximation. Returns total and
 * read throughput, and the asymptotic bound on read throughput set by the primary: (1 − f) c / (f S_w).
 */
export function readScaleOutMva(p: {
  users: number;
  thinkTime: number;
  writeFraction: number;
  replicas: number;
  servers: number;
  commitMean: number;
  readMean: number;
}): { throughput: number; readThroughput: number; readBound: number } {
  const f = p.writeFraction;
  const stations: MvaStation[] = [];
  if (p.replicas === 0) {
    stations.push({
      name: 'primary',
      demand: f * p.commitMean + (1 - f) * p.readMean,
      servers: p.servers,
    });
  } else {
    stations.push({ name: 'primary', demand: f * p.commitMean, servers: p.servers });
    for (let r = 0; r < p.replicas; r++)
      stations.push({
        name: `replica${r + 1}`,
        demand: ((1 - f) * p.readMean) / p.replicas,
        servers: p.servers,
      });
  }
  const X = mva({ stations, users: p.users, thinkTime: p.thinkTime }).throughput;
  const primaryCap = p.servers / (f * p.commitMean + (p.replicas === 0 ? (1 - f) * p.readMean : 0));
  const replicaCap =
    p.replicas === 0 ? Infinity : (p.replicas * p.servers) / ((1 - f) * p.readMean);
  const thinkCap = p.users / (p.thinkTime + f * p.commitMean + (1 - f) * p.readMean);
  return {
    throughput: X,
    readThroughput: (1 - f) * X,
    readBound: (1 - f) * Math.min(primaryCap, replicaCap, thinkCap),
  };
}

/**
 * Mean write latency by mode at light load (no queueing): commit E[C]; semisync and sync `on` add
 * one round trip 2d and the replica's flush F; `remote_write` adds 2d; `remote_apply` adds 2d plus
 * the apply time (and its queueing, which this light-load figure leaves out).
 */
export function lightLoadWriteLatency(
  p: { commitMean: number; linkLatency: number; flushMean: number; applyMean: number },
  level: 'async' | 'local' | 'remote_write' | 'on' | 'semisync' | 'remote_apply',
): number {
  const rtt = 2 * p.linkLatency;
  switch (level) {
    case 'async':
    case 'local':
      return p.commitMean;
    case 'remote_write':
      return p.commitMean + rtt;
    case 'on':
    case 'semisync':
      return p.commitMean + rtt + p.flushMean;
    case 'remote_apply':
      return p.commitMean + rtt + p.applyMean;
  }
}
