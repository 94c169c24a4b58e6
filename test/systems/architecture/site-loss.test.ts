/**
 * The loss of a whole datacenter (./sim-site-loss.ts), step 8 (two datacenters behind the called
 * GeoDNS component, ./sim-geodns.ts): datacenter 0 down from the end of the warm-up; Route 53's
 * health check marks it down D = (threshold − 1 + U)·interval after the crash, in
 * [(threshold − 1)·interval, threshold·interval]; each of its region's K = 16 resolvers then
 * answers with the other datacenter when its cached answer expires, a residual uniform on
 * [0, TTL) (held a share occ = λ_res·T/(1 + λ_res·T) of the time), and until then the requests of
 * its N₀ users fail at once, one per think time Z: λ·(D + occ·TTL/2) failures expected for the
 * measured D, λ = N₀/Z (lib/systems/geodns/theory.ts `expectedFailedRequests`), with variance
 * λ·(D + T/2) (Poisson) plus λ²·T²/(12 K) (K uniform residuals, each carrying λ/K of the
 * requests): the count must lie within 4 standard deviations. After
 * every user moved, nothing fails, and the p95 is the analytic one of one datacenter taking every
 * user, within the 15 % stated for the p95 approximation (evaluation.test.ts).
 */
import { evaluateClosedWith, webServersFor } from '../../../lib/systems/architecture/analytic';
import { failureEffects } from '../../../lib/systems/architecture/plan-failures';
import { ArchitectureSystem } from '../../../lib/systems/architecture/simulate';
import { measure } from '../../../lib/systems/common/runner';
import { expectedFailedRequests } from '../../../lib/systems/geodns/theory';
import { RESOLVERS_PER_REGION } from '../../../lib/systems/architecture/sim-geodns';
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
  // the residuals of region 0's resolvers still holding datacenter 0 when it is marked down (polled
  // every 0.05 s: a resolver renewed within that is missed, about 9/s · 16/60 · 0.025 s ≈ 0.1 requests)
  const residuals: number[] = [];
  const m = measure(
    (sim) => {
      const sys = new ArchitectureSystem(sim, a, {
        load: users,
        webServers: webServers,
        outage: { tier: 'datacenter', at: warmup, duration: window },
      });
      const caches = sys.dns!.system.resolvers;
      const poll = sim.handler(() => {
        const at = sys.siteLoss!.markedDownAt;
        if (!(at === at)) return void sim.schedule(0.05, poll);
        for (let r = 0; r < caches.perRegion; r++)
          if (caches.first[r] === 0 && caches.expires[r] > sim.now)
            residuals.push(caches.expires[r] - at);
      }, 'test.poll');
      sim.schedule(warmup, poll);
      return sys;
    },
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
  const lambda = n0 / z;
  const k = RESOLVERS_PER_REGION;
  const mean = expectedFailedRequests({
    rate: lambda,
    detection: D,
    ttl: g.ttl,
    resolverRate: lambda / k,
  });
  const sd = Math.sqrt(mean + (lambda * lambda * g.ttl * g.ttl) / (12 * k));
  expect(Math.abs(s.failed - mean)).toBeLessThan(4 * sd);
  // given the resolvers' residuals at the marking: λ·D + Σ (λ/K)·residual, Poisson about it (the
  // requests inside datacenter 0 at the crash, about λ times a response time, fail as well: < 1 sd)
  const given = lambda * D + (lambda / k) * residuals.reduce((x, y) => x + y, 0);
  expect(residuals.length).toBeGreaterThan(0);
  expect(Math.abs(s.failed - given)).toBeLessThan(4 * Math.sqrt(given));
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
