/**
 * The balancer called by another component (lib/systems/README.md, "Components called by others"):
 * no load of its own, requests handed to `entry` through common.Calls, answers to `to`/`error`.
 * Oracles as in the standalone tests (system.test.ts): a random split over k exponential servers
 * is k M/M/1 queues, W = 1/(μ − λ/k); weighted round robin's shares are the weights' (HAProxy
 * roundrobin); a web server's work that goes on to a database Station adds the database's M/M/1
 * time (Jackson), W = 1/(μw − λ/k) + 1/(μd − λ). Intervals are 95 % Student-t over replications
 * with fixed seeds.
 */
import { ParameterError } from '../../../lib/errors';
import { meanInterval } from '../../../lib/experiment/aggregate';
import { Exponential } from '../../../lib/random/exponential';
import { Simulation } from '../../../lib/sim/simulation';
import { Station } from '../../../lib/sim/station';
import { Calls } from '../../../lib/systems/common/calls';
import type { LoadBalancerConfig } from '../../../lib/systems/loadbalancer/config';
import { LoadBalancerSystem } from '../../../lib/systems/loadbalancer/system';
import { caller } from '../called/caller';

function called(extra: Partial<LoadBalancerConfig> = {}): LoadBalancerConfig {
  return {
    mode: 'L7',
    pools: [{ name: 'web', backends: 4, balance: 'random', service: new Exponential(10) }],
    ...extra,
  };
}

