/**
 * Erlang B, the M/M/c/c loss system: c servers, no waiting room; an arrival finding all servers
 * busy is lost.
 *
 *   B(c, A) = (A^c / c!) / sum_{k=0}^{c} A^k / k!,   A = lambda / mu (erlangs)
 *   carried load = A (1 - B) (mean busy servers), lost load = A B.
 *
 * Source: A. K. Erlang (1917); Kleinrock, Queueing Systems vol. 1 (1975), section 3.7; computed by
 * the recurrence in `erlang.ts` (Jagerman 1974). Checked against Sixto (2004) ex. 10.12 via
 * R `queueing` `NewInput.MMCC.Rd`.
 */
import { ParameterError, requireNonNegative } from '../errors';
import { lnPoissonWeight } from './special-functions';
import { erlangBRecurrence, lnPoissonPartialSum } from './erlang';
import type { QueueMetrics } from './result';
import { MAX_COUNT, requireRate, requireServerCount, requireOfferedLoad } from './validate';

export interface ErlangBResult {
  /** Offered load in erlangs. */
  readonly A: number;
  readonly c: number;
  /** Blocking probability B(c, A). */
  readonly B: number;
  /** Carried load A (1 - B): mean number of busy servers. */
  readonly carriedLoad: number;
  /** Lost load A B. */
  readonly lostLoad: number;
  /** Per-server utilisation: carried load / c. */
  readonly rho: number;
}

/**
 * Erlang B blocking probability for offered load A >= 0 erlangs on c >= 1 servers.
 *
 * By the recurrence (O(c)) up to c = 1e7. Beyond it, where c > A + 40 √A + 40, by the Poisson
 * form B = P(X = c) / P(X <= c) with X ~ Poisson(A) (Erlang's formula divided through by e^A):
 * there P(X > c) < e^-800, so B = exp(c ln A − ln c! − A) to double precision. Anything else is
 * refused with a ParameterError naming the domain.
 */
export function erlangB(A: number, c: number): ErlangBResult {
  requireNonNegative('A', A);
  let B: number;
  if (typeof c === 'number' && Number.isInteger(c) && c > MAX_COUNT) {
    if (!(c > A + 40 * Math.sqrt(A) + 40)) {
      throw new ParameterError(
        'c',
        c,
        `must be an integer in [1, ${MAX_COUNT}], or above A + 40·√A + 40 (= ${A + 40 * Math.sqrt(A) + 40}) where the Poisson-tail form is exact`,
      );
    }
    if (!Number.isSafeInteger(c))
      throw new ParameterError('c', c, `must be a safe integer (<= ${Number.MAX_SAFE_INTEGER})`);
    B = A === 0 ? 0 : Math.exp(lnPoissonWeight(A, c) - A);
  } else {
    requireServerCount('c', c);
    B = erlangBRecurrence(A, c).B;
  }
  const carriedLoad = A * (1 - B);
  return { A, c, B, carriedLoad, lostLoad: A * B, rho: carriedLoad / c };
}

export interface MmccParams {
  /** Arrival rate (per unit time). */
  readonly lambda: number;
  /** Service rate of one server (per unit time). */
  readonly mu: number;
  /** Number of servers. */
  readonly c: number;
}

export interface MmccResult extends QueueMetrics {
  readonly lambda: number;
  readonly mu: number;
  readonly c: number;
  readonly A: number;
  /** Blocking probability (Erlang B). */
  readonly B: number;
  /** Probability the system is full (= B by PASTA). */
  readonly PK: number;
  /** Rate of admitted arrivals lambda (1 - B). */
  readonly lambdaEff: number;
  /** Mean busy servers A (1 - B). */
  readonly carriedLoad: number;
  readonly P0: number;
}

/** M/M/c/c: Erlang B with rates. L = carried load, W = 1/mu, no queue. */
export function mmcc(params: MmccParams): MmccResult {
  const lambda = requireRate('lambda', params.lambda);
  const mu = requireRate('mu', params.mu);
  const c = requireServerCount('c', params.c);
  const A = requireOfferedLoad(lambda, mu);
  const { B, carriedLoad } = erlangB(A, c);
  const lambdaEff = lambda * (1 - B);
  const P0 = Math.exp(-lnPoissonPartialSum(A, c).logTotal);
  return {
    model: 'M/M/c/c',
    lambda,
    mu,
    c,
    A,
    rho: carriedLoad / c,
    L: carriedLoad,
    Lq: 0,
    W: 1 / mu,
    Wq: 0,
    X: lambdaEff,
    B,
    PK: B,
    lambdaEff,
    carriedLoad,
    P0,
  };
}
