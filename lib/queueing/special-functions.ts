/**
 * Log-factorial without overflow, for Poisson-like weights A^n / n! at large n.
 *
 * ln n! is summed exactly for n < 64 and taken from the Stirling series
 * ln Gamma(x) = (x - 1/2) ln x - x + ln(2 pi)/2 + 1/(12x) - 1/(360x^3) + 1/(1260x^5) - 1/(1680x^7)
 * (Abramowitz and Stegun 6.1.41) above, where it is accurate to about 1e-15 relative.
 */

const SMALL = 64;
const smallTable = new Float64Array(SMALL);
for (let n = 2; n < SMALL; n++) smallTable[n] = smallTable[n - 1] + Math.log(n);

/** ln(n!) for an integer n >= 0. */
export function lnFactorial(n: number): number {
  if (n < SMALL) return smallTable[n];
  const x = n + 1;
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    (x - 0.5) * Math.log(x) -
    x +
    0.5 * Math.log(2 * Math.PI) +
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
  );
}

/** ln(A^n / n!), the log of an unnormalised Poisson weight. */
export function lnPoissonWeight(A: number, n: number): number {
  return n * Math.log(A) - lnFactorial(n);
}
