/**
 * M/M/c//N, the finite-source (machine-repairman, Engset-delay) model: N sources, each idle source
 * issues a request after an Exp(lambda) time (mean think time Z = 1/lambda); c exponential servers
 * of rate mu; FCFS, room for all N.
 *
 *   p_n / p_{n-1} = (N - n + 1) lambda / (min(n, c) mu),   n = 1..N
 *   L = sum n p_n,  Lq = sum (n - c)+ p_n,  X = lambda (N - L) = mu (L - Lq)
 *   W = L / X,  Wq = Lq / X,  rho = (L - Lq) / c
 *   P(wait) = sum_{n >= c} (N - n) p_n / (N - L) = ((N - c) P(n >= c) - Lq) / (N - L)
 *             (arrivals see the time-average state weighted by the idle sources N - n)
 *
 * Source: Gross et al., Fundamentals of Queueing Theory (2008), chapter 2; Kleinrock, Queueing
 * Systems vol. 1 (1975), section 3.8. Equal to exact MVA with think time Z = 1/lambda and one
 * c-server station of demand 1/mu. Checked against Sixto (2004) ex. 10.13 (R `queueing`
 * `NewInput.MM1KK.Rd`). Summed relative to the most likely state: N may be in the millions.
 */
import { unimodalSums } from './log-sums';
import type { QueueMetrics } from './result';
import { MAX_COUNT, requireRate, requireServerCount } from './validate';
import { requireInteger } from '../errors';

export interface FiniteSourceParams {
  /** Request rate of one idle source (1 / mean think time). */
  readonly lambda: number;
  /** Service rate of one server. */
  readonly mu: number;
  /** Number of servers, an integer >= 1. */
  readonly c: number;
  /** Number of sources (users), an integer >= 1. */
  readonly N: number;
}

export interface FiniteSourceResult extends QueueMetrics {
  readonly lambda: number;
  readonly mu: number;
  readonly c: number;
  readonly N: number;
  readonly P0: number;
  /** Probability an arriving request has to wait. */
  readonly Pwait: number;
}

/** Solves M/M/c//N. */
export function finiteSource(params: FiniteSourceParams): FiniteSourceResult {
  const lambda = requireRate('lambda', params.lambda);
  const mu = requireRate('mu', params.mu);
  const c = requireServerCount('c', params.c);
  const N = requireInteger('N', params.N, 1, MAX_COUNT);
  // p_n / p_{n-1} = (N - n + 1) lambda / (min(n, c) mu): non-increasing in n, so the weights are unimodal
  const r = lambda / mu;
  const states = unimodalSums(N, (n) => ((N - n + 1) * r) / Math.min(n, c), c);
  const L = states.first / states.total;
  const Lq = states.excess / states.total;
  const atOrAbove = states.atOrAbove / states.total;
  const busy = L - Lq;
  const X = mu * busy;
  return {
    model: 'M/M/c//N',
    lambda,
    mu,
    c,
    N,
    rho: busy / c,
    L,
    Lq,
    W: L / X,
    Wq: Lq / X,
    X,
    P0: states.atZero / states.total,
    // sum_{n>=c} (N - n) p_n = (N - c) P(n >= c) - Lq
    Pwait: Math.min(1, Math.max(0, ((N - c) * atOrAbove - Lq) / (N - L))),
  };
}
