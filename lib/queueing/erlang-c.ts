/**
 * Erlang C: the probability that an arrival to M/M/c must wait, for offered load A < c erlangs.
 *
 *   C(c, A) = [A^c / c! * c / (c - A)] / [sum_{k=0}^{c-1} A^k / k! + A^c / c! * c / (c - A)]
 *           = c B(c, A) / (c - A (1 - B(c, A)))
 *   Lq = C A / (c - A),  mean wait in units of the mean service time Wq / S = C / (c - A).
 *
 * Source: A. K. Erlang (1917); Cooper, Introduction to Queueing Theory (1981), chapter 3; the
 * B-to-C relation avoids factorials (see `erlang.ts`). Checked against R `queueing` `C_erlang.Rd`.
 */
import { UnstableSystemError, requirePositive } from '../errors';
import { erlangBRecurrence, erlangCFromB } from './erlang';
import { requireServerCount } from './validate';

export interface ErlangCResult {
  /** Offered load in erlangs. */
  readonly A: number;
  readonly c: number;
  /** Per-server utilisation A / c. */
  readonly rho: number;
  /** Erlang C: probability of waiting. */
  readonly C: number;
  /** Erlang B for the same A and c (C >= B always). */
  readonly B: number;
  /** Mean number waiting. */
  readonly Lq: number;
  /** Mean number in system Lq + A. */
  readonly L: number;
  /** Mean wait in queue, in units of the mean service time. */
  readonly WqOverS: number;
}

/** Erlang C for offered load 0 < A < c erlangs on c >= 1 servers. */
export function erlangC(A: number, c: number): ErlangCResult {
  requirePositive('A', A);
  requireServerCount('c', c);
  if (!(A < c)) {
    throw new UnstableSystemError(A / c, `A = ${A}, c = ${c}: offered load A must be < c`);
  }
  const { B } = erlangBRecurrence(A, c);
  const C = erlangCFromB(A, c, B);
  const Lq = (C * A) / (c - A);
  return { A, c, rho: A / c, C, B, Lq, L: Lq + A, WqOverS: C / (c - A) };
}
