/**
 * The web tier on the system contract: conservation of users and sessions, sessions logged out by
 * a crash (memory store only), refused logins when a server's memory is full, the shared store as
 * the part that must not fail (and Redis Sentinel's failover after down-after-milliseconds),
 * autoscaling to ⌈L/t⌉ on a steady load (subsystems.md §7.7), reproducibility, typed errors.
 */
import { ParameterError } from '../../../lib/errors';
import { Exponential } from '../../../lib/random/exponential';
import { Simulation } from '../../../lib/sim/simulation';
import type { WebTierConfig } from '../../../lib/systems/webtier/config';
import { flashFactor, resolveLoad } from '../../../lib/systems/webtier/load';
import { WebTierSystem, simulateWebTier } from '../../../lib/systems/webtier/system';

const base = (o: Partial<WebTierConfig> = {}): WebTierConfig => ({
  replicas: 4,
  service: Exponential.withMean(0.02),
  users: { rate: 2, requests_per_session: 10, think_time: 5 },
  ...o,
});

describe('web tier: conservation and sessions', () => {
  it.each(['memory', 'shared', 'token'] as const)(
    '%s: sessions at reset + started = ended + logged out + active; users likewise',
    (store) => {
      const s = simulateWebTier(
        base({
          session_store: store,
          failures: [
            { outages: [{ at: 150, duration: 20 }] },
            { outages: [{ at: 250, duration: 20 }] },
          ],
        }),
        { seed: 3, duration: 300, warmup: 60 },
      );
      expect(s.sessionsAtReset + s.sessionsStarted).toBe(
        s.sessionsEnded + s.loggedOut + s.loggedOutScaleIn + s.sessionsActive,
      );
      expect(s.usersAtReset + s.usersArrived).toBe(s.usersLeft + s.usersPresent);
      expect(s.requests).toBeGreaterThan(4000);
      expect(s.crashes).toBe(2);
      if (store === 'memory') {
        expect(s.loggedOut).toBeGreaterThan(20); // about 2 × λ·(k·R + (k − 1)·Z)/4 ≈ 45
        expect(s.logins).toBe(s.sessionsStarted);
      } else expect(s.loggedOut).toBe(0);
      expect(s.latency.count).toBe(s.completed);
    },
  );

  it('a server whose memory is full refuses new sessions (max_sessions)', () => {
    const s = simulateWebTier(base({ max_sessions: 10 }), { seed: 1, duration: 300, warmup: 60 });
    expect(s.sessionsRefused).toBeGreaterThan(100);
    for (const srv of s.servers) expect(srv.sessions).toBeLessThanOrEqual(10);
    const free = simulateWebTier(base({}), { seed: 1, duration: 300, warmup: 60 });
    expect(free.sessionsRefused).toBe(0);
  });

  it('the shared store must not fail: without replicas every request fails during its outage; with a replica only until Sentinel promotes it (down-after-milliseconds)', () => {
    const outage = { failures: { outages: [{ at: 100, duration: 100 }] } };
    const none = simulateWebTier(base({ session_store: 'shared', store: outage }), {
      seed: 2,
      duration: 300,
    });
    const rep = simulateWebTier(
      base({
        session_store: 'shared',
        store: { ...outage, replicas: 1, 'down-after-milliseconds': 10000 },
      }),
      { seed: 2, duration: 300 },
    );
    const rate = none.requests / 300;
    expect(none.errors).toBeGreaterThan(0.8 * rate * 100);
    expect(rep.errors).toBeGreaterThan(0.6 * rate * 10);
    expect(rep.errors).toBeLessThan(1.5 * rate * 10);
    expect(none.loggedOut + rep.loggedOut).toBe(0);
  });

  it('token sessions make every request longer by verify + bytes / bandwidth', () => {
    const plain = simulateWebTier(
      base({
        session_store: 'shared',
        store: { latency: 1e-9 },
        users: { rate: 0.2, requests_per_session: 10, think_time: 5 },
      }),
      { seed: 4, duration: 2000 },
    );
    const tok = simulateWebTier(
      base({
        session_store: 'token',
        token: { bytes: 10000, bandwidth: 1e5, verify: 0 },
        users: { rate: 0.2, requests_per_session: 10, think_time: 5 },
      }),
      { seed: 4, duration: 2000 },
    );
    expect(tok.meanResponse - plain.meanResponse).toBeGreaterThan(0.08);
    expect(tok.meanResponse - plain.meanResponse).toBeLessThan(0.13);
  });
});

