/**
 * G/G/c, the Allen-Cunneen approximation: scale the M/M/c wait by the variability factor.
 *
 *   rho = lambda / (c mu) < 1,  Wq ~= C(c, A) / (c mu - lambda) * (ca2 + cs2) / 2
 *   W = Wq + 1/mu,  Lq = lambda Wq,  L = lambda W
 *
 * Exact for M/M/c (ca2 = cs2 = 1); reduces to Kingman for c = 1. Source: A. O. Allen, Probability,
 * Statistics, and Queueing Theory with Computer Science Applications, 2nd ed. (1990),
 * chapter 6 (after Cunneen); Bolch et al., Queueing Networks and Markov Chains, 2nd ed. (2006), chapter 6.
 */
import { requireQuantity } from './validate';
import { mmc } from './mmc';
import type { QueueMetrics } from './result';
import { requireRate, requireServerCount } from './validate';

export interface GgcParams {
  /** Arrival rate. */
  readonly lambda: number;
  /** Service rate of one server. */
  readonly mu: number;
  /** Number of servers, an integer >= 1. */
  readonly c: number;
  /** Squared coefficient of variation of interarrival times (>= 0). */
  readonly ca2: number;
  /** Squared coefficient of variation of service times (>= 0). */
  readonly cs2: number;
}

export interface GgcResult extends QueueMetrics {
  readonly lambda: number;
  readonly mu: number;
  readonly c: number;
  readonly ca2: number;
  readonly cs2: number;
  /** Erlang C of the M/M/c with the same rates (the approximation's probability of waiting). */
  readonly C: number;
}

/** Allen-Cunneen approximation for G/G/c. */
export function ggc(params: GgcParams): GgcResult {
  requireRate('lambda', params.lambda);
  requireRate('mu', params.mu);
  requireServerCount('c', params.c);
  const ca2 = requireQuantity('ca2', params.ca2);
  const cs2 = requireQuantity('cs2', params.cs2);
  const base = mmc(params);
  const { lambda, mu, c } = base;
  const Wq = base.Wq * ((ca2 + cs2) / 2);
  const W = Wq + 1 / mu;
  return {
    model: 'G/G/c (Allen-Cunneen)',
    lambda,
    mu,
    c,
    ca2,
    cs2,
    C: base.C,
    rho: base.rho,
    L: lambda * W,
    Lq: lambda * Wq,
    W,
    Wq,
    X: lambda,
  };
}

/** The same approximation under its authors' names: `allenCunneen(params)` = `ggc(params)`. */
export const allenCunneen: (params: GgcParams) => GgcResult = ggc;
