/**
 * Closed forms for the simulation-vs-theory tests, written inline here on purpose (the library's
 * own lib/queueing is developed separately; these tests must not depend on it).
 * Sources: Kleinrock, Queueing Systems Vol. 1 (1975); Gross & Harris, Fundamentals of Queueing
 * Theory; Cobham (1954) for non-preemptive priorities.
 */

/** Bisection for the t with f(t) = target, f decreasing on [lo, hi]. */
export function solveDecreasing(
  f: (t: number) => number,
  target: number,
  lo = 0,
  hi = 1e6,
): number {
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** M/M/1: W = 1/(mu - lambda); response time ~ Exp(mu - lambda), so p95 = ln(20)/(mu - lambda). */
export function mm1(lambda: number, mu: number) {
  return { W: 1 / (mu - lambda), L: lambda / (mu - lambda), p95: Math.log(20) / (mu - lambda) };
}

/** Erlang C: probability an arrival waits in M/M/c with offered load a = lambda/mu. */
export function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = (term * a) / c / (1 - a / c);
  return last / (sum + last);
}

/**
 * M/M/c: Wq = C/(c mu - lambda), W = Wq + 1/mu. Response T = S + Wq with S ~ Exp(mu) and
 * Wq = 0 w.p. 1 - C, else Exp(d), d = c mu - lambda:
 * P(T > t) = (1 - C) e^{-mu t} + C (d e^{-mu t} - mu e^{-d t})/(d - mu).
 */
export function mmc(lambda: number, mu: number, c: number) {
  const C = erlangC(c, lambda / mu);
  const d = c * mu - lambda;
  const Wq = C / d;
  const tail = (t: number) =>
    (1 - C) * Math.exp(-mu * t) + (C * (d * Math.exp(-mu * t) - mu * Math.exp(-d * t))) / (d - mu);
  return { C, Wq, W: Wq + 1 / mu, L: lambda * (Wq + 1 / mu), p95: solveDecreasing(tail, 0.05) };
}

/** M/G/1 (Pollaczek-Khinchine): Wq = lambda E[S^2] / (2 (1 - rho)), W = Wq + E[S]. */
export function mg1(lambda: number, meanS: number, scvS: number) {
  const rho = lambda * meanS;
  const ES2 = meanS * meanS * (1 + scvS);
  const Wq = (lambda * ES2) / (2 * (1 - rho));
  return { Wq, W: Wq + meanS, L: lambda * (Wq + meanS) };
}

/** P(Erlang(k, mu) > t) = sum_{i<k} e^{-mu t} (mu t)^i / i!. */
function erlangTail(k: number, mu: number, t: number): number {
  let term = Math.exp(-mu * t);
  let s = term;
  for (let i = 1; i < k; i++) {
    term *= (mu * t) / i;
    s += term;
  }
  return s;
}

/**
 * M/M/1/K: pi_n = (1 - rho) rho^n / (1 - rho^{K+1}); blocking pi_K; L = sum n pi_n;
 * W = L / (lambda (1 - pi_K)). An accepted arrival that finds n jobs has response Erlang(n+1, mu),
 * and finds n with probability pi_n / (1 - pi_K), n < K.
 */
export function mm1k(lambda: number, mu: number, K: number) {
  const rho = lambda / mu;
  const pi = Array.from({ length: K + 1 }, (_, n) => ((1 - rho) * rho ** n) / (1 - rho ** (K + 1)));
  const L = pi.reduce((s, p, n) => s + n * p, 0);
  const block = pi[K];
  const W = L / (lambda * (1 - block));
  const tail = (t: number) =>
    pi.slice(0, K).reduce((s, p, n) => s + (p / (1 - block)) * erlangTail(n + 1, mu, t), 0);
  return { L, W, block, p95: solveDecreasing(tail, 0.05) };
}

/**
 * Closed interactive system (machine-repairman, M/M/c//N): N users thinking Exp(mean Z), one
 * station of c Exp(mu) servers. Birth-death on n at the station: up-rate (N - n)/Z, down-rate
 * min(n, c) mu. X = sum pi_n min(n, c) mu, R = N/X - Z (interactive response time law).
 */
export function closedMMc(N: number, Z: number, c: number, mu: number) {
  const w = [1];
  for (let n = 1; n <= N; n++) w.push((w[n - 1] * ((N - n + 1) / Z)) / (Math.min(n, c) * mu));
  const total = w.reduce((a, b) => a + b, 0);
  const pi = w.map((x) => x / total);
  const X = pi.reduce((s, p, n) => s + p * Math.min(n, c) * mu, 0);
  return { X, R: N / X - Z, Q: pi.reduce((s, p, n) => s + n * p, 0) };
}
