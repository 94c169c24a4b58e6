/**
 * The loss of a whole datacenter (./sim-site-loss.ts), step 8 (two datacenters behind GeoDNS):
 * datacenter 0 down from the end of the warm-up; Route 53's health check (the geodns library's
 * HealthChecker) marks it down D = (threshold − 1 + U)·interval after the crash, in
 * [(threshold − 1)·interval, threshold·interval]; each of its N₀ users then moves when its
 * resolver's answer expires, a residual uniform on [0, TTL), and until then its requests fail at
 * once, one per think time Z: N₀·(D + TTL/2)/Z failures expected for the measured D (the renewal
 * form λ·(D + T/2) of lib/systems/geodns/theory.ts), with variance N₀·(D + T/2)/Z (Poisson) plus
 * N₀·T²/(12 Z²) (the uniform residuals): the count must lie within 4 standard deviations. After
 * every user moved, nothing fails, and the p95 is the analytic one of one datacenter taking every
 * user, within the 15 % stated for the p95 approximation (evaluation.test.ts).
 */
import { evaluateClosedWith, webServersFor } from '../../../lib/systems/architecture/analytic';
import { failureEffects } from '../../../lib/systems/architecture/plan-failures';
import { ArchitectureSystem } from '../../../lib/systems/architecture/simulate';
import { measure } from '../../../lib/systems/common/runner';
import { scalingSteps } from '../../../lib/labs/lab12/steps';

test('datacenter 0 lost: detection by the health check, λ(D + TTL/2) failures, then the survivor takes every user', () => {
  const a = scalingSteps()[7];
  const g = a.geodns!;
  const users = 2000;
  const warmup = 20;
  // 9 web servers a datacenter: the survivor's web tier at utilisation 0.6 with every user (the
  // autoscaler's 5 for 1000 users would leave it saturated, and its queue growing all through the window)
  const webServers = 9;
  const window = g.failure_threshold * g.request_interval + g.ttl + 60;
  const m = measure(
    (sim) =>
      new ArchitectureSystem(sim, a, {
        load: users,
        webServers: webServers,
        outage: { tier: 'datacenter', at: warmup, duration: window },
      }),
    { seed: 3, duration: window, warmup: warmup },
  );
  const system = m.system;
  const loss = system.siteLoss!;
  const D = loss.markedDownAt - warmup;
  expect(D).toBeGreaterThanOrEqual((g.failure_threshold - 1) * g.request_interval);
  expect(D).toBeLessThanOrEqual(g.failure_threshold * g.request_interval);
  const s = system.summary(window);
  const z = a.users!.thinkTime;
  const n0 = users / 2;
  const mean = (n0 * (D + g.ttl / 2)) / z;
  const sd = Math.sqrt(mean + (n0 * g.ttl * g.ttl) / (12 * z * z));
  expect(Math.abs(s.failed - mean)).toBeLessThan(4 * sd);
  // after every user moved: the one datacenter left with every user (web servers as the autoscaler settles them)
  const after = s.outage!.latency;
  expect(after.count).toBeGreaterThan(1000);
  const survivor = structuredClone(a);
  survivor.geodns!.datacenters = 1;
  const e = evaluateClosedWith(survivor, users, webServers);
  expect(e.tiers.find((t) => t.tier === 'web')!.utilisation).toBeLessThan(0.65);
  expect(Math.abs(after.p95 - e.p95) / e.p95).toBeLessThan(0.15);
});

test("the planner's datacenter failure: the analytic share beside the simulated one", () => {
  const a = scalingSteps()[7];
  const effects = failureEffects(a, {
    load: 2000,
    open: false,
    webServers: webServersFor(a, 2000, false),
    window: 20,
    warmup: 20,
    seed: 4,
  });
  const dc = effects.find((f) => f.component === 'datacenter')!;
  expect(dc.simulated).not.toBeNull();
  expect(dc.simulated!.window).toBe(210);
  // one run: D varies by ±interval/2 around its mean, so the shares agree to about interval/(2(D + T/2))
  const g = a.geodns!;
  const slack =
    g.request_interval / 2 / ((g.failure_threshold - 0.5) * g.request_interval + g.ttl / 2);
  expect(Math.abs(dc.simulated!.failedShare - dc.failedShare) / dc.failedShare).toBeLessThan(
    slack + 0.05,
  );
});
