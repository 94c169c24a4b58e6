/**
 * M/M/infinity: Poisson arrivals (rate lambda), a server for every customer (rate mu each), no wait.
 *
 *   N ~ Poisson(A), A = lambda / mu:  L = A,  P0 = e^{-A},  W = 1/mu,  Lq = Wq = 0
 *   W ~ Exp(mu): p-quantile -ln(1 - p) / mu
 *
 * Source: Kleinrock, Queueing Systems vol. 1 (1975), section 3.4; Gross et al. (2008), chapter 2.
 * rho is reported as 0: each of infinitely many servers is idle almost always; A is the mean busy count.
 */
import { percentilesOf, type QueueMetrics, type TimePercentiles } from './result';
import { requireRate, requireOfferedLoad } from './validate';

export interface MmInfinityParams {
  readonly lambda: number;
  readonly mu: number;
}

export interface MmInfinityResult extends QueueMetrics {
  readonly lambda: number;
  readonly mu: number;
  /** Offered load = mean number of busy servers. */
  readonly A: number;
  readonly P0: number;
  readonly Pwait: number;
  readonly percentiles: TimePercentiles;
}

/** Solves M/M/infinity. */
export function mmInfinity(params: MmInfinityParams): MmInfinityResult {
  const lambda = requireRate('lambda', params.lambda);
  const mu = requireRate('mu', params.mu);
  const A = requireOfferedLoad(lambda, mu);
  const zero = percentilesOf(() => 0);
  return {
    model: 'M/M/inf',
    lambda,
    mu,
    A,
    rho: 0,
    L: A,
    Lq: 0,
    W: 1 / mu,
    Wq: 0,
    X: lambda,
    P0: Math.exp(-A),
    Pwait: 0,
    percentiles: { W: percentilesOf((p) => -Math.log(1 - p) / mu), Wq: zero },
  };
}
