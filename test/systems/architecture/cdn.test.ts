/**
 * Lab 12 composes the CDN component (lib/systems/cache/cdn.ts): the static requests go to the
 * datacenter's edge, a miss is fetched through the balancer from a web server's static work.
 *
 * Sizing the edge (./cdn-edge.ts): the capacity inverted from a hit ratio has Che's ratio within
 * the stated 0.005, and is the smallest such; Che's ratio against the LRU edge's measured one
 * within 0.01 (Che's approximation is accurate to about a percent for Zipf under the IRM: Fricker,
 * Robert and Roberts 2012, ../shared/reference/models-for-new-labs.md).
 *
 * Exact agreement: with uniform popularity (alpha 0) every object has the same rate, so LRU holds
 * C/N of the requests' objects exactly and Che's ratio is C/N; step 4 (no memcached, so no other
 * approximation) with such a CDN is a product-form network whose MVA means are exact: the mean
 * response, throughput, balancer and web utilisations and the edge's hit ratio must lie inside the
 * Bonferroni-widened 95 % intervals of 5 replications (test/labs/agreement.ts).
 */
import { confidenceInterval } from '../../../lib/sim/confidence';
import { capacityAtTarget, evaluate } from '../../../lib/systems/architecture/analytic';
import {
  cdnEdgeOf,
  cheHitRatio,
  edgeCapacityFor,
  HIT_RATIO_TOLERANCE,
} from '../../../lib/systems/architecture/cdn-edge';
import { layoutOf } from '../../../lib/systems/architecture/layout';
import { simulateArchitecture } from '../../../lib/systems/architecture/simulate';
import { resolveArchitecture } from '../../../lib/systems/architecture/validate';
import type { Architecture } from '../../../lib/systems/architecture/types';
import { scalingSteps } from '../../../lib/labs/lab12/steps';
import { disagreements, replicationsCheck as check, type Check } from '../../labs/agreement';

describe("lab 12's CDN edge", () => {
  test("the capacity inverted from a hit ratio: Che's ratio within the tolerance, the smallest capacity that reaches it", () => {
    for (const [objects, alpha, ratio] of [
      [10000, 0.8, 0.95],
      [10000, 0.8, 0.9],
      [50000, 1.0, 0.7],
      [2000, 0, 0.5],
    ]) {
      const c = edgeCapacityFor(objects, alpha, ratio);
      expect(Math.abs(cheHitRatio(objects, alpha, c) - ratio)).toBeLessThanOrEqual(
        HIT_RATIO_TOLERANCE,
      );
      expect(cheHitRatio(objects, alpha, c - 2)).toBeLessThan(ratio);
    }
    // uniform popularity: Che's ratio is C/N exactly
    expect(cheHitRatio(2000, 0, 1000)).toBeCloseTo(0.5, 9);
    expect(
      cdnEdgeOf({ objects: 10000, alpha: 0.8, maxAge: 1, latency: 0, capacity: 7000 }),
    ).toEqual({
      capacity: 7000,
      hitRatio: cheHitRatio(10000, 0.8, 7000),
    });
  });

  test("step 6: the LRU edge's measured hit ratio within 0.01 of Che's (Zipf 0.8)", () => {
    const a = scalingSteps()[5];
    const users = capacityAtTarget(a);
    const e = evaluate(a, users);
    const h = layoutOf(a, e.webServers).cdnHitRatio;
    const s = simulateArchitecture(a, { seed: 7, duration: 30, warmup: 10 }, { load: users });
    expect(Math.abs(s.cdnHitRatio - h)).toBeLessThan(0.01);
    expect(s.failed).toBe(0);
  });

  test('step 4 with a uniform-popularity CDN: the static path (edge, balancer, web) inside the intervals (exact MVA)', () => {
    const input: Architecture = { ...scalingSteps()[3] };
    input.cdn = { capacity: 1000, objects: 2000, alpha: 0, latency: 0.02, maxAge: 31536000 };
    const a = resolveArchitecture(input);
    const users = capacityAtTarget(a);
    const e = evaluate(a, users);
    const layout = layoutOf(a, e.webServers);
    expect(layout.cdnHitRatio).toBeCloseTo(0.5, 9);
    const runs = Array.from({ length: 5 }, (_, i) =>
      simulateArchitecture(
        a,
        { seed: 300 + i, duration: Math.max(40, 12000 / e.throughput), warmup: 20 },
        { load: users },
      ),
    );
    const tier = (t: string) => e.tiers.findIndex((x) => x.tier === t);
    const checks: Check[] = [
      check(
        'mean response',
        runs.map((r) => r.latency.mean),
        e.meanResponse,
      ),
      check(
        'throughput',
        runs.map((r) => r.throughput),
        e.throughput,
      ),
      check(
        'CDN hit ratio',
        runs.map((r) => r.cdnHitRatio),
        layout.cdnHitRatio,
      ),
      ...['balancer', 'web'].map((t) =>
        check(
          `${t} utilisation`,
          runs.map((r) => r.tiers[tier(t)].utilisation),
          e.tiers[tier(t)].utilisation,
        ),
      ),
    ];
    expect(disagreements(checks)).toEqual([]);
    const ci = confidenceInterval(runs.map((r) => r.latency.mean));
    expect((ci.upper - ci.lower) / 2 / ci.mean).toBeLessThan(0.1);
  });
});
