/**
 * Closed forms beside the microservices simulations (models-for-new-labs.md, subsystems.md §3):
 * - fan-out (Dean & Barroso, "The Tail at Scale", CACM 56(2), 2013): a request that waits for n
 *   leaves, each slower than its p-quantile with probability p, is slow with probability
 *   1 − (1 − p)^n (p = 0.01, n = 100: 0.634); with i.i.d. exponential leaves of mean s, the q-th
 *   percentile of the maximum is −s·ln(1 − q^(1/n));
 * - retries: r retries with independent failure probability f succeed with probability 1 − f^(r+1)
 *   and offer Σ_{i=0..r} f^i times the load;
 * - availability: a serial chain A = Π a_i; redundant replicas 1 − Π (1 − a_i);
 * - the circuit breaker against a dependency that stays failed admits
 *   permittedNumberOfCallsInHalfOpenState calls per cycle of waitDurationInOpenState (Resilience4j);
 * - a hedge after d on an exponential leaf of rate μ (no queueing): the answer is min(X₁, d + X₂),
 *   P(T > t) = e^(−μt) for t < d and e^(−μ(2t − d)) beyond; a second copy is sent for the
 *   fraction e^(−μd) of requests (the extra load when losers are not cancelled).
 */

/** P(a request waiting for n leaves is slower than a leaf's p-quantile): 1 − (1 − p)^n. */
export function fanoutSlowProbability(n: number, p = 0.01): number {
  return 1 - Math.pow(1 - p, n);
}

/** The q-quantile of the maximum of n i.i.d. exponential times of mean `mean`. */
export function maxExponentialQuantile(n: number, mean: number, q: number): number {
  return -mean * Math.log(1 - Math.pow(q, 1 / n));
}

/** Offered-load multiplier of r retries at failure probability f: Σ_{i=0..r} f^i. */
export function retryLoadMultiplier(f: number, r: number): number {
  let s = 0;
  for (let i = 0; i <= r; i++) s += Math.pow(f, i);
  return s;
}

/** Success probability with r retries at failure probability f: 1 − f^(r+1). */
export function retrySuccess(f: number, r: number): number {
  return 1 - Math.pow(f, r + 1);
}

/** Availability of a serial chain: Π a_i. */
export function chainAvailability(parts: readonly number[]): number {
  return parts.reduce((a, b) => a * b, 1);
}

/** Availability of redundant parts (any one suffices): 1 − Π (1 − a_i). */
export function redundantAvailability(parts: readonly number[]): number {
  return 1 - parts.reduce((a, b) => a * (1 - b), 1);
}

/** Availability of one part failing at rate 1/mttf and repaired in mean mttr: MTTF / (MTTF + MTTR). */
export function partAvailability(mttf: number, mttr: number): number {
  return mttf / (mttf + mttr);
}

/**
 * Calls per second reaching a dependency that stays failed, behind a breaker: `permitted` trial
 * calls per cycle of the open wait plus the time the trials take to fail (`trialTime`: at rate λ
 * the 10 trials arrive over permitted/λ and the last fails a timeout later).
 */
export function breakerProbeRate(
  permitted: number,
  waitDurationInOpenState: number,
  trialTime = 0,
): number {
  return permitted / (waitDurationInOpenState + trialTime);
}

/** Quantile q of min(X₁, d + X₂) for exponential X of rate μ (a hedge after d, no queueing). */
export function hedgedExponentialQuantile(mu: number, d: number, q: number): number {
  const t1 = -Math.log(1 - q) / mu;
  if (t1 < d) return t1;
  return (d - Math.log(1 - q) / mu) / 2;
}

/** Fraction of requests that send a hedge after d (exponential leaf of rate μ): e^(−μd). */
export function hedgeFraction(mu: number, d: number): number {
  return Math.exp(-mu * d);
}
