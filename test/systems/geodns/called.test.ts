/**
 * GeoDNS called by another component (lib/systems/README.md, "Components called by others"):
 * requests come to `entry` through common.Calls with their client region set (`setRegion`), and the
 * datacenters are the caller's (`external: true`, `sites[i].target`). Oracles as in the standalone
 * tests (system.test.ts): after a whole datacenter dies, the failed requests ≈ λ·(D + residual
 * TTL) (theory.ts `expectedFailedRequests`, subsystems.md §7.7) inside a 99 % interval over
 * replications, detection (failure_threshold − ½)·interval; latency routing sends a region to its
 * nearest site, whose RTT is the matrix's.
 */
import { confidenceInterval } from '../../../lib/sim';
import { Exponential } from '../../../lib/random/exponential';
import { Simulation } from '../../../lib/sim/simulation';
import { Station } from '../../../lib/sim/station';
import { Calls } from '../../../lib/systems/common/calls';
import type { GeoDnsConfig } from '../../../lib/systems/geodns';
import {
  GeoDnsSystem,
  expectedFailedRequests,
  meanDetectionTime,
} from '../../../lib/systems/geodns';
import { caller } from '../called/caller';

/** Two external datacenters, the primary lost for good at 100 s (failover policy, as standalone). */
function failover(ttl: number): GeoDnsConfig {
  return {
    regions: [{ name: 'us-east-1' }],
    datacenters: [
      {
        name: 'primary',
        region: 'us-east-1',
        external: true,
        failover: 'PRIMARY',
        failures: { outages: [{ at: 100, duration: Infinity }] },
      },
      { name: 'secondary', region: 'us-west-2', external: true, failover: 'SECONDARY' },
    ],
    routing: { policy: 'failover', ttl: ttl },
    health_check: { request_interval: 10, failure_threshold: 3 },
  };
}

/** The caller's datacenter: 4 servers of 0.1 s (the standalone test's site), crashed with the site. */
function site(sim: Simulation, g: GeoDnsSystem, i: number): Station {
  const calls = Calls.of(sim);
  const st = new Station(sim, {
    name: `dc${i}`,
    servers: 4,
    service: new Exponential(10),
    to: calls.reply,
    dropTo: calls.error,
    onCrash: 'fail',
    failTo: calls.error,
  });
  g.sites[i]!.target = st;
  g.failures[i].onCrash(() => st.crash());
  g.failures[i].onRecover(() => st.recover());
  return st;
}

