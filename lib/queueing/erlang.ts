/**
 * Erlang recurrences shared by Erlang B, Erlang C, M/M/c and M/M/c/c. No factorials, no powers:
 * stable for c in the hundreds of thousands.
 *
 * Erlang B recurrence (Jagerman 1974, "Some properties of the Erlang loss function", Bell Syst. Tech. J.
 * 53(3); also Kleinrock, Queueing Systems vol. 1, 1975):
 *   B(0, A) = 1,  B(k, A) = A B(k-1, A) / (k + A B(k-1, A)).
 * Erlang C from B (Cooper, Introduction to Queueing Theory, 2nd ed., 1981, chapter 3):
 *   C(c, A) = c B(c, A) / (c - A (1 - B(c, A))),  valid for A < c.
 */
import { LogWeightedSums, unimodalSums } from './log-sums';
import { lnPoissonWeight } from './special-functions';

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
 * The truncated Poisson sum sum_{k=0}^{n} A^k / k! as log-scaled sums (ln of the total, mean k),
 * without overflow for any A or n: terms are taken relative to the largest, A^m / m! with
 * m = min(floor(A), n), whose logarithm comes from `lnPoissonWeight`. O(n) multiplications.
 */
export function lnPoissonPartialSum(A: number, n: number, threshold = n + 1): LogWeightedSums {
  const sums = new LogWeightedSums(threshold);
  if (A === 0) {
    sums.add(0, 0);
    return sums;
  }
  const part = unimodalSums(n, (k) => A / k, threshold);
  sums.addBlock(
    lnPoissonWeight(A, part.mode) + Math.log(part.total),
    1,
    part.first / part.total,
    part.excess / part.total,
    part.atOrAbove / part.total,
  );
  return sums;
}
