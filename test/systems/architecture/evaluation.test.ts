/**
 * The analytic evaluation against the simulation of the same composed network.
 *
 * Exact: the mean response time, throughput and utilisations of a step without a cache (step 1,
 * its one host the balancer component's one PS backend running web and database work; steps 2
 * and 4), since every station is a single-server processor-sharing CPU (BCMP product form, exact MVA): the MVA
 * value must lie inside the Bonferroni-widened 95 % intervals of 5 replications
 * (test/labs/agreement.ts). Approximate, with stated tolerances: Che's LRU hit ratio within 0.01
 * absolute of the measured one (Che et al. 2002; Fricker, Robert and Roberts 2012 report errors
 * below 1 % for Zipf popularity at these sizes), and the p95 within 15 % (the gamma-mixture
 * approximation of ./analytic.ts, measured 0.5-10 % off on the eight steps).
 * Open load: the same network open (BCMP/Jackson, W = S / (1 − ρ) per visit), exact too.
 * Also: MVA at one user is the bare sum of demands, and runs are reproducible.
 */
import { confidenceInterval } from '../../../lib/sim/confidence';
import { capacityAtTarget, evaluate } from '../../../lib/systems/architecture/analytic';
import { constantDelayOf, demandsOf, layoutOf } from '../../../lib/systems/architecture/layout';
import {
  simulateArchitecture,
  type ArchitectureSummary,
} from '../../../lib/systems/architecture/simulate';
import { scalingSteps } from '../../../lib/labs/lab12/steps';
import { disagreements, replicationsCheck as check, type Check } from '../../labs/agreement';

function replications(
  step: number,
  load: number,
  reps: number,
  duration: number,
): ArchitectureSummary[] {
  const a = scalingSteps()[step - 1];
  return Array.from({ length: reps }, (_, i) =>
    simulateArchitecture(a, { seed: 100 + i, duration: duration, warmup: 20 }, { load: load }),
  );
}

describe('architecture: analytic vs simulation', () => {
  test('MVA at one user is the sum of demands and delays (no queueing)', () => {
    const a = scalingSteps()[3];
    const e = evaluate(a, 1);
    const layout = layoutOf(a);
    const D = demandsOf(layout);
    let sum = constantDelayOf(layout);
    layout.stations.forEach((s, k) => (sum += D[k] * s.copies));
    expect(e.meanResponse).toBeCloseTo(sum, 12);
    expect(e.throughput).toBeCloseTo(1 / (sum + 7), 12);
  });

  test.each([1, 2, 4])(
    'step %i (no cache): mean response, throughput and utilisations inside the intervals (exact MVA)',
    (step) => {
      const a = scalingSteps()[step - 1];
      const users = capacityAtTarget(a);
      const e = evaluate(a, users);
      const runs = replications(step, users, 5, Math.max(60, 12000 / e.throughput)); // about 12,000 requests each
      const checks: Check[] = [
        check(
          `step ${step} mean response`,
          runs.map((r) => r.latency.mean),
          e.meanResponse,
        ),
        check(
          `step ${step} throughput`,
          runs.map((r) => r.throughput),
          e.throughput,
        ),
        ...e.tiers.map((t, k) =>
          check(
            `step ${step} ${t.tier} utilisation`,
            runs.map((r) => r.tiers[k].utilisation),
            t.utilisation,
          ),
        ),
      ];
      expect(disagreements(checks)).toEqual([]);
      // the intervals have power: the mean response is known to within 10 %
      const ci = confidenceInterval(runs.map((r) => r.latency.mean));
      expect((ci.upper - ci.lower) / 2 / ci.mean).toBeLessThan(0.1);
      // p95 within the stated 15 %
      const p95 = confidenceInterval(runs.map((r) => r.latency.p95)).mean;
      expect(Math.abs(p95 - e.p95) / e.p95).toBeLessThan(0.15);
    },
  );

  test('open load (step 4 at 150 requests/s): the BCMP/Jackson means inside the intervals', () => {
    const a = scalingSteps()[3];
    delete a.users;
    a.arrivalRate = 150;
    const e = evaluate(a);
    const runs = Array.from({ length: 5 }, (_, i) =>
      simulateArchitecture(a, { seed: 200 + i, duration: 80, warmup: 20 }),
    );
    const checks: Check[] = [
      check(
        'open mean response',
        runs.map((r) => r.latency.mean),
        e.meanResponse,
      ),
      check(
        'open throughput',
        runs.map((r) => r.throughput),
        e.throughput,
      ),
      ...e.tiers.map((t, k) =>
        check(
          `open ${t.tier} utilisation`,
          runs.map((r) => r.tiers[k].utilisation),
          t.utilisation,
        ),
      ),
    ];
    expect(disagreements(checks)).toEqual([]);
  });

  test("step 5: Che's hit ratio within 0.01 of the LRU store's, p95 within 15 %", () => {
    const a = scalingSteps()[4];
    const users = capacityAtTarget(a);
    const e = evaluate(a, users);
    const runs = replications(5, users, 3, 60);
    const h = runs.reduce((s, r) => s + r.cacheHitRatio, 0) / runs.length;
    expect(Math.abs(h - e.cacheHitRatio)).toBeLessThan(0.01);
    const p95 = runs.reduce((s, r) => s + r.latency.p95, 0) / runs.length;
    expect(Math.abs(p95 - e.p95) / e.p95).toBeLessThan(0.15);
    expect(e.bottleneck).toBe('web');
  });

  test('the capacity search: the p95 at usersAtTarget meets the target, one more step of users does not', () => {
    for (const a of scalingSteps()) {
      const n = capacityAtTarget(a);
      const k = a.geodns ? a.geodns.datacenters : 1;
      expect(evaluate(a, n).p95).toBeLessThanOrEqual(a.target.p95);
      expect(evaluate(a, n + k).p95).toBeGreaterThan(a.target.p95);
    }
  });

  test('reproducible: same seed, same numbers; another seed, others', () => {
    const a = scalingSteps()[7];
    const one = simulateArchitecture(a, { seed: 7, duration: 10, warmup: 2 }, { load: 2000 });
    const two = simulateArchitecture(a, { seed: 7, duration: 10, warmup: 2 }, { load: 2000 });
    const other = simulateArchitecture(a, { seed: 8, duration: 10, warmup: 2 }, { load: 2000 });
    expect(two).toEqual(one);
    expect(other.latency.mean).not.toBe(one.latency.mean);
  });
});
