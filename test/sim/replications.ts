/**
 * Shared machinery of the simulation-vs-theory tests: independent replications and the
 * interval check. Not a test file itself.
 */
import {
  Simulation,
  Sink,
  Source,
  Station,
  confidenceInterval,
  type Discipline,
  type StationSummary,
} from '../../lib/sim';
import type { Distribution } from '../../lib/random';

// Simulated means and p95 from R independent replications (fixed master seed) must contain the
// closed form inside a Student-t interval at level 0.999: with ~25 such checks in this file the
// family-wise false-alarm rate is below 2.5 % (Bonferroni). Each interval must also be tight
// (relative half-width below 8 % for means and quantiles, 2 % for utilisation, throughput and
// counts) so the test has power. p95 comes from a sketch with
// 1 % relative error, so its interval is widened by exactly that factor: [lo/(1.01), hi/(0.99)].
export const LEVEL = 0.999;
export const REPS = 20;
export const SKETCH = 0.01;

export function expectCovers(
  values: number[],
  theory: number,
  maxRelHalfWidth: number,
  sketchError = 0,
) {
  const ci = confidenceInterval(values, LEVEL);
  const lo = ci.lower / (1 + sketchError);
  const hi = ci.upper / (1 - sketchError);
  if (!(theory >= lo && theory <= hi)) {
    throw new Error(`theory ${theory} outside [${lo}, ${hi}] (mean ${ci.mean}, n ${ci.n})`);
  }
  expect(ci.relativeHalfWidth).toBeLessThan(maxRelHalfWidth);
  return ci;
}

export interface OpenModel {
  arrivals: Distribution;
  service: Distribution;
  servers?: number;
  discipline?: Discipline;
  capacity?: number;
  warmup: number;
  horizon: number;
}

/** One replication of a single open station; statistics after a fixed warm-up. */
export function runOpen(m: OpenModel, seed: number): StationSummary {
  const sim = new Simulation({ seed });
  const sink = new Sink(sim, { name: 'exit' });
  const station = new Station(sim, {
    name: 'st',
    service: m.service,
    servers: m.servers,
    discipline: m.discipline,
    capacity: m.capacity,
    to: sink,
  });
  new Source(sim, { name: 'src', interarrival: m.arrivals, to: station });
  sim.run({ until: m.warmup });
  sim.resetStatistics();
  sim.run({ until: m.warmup + m.horizon });
  return station.summary();
}

export function replications(m: OpenModel, seed0: number): StationSummary[] {
  return Array.from({ length: REPS }, (_, i) => runOpen(m, seed0 + i));
}

/** Little's law on every run: time-average L against (accepted arrival rate) x W; end effects are O(W/T). */
export function expectLittle(runs: StationSummary[]) {
  for (const r of runs)
    expect(Math.abs(r.meanInSystem - r.littleL) / r.meanInSystem).toBeLessThan(0.01);
}
