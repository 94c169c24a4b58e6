/**
 * Approximate multiclass MVA, the Bard-Schweitzer fixed point: replace the queue a class-r arrival
 * sees, Q_k(N - e_r), by a proportional estimate from the full population,
 *
 *   Q_k(N - e_r) ~= sum_s Q_sk(N) - Q_rk(N) / N_r
 *   R_rk = D_rk (1 + Q_k(N - e_r))   (queue),   R_rk = D_rk   (delay)
 *   X_r = N_r / (Z_r + sum_k R_rk),   Q_rk = X_r R_rk,   iterate to a fixed point.
 *
 * O(R K) per iteration, any population. Source: Y. Bard, "Some extensions to multiclass queueing
 * network analysis" (1979); P. Schweitzer, "Approximate analysis of multiclass closed networks of
 * queues" (1979); Lazowska et al. (1984), chapter 7. Checked against Lazowska p. 117
 * (libmva `regression/test0.cc`, Bard-Schweitzer column), within 1e-2.
 */
import { requirePositive } from '../errors';
import {
  multiclassResult,
  normaliseClasses,
  type MulticlassMvaParams,
  type MulticlassMvaResult,
} from './mva-classes';

export interface SchweitzerOptions {
  /** Stop when no queue length moves by more than this (default 1e-10). */
  readonly tolerance?: number;
  /** Iteration cap (default 100000). */
  readonly maxIterations?: number;
}

/** Solves a closed multiclass network by Bard-Schweitzer approximate MVA. */
export function mvaSchweitzer(
  params: MulticlassMvaParams,
  options: SchweitzerOptions = {},
): MulticlassMvaResult {
  const nc = normaliseClasses(params);
  const tol = requirePositive('tolerance', options.tolerance ?? 1e-10);
  const maxIterations = requirePositive('maxIterations', options.maxIterations ?? 100000);
  const R = nc.classCount;
  const K = nc.stationCount;
  const N = nc.population;
  const queueCount = Math.max(1, Array.from(nc.isDelay).filter((d) => !d).length);
  const Q = new Float64Array(R * K);
  for (let r = 0; r < R; r++)
    for (let k = 0; k < K; k++) Q[r * K + k] = nc.isDelay[k] ? 0 : N[r] / queueCount;
  const throughput = new Float64Array(R);
  const residence = new Float64Array(R * K);
  const total = new Float64Array(K);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    total.fill(0);
    for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) total[k] += Q[r * K + k];
    let change = 0;
    for (let r = 0; r < R; r++) {
      let sum = nc.think[r];
      for (let k = 0; k < K; k++) {
        const d = nc.demand[r * K + k];
        const seen = N[r] > 0 ? total[k] - Q[r * K + k] / N[r] : total[k];
        const rk = nc.isDelay[k] ? d : d * (1 + seen);
        residence[r * K + k] = rk;
        sum += rk;
      }
      throughput[r] = N[r] / sum;
    }
    for (let r = 0; r < R; r++) {
      for (let k = 0; k < K; k++) {
        const q = throughput[r] * residence[r * K + k];
        change = Math.max(change, Math.abs(q - Q[r * K + k]));
        Q[r * K + k] = q;
      }
    }
    if (change < tol) break;
  }
  return multiclassResult(
    'MVA (Bard-Schweitzer, multiclass)',
    nc,
    throughput,
    residence,
    iterations + 1,
  );
}
