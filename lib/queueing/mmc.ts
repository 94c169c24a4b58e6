/**
 * M/M/c: Poisson arrivals (rate lambda), c identical exponential servers (rate mu each), FCFS,
 * unlimited waiting room.
 *
 *   A = lambda / mu,  rho = A / c < 1,  C = Erlang C(c, A) = P(wait)
 *   Lq = C rho / (1 - rho),  Wq = C / (c mu - lambda),  W = Wq + 1/mu,  L = lambda W
 *   P0 = [sum_{k=0}^{c-1} A^k/k! + A^c / (c! (1 - rho))]^-1
 *   P(Wq > t) = C exp(-(c mu - lambda) t)
 *   P(W > t)  = (1 - C) e^{-mu t} + C P(E1 + E2 > t),  E1 ~ Exp(c mu - lambda), E2 ~ Exp(mu)
 *
 * Source: Kleinrock, Queueing Systems vol. 1 (1975), section 3.5; Gross, Shortle, Thompson and
 * Harris, Fundamentals of Queueing Theory, 4th ed. (2008), chapter 2 (including the waiting-time
 * distribution). Checked against Sixto (2004) ex. 10.9 (R `queueing` `NewInput.MMC.Rd`) and the Ciw
 * README M/M/3 example.
 */
import { requireNonNegative } from '../errors';
import { erlangBRecurrence, erlangCFromB, lnPoissonPartialSum } from './erlang';
import { percentilesOf, type QueueMetrics, type TimePercentiles } from './result';
import { invertTail } from './search';
import { lnPoissonWeight } from './special-functions';
import { requireOpenProbability, requireRate, requireServerCount, requireStable } from './validate';

export interface MmcParams {
  /** Arrival rate (per unit time). */
  readonly lambda: number;
  /** Service rate of one server (per unit time). */
  readonly mu: number;
  /** Number of servers, an integer >= 1. */
  readonly c: number;
}

export interface MmcResult extends QueueMetrics {
  readonly lambda: number;
  readonly mu: number;
  readonly c: number;
  /** Offered load lambda / mu (erlangs). */
  readonly A: number;
  readonly P0: number;
  /** Probability an arrival waits (Erlang C). */
  readonly Pwait: number;
  /** The same value under its textbook name C(c, A). */
  readonly C: number;
  readonly percentiles: TimePercentiles;
}

/** The fields the waiting-time distribution needs; an {@link MmcResult} or M/M/1 result has them. */
export interface ExponentialServiceQueue {
  readonly lambda: number;
  readonly mu: number;
  readonly c: number;
  readonly Pwait: number;
}

/** Solves M/M/c. Throws UnstableSystemError unless lambda < c mu. */
export function mmc(params: MmcParams): MmcResult {
  const lambda = requireRate('lambda', params.lambda);
  const mu = requireRate('mu', params.mu);
  const c = requireServerCount('c', params.c);
  const rho = requireStable(lambda, mu, c);
  const A = lambda / mu;
  const { B } = erlangBRecurrence(A, c);
  const C = erlangCFromB(A, c, B);
  const Wq = C / (c * mu - lambda);
  const W = Wq + 1 / mu;
  // P0 = 1 / (sum_{k<c} A^k/k! + A^c/c! / (1 - rho)), summed in log space.
  const head = lnPoissonPartialSum(A, c - 1);
  head.addBlock(lnPoissonWeight(A, c), 1 / (1 - rho), c, 0, 1);
  const P0 = Math.exp(-head.logTotal);
  const base = { lambda, mu, c, Pwait: C };
  return {
    model: c === 1 ? 'M/M/1' : 'M/M/c',
    lambda,
    mu,
    c,
    A,
    rho,
    L: lambda * W,
    Lq: lambda * Wq,
    W,
    Wq,
    X: lambda,
    P0,
    Pwait: C,
    C,
    percentiles: {
      W: percentilesOf((p) => responsePercentile(base, p)),
      Wq: percentilesOf((p) => waitPercentile(base, p)),
    },
  };
}

/** P(Wq > t) = C exp(-(c mu - lambda) t) for M/M/c (c = 1 gives rho exp(-(mu - lambda) t)). */
export function waitTail(q: ExponentialServiceQueue, t: number): number {
  requireNonNegative('t', t);
  return q.Pwait * Math.exp(-(q.c * q.mu - q.lambda) * t);
}

/**
 * P(W > t), the response-time tail of M/M/c: service E2 ~ Exp(mu) plus, with probability C, a wait
 * E1 ~ Exp(theta), theta = c mu - lambda. Uses P(E1 + E2 > t) = e^{-mu t} + mu g(t), where
 * g(t) = (e^{-mu t} - e^{-theta t}) / (theta - mu), evaluated without cancellation.
 */
export function responseTail(q: ExponentialServiceQueue, t: number): number {
  requireNonNegative('t', t);
  const { mu } = q;
  const theta = q.c * mu - q.lambda;
  const lo = Math.min(mu, theta);
  const gap = Math.abs(theta - mu);
  const g = gap === 0 ? t * Math.exp(-mu * t) : (Math.exp(-lo * t) * -Math.expm1(-gap * t)) / gap;
  const sum = Math.exp(-mu * t) + mu * g;
  return Math.min(1, (1 - q.Pwait) * Math.exp(-mu * t) + q.Pwait * sum);
}

/** The p-quantile of the wait in queue: 0 if p <= 1 - C, else ln(C / (1 - p)) / (c mu - lambda). */
export function waitPercentile(q: ExponentialServiceQueue, p: number): number {
  requireOpenProbability('p', p);
  if (1 - p >= q.Pwait * (1 - 1e-12)) return 0;
  return Math.log(q.Pwait / (1 - p)) / (q.c * q.mu - q.lambda);
}

/** The p-quantile of the response time, by inverting {@link responseTail} (closed form, bisection). */
export function responsePercentile(q: ExponentialServiceQueue, p: number): number {
  requireOpenProbability('p', p);
  if (q.c === 1) return -Math.log(1 - p) / (q.mu - q.lambda);
  return invertTail((t) => responseTail(q, t), 1 - p, 1 / q.mu + 1 / (q.c * q.mu - q.lambda));
}