describe('the balancer, called', () => {
  it('answers every child exactly once, to reply or error, with a backend crashing and the balancer pair failing over', () => {
    const sim = new Simulation({ seed: 1 });
    const lb = new LoadBalancerSystem(sim, {
      mode: 'L7',
      clients: { external: true },
      retries: 1,
      balancer: { failures: [{ at: 40, duration: 20 }], pair: {} },
      pools: [
        {
          name: 'web',
          backends: [{ failures: [{ at: 10, duration: 30 }], failure_mode: 'crash' }, {}, {}],
          health_check: { inter: 1 },
          service: new Exponential(10),
        },
      ],
    });
    const c = caller(sim, lb.entry!, { rate: 15, limit: 1500 });
    sim.run({ until: 200 });
    expect(c.sent).toBe(1500);
    expect(c.ok + c.errors + c.timeouts).toBe(1500);
    expect(c.unanswered()).toBe(0);
    expect(c.calls.late).toBe(0);
    expect(c.errors).toBeGreaterThan(0); // the VRRP takeover's 3.6 s of refused requests
    const s = lb.summary();
    expect(s.requests).toBe(1500);
    expect(s.completed).toBe(c.ok);
    expect(s.failed).toBe(c.errors);
    expect(s.failures.balancer).toBe(c.errors);
    expect(s.failovers.length).toBe(1);
  });

  it('random over 4 M/M/1 backends: the own residence time inside the 95 % CI of 1/(μ − λ/4), as standalone', () => {
    const means = [0, 1, 2, 3, 4].map((r) => {
      const sim = new Simulation({ seed: 10 + r });
      const lb = new LoadBalancerSystem(sim, called());
      caller(sim, lb.entry!, { rate: 24, limit: 1e9 });
      sim.run({ until: 100 });
      sim.resetStatistics();
      sim.run({ until: 1100 });
      return lb.summary().meanResponse;
    });
    const ci = meanInterval(means);
    const theory = 1 / (10 - 24 / 4);
    expect(ci.lo!).toBeLessThan(theory);
    expect(ci.hi!).toBeGreaterThan(theory);
    expect(ci.hi! - ci.lo!).toBeLessThan(0.1 * theory);
  });

  it("weighted round robin in called mode: each backend's share is its weight's, and the caller's work sets the service time", () => {
    const sim = new Simulation({ seed: 3 });
    const lb = new LoadBalancerSystem(sim, {
      mode: 'L7',
      pools: [
        {
          name: 'web',
          balance: 'roundrobin',
          backends: [{ weight: 1 }, { weight: 2 }, { weight: 3, speed: 2 }],
        },
      ],
    });
    const c = caller(sim, lb.entry!, {
      rate: 0.5,
      limit: 600,
      before: (child) => lb.setWork(child, 0.01),
    });
    sim.run({ until: 5000 });
    const s = lb.summary();
    expect(s.backends.map((b) => b.requests)).toEqual([100, 200, 300]);
    // at 0.5 requests/s nobody queues much; the fixed work 0.01 s takes 0.01 / speed
    expect(s.latency.min).toBeCloseTo(0.005, 12);
    expect(s.latency.max).toBeLessThanOrEqual(0.02 + 1e-12);
    expect(c.ok).toBe(600);
  });

  it("balance source: the caller's client address pins each client to one backend", () => {
    const sim = new Simulation({ seed: 4 });
    const lb = new LoadBalancerSystem(sim, {
      mode: 'L7',
      clients: { external: true, clients: 16 },
      pools: [{ name: 'web', backends: 5, balance: 'source', service: new Exponential(50) }],
    });
    const backendOf = new Int32Array(16).fill(-1);
    let moved = 0;
    const stations = lb.backends;
    for (let g = 0; g < stations.length; g++) {
      const before = stations[g].onArrival;
      stations[g].onArrival = (job: number) => {
        const client = sim.jobs.origin[job];
        if (backendOf[client] >= 0 && backendOf[client] !== g) moved++;
        backendOf[client] = g;
        if (before) before(job);
      };
    }
    const addr = sim.streams.get('test.addresses');
    caller(sim, lb.entry!, {
      rate: 20,
      limit: 2000,
      before: (child) => lb.setClient(child, addr.nextInt(16)),
    });
    sim.run({ until: 200 });
    expect(moved).toBe(0);
    expect(new Set(Array.from(backendOf)).size).toBeGreaterThan(2);
  });

  it("serverTo: a web server's finished work goes on to the database before the answer returns; W = 1/(μw − λ/k) + 1/(μd − λ)", () => {
    const means = [0, 1, 2, 3, 4].map((r) => {
      const sim = new Simulation({ seed: 20 + r });
      const calls = Calls.of(sim);
      const lb = new LoadBalancerSystem(sim, called());
      lb.serverTo = new Station(sim, {
        name: 'db',
        service: new Exponential(40),
        to: calls.reply,
        dropTo: calls.error,
      });
      caller(sim, lb.entry!, { rate: 24, limit: 1e9 });
      sim.run({ until: 100 });
      sim.resetStatistics();
      sim.run({ until: 1100 });
      return lb.summary().meanResponse;
    });
    const ci = meanInterval(means);
    const theory = 1 / (10 - 24 / 4) + 1 / (40 - 24);
    expect(ci.lo!).toBeLessThan(theory);
    expect(ci.hi!).toBeGreaterThan(theory);
  });

  it('serverTo: leastconn counts a request until its downstream answer is back (HAProxy), and a downstream crash is a backend error the caller sees', () => {
    const sim = new Simulation({ seed: 5 });
    const calls = Calls.of(sim);
    const lb = new LoadBalancerSystem(sim, {
      mode: 'L7',
      retries: 0,
      pools: [{ name: 'web', backends: 2, balance: 'leastconn', service: new Exponential(100) }],
    });
    const db = new Station(sim, {
      name: 'db',
      servers: 100,
      service: new Exponential(2),
      to: calls.reply,
      dropTo: calls.error,
      onCrash: 'fail',
      failTo: calls.error,
    });
    lb.serverTo = db;
    const active = lb.dispatcher.active;
    let notLeast = 0;
    let inFlight = 0;
    let arrivals = 0;
    lb.backends.forEach((s, g) => {
      s.onArrival = () => {
        if (active[g] - 1 > active[1 - g]) notLeast++; // counted already: it had the fewest before
        inFlight += active[0] + active[1];
        arrivals++;
      };
    });
    const c = caller(sim, lb.entry!, { rate: 20, limit: 2000 });
    sim.schedule(
      50,
      sim.handler(() => db.crash()),
    );
    sim.schedule(
      52,
      sim.handler(() => db.recover()),
    );
    sim.run({ until: 300 });
    expect(notLeast).toBe(0);
    // the web CPU takes 10 ms, the database 500 ms: the requests counted active are mostly the ones
    // waiting downstream, λ (0.01 + 0.5) = 10.2 by Little's law, not the 0.2 on the CPUs
    expect(inFlight / arrivals).toBeGreaterThan(8);
    expect(c.errors).toBeGreaterThan(0);
    expect(lb.summary().failures.backend).toBe(c.errors);
    expect(c.ok + c.errors).toBe(2000);
    expect(c.unanswered()).toBe(0);
  });

  it('timeout_server bounds the downstream wait: a call slower than it fails as an error', () => {
    const sim = new Simulation({ seed: 6 });
    const calls = Calls.of(sim);
    const lb = new LoadBalancerSystem(sim, { ...called(), retries: 0, timeout_server: 0.5 });
    lb.serverTo = new Station(sim, {
      name: 'db',
      servers: 1000,
      service: new Exponential(1), // P(S > 0.5 − web time) ≈ e^−0.5
      to: calls.reply,
    });
    const c = caller(sim, lb.entry!, { rate: 5, limit: 1000 });
    sim.run({ until: 400 });
    expect(c.ok + c.errors).toBe(1000);
    const share = c.errors / 1000;
    expect(share).toBeGreaterThan(0.5);
    expect(share).toBeLessThan(Math.exp(-0.5) + 0.05);
    expect(calls.late).toBe(c.errors); // the database still answered, too late
  });

  it("the gateway in called mode: the caller's request class routes it to its pool (path rules)", () => {
    const sim = new Simulation({ seed: 8 });
    const lb = new LoadBalancerSystem(sim, {
      mode: 'L7',
      clients: {
        external: true,
        mix: [
          { path: '/images/a.png', weight: 1 },
          { path: '/api/users', weight: 1 },
        ],
      },
      gateway: {
        listeners: [{ rules: [{ path: '/images/*', pool: 'images' }], default_pool: 'api' }],
      },
      pools: [
        { name: 'images', backends: 2, service: new Exponential(50) },
        { name: 'api', backends: 3, service: new Exponential(20) },
      ],
    });
    let k = 0;
    const c = caller(sim, lb.entry!, {
      rate: 20,
      limit: 900,
      before: (child) => lb.setClass(child, k++ % 3 === 0 ? 0 : 1), // a third are images
    });
    sim.run({ until: 200 });
    const s = lb.summary();
    expect(c.ok).toBe(900);
    expect(s.pools.map((p) => p.completed)).toEqual([300, 600]);
    expect(s.classes.map((x) => x.completed)).toEqual([300, 600]);
  });

  it('statistics restart on resetStatistics; two named balancers in one simulation draw apart', () => {
    const sim = new Simulation({ seed: 7 });
    const a = new LoadBalancerSystem(sim, { ...called(), name: 'a' });
    const b = new LoadBalancerSystem(sim, { ...called(), name: 'b' });
    expect(a.backends[0].name).toBe('a.web.web-0');
    const order: number[][] = [[], []];
    [a, b].forEach((lb, i) =>
      lb.backends.forEach((s, g) => (s.onArrival = () => order[i].push(g))),
    );
    caller(sim, a.entry!, { rate: 10, limit: 1e9, stream: 'ca' });
    caller(sim, b.entry!, { rate: 10, limit: 1e9, stream: 'cb' });
    sim.run({ until: 50 });
    expect(order[0].slice(0, 50)).not.toEqual(order[1].slice(0, 50));
    sim.resetStatistics();
    expect(a.summary().requests).toBe(0);
    sim.run({ until: 100 });
    expect(a.summary().requests).toBeGreaterThan(300);
  });

  it('a called balancer given load of its own is a ParameterError naming the key; bad setter values too', () => {
    const sim = new Simulation({ seed: 1 });
    for (const key of ['rate', 'users', 'model', 'think'])
      expect(
        () =>
          new LoadBalancerSystem(sim, {
            ...called(),
            clients: { external: true, [key]: key === 'model' ? 'open' : 5 } as never,
          }),
      ).toThrow(expect.objectContaining({ parameter: `clients.${key}` }));
    const lb = new LoadBalancerSystem(sim, {
      ...called(),
      clients: { external: true, clients: 8 },
    });
    expect(() => lb.setClient(0, 8)).toThrow(ParameterError);
    expect(() => lb.setClass(0, 1)).toThrow(ParameterError);
    expect(() => lb.setWork(0, -1)).toThrow(ParameterError);
  });
});
