/**
 * Erlang recurrences shared by Erlang B, Erlang C, M/M/c and M/M/c/c. No factorials, no powers:
 * stable for c in the hundreds of thousands.
 *
 * Erlang B recurrence (Jagerman 1974, "Some properties of the Erlang loss function", Bell Syst. Tech. J.
 * 53(3); also Kleinrock, Queueing Systems vol. 1, 1975):
 *   B(0, A) = 1,  B(k, A) = A B(k-1, A) / (k + A B(k-1, A)).
 * Erlang C from B (Cooper, Introduction to Queueing Theory, 2nd ed., 1981, eq. 2.5.3):
 *   C(c, A) = c B(c, A) / (c - A (1 - B(c, A))),  valid for A < c.
 */
import { LogWeightedSums } from './log-sums';

/** Erlang B for c servers and offered load A (erlangs), with the value for c - 1 servers. O(c). */
export function erlangBRecurrence(A: number, c: number): { B: number; Bprev: number } {
  let B = 1;
  let Bprev = 1;
  for (let k = 1; k <= c; k++) {
    Bprev = B;
    B = (A * B) / (k + A * B);
  }
  return { B, Bprev };
}

/** Erlang C, the probability an arrival waits in M/M/c, from Erlang B. Requires A < c. */
export function erlangCFromB(A: number, c: number, B: number): number {
  const C = (c * B) / (c - A * (1 - B));
  return Math.min(1, Math.max(0, C));
}

/**
 * ln of the truncated Poisson sum sum_{k=0}^{n} A^k / k!, accumulated in log space (no overflow
 * for any A or n). O(n).
 */
export function lnPoissonPartialSum(A: number, n: number): LogWeightedSums {
  const sums = new LogWeightedSums();
  const lnA = Math.log(A);
  let lw = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) lw += lnA - Math.log(k);
    sums.add(lw, k);
  }
  return sums;
}
