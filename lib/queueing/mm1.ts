/**
 * M/M/1: Poisson arrivals (rate lambda), one exponential server (rate mu), FCFS, unlimited room.
 *
 *   rho = lambda / mu < 1,  P0 = 1 - rho,  P(wait) = rho
 *   L = rho / (1 - rho),  Lq = rho^2 / (1 - rho),  W = 1 / (mu - lambda),  Wq = rho / (mu - lambda)
 *   W ~ Exp(mu - lambda): p-quantile -ln(1 - p) / (mu - lambda)
 *   P(Wq > t) = rho exp(-(mu - lambda) t)
 *
 * Source: Kleinrock, Queueing Systems vol. 1 (1975), section 3.2; Gross et al., Fundamentals of
 * Queueing Theory (2008), chapter 2. Checked against PDQ `examples/ppa_1998/chap2/open1.out` and
 * Sixto (2004) ex. 10.3 (R `queueing` `NewInput.MM1.Rd`).
 */
import { waitPercentile } from './mmc';
import { percentilesOf, type QueueMetrics, type TimePercentiles } from './result';
import { requireRate, requireStable } from './validate';

export interface Mm1Params {
  /** Arrival rate (per unit time). */
  readonly lambda: number;
  /** Service rate (per unit time). */
  readonly mu: number;
}

export interface Mm1Result extends QueueMetrics {
  readonly lambda: number;
  readonly mu: number;
  /** Always 1; lets the M/M/c tail functions (`waitTail`, `responseTail`) take this result. */
  readonly c: 1;
  readonly P0: number;
  /** Probability an arrival waits (= rho). */
  readonly Pwait: number;
  readonly percentiles: TimePercentiles;
}

/** Solves M/M/1. Throws UnstableSystemError unless lambda < mu. */
export function mm1(params: Mm1Params): Mm1Result {
  const lambda = requireRate('lambda', params.lambda);
  const mu = requireRate('mu', params.mu);
  const rho = requireStable(lambda, mu, 1);
  const slack = mu - lambda;
  const base = { lambda, mu, c: 1, Pwait: rho };
  return {
    model: 'M/M/1',
    lambda,
    mu,
    c: 1,
    rho,
    L: rho / (1 - rho),
    Lq: (rho * rho) / (1 - rho),
    W: 1 / slack,
    Wq: rho / slack,
    X: lambda,
    P0: 1 - rho,
    Pwait: rho,
    percentiles: {
      W: percentilesOf((p) => -Math.log(1 - p) / slack),
      Wq: percentilesOf((p) => waitPercentile(base, p)),
    },
  };
}
