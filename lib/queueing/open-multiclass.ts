/**
 * Open multiclass product-form network: class r arrives at rate lambda_r and needs demand D_rk at
 * station k (single-server queue or delay).
 *
 *   U_k = sum_r lambda_r D_rk < 1
 *   R_rk = D_rk / (1 - U_k)   (queue),   R_rk = D_rk   (delay)
 *   Q_rk = lambda_r R_rk,  R_r = sum_k R_rk
 *
 * Source: Lazowska et al., Quantitative System Performance (1984), chapter 7; checked
 * against Lazowska p. 138 (R `queueing` `NewInput.MCON.Rd`).
 */
import { ParameterError, UnstableSystemError, requireNonNegative } from '../errors';

export interface OpenMulticlassParams {
  /** Arrival rate per class. */
  readonly arrivalRates: readonly number[];
  readonly stations: readonly {
    readonly name?: string;
    readonly kind?: 'queue' | 'delay';
    readonly demands: readonly number[];
  }[];
}

export interface OpenMulticlassResult {
  readonly model: 'open multiclass network';
  readonly names: readonly string[];
  /** Arrival rate (= throughput) per class. */
  readonly X: readonly number[];
  /** Total utilisation per station. */
  readonly U: readonly number[];
  /** Response time per class. */
  readonly responseTime: readonly number[];
  /** Residence time [class][station]. */
  readonly R: readonly (readonly number[])[];
  /** Mean number [class][station]. */
  readonly Q: readonly (readonly number[])[];
}

/** Solves an open multiclass product-form network. */
export function openMulticlass(params: OpenMulticlassParams): OpenMulticlassResult {
  const rates = params.arrivalRates;
  if (!Array.isArray(rates) || rates.length === 0)
    throw new ParameterError('arrivalRates', rates, 'must be a non-empty array of rates >= 0');
  rates.forEach((l, r) => requireNonNegative(`arrivalRates[${r}]`, l));
  const stations = params.stations;
  if (!Array.isArray(stations) || stations.length === 0)
    throw new ParameterError('stations', stations, 'must be a non-empty array');
  const U = stations.map((s, k) => {
    if (!Array.isArray(s?.demands) || s.demands.length !== rates.length) {
      throw new ParameterError(
        `stations[${k}].demands`,
        s?.demands,
        `must list one demand per class (${rates.length})`,
      );
    }
    s.demands.forEach((d: number, r: number) =>
      requireNonNegative(`stations[${k}].demands[${r}]`, d),
    );
    return s.kind === 'delay'
      ? 0
      : s.demands.reduce((a: number, d: number, r: number) => a + rates[r] * d, 0);
  });
  U.forEach((u, k) => {
    if (!(u < 1))
      throw new UnstableSystemError(
        u,
        `station "${stations[k].name ?? `station${k + 1}`}": sum of lambda_r D_rk must be < 1`,
      );
  });
  const R = rates.map((_, r) =>
    stations.map((s, k) => (s.kind === 'delay' ? s.demands[r] : s.demands[r] / (1 - U[k]))),
  );
  return {
    model: 'open multiclass network',
    names: stations.map((s, k) => s.name ?? `station${k + 1}`),
    X: rates.slice(),
    U,
    responseTime: R.map((row) => row.reduce((a, b) => a + b, 0)),
    R,
    Q: R.map((row, r) => row.map((v) => rates[r] * v)),
  };
}
