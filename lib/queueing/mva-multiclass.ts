/**
 * Exact multiclass MVA for a closed product-form network with R classes of populations N_r, think
 * times Z_r, single-server queueing or delay stations with demands D_rk. Recurses over the whole
 * population lattice n <= N (prod (N_r + 1) points):
 *
 *   R_rk(n) = D_rk (1 + Q_k(n - e_r))   (queue),   R_rk(n) = D_rk   (delay)
 *   X_r(n) = n_r / (Z_r + sum_k R_rk(n)),   Q_k(n) = sum_r X_r(n) R_rk(n)
 *
 * Source: Reiser and Lavenberg, J. ACM 27(2), 1980; Lazowska et al., Quantitative System Performance
 * (1984), chapter 7. Checked against Lazowska p. 142 (R `queueing`
 * `NewInput.MCCN.Rd`). Cost O(K R prod(N_r + 1)); refuses lattices above 10 million
 * station-points (use `mvaSchweitzer`).
 */
import { ParameterError } from '../errors';
import {
  multiclassResult,
  normaliseClasses,
  type MulticlassMvaParams,
  type MulticlassMvaResult,
} from './mva-classes';

const MAX_LATTICE_CELLS = 1e7;

/** Solves a closed multiclass network by exact MVA over the population lattice. */
export function mvaMulticlass(params: MulticlassMvaParams): MulticlassMvaResult {
  const nc = normaliseClasses(params);
  const R = nc.classCount;
  const K = nc.stationCount;
  const N = nc.population;
  const strides = new Float64Array(R);
  let points = 1;
  for (let r = 0; r < R; r++) {
    strides[r] = points;
    points *= N[r] + 1;
  }
  if (points * K > MAX_LATTICE_CELLS) {
    throw new ParameterError(
      'classes[].population',
      Array.from(N),
      `gives a lattice of ${points} populations x ${K} stations, above ${MAX_LATTICE_CELLS}; use mvaSchweitzer (approximate)`,
    );
  }
  const Qtot = new Float64Array(points * K);
  const n = new Int32Array(R);
  const throughput = new Float64Array(R);
  const residence = new Float64Array(R * K);
  for (let idx = 1; idx < points; idx++) {
    // advance the mixed-radix counter n to idx
    for (let r = 0; r < R; r++) {
      if (n[r] < N[r]) {
        n[r]++;
        break;
      }
      n[r] = 0;
    }
    const base = idx * K;
    for (let r = 0; r < R; r++) {
      if (n[r] === 0) {
        throughput[r] = 0;
        continue;
      }
      const prev = (idx - strides[r]) * K;
      let sum = nc.think[r];
      for (let k = 0; k < K; k++) {
        const d = nc.demand[r * K + k];
        const rk = nc.isDelay[k] ? d : d * (1 + Qtot[prev + k]);
        residence[r * K + k] = rk;
        sum += rk;
      }
      throughput[r] = n[r] / sum;
    }
    for (let k = 0; k < K; k++) {
      let q = 0;
      for (let r = 0; r < R; r++) if (n[r] > 0) q += throughput[r] * residence[r * K + k];
      Qtot[base + k] = q;
    }
  }
  // residence times of empty classes: what one job of that class would see
  for (let r = 0; r < R; r++) {
    if (N[r] > 0) continue;
    for (let k = 0; k < K; k++) {
      const d = nc.demand[r * K + k];
      residence[r * K + k] = nc.isDelay[k] ? d : d * (1 + Qtot[(points - 1) * K + k]);
    }
  }
  return multiclassResult('MVA (exact, multiclass)', nc, throughput, residence);
}
