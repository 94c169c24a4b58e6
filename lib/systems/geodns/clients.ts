/**
 * The GeoDNS deployment's own clients (system.ts): one kernel Source per client region with a
 * `rate` (none for a region without one: its requests come through the system's `entry`), Poisson
 * at `rate`, or with a daily swing rate(t) = rate · (1 + a · cos(2π (t/3600 + utcOffset −
 * peakHour) / 24)) by thinning; each job's `origin` is its region's index, its stream
 * `geodns.clients.<region>`.
 */
import { Exponential } from '../../random/exponential';
import type { Simulation } from '../../sim/simulation';
import { Source } from '../../sim/source';
import type { JobTarget } from '../../sim/target';
import type { ResolvedGeoDnsConfig } from './config';

export function regionSources(
  sim: Simulation,
  cfg: ResolvedGeoDnsConfig,
  lookup: JobTarget,
): Source[] {
  const sources: Source[] = [];
  cfg.regions.forEach((r, i) => {
    if (r.rate === 0) return;
    const name = `geodns.clients.${r.name}`;
    if (r.diurnal === 0) {
      sources.push(
        new Source(sim, {
          name: name,
          interarrival: new Exponential(r.rate),
          origin: i,
          to: lookup,
        }),
      );
      return;
    }
    const a = r.diurnal;
    const shift = r.utcOffset - r.peakHour;
    sources.push(
      new Source(sim, {
        name: name,
        rate: (t: number) => r.rate * (1 + a * Math.cos((2 * Math.PI * (t / 3600 + shift)) / 24)),
        maxRate: r.rate * (1 + a),
        origin: i,
        to: lookup,
      }),
    );
  });
  return sources;
}
