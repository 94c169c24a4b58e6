/**
 * The CDN called by another component (lib/systems/README.md, "Components called by others"):
 * regions without a rate, the caller's requests at `entry` through common.Calls (object by
 * `setKey`, region by `setRegion`), hits answered at the edge, misses fetched from the own origin
 * or the caller's (`originTo`). Oracle as standalone (cdn.test.ts, subsystems.md §7.6): Poisson
 * requests λ_i for object i at one edge with lifetime T and collapsed misses fetch at
 * λ_i/(1 + λ_i T), behind a shield the origin sees Λ_i/(1 + Λ_i T); 99 % Student-t intervals over
 * replications.
 */
import { Deterministic } from '../../../lib/random/deterministic';
import { Exponential } from '../../../lib/random/exponential';
import { studentTQuantile } from '../../../lib/random/special';
import { Simulation } from '../../../lib/sim/simulation';
import { Station } from '../../../lib/sim/station';
import { Calls } from '../../../lib/systems/common/calls';
import { Cdn } from '../../../lib/systems/cache/cdn';
import type { CdnConfig } from '../../../lib/systems/cache/cdn-config';
import { cdnOriginRate } from '../../../lib/systems/cache/cdn-theory';
import { zipfPopularity } from '../../../lib/systems/cache/theory';
import { caller } from '../called/caller';

const cfg = (extra: Partial<CdnConfig> = {}): CdnConfig => ({
  regions: [
    { rtt: 0.02, originRtt: 0.1 },
    { rtt: 0.04, originRtt: 0.2 },
  ],
  popularity: { model: 'zipf', objects: 300, alpha: 0.9 },
  cacheControl: { 'max-age': 5 },
  origin: { service: new Deterministic(0.01) },
  ...extra,
});

function agree(values: number[], theory: number): void {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
  const half = (studentTQuantile(0.995, values.length - 1) * sd) / Math.sqrt(values.length);
  expect(Math.abs(m - theory)).toBeLessThan(half);
}

/** Two callers, 60/s from region 0 and 40/s from region 1 (the standalone test's rates). */
function callers(sim: Simulation, cdn: Cdn) {
  return [60, 40].map((rate, r) =>
    caller(sim, cdn.entry, {
      rate: rate,
      limit: 1e9,
      stream: `caller${r}`,
      before: (child) => cdn.setRegion(child, r),
    }),
  );
}

/** The caller's origin: 16 servers of 10 ms, answering through common.Calls. */
function externalOrigin(sim: Simulation): Station {
  const calls = Calls.of(sim);
  return new Station(sim, {
    name: 'app',
    servers: 16,
    service: new Deterministic(0.01),
    to: calls.reply,
    dropTo: calls.error,
    onCrash: 'fail',
    failTo: calls.error,
  });
}

describe('the CDN, called', () => {
  it('origin fetch rate = Σ λ/(1 + λT) per edge, own origin and the caller’s behind a shield, as standalone', () => {
    const p = zipfPopularity(300, 0.9);
    for (const shield of [false, true]) {
      const rates: number[] = [];
      for (let seed = 1; seed <= 5; seed++) {
        const sim = new Simulation({ seed: seed });
        const cdn = new Cdn(sim, cfg(shield ? { shield: { originRtt: 0.05 } } : {}));
        if (shield) cdn.originTo = externalOrigin(sim);
        callers(sim, cdn);
        sim.run({ until: 20 });
        sim.resetStatistics();
        sim.run({ until: 80 });
        rates.push(cdn.summary().originRate);
      }
      agree(rates, cdnOriginRate([60, 40], p, 5, shield));
    }
  });

  it('answers every child exactly once; hits at the edge take the client RTT, misses the origin round trip; an origin outage is errors the caller sees', () => {
    const sim = new Simulation({ seed: 2 });
    const cdn = new Cdn(sim, cfg());
    const app = externalOrigin(sim);
    cdn.originTo = app;
    const keysSeen: number[] = [];
    cdn.onOriginFetch = (_child, key) => keysSeen.push(key);
    sim.schedule(
      30,
      sim.handler(() => app.crash()),
    );
    sim.schedule(
      40,
      sim.handler(() => app.recover()),
    );
    const key = sim.streams.get('test.keys');
    const c = caller(sim, cdn.entry, {
      rate: 50,
      limit: 3000,
      before: (child) => cdn.setKey(child, key.nextInt(300)),
    });
    sim.run({ until: 200 });
    expect(c.ok + c.errors).toBe(3000);
    expect(c.unanswered()).toBe(0);
    expect(c.calls.late).toBe(0);
    const s = cdn.summary();
    expect(s.errors).toBe(c.errors);
    expect(c.errors).toBeGreaterThan(50);
    expect(s.originRequests).toBe(keysSeen.length);
    expect(keysSeen.every((k) => k >= 0 && k < 300)).toBe(true);
    expect(s.latency.min).toBeCloseTo(0.02, 9); // a hit in region 0: its client RTT
    // a miss: client RTT + origin RTT + 10 ms of service
    expect(s.latency.max).toBeLessThan(0.02 + 0.1 + 0.01 + 0.011);
  });

  it('the origin timeout bounds a fetch from the caller’s slow origin: stale-if-error serves the old copy, else an error', () => {
    for (const sie of [0, 600]) {
      const sim = new Simulation({ seed: 3 });
      const cdn = new Cdn(
        sim,
        cfg({
          cacheControl: { 'max-age': 5, 'stale-if-error': sie },
          origin: { timeout: 0.5 },
        }),
      );
      const calls = Calls.of(sim);
      const slowMean = new Exponential(0.5); // from 50 s on, mean 2 s: most fetches time out
      let slowNow = false;
      cdn.originTo = new Station(sim, {
        name: 'slow',
        servers: 100,
        service: (_job, rng) => (slowNow ? slowMean.sample(rng) : 0.01),
        to: calls.reply,
      });
      sim.schedule(
        50,
        sim.handler(() => (slowNow = true)),
      );
      const c = caller(sim, cdn.entry, { rate: 50, limit: 5000 });
      sim.run({ until: 200 });
      expect(c.ok + c.errors).toBe(5000);
      const s = cdn.summary();
      if (sie === 0) expect(s.errors).toBeGreaterThan(100);
      else {
        expect(s.staleIfError).toBeGreaterThan(100);
        expect(s.errors).toBeLessThan(s.staleIfError / 5);
      }
    }
  });

  it('named CDNs prefix their origin; bad keys and regions are ParameterErrors', () => {
    const sim = new Simulation({ seed: 1 });
    const cdn = new Cdn(sim, { ...cfg(), name: 'static' });
    expect(cdn.origin.name).toBe('static.origin');
    expect(() => cdn.setKey(0, 300)).toThrow(expect.objectContaining({ parameter: 'key' }));
    expect(() => cdn.setRegion(0, 2)).toThrow(expect.objectContaining({ parameter: 'region' }));
    expect(() => new Cdn(sim, { ...cfg(), regions: [{ rate: -1, rtt: 0, originRtt: 0 }] })).toThrow(
      expect.objectContaining({ parameter: 'regions[0].rate' }),
    );
  });
});
