/**
 * The load in front of the gateway: an open Poisson source at `rate` (with `surges`: the rate
 * times `multiplier` over [at, at + duration), a non-homogeneous Poisson process by thinning), or
 * a closed population of `users` with exponential think time `thinkTime` (0: none).
 */
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import { Population } from '../../sim/population';
import type { Simulation } from '../../sim/simulation';
import { Source } from '../../sim/source';
import type { JobTarget } from '../../sim/target';
import type { ResolvedMicroservicesConfig } from './resolve';

export function buildClients(
  sim: Simulation,
  c: ResolvedMicroservicesConfig,
  gateway: JobTarget,
): { source: Source | null; population: Population | null } {
  if (c.users > 0) {
    return {
      source: null,
      population: new Population(sim, {
        name: 'clients',
        size: c.users,
        think: c.thinkTime > 0 ? Exponential.withMean(c.thinkTime) : new Deterministic(0),
        to: gateway,
      }),
    };
  }
  const surges = c.surges;
  const base = c.rate;
  if (surges.length === 0)
    return {
      source: new Source(sim, {
        name: 'clients',
        interarrival: new Exponential(base),
        to: gateway,
      }),
      population: null,
    };
  const peak = surges.reduce((m, s) => Math.max(m, s.multiplier), 1);
  const rate = (t: number): number => {
    let m = 1;
    for (const s of surges) if (t >= s.at && t < s.at + s.duration) m = s.multiplier;
    return base * m;
  };
  return {
    source: new Source(sim, { name: 'clients', maxRate: base * peak, rate: rate, to: gateway }),
    population: null,
  };
}
