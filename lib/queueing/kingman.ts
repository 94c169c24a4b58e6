/**
 * G/G/1, Kingman's heavy-traffic approximation ("Kingman's formula", the VUT equation): general
 * interarrival times with squared coefficient of variation ca2, general service with cs2.
 *
 *   rho = lambda / mu < 1,  Wq ~= rho / (1 - rho) * (ca2 + cs2) / 2 * (1 / mu)
 *   W = Wq + 1/mu,  Lq = lambda Wq,  L = lambda W
 *
 * Exact for M/M/1 (ca2 = cs2 = 1) and M/G/1 (ca2 = 1); an upper-bound-like approximation otherwise,
 * accurate as rho -> 1. Source: J. F. C. Kingman, "The single server queue in heavy traffic",
 * Proc. Cambridge Philos. Soc. 57 (1961); Hopp and Spearman, Factory Physics (2008), chapter 8 (the VUT equation).
 */
import { requireQuantity } from './validate';
import type { QueueMetrics } from './result';
import { requireRate, requireStable } from './validate';

export interface Gg1Params {
  /** Arrival rate. */
  readonly lambda: number;
  /** Service rate. */
  readonly mu: number;
  /** Squared coefficient of variation of interarrival times (>= 0; 1 for Poisson). */
  readonly ca2: number;
  /** Squared coefficient of variation of service times (>= 0; 1 for exponential). */
  readonly cs2: number;
}

export interface Gg1Result extends QueueMetrics {
  readonly lambda: number;
  readonly mu: number;
  readonly ca2: number;
  readonly cs2: number;
  readonly P0: number;
}

/** Kingman's approximation for G/G/1. */
export function gg1(params: Gg1Params): Gg1Result {
  const lambda = requireRate('lambda', params.lambda);
  const mu = requireRate('mu', params.mu);
  const ca2 = requireQuantity('ca2', params.ca2);
  const cs2 = requireQuantity('cs2', params.cs2);
  const rho = requireStable(lambda, mu, 1);
  const Wq = (rho / (1 - rho)) * ((ca2 + cs2) / 2) * (1 / mu);
  const W = Wq + 1 / mu;
  return {
    model: 'G/G/1 (Kingman)',
    lambda,
    mu,
    ca2,
    cs2,
    rho,
    L: lambda * W,
    Lq: lambda * Wq,
    W,
    Wq,
    X: lambda,
    P0: 1 - rho,
  };
}

/** The same approximation under its author's name: `kingman(params)` = `gg1(params)`. */
export const kingman: (params: Gg1Params) => Gg1Result = gg1;
