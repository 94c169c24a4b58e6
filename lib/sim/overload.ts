/**
 * Overload detection from one run, without knowing the offered load: a queue that grows without
 * bound over the observation.
 *
 * Over an observation with A accepted arrivals and D departures, the net growth of the number
 * inside is G = n_end − n_start = A − D (minus crash removals). For a stable queue n_end and n_start
 * are draws of a stationary number-in-system, so G stays O(1) however long the run, while under
 * overload G grows like (λ − cμ)·T. A and D are counting processes whose difference, for a queue at
 * the edge of stability (ρ = 1, the null hypothesis most favourable to growth), is a random walk
 * with variance ≈ A + D (Poisson increments; Whitt, Stochastic-Process Limits, 2002, ch. 9, the
 * heavy-traffic diffusion of the queue length). The test flags growth when
 *
 *   G > z · √(A + D) + g₀,   and G > f · A
 *
 * with z = 4 (a one-sided false-alarm probability about 3·10⁻⁵ at ρ = 1, far less below it),
 * g₀ = 10 jobs of slack for short runs, and f = 1 % (a growth that is a vanishing share of the
 * arrivals is not an overload worth flagging). Under ρ = 1.5 and T = 1000/μ, G ≈ 500 against a
 * threshold ≈ 210: flagged.
 */
export const GROWTH_Z = 4;
export const GROWTH_SLACK = 10;
export const GROWTH_FRACTION = 0.01;

/** True when a net growth `growth` over `accepted` arrivals and `departures` departures is more than a stable queue shows. */
export function growthTest(growth: number, accepted: number, departures: number): boolean {
  if (!(growth > 0)) return false;
  const threshold = GROWTH_Z * Math.sqrt(accepted + departures) + GROWTH_SLACK;
  return growth > threshold && growth > GROWTH_FRACTION * accepted;
}
