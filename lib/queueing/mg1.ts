/**
 * M/G/1, the Pollaczek-Khinchine mean-value formula: Poisson arrivals (rate lambda), one server with
 * a general service time of mean E[S] and squared coefficient of variation cs2 = Var[S] / E[S]^2.
 *
 *   rho = lambda E[S] < 1
 *   Wq = lambda E[S^2] / (2 (1 - rho)) = rho (1 + cs2) / (2 (1 - rho)) * E[S]
 *   W = Wq + E[S],  Lq = lambda Wq,  L = lambda W,  P0 = 1 - rho,  P(wait) = rho
 *
 * Source: Pollaczek (1930), Khinchine (1932); Kleinrock, Queueing Systems vol. 1 (1975), chapter 5;
 * Gross et al. (2008), chapter 5. cs2 = 1 gives M/M/1, cs2 = 0 gives M/D/1.
 */
import { requireQuantity } from './validate';
import type { QueueMetrics } from './result';
import { requireRate, requireStable } from './validate';

export interface Mg1Params {
  /** Arrival rate (per unit time). */
  readonly lambda: number;
  /** Mean service time E[S]. */
  readonly mean: number;
  /** Squared coefficient of variation of the service time, Var[S] / E[S]^2 (>= 0). */
  readonly scv: number;
}

export interface Mg1Result extends QueueMetrics {
  readonly lambda: number;
  readonly mean: number;
  readonly scv: number;
  readonly P0: number;
  readonly Pwait: number;
}

/** Solves M/G/1 by Pollaczek-Khinchine. Throws UnstableSystemError unless lambda E[S] < 1. */
export function mg1(params: Mg1Params, model = 'M/G/1'): Mg1Result {
  const lambda = requireRate('lambda', params.lambda);
  const mean = requireRate('mean', params.mean);
  const scv = requireQuantity('scv', params.scv);
  const rho = requireStable(lambda, 1 / mean, 1);
  const Wq = ((rho * (1 + scv)) / (2 * (1 - rho))) * mean;
  const W = Wq + mean;
  return {
    model,
    lambda,
    mean,
    scv,
    rho,
    L: lambda * W,
    Lq: lambda * Wq,
    W,
    Wq,
    X: lambda,
    P0: 1 - rho,
    Pwait: rho,
  };
}