describe('GeoDNS, called, over the caller’s datacenters', () => {
  it('answers every child exactly once; a lost datacenter turns into errors, then traffic moves to the other after detection and the TTLs', () => {
    const sim = new Simulation({ seed: 1 });
    const g = new GeoDnsSystem(sim, failover(60));
    site(sim, g, 0);
    site(sim, g, 1);
    const c = caller(sim, g.entry, {
      rate: 20,
      limit: 6000,
      before: (child) => g.setRegion(child, 0),
    });
    sim.run({ until: 600 });
    expect(c.ok + c.errors).toBe(6000);
    expect(c.unanswered()).toBe(0);
    expect(c.calls.late).toBe(0);
    const s = g.summary();
    expect(s.failed).toBe(c.errors);
    expect(s.completed).toBe(c.ok);
    expect(s.datacenters[0].healthy).toBe(false);
    // the last failure comes within detection (≤ 3 intervals) + TTL of the crash
    expect(s.lastFailureAt - 100).toBeLessThanOrEqual(30 + 60 + 1);
    expect(s.timeline.sent[0].slice(20).every((n) => n === 0)).toBe(true); // none after 200 s
    expect(s.datacenters[1].served).toBeGreaterThan(0);
  });

  it('failed requests after the site dies: inside the 99 % interval of λ·(D + residual TTL), detection (threshold − ½)·interval', () => {
    const failed: number[] = [];
    const detection: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const sim = new Simulation({ seed: seed });
      const g = new GeoDnsSystem(sim, failover(60));
      site(sim, g, 0);
      site(sim, g, 1);
      caller(sim, g.entry, { rate: 20, limit: 1e9, before: (child) => g.setRegion(child, 0) });
      sim.run({ until: 100 + 30 + 60 + 30 });
      failed.push(g.summary().failed);
      detection.push(g.summary().datacenters[0].detection.mean);
    }
    const theory = expectedFailedRequests({
      rate: 20,
      detection: meanDetectionTime(10, 3),
      ttl: 60,
      resolverRate: 20 / 16,
      stretchShare: 0,
      cacheMinTtl: 0,
      extra: 20 * 0.1, // requests inside the primary at the crash
    });
    const ci = confidenceInterval(failed, 0.99);
    expect(Math.abs(ci.mean - theory)).toBeLessThan(ci.halfWidth);
    const d = confidenceInterval(detection, 0.99);
    expect(Math.abs(d.mean - meanDetectionTime(10, 3))).toBeLessThan(d.halfWidth);
  });

  it('latency routing: each region to its nearest datacenter, RTT from the matrix, latency = RTT + the site’s time; the way back is simulated', () => {
    const sim = new Simulation({ seed: 2 });
    const g = new GeoDnsSystem(sim, {
      regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
      datacenters: [
        { name: 'virginia', region: 'us-east-1', external: true },
        { name: 'ireland', region: 'eu-west-1', external: true },
      ],
      routing: { policy: 'latency', ttl: 60 },
    });
    site(sim, g, 0);
    site(sim, g, 1);
    const regions = sim.streams.get('test.regions');
    const c = caller(sim, g.entry, {
      rate: 10,
      limit: 2000,
      before: (child) => g.setRegion(child, regions.nextInt(2)),
    });
    sim.run({ until: 400 });
    const s = g.summary();
    expect(s.regions[0].requests + s.regions[1].requests).toBe(2000);
    expect(s.datacenters[0].sent).toBe(s.regions[0].requests);
    expect(s.datacenters[1].sent).toBe(s.regions[1].requests);
    expect(s.rtt.max).toBe(g.config.rtt[0][0]);
    // the caller sees the latency the system records: RTT + site time (M/M/4 at 5/s: ≈ 0.1 s)
    const mean = c.responses.reduce((a, b) => a + b, 0) / c.responses.length;
    expect(mean).toBeCloseTo(s.latency.mean, 9);
    expect(s.datacenters[0].meanResponse).toBeGreaterThan(0.09);
    expect(s.datacenters[0].meanResponse).toBeLessThan(0.12);
  });

  it('markDown: the caller takes a site out; health checks see it and DNS moves its clients', () => {
    const sim = new Simulation({ seed: 3 });
    const g = new GeoDnsSystem(sim, failover(10));
    site(sim, g, 0);
    site(sim, g, 1);
    caller(sim, g.entry, { rate: 10, limit: 1e9, before: (child) => g.setRegion(child, 0) });
    sim.schedule(
      50,
      sim.handler(() => g.markDown(0)),
    );
    sim.run({ until: 200 });
    const s = g.summary();
    expect(s.datacenters[0].healthy).toBe(false);
    expect(s.failed).toBeGreaterThan(0);
    expect(s.lastFailureAt).toBeLessThan(50 + 30 + 10 + 1);
  });

  it('an external datacenter given servers or service is a ParameterError naming the key; a bad region too', () => {
    const sim = new Simulation({ seed: 1 });
    const bad = failover(60);
    bad.datacenters[0].service = new Exponential(1);
    expect(() => new GeoDnsSystem(sim, bad)).toThrow(
      expect.objectContaining({ parameter: 'datacenters[0].service' }),
    );
    const g = new GeoDnsSystem(sim, failover(60));
    expect(() => g.setRegion(0, 1)).toThrow(expect.objectContaining({ parameter: 'region' }));
    expect(() => g.markDown(5)).toThrow(expect.objectContaining({ parameter: 'datacenter' }));
  });
});

describe('GeoDNS, called: calledRate starts the resolver caches stationary', () => {
  /**
   * A resolver with Poisson requests at λ_res and TTL T holds an answer a share λ_res·T/(1 +
   * λ_res·T) of the time (a renewal cycle T + 1/λ_res); with `calledRate` λ (perRegion resolvers,
   * λ_res = λ/perRegion) the caches start so, their expiries uniform on [0, T). Checked over 2000
   * resolvers: the holders' count within 3.3 binomial sd (two-sided 0.1 %), their mean residual
   * within 3.3 sd of T/2 (uniform: sd T/√12 each). Without calledRate they start empty, and a
   * calledRate on a region with its own rate is refused.
   */
  const config = (calledRate?: number, rate?: number): GeoDnsConfig => ({
    regions: [
      {
        name: 'us-east-1',
        ...(calledRate !== undefined ? { calledRate } : {}),
        ...(rate !== undefined ? { rate } : {}),
      },
    ],
    datacenters: [{ name: 'a', region: 'us-east-1', external: true }],
    routing: { policy: 'latency', ttl: 60 },
    resolvers: { perRegion: 2000 },
  });

  test('the share holding an answer and their residual TTLs, as in the stationary state', () => {
    const lambda = 20; // 0.01 requests/s per resolver: λ_res·T = 0.6, a share 0.375
    const sim = new Simulation({ seed: 5 });
    const g = new GeoDnsSystem(sim, config(lambda));
    const n = 2000;
    const share = (0.01 * 60) / (1 + 0.01 * 60);
    let held = 0;
    let residual = 0;
    for (let i = 0; i < n; i++)
      if (g.resolvers.expires[i] > 0) {
        held++;
        residual += g.resolvers.expires[i];
      }
    expect(Math.abs(held - n * share)).toBeLessThan(3.3 * Math.sqrt(n * share * (1 - share)));
    expect(Math.abs(residual / held - 30)).toBeLessThan((3.3 * 60) / Math.sqrt(12 * held));
    const empty = new GeoDnsSystem(new Simulation({ seed: 5 }), config());
    expect(Array.from(empty.resolvers.expires).every((t) => t === -Infinity)).toBe(true);
    expect(() => new GeoDnsSystem(new Simulation({ seed: 5 }), config(5, 10))).toThrow(
      /regions\[0\]\.calledRate = 5 .*only for a called region/,
    );
  });
});
