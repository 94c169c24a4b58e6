/**
 * The Universal Scalability Law: throughput at concurrency (load, nodes, users) N with contention
 * alpha and coherency (crosstalk) beta, scaled by gamma, the throughput of one.
 *
 *   X(N) = gamma N / (1 + alpha (N - 1) + beta N (N - 1))
 *   peak at N* = sqrt((1 - alpha) / beta) (beta > 0), X(N*) the most the system can deliver;
 *   with beta = 0 throughput rises to the asymptote gamma / alpha (Amdahl).
 *
 * Source: N. J. Gunther, Guerrilla Capacity Planning (Springer, 2007), chapter 4;
 * R package `usl` (`smoeding/usl`, `peak.scalability`).
 */
import { requireNonNegative, requirePositive, requireInRange } from '../errors';

export interface UslParams {
  /** Contention (serialisation), in [0, 1). */
  readonly alpha: number;
  /** Coherency (crosstalk), >= 0. */
  readonly beta: number;
  /** Throughput at N = 1 (the ideal slope), > 0. */
  readonly gamma: number;
}

/** USL throughput X(N) for N >= 0. */
export function uslThroughput(params: UslParams, N: number): number {
  const { alpha, beta, gamma } = checkUsl(params);
  requireNonNegative('N', N);
  return (gamma * N) / (1 + alpha * (N - 1) + beta * N * (N - 1));
}

/** The peak of the USL curve: N* and X(N*); nulls when beta = 0 (no peak, throughput keeps rising). */
export function uslPeak(params: UslParams): {
  peakN: number | null;
  peakX: number | null;
  asymptoteX: number | null;
} {
  const { alpha, beta, gamma } = checkUsl(params);
  if (beta > 0) {
    const peakN = Math.sqrt((1 - alpha) / beta);
    return {
      peakN,
      peakX: (gamma * peakN) / (1 + alpha * (peakN - 1) + beta * peakN * (peakN - 1)),
      asymptoteX: null,
    };
  }
  return { peakN: null, peakX: null, asymptoteX: alpha > 0 ? gamma / alpha : null };
}

function checkUsl(params: UslParams): UslParams {
  requireInRange('alpha', params.alpha, 0, 1, { maxOpen: true });
  requireNonNegative('beta', params.beta);
  requirePositive('gamma', params.gamma);
  return params;
}
