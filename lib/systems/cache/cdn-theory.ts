/**
 * Closed forms for the CDN (subsystems.md §7.6): with Poisson requests, a freshness lifetime T,
 * collapsed misses and RFC 9111's conservative age, each (edge, object) is a renewal process of
 * cycle T + Exp(λ_ei): origin fetch rate λ_ei/(1 + λ_ei·T), hit ratio λ_ei·(T − R)/(1 + λ_ei·T)
 * (R the fetch's response delay, during which later requests wait for it). Behind a shield the
 * origin sees one such process per object at the total rate Λ_i = Σ_e λ_ei. With
 * stale-while-revalidate s a cycle starts stale (served at once, refreshed in the background)
 * when the next request comes within s, probability 1 − e^(−λ_ei·s), and the requests during the
 * refresh (λ_ei·R on average) are stale too: stale share Σ (1 − e^(−λ s))(1 + λR)/(1 + λT),
 * exact when R < s.
 */
export function cdnOriginRate(
  rates: readonly number[],
  p: ArrayLike<number>,
  lifetime: number,
  shield: boolean,
): number {
  let r = 0;
  if (shield) {
    const total = rates.reduce((a, b) => a + b, 0);
    for (let i = 0; i < p.length; i++) r += (total * p[i]) / (1 + total * p[i] * lifetime);
    return r;
  }
  for (const rate of rates)
    for (let i = 0; i < p.length; i++) r += (rate * p[i]) / (1 + rate * p[i] * lifetime);
  return r;
}

/** Share of requests served stale under stale-while-revalidate `swr`, no shield; `delays[e]` the mean fetch response delay R of edge e. */
export function cdnStaleShare(
  rates: readonly number[],
  delays: readonly number[],
  p: ArrayLike<number>,
  lifetime: number,
  swr: number,
): number {
  const total = rates.reduce((a, b) => a + b, 0);
  let s = 0;
  rates.forEach((rate, e) => {
    for (let i = 0; i < p.length; i++) {
      const l = rate * p[i];
      s +=
        ((rate / total) * p[i] * -Math.expm1(-l * swr) * (1 + l * delays[e])) / (1 + l * lifetime);
    }
  });
  return s;
}

/** Edge hit ratio (fresh hits over requests), no shield, no stale-while-revalidate. */
export function cdnHitRatio(
  rates: readonly number[],
  delays: readonly number[],
  p: ArrayLike<number>,
  lifetime: number,
): number {
  const total = rates.reduce((a, b) => a + b, 0);
  let h = 0;
  rates.forEach((rate, e) => {
    for (let i = 0; i < p.length; i++) {
      const l = rate * p[i];
      h += ((rate / total) * p[i] * l * Math.max(0, lifetime - delays[e])) / (1 + l * lifetime);
    }
  });
  return h;
}