describe('web tier: autoscaling and scale-in', () => {
  it('HPA on a steady load converges to ⌈offered load / target⌉ from below and from above', () => {
    // 2 sessions/s × 10 requests × 0.1 s = 2 servers' worth; target 60 %: ⌈3.33⌉ = 4
    for (const start of [2, 8]) {
      const sim = new Simulation({ seed: 5 });
      const w = new WebTierSystem(
        sim,
        base({
          replicas: start,
          service: Exponential.withMean(0.1),
          session_store: 'shared',
          provisioning: { delay: 10, warmup: 0 },
          autoscaler: { kind: 'hpa', minReplicas: 1, maxReplicas: 12, averageUtilization: 60 },
        }),
      );
      sim.run({ until: 1500 });
      expect(w.pool.desired).toBe(4);
    }
  });

  it('scale-in drains the newest server; with in-memory sessions its users are logged out (loggedOutScaleIn)', () => {
    const s = simulateWebTier(base({ schedule: [{ at: 200, replicas: 2 }] }), {
      seed: 6,
      duration: 400,
    });
    expect(s.loggedOutScaleIn).toBeGreaterThan(10);
    expect(s.servers[3].sessions + s.servers[2].sessions).toBe(0);
    const shared = simulateWebTier(
      base({ session_store: 'shared', schedule: [{ at: 200, replicas: 2 }] }),
      { seed: 6, duration: 400 },
    );
    expect(shared.loggedOutScaleIn).toBe(0);
  });
});

describe('web tier: the contract', () => {
  it('same seed, same numbers; another seed, other numbers', () => {
    const cfg = base({
      session_store: 'memory',
      failures: { mttf: 200, mttr: 20 },
      autoscaler: { kind: 'target-tracking', MinSize: 2, MaxSize: 8, TargetValue: 30 },
    });
    const a = simulateWebTier(cfg, { seed: 9, duration: 600, warmup: 60 });
    const b = simulateWebTier(cfg, { seed: 9, duration: 600, warmup: 60 });
    const c = simulateWebTier(cfg, { seed: 10, duration: 600, warmup: 60 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.completed).not.toBe(c.completed);
  });

  it('typed errors name the path and suggest the nearest key', () => {
    expect(() =>
      simulateWebTier(base({ sesion_store: 'memory' } as never), { duration: 10 }),
    ).toThrow(/sesion_store.*did you mean "session_store"/);
    expect(() =>
      simulateWebTier(base({ store: { latncy: 1 } } as never), { duration: 10 }),
    ).toThrow(/store\.latncy.*did you mean "latency"/);
    expect(() =>
      simulateWebTier(base({ users: { rate: 1, think_tme: 3 } } as never), { duration: 10 }),
    ).toThrow(/users\.think_tme.*did you mean "think_time"/);
    expect(() =>
      simulateWebTier(base({ session_store: 'redis' as never }), { duration: 10 }),
    ).toThrow(ParameterError);
    expect(() => simulateWebTier(base({ replicas: 0 }), { duration: 10 })).toThrow(/replicas/);
    expect(() =>
      simulateWebTier(
        base({ users: { rate: 1, flash_crowd: { at: 10, duration: 10, multiplier: -1 } } }),
        { duration: 10 },
      ),
    ).toThrow(/users\.flash_crowd\.multiplier/);
    expect(() =>
      simulateWebTier(base({ autoscaler: { kind: 'hpa', maxReplicas: 2 } }), { duration: 10 }),
    ).toThrow(/replicas/); // 4 > maxReplicas
    expect(() =>
      simulateWebTier(base({ failures: { mtf: 10 } } as never), { duration: 10 }),
    ).toThrow(/failures\.mtf/);
  });
});

describe('web tier: the load curve', () => {
  it('flash crowd, diurnal curve and trace shape λ(t); the Source draws about ∫λ sessions (Poisson count within 4 sd)', () => {
    const f = { at: 100, duration: 100, multiplier: 3, ramp: 50 };
    expect([
      flashFactor(f, 99),
      flashFactor(f, 125),
      flashFactor(f, 150),
      flashFactor(f, 220),
      flashFactor(f, 250),
    ]).toEqual([1, 2, 3, 2.2, 1]);
    const d = resolveLoad(
      { rate: 2, diurnal: { amplitude: 0.5, period: 1000, peakAt: 250 } },
      'users',
    );
    expect(d.rateAt(250)).toBeCloseTo(3, 12);
    expect(d.rateAt(750)).toBeCloseTo(1, 12);
    const tr = resolveLoad(
      {
        rate: 1,
        trace: [
          [0, 1],
          [100, 3],
          [200, 3],
        ],
      },
      'users',
    );
    expect([tr.rateAt(50), tr.rateAt(150), tr.rateAt(500)]).toEqual([2, 3, 3]);
    // sessions started over 1000 s of the diurnal curve: ∫λ = 2000 (one whole period)
    const s = simulateWebTier(
      base({
        session_store: 'token',
        users: {
          rate: 2,
          requests_per_session: 1,
          think_time: 0,
          diurnal: { amplitude: 0.5, period: 1000 },
        },
      }),
      { seed: 12, duration: 1000 },
    );
    expect(Math.abs(s.usersArrived - 2000)).toBeLessThan(4 * Math.sqrt(2000));
  });
});
