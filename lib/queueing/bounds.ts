/**
 * Bounds on a closed interactive network with single-server queueing stations of demands D_k,
 * total D = sum D_k, largest Dmax, mean Davg = D / K, think time Z, N users.
 *
 * Asymptotic bounds (ABA):
 *   N / (N D + Z) <= X(N) <= min(1 / Dmax, N / (D + Z))
 *   max(D, N Dmax - Z) <= R(N) <= N D
 *   N* = (D + Z) / Dmax, the population where the two optimistic bounds cross (saturation point).
 * Balanced job bounds (BJB):
 *   N / (D + Z + (N-1) Dmax / (1 + Z / (N D))) <= X(N) <= min(1 / Dmax, N / (D + Z + (N-1) Davg / (1 + Z / D)))
 *   max(N Dmax - Z, D + (N-1) Davg / (1 + Z / D)) <= R(N) <= D + (N-1) Dmax / (1 + Z / (N D))
 *
 * Source: Lazowska et al., Quantitative System Performance (1984), chapter 5;
 * ABA: Muntz and Wong (1974), Denning and Buzen (1978); BJB: Zahorjan, Sevcik, Eager and Galler,
 * "Balanced job bound analysis of queueing networks", CACM 25(2), 1982. The BJB expressions are the
 * same as in Marzolla's Octave `queueing` package (`qnclosedbsb.m`).
 * Delay stations other than the terminals can be folded into Z.
 */
import { requireQuantity } from './validate';
import { ParameterError, requireInteger } from '../errors';

export interface BoundsParams {
  /** Demands of the single-server queueing stations. */
  readonly demands: readonly number[];
  /** Think time Z (default 0). */
  readonly thinkTime?: number;
  /** Population N, an integer >= 1. */
  readonly users: number;
}

export interface BoundPair {
  readonly lower: number;
  readonly upper: number;
}

export interface BoundsResult {
  readonly N: number;
  readonly Z: number;
  /** Total demand D. */
  readonly D: number;
  readonly Dmax: number;
  readonly Davg: number;
  /** Saturation population N* = (D + Z) / Dmax. */
  readonly Nstar: number;
  /** Asymptotic bounds on throughput X(N) and response time R(N). */
  readonly aba: { readonly X: BoundPair; readonly R: BoundPair };
  /** Balanced job bounds (tighter) on X(N) and R(N). */
  readonly bjb: { readonly X: BoundPair; readonly R: BoundPair };
}

/** Asymptotic and balanced job bounds for a closed interactive network. */
export function closedNetworkBounds(params: BoundsParams): BoundsResult {
  const demands = params.demands;
  if (!Array.isArray(demands) || demands.length === 0) {
    throw new ParameterError(
      'demands',
      demands,
      'must be a non-empty array of finite numbers >= 0',
    );
  }
  demands.forEach((d, k) => requireQuantity(`demands[${k}]`, d));
  const Z = requireQuantity('thinkTime', params.thinkTime ?? 0);
  const N = requireInteger('users', params.users, 1);
  const D = demands.reduce((a, b) => a + b, 0);
  const Dmax = Math.max(...demands);
  if (!(Dmax > 0)) throw new ParameterError('demands', demands, 'must include a demand > 0');
  const Davg = D / demands.length;
  const aba = {
    X: { lower: N / (N * D + Z), upper: Math.min(1 / Dmax, N / (D + Z)) },
    R: { lower: Math.max(D, N * Dmax - Z), upper: N * D },
  };
  const optimisticDelay = ((N - 1) * Davg) / (1 + Z / D);
  const pessimisticDelay = ((N - 1) * Dmax) / (1 + Z / (N * D));
  const bjb = {
    X: {
      lower: N / (D + Z + pessimisticDelay),
      upper: Math.min(1 / Dmax, N / (D + Z + optimisticDelay)),
    },
    R: { lower: Math.max(N * Dmax - Z, D + optimisticDelay), upper: D + pessimisticDelay },
  };
  return { N, Z, D, Dmax, Davg, Nstar: (D + Z) / Dmax, aba, bjb };
}
