/**
 * Step 7's autoscaled web tier composed through the library's web tier (lib/systems/webtier,
 * called; ./sim-webtier.ts): the Kubernetes HPA on the servers' measured CPU settles at the count
 * the analytic model uses for the target, the fewest servers whose utilisation is at most
 * targetCPUUtilizationPercentage (Kubernetes' replica calculator: ceil(n · u / target), which is
 * that count on a steady load, since n · u, the offered CPU, does not depend on n); every request
 * the balancer passes on is answered once; and the product form still holds (PS servers).
 */
import { evaluate, webServersFor } from '../../../lib/systems/architecture/analytic';
import { ArchitectureSystem } from '../../../lib/systems/architecture/simulate';
import { webTierServers } from '../../../lib/systems/architecture/sim-webtier';
import { scalingSteps } from '../../../lib/labs/lab12/steps';
import { measure } from '../../../lib/systems/common/runner';
import { ParameterError } from '../../../lib/errors';
import { WebTierSystem } from '../../../lib/systems/webtier/system';
import { Simulation } from '../../../lib/sim/simulation';

describe("step 7's autoscaled web tier, composed", () => {
  it('the HPA, started at minReplicas, scales 4 -> the analytic count at 1600 users and stays there; every request answered once', () => {
    const a = scalingSteps()[6];
    const load = 1600;
    const n = webServersFor(a, load, false);
    expect(n).toBe(7); // ceil(1600 users' offered CPU 4.51 / 0.7)
    for (const seed of [1]) {
      const m = measure((sim) => new ArchitectureSystem(sim, a, { load: load, webStart: 4 }), {
        seed: seed,
        warmup: 600,
        duration: 300,
      });
      const dc = m.system.datacenters[0];
      const web = dc.web!;
      const w = webTierServers(web, m.window.end - m.window.start);
      expect(w.finalServers).toBe(n);
      expect(w.meanServers).toBe(n); // settled: no scaling inside the window
      // the measured utilisation sits below the target, as the analytic count's (0.644)
      expect(w.utilisation).toBeLessThan(a.web.autoscaling!.targetCPUUtilizationPercentage / 100);
      expect(web.summary().errors).toBe(0);
      const summary = m.system.summary(m.window.end - m.window.start);
      expect(summary.failed).toBe(0);
      expect(summary.tiers.find((t) => t.tier === 'web')!.servers).toBe(n);
    }
  });

  it("at the file's 100 users the tier stays at minReplicas (4, the analytic count) and the mean response is MVA's", () => {
    const a = scalingSteps()[6];
    const e = evaluate(a);
    const means = [1, 2, 3, 4, 5].map((seed) => {
      const m = measure((sim) => new ArchitectureSystem(sim, a), {
        seed: seed,
        warmup: 20,
        duration: 600,
      });
      const w = webTierServers(m.system.datacenters[0].web!, m.window.end - m.window.start);
      expect(w.meanServers).toBe(4);
      return m.system.summary(m.window.end - m.window.start).latency.mean;
    });
    const mean = means.reduce((x, y) => x + y, 0) / means.length;
    const sd = Math.sqrt(means.reduce((x, y) => x + (y - mean) ** 2, 0) / (means.length - 1));
    // 95 % Student-t interval of 5 replications (t = 2.776)
    const half = (2.776 * sd) / Math.sqrt(means.length);
    expect(Math.abs(mean - e.meanResponse)).toBeLessThan(half);
  });

  it('a web outage is server 0 of the tier crashing: requests inside fail, the rest go on', () => {
    const a = scalingSteps()[6];
    const m = measure(
      (sim) => new ArchitectureSystem(sim, a, { outage: { tier: 'web', at: 100, duration: 60 } }),
      { seed: 3, warmup: 20, duration: 300 },
    );
    const s = m.system.summary(m.window.end - m.window.start);
    const web = m.system.datacenters[0].web!;
    expect(web.pool.failures[0]).toBeDefined();
    expect(s.failed).toBe(web.summary().errors);
    expect(s.failed).toBeGreaterThan(0);
    expect(s.failedShare).toBeLessThan(0.01);
  });

  it('every request the balancer passes on is answered once (a whole run, no reset, server 0 crashing)', () => {
    const a = scalingSteps()[6];
    const sim = new Simulation({ seed: 4 });
    const system = new ArchitectureSystem(sim, a, {
      load: 400,
      outage: { tier: 'web', at: 50, duration: 30 },
    });
    sim.run({ until: 200 });
    const web = system.datacenters[0].web!;
    const c = web.counts;
    let inside = 0;
    for (const st of web.pool.stations) inside += st.inSystem;
    const open = c.requests - c.completed - c.errors;
    // a closed population: at most one request per user in flight; those on a server are in flight
    expect(open).toBeGreaterThanOrEqual(inside);
    expect(open).toBeLessThanOrEqual(400);
    const s = system.summary(200);
    expect(s.failed).toBe(c.errors);
  });

  it("the web tier's discipline is validated", () => {
    const sim = new Simulation({ seed: 1 });
    expect(() => new WebTierSystem(sim, { discipline: 'lifo' as unknown as 'ps' })).toThrow(
      ParameterError,
    );
    expect(() => new WebTierSystem(sim, { discipline: 'lifo' as unknown as 'ps' })).toThrow(
      /discipline/,
    );
  });
});
