/**
 * M/D/1: Poisson arrivals, constant service time D. Pollaczek-Khinchine with cs2 = 0:
 *
 *   rho = lambda D < 1,  Wq = rho D / (2 (1 - rho)),  W = Wq + D,  Lq = rho^2 / (2 (1 - rho))
 *
 * Half the M/M/1 wait at the same load. Source: Kleinrock, Queueing Systems vol. 1 (1975), chapter 5;
 * computed by `mg1.ts`.
 */
import { mg1, type Mg1Result } from './mg1';

export interface Md1Params {
  /** Arrival rate (per unit time). */
  readonly lambda: number;
  /** The constant service time D. */
  readonly mean: number;
}

/** Solves M/D/1. */
export function md1(params: Md1Params): Mg1Result {
  return mg1({ lambda: params.lambda, mean: params.mean, scv: 0 }, 'M/D/1');
}
