/**
 * The web tier called by another component (lib/systems/README.md, "Components called by
 * others"): no users of its own, requests handed to `entry` through common.Calls, answers to
 * `to`/`error`. Oracles as in the standalone tests (system.test.ts): a random split over c
 * exponential servers is c M/M/1 queues, W = 1/(μ − λ/c); HPA on a steady load converges to
 * ⌈offered load / target⌉ (Kubernetes' replica calculator, subsystems.md §7.7); sticky sessions
 * keep a user on its server and lose it with a crash. Intervals: 95 % Student-t over replications.
 */
import { meanInterval } from '../../../lib/experiment/aggregate';
import { ParameterError } from '../../../lib/errors';
import { Exponential } from '../../../lib/random/exponential';
import { Simulation } from '../../../lib/sim/simulation';
import { Station } from '../../../lib/sim/station';
import { Calls } from '../../../lib/systems/common/calls';
import { WebTierSystem } from '../../../lib/systems/webtier/system';
import { caller } from '../called/caller';

describe('the web tier, called', () => {
  it('answers every child exactly once, to reply or error, with servers crashing and the shared store failing', () => {
    const sim = new Simulation({ seed: 1 });
    const w = new WebTierSystem(sim, {
      users: { external: true },
      replicas: 3,
      service: Exponential.withMean(0.05),
      session_store: 'shared',
      store: { failures: { outages: [{ at: 60, duration: 10 }] } },
      failures: [{ outages: [{ at: 20, duration: 30 }] }, { outages: [{ at: 30, duration: 5 }] }],
    });
    const users = sim.streams.get('test.users');
    const c = caller(sim, w.entry!, {
      rate: 20,
      limit: 2000,
      before: (child) => w.setUser(child, users.nextInt(50)),
    });
    sim.run({ until: 300 });
    expect(c.ok + c.errors).toBe(2000);
    expect(c.unanswered()).toBe(0);
    expect(c.calls.late).toBe(0);
    const s = w.summary();
    expect(s.requests).toBe(2000);
    expect(s.completed).toBe(c.ok);
    expect(s.errors).toBe(c.errors);
    // the store's 10 s outage fails every request meanwhile: about 20/s × 10 s
    expect(c.errors).toBeGreaterThan(150);
  });

  it('random over 3 M/M/1 servers, no sessions: the latency inside the 95 % CI of 1/(μ − λ/3), as standalone', () => {
    const means = [0, 1, 2, 3, 4, 5, 6, 7].map((r) => {
      const sim = new Simulation({ seed: 30 + r });
      const w = new WebTierSystem(sim, {
        replicas: 3,
        balance: 'random',
        service: Exponential.withMean(0.1),
      });
      caller(sim, w.entry!, { rate: 18, limit: 1e9 });
      sim.run({ until: 100 });
      sim.resetStatistics();
      sim.run({ until: 1100 });
      return w.summary().latency.mean;
    });
    const ci = meanInterval(means);
    const theory = 1 / (10 - 18 / 3);
    expect(ci.lo!).toBeLessThan(theory);
    expect(ci.hi!).toBeGreaterThan(theory);
    expect(ci.hi! - ci.lo!).toBeLessThan(0.1 * theory);
  });

  it('sticky sessions (memory): a user stays on its server until the server crashes, then logs in elsewhere', () => {
    const sim = new Simulation({ seed: 2 });
    const w = new WebTierSystem(sim, {
      replicas: 4,
      service: Exponential.withMean(0.02),
      failures: [{ outages: [{ at: 100, duration: 50 }] }],
    });
    const serverOf = new Int32Array(40).fill(-1);
    let moved = 0;
    let movedOff0 = 0;
    const userOfJob = new Int32Array(1 << 16);
    w.pool.stations.forEach((st, i) => {
      st.onArrival = (job: number) => {
        const u = userOfJob[job];
        if (serverOf[u] >= 0 && serverOf[u] !== i) {
          moved++;
          if (serverOf[u] === 0) movedOff0++;
        }
        serverOf[u] = i;
      };
    });
    const users = sim.streams.get('test.users');
    caller(sim, w.entry!, {
      rate: 10,
      limit: 3000,
      before: (child) => {
        const u = users.nextInt(40);
        userOfJob[child] = u;
        w.setUser(child, u);
      },
    });
    sim.run({ until: 400 });
    const s = w.summary();
    expect(moved).toBe(movedOff0); // only the crashed server's users moved
    expect(moved).toBe(s.loggedOut);
    expect(s.loggedOut).toBeGreaterThan(3);
    expect(s.logins).toBe(40 + s.loggedOut);
  });

  it('HPA acts on the measured CPU in called mode: converges to ⌈offered load / target⌉ from below and from above', () => {
    // 20 requests/s × 0.1 s = 2 servers' worth; target 60 %: ⌈3.33⌉ = 4
    for (const start of [2, 8]) {
      const sim = new Simulation({ seed: 5 });
      const w = new WebTierSystem(sim, {
        replicas: start,
        service: Exponential.withMean(0.1),
        session_store: 'token',
        provisioning: { delay: 10, warmup: 0 },
        autoscaler: { kind: 'hpa', minReplicas: 1, maxReplicas: 12, averageUtilization: 60 },
      });
      caller(sim, w.entry!, { rate: 20, limit: 1e9 });
      sim.run({ until: 1500 });
      expect(w.pool.desired).toBe(4);
    }
  });

  it("setWork sets the request's CPU; serverTo continues to a database before the answer (M/M/1 + M/M/1 Jackson)", () => {
    const means = [0, 1, 2, 3, 4].map((r) => {
      const sim = new Simulation({ seed: 40 + r });
      const calls = Calls.of(sim);
      const w = new WebTierSystem(sim, { replicas: 2, balance: 'random' });
      w.serverTo = new Station(sim, {
        name: 'db',
        service: new Exponential(25),
        to: calls.reply,
      });
      const work = new Exponential(10);
      const rng = sim.streams.get('test.work');
      caller(sim, w.entry!, {
        rate: 10,
        limit: 1e9,
        before: (child) => w.setWork(child, work.sample(rng)),
      });
      sim.run({ until: 100 });
      sim.resetStatistics();
      sim.run({ until: 1100 });
      return w.summary().latency.mean;
    });
    const ci = meanInterval(means);
    const theory = 1 / (10 - 5) + 1 / (25 - 10);
    expect(ci.lo!).toBeLessThan(theory);
    expect(ci.hi!).toBeGreaterThan(theory);
  });

  it('statistics restart; named tiers prefix their stations; load given to a called tier is a ParameterError naming the key', () => {
    const sim = new Simulation({ seed: 3 });
    const w = new WebTierSystem(sim, { name: 'dc1', replicas: 2 });
    expect(w.pool.stations[0].name).toBe('dc1.web0');
    caller(sim, w.entry!, { rate: 10, limit: 1e9 });
    sim.run({ until: 50 });
    sim.resetStatistics();
    expect(w.summary().requests).toBe(0);
    sim.run({ until: 100 });
    expect(w.summary().requests).toBeGreaterThan(300);
    expect(() => new WebTierSystem(sim, { users: { external: true, rate: 2 } as never })).toThrow(
      expect.objectContaining({ parameter: 'users.rate' }),
    );
    expect(() => w.setUser(0, -1)).toThrow(ParameterError);
    expect(() => w.setWork(0, NaN)).toThrow(ParameterError);
  });
});
