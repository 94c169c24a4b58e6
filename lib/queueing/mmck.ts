/**
 * M/M/c/K: Poisson arrivals (rate lambda), c exponential servers (rate mu), room for K customers in
 * total (K >= c); arrivals finding K present are lost. Stable for any load.
 *
 *   A = lambda / mu,  r = A / c
 *   p_n = p_0 A^n / n!               for 0 <= n <= c
 *   p_n = p_0 A^c / c! * r^(n - c)   for c < n <= K
 *   PK = p_K (blocking),  lambdaEff = lambda (1 - PK),  L = sum n p_n,  Lq = sum (n - c) p_n,
 *   Wq = Lq / lambdaEff,  W = Wq + 1/mu = L / lambdaEff,  rho = lambdaEff / (c mu)
 *
 * Source: Gross et al., Fundamentals of Queueing Theory (2008), chapter 2 (M/M/c/K); Kleinrock,
 * Queueing Systems vol. 1 (1975), section 3.6. Sums are taken in log space with a closed-form
 * geometric tail, so c and K may be in the millions. Checked against Sixto (2004) ex. 10.7
 * (R `queueing` `NewInput.MM1K.Rd`) and the simmer M/M/2/3 vignette.
 */
import { lnPoissonPartialSum } from './erlang';
import { geometricBlock } from './log-sums';
import type { QueueMetrics } from './result';
import { lnPoissonWeight } from './special-functions';
import { requireCapacity, requireRate, requireServerCount, requireOfferedLoad } from './validate';

export interface MmckParams {
  /** Arrival rate (per unit time). */
  readonly lambda: number;
  /** Service rate of one server (per unit time). */
  readonly mu: number;
  /** Number of servers, an integer >= 1. */
  readonly c: number;
  /** System capacity (in service plus waiting), an integer >= c. */
  readonly K: number;
}

export interface MmckResult extends QueueMetrics {
  readonly lambda: number;
  readonly mu: number;
  readonly c: number;
  readonly K: number;
  readonly A: number;
  readonly P0: number;
  /** Blocking probability p_K: the fraction of arrivals lost. */
  readonly PK: number;
  /** Admitted arrival rate lambda (1 - PK) (= throughput X). */
  readonly lambdaEff: number;
  /** Probability an admitted arrival has to wait. */
  readonly Pwait: number;
}

/** Solves M/M/c/K. */
export function mmck(params: MmckParams, model = 'M/M/c/K'): MmckResult {
  const lambda = requireRate('lambda', params.lambda);
  const mu = requireRate('mu', params.mu);
  const c = requireServerCount('c', params.c);
  const K = requireCapacity('K', params.K, c);
  const A = requireOfferedLoad(lambda, mu);
  const sums = lnPoissonPartialSum(A, c - 1, c); // n = 0..c-1: weights A^n / n!
  const lnWeightC = lnPoissonWeight(A, c);
  const lnRatio = Math.log(A / c);
  const tail = geometricBlock(lnRatio, K - c);
  sums.addBlock(lnWeightC + tail.logSum, 1, c + tail.meanIndex, tail.meanIndex, 1);
  const tailProbability = sums.fractionAtOrAbove; // P(n >= c)
  const PK = tailProbability * tail.lastFraction;
  const P0 = sums.probability(0);
  const L = sums.mean;
  const Lq = sums.meanExcess;
  // X = lambda (1 - PK) = mu E[min(n, c)] = mu (L - Lq). Past saturation 1 - PK cancels to 0 in
  // floating point (lambda = 1e20, mu = 1 gave X = 0), while mu (L - Lq) stays exact: use the
  // busy-server form whenever most arrivals are blocked.
  const lambdaEff = PK > 1 - 1e-6 ? mu * (L - Lq) : lambda * (1 - PK);
  const admitted = lambdaEff / lambda; // 1 - PK without the cancellation
  return {
    model,
    lambda,
    mu,
    c,
    K,
    A,
    rho: lambdaEff / (c * mu),
    L,
    Lq,
    W: Lq / lambdaEff + 1 / mu, // = L / lambdaEff, without 0/0 when lambda is vanishingly small
    Wq: Lq / lambdaEff,
    X: lambdaEff,
    P0,
    PK,
    lambdaEff,
    // P(wait | admitted) = P(c <= n < K) / (1 - PK) = 1 - P(n < c) / (1 - PK)
    Pwait:
      PK > 1 - 1e-6
        ? Math.min(1, Math.max(0, 1 - (1 - tailProbability) / admitted))
        : (tailProbability * (1 - tail.lastFraction)) / admitted,
  };
}
