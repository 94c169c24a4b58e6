/**
 * Lab 12's simulation composes the balancer component (./sim-datacenter.ts): per datacenter a
 * called `LoadBalancerSystem` whose backends are the web servers under processor sharing. Checks:
 * every request of step 4 goes through it (its answered and failed requests are the
 * architecture's, every child answered once), its `random` policy spreads the requests evenly
 * over the 8 web servers (a chi-square test of the backend counts at the 99.9 % point, 7 degrees
 * of freedom: 24.32), and a web server's crash turns into failed requests the architecture counts,
 * as many as the balancer reports, the crashed backend's dispatches ending once the health check
 * (inter 2 s, fall 3) removes it.
 */
import { ArchitectureSystem } from '../../../lib/systems/architecture/simulate';
import { Calls } from '../../../lib/systems/common/calls';
import { measure } from '../../../lib/systems/common/runner';
import { scalingSteps } from '../../../lib/labs/lab12/steps';

describe('lab 12 composes the balancer', () => {
  test("step 4: every request through the balancer, random's even split over the web servers", () => {
    const a = scalingSteps()[3];
    const m = measure((sim) => new ArchitectureSystem(sim, a, { load: 400, webServers: 8 }), {
      seed: 11,
      duration: 60,
      warmup: 10,
    });
    const s = m.system.summary(60);
    const lb = m.system.datacenters[0].lb!;
    const l = lb.summary();
    expect(s.failed).toBe(0);
    expect(l.failed).toBe(0);
    // requests in flight at the window's edges: a few out of thousands
    expect(Math.abs(l.completed - s.latency.count)).toBeLessThan(50);
    const counts = l.backends.map((b) => b.requests);
    expect(counts.length).toBe(8);
    const total = counts.reduce((x, y) => x + y, 0);
    const chi2 = counts.reduce((x, c) => x + (c - total / 8) ** 2 / (total / 8), 0);
    expect(chi2).toBeLessThan(24.32);
    const calls = Calls.of(m.sim);
    expect(calls.late).toBe(0);
  });

  test("a web server's crash: the requests it fails are the architecture's failures, until the health check removes it", () => {
    const a = scalingSteps()[3];
    const m = measure(
      (sim) =>
        new ArchitectureSystem(sim, a, {
          load: 400,
          webServers: 8,
          outage: { tier: 'web', at: 20, duration: 30 },
        }),
      { seed: 12, duration: 40, warmup: 10 },
    );
    const s = m.system.summary(40);
    const lb = m.system.datacenters[0].lb!;
    const l = lb.summary();
    expect(s.failed).toBeGreaterThan(0);
    expect(l.failed).toBe(s.failed);
    expect(l.detections.length).toBeGreaterThan(0);
    const d = l.detections[0];
    expect(d.crash).toBe(20);
    expect(d.delay).toBeGreaterThanOrEqual(4 - 1e-9);
    expect(d.delay).toBeLessThanOrEqual(6 + 1e-9);
  });
});
