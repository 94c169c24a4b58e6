/**
 * M/M/1/K: one exponential server, room for K customers in total; arrivals finding K are lost.
 *
 *   r = lambda / mu,  p_n = (1 - r) r^n / (1 - r^(K+1))  (r != 1),  p_n = 1 / (K + 1)  (r = 1)
 *   PK = p_K,  lambdaEff = lambda (1 - PK),  L = sum n p_n,  Lq = L - (1 - p_0),
 *   W = L / lambdaEff,  Wq = Lq / lambdaEff
 *
 * Source: Gross et al., Fundamentals of Queueing Theory (2008), chapter 2; computed as M/M/c/K with
 * c = 1 (see `mmck.ts`). Checked against Sixto (2004) ex. 10.7 (R `queueing` `NewInput.MM1K.Rd`).
 */
import { mmck, type MmckResult } from './mmck';

export interface Mm1kParams {
  /** Arrival rate (per unit time). */
  readonly lambda: number;
  /** Service rate (per unit time). */
  readonly mu: number;
  /** System capacity, an integer >= 1. */
  readonly K: number;
}

/** Solves M/M/1/K. */
export function mm1k(params: Mm1kParams): MmckResult {
  return mmck({ lambda: params.lambda, mu: params.mu, c: 1, K: params.K }, 'M/M/1/K');
}
