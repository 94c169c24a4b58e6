/**
 * The load balancer simulator against closed forms and the real systems' timing (subsystems
 * reference §0, §1.4-§1.8): the power of two choices near the mean-field value (random split =
 * M/M/1 and round robin = E_k/M/1 are checked through the lab's experiment, test/labs), detection within fall x inter + timeout, VRRP takeover,
 * Envoy ejection times, slow start, L4 pinning, fail-open, the gateway's pools, typed errors.
 * Intervals are 95% Student-t over independent replications with fixed seeds.
 */
import { LoadBalancerSystem, simulateLoadBalancer } from '../../../lib/systems/loadbalancer/system';
import type { BackendConfig, LoadBalancerConfig } from '../../../lib/systems/loadbalancer/config';
import {
  detectionDelay,
  roundRobinErlang,
  supermarketMeanResponse,
} from '../../../lib/systems/loadbalancer/theory';
import { masterDownInterval } from '../../../lib/systems/loadbalancer/vrrp';
import { meanInterval } from '../../../lib/experiment/aggregate';
import { Exponential } from '../../../lib/random/exponential';
import { ParameterError } from '../../../lib/errors';
import { Simulation } from '../../../lib/sim/simulation';

function homogeneous(
  balance: LoadBalancerConfig['pools'][0]['balance'],
  k: number,
  rho: number,
): LoadBalancerConfig {
  return {
    mode: 'L7',
    clients: { model: 'open', rate: rho * k },
    pools: [{ name: 'web', backends: k, balance, service: new Exponential(1) }],
  };
}

function meanResponseCi(
  config: LoadBalancerConfig,
  reps: number,
  duration: number,
  warmup: number,
) {
  const values = Array.from(
    { length: reps },
    (_, r) => simulateLoadBalancer(config, { seed: 100 + r, duration, warmup }).meanResponse,
  );
  return meanInterval(values);
}

describe('dispatch policies against closed forms', () => {
  it('power of two choices over 100 backends at rho 0.7: the mean-field value 1.614 inside the 95% CI, far below RR and random', () => {
    const ci = meanResponseCi(homogeneous('least_request', 100, 0.7), 4, 150, 30);
    const mf = supermarketMeanResponse(2, 0.7);
    expect(ci.lo!).toBeLessThan(mf);
    expect(ci.hi!).toBeGreaterThan(mf);
    expect(ci.hi! - ci.lo!).toBeLessThan(0.1 * mf); // an interval tight enough to mean something
    expect(ci.hi!).toBeLessThan(roundRobinErlang(100, 0.7).W);
  });

  it('common random numbers: every policy sees the same requests (same count and work)', () => {
    const a = simulateLoadBalancer(homogeneous('random', 5, 0.6), { seed: 9, duration: 500 });
    const b = simulateLoadBalancer(homogeneous('leastconn', 5, 0.6), { seed: 9, duration: 500 });
    expect(a.requests).toBe(b.requests);
    expect(a.requests).toBeGreaterThan(1000);
  });

  it('the same seed gives the same numbers', () => {
    const a = simulateLoadBalancer(homogeneous('least_time', 5, 0.6), { seed: 4, duration: 300 });
    const b = simulateLoadBalancer(homogeneous('least_time', 5, 0.6), { seed: 4, duration: 300 });
    expect(b).toEqual(a);
  });

  it('unweighted round robin on unequal servers: the slowest queue grows at lambda/k - mu_min; weights = speeds keep it stable', () => {
    const speeds = [1.6, 1.6, 0.4, 0.4];
    const lambda = 2.4; // per server 0.6 > 0.4
    const T = 4000;
    const run = (weighted: boolean) => {
      const sim = new Simulation({ seed: 2 });
      const system = new LoadBalancerSystem(sim, {
        mode: 'L7',
        clients: { model: 'open', rate: lambda },
        pools: [
          {
            name: 'web',
            balance: 'roundrobin',
            service: new Exponential(1),
            backends: speeds.map((s) => ({ speed: s, weight: weighted ? s * 10 : 1 })),
          },
        ],
      });
      sim.run({ until: T });
      return system;
    };
    const plain = run(false);
    const slow = (plain.backends[2].inSystem + plain.backends[3].inSystem) / 2;
    const growth = (lambda / 4 - 0.4) * T; // 800
    expect(Math.abs(slow - growth) / growth).toBeLessThan(0.15);
    const weighted = run(true);
    expect(Math.max(...weighted.backends.map((b) => b.inSystem))).toBeLessThan(40);
  });

  it("Little's law on every backend: L = X W", () => {
    const s = simulateLoadBalancer(homogeneous('leastconn', 4, 0.8), {
      seed: 5,
      duration: 4000,
      warmup: 200,
    });
    for (const b of s.backends) {
      const X = b.completions / s.elapsed;
      expect(Math.abs(b.meanInSystem - X * b.meanResponse) / b.meanInSystem).toBeLessThan(0.03);
    }
  });
});

const crashConfig = (
  health: LoadBalancerConfig['pools'][0]['health_check'],
  extra: Partial<LoadBalancerConfig> = {},
  failures = [{ at: 100, duration: 60 }],
): LoadBalancerConfig => ({
  mode: 'L7',
  retries: 0,
  clients: { model: 'open', rate: 40 },
  pools: [
    {
      name: 'web',
      balance: 'roundrobin',
      service: new Exponential(20),
      health_check: health,
      backends: [{ failures }, {}, {}, {}],
    },
  ],
  ...extra,
});

describe('health checks and failures', () => {
  it('active checks (HAProxy src/check.c: the next check starts inter after the previous one ENDS): a blackholed host is marked down U inter + fall T + (fall - 1) inter after it dies, T = min(timeout, inter); a crashed one (port closed, T = 0) (fall - 1) inter + U inter', () => {
    const failures = Array.from({ length: 20 }, (_, i) => ({
      at: 50 + i * 60 + i * 0.37,
      duration: 30,
    }));
    for (const mode of ['blackhole', 'crash'] as const) {
      for (const [inter, fall, timeout] of [
        [2, 3, 2],
        [2, 3, 1],
        [0.5, 3, 1],
        [1, 1, 0.2],
      ]) {
        const config = crashConfig({ inter, fall, timeout }, {}, failures);
        (config.pools[0].backends as BackendConfig[])[0].failure_mode = mode;
        const s = simulateLoadBalancer(config, { seed: 3, duration: 1300 });
        expect(s.detections).toHaveLength(20);
        const t = mode === 'crash' ? 0 : Math.min(timeout, inter);
        const bound = detectionDelay(inter, fall, timeout, { failure_mode: mode });
        expect(bound.min).toBeCloseTo(fall * t + (fall - 1) * inter, 12);
        expect(bound.max).toBeCloseTo(bound.min + inter, 12);
        for (const d of s.detections) {
          expect(d.delay).toBeLessThanOrEqual(bound.max + 1e-9);
          expect(d.delay).toBeGreaterThanOrEqual(bound.min - 1e-9);
        }
      }
    }
    // HAProxy's defaults (inter 2 s, fall 3, timeout check = inter): 10-12 s for a dead host, not 6-8 s
    expect(detectionDelay(2, 3, 2)).toEqual({ min: 10, mean: 11, max: 12 });
  });

  it('requests sent to the dead backend before detection fail; an L7 retry on another backend saves them', () => {
    const noRetry = simulateLoadBalancer(crashConfig({}), { seed: 1, duration: 300 });
    expect(noRetry.failures.backend).toBeGreaterThan(0);
    // about lambda/k x detection delay, plus the requests lost inside at the crash
    const delay = noRetry.detections[0].delay;
    expect(noRetry.failures.backend).toBeLessThan((40 / 4) * delay * 1.6 + 10);
    const retry = simulateLoadBalancer(crashConfig({}, { retries: 1 }), { seed: 1, duration: 300 });
    expect(retry.retries).toBeGreaterThan(0);
    // only the requests inside the backend at the crash are lost
    expect(retry.failures.backend).toBeLessThan(10);
  });

  it('no request is routed to a backend marked down (L4 and L7) unless every backend is down (fail-open)', () => {
    for (const mode of ['L4', 'L7'] as const) {
      const s = simulateLoadBalancer(
        crashConfig(
          { inter: 1 },
          {
            mode,
            retries: 0,
            clients: { model: 'open', rate: 40, clients: 30, requests_per_connection: 50 },
          },
        ),
        { seed: 2, duration: 400 },
      );
      expect(s.routedToMarkedDown).toBe(0);
      expect(s.failOpen).toBe(0);
    }
    const allDown: LoadBalancerConfig = {
      mode: 'L7',
      clients: { model: 'open', rate: 10 },
      pools: [
        {
          name: 'web',
          health_check: { inter: 1 },
          service: new Exponential(20),
          backends: [
            { failures: [{ at: 10, duration: 20 }] },
            { failures: [{ at: 10, duration: 40 }] },
          ],
        },
      ],
    };
    const open = simulateLoadBalancer(allDown, { seed: 1, duration: 100 });
    expect(open.failOpen).toBeGreaterThan(0);
    expect(open.routedToMarkedDown).toBe(0);
    const closed = simulateLoadBalancer(
      { ...allDown, fail_open: false },
      { seed: 1, duration: 100 },
    );
    expect(closed.failOpen).toBe(0);
    expect(closed.failures.no_backend).toBeGreaterThan(0);
  });

  it('outlier detection (Envoy outlier_detection_impl.cc): 5 consecutive 5xx eject for 30 s, the second ejection 60 s; ejections only while 100 x ejected / n < max_ejection_percent', () => {
    const config = (percent: number): LoadBalancerConfig => ({
      mode: 'L7',
      retries: 0,
      clients: { model: 'open', rate: 40 },
      pools: [
        {
          name: 'web',
          balance: 'roundrobin',
          service: new Exponential(20),
          outlier_detection: { max_ejection_percent: percent },
          backends: [
            { failures: [{ at: 100, duration: 500 }], failure_mode: 'crash' },
            { failures: [{ at: 100, duration: 500 }], failure_mode: 'crash' },
            {},
            {},
          ],
        },
      ],
    });
    // 50%: both dead hosts ejected at once (0 and 25 < 50), each 30 s then 60 s
    const both = simulateLoadBalancer(config(50), { seed: 1, duration: 300 });
    for (const name of ['web-0', 'web-1']) {
      const mine = both.ejections.filter((e) => e.backend === name);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(mine[0].until - mine[0].at).toBeCloseTo(30, 9);
      expect(mine[1].until - mine[1].at).toBeCloseTo(60, 9);
    }
    const s = simulateLoadBalancer(config(10), { seed: 1, duration: 300 });
    // max_ejection_percent 10 of 4 hosts: at least one, never two at once
    const intervals = s.ejections.map((e) => [e.at, e.until]);
    for (const [a, b] of intervals) {
      const overlapping = intervals.filter(([c, d]) => c < b && a < d).length;
      expect(overlapping).toBe(1);
    }
  });

  it('slow start (Envoy, aggression 1): the weight ramps linearly from min_weight_percent to full over the window', () => {
    const sim = new Simulation({ seed: 1 });
    const system = new LoadBalancerSystem(sim, {
      mode: 'L7',
      clients: { model: 'open', rate: 5 },
      pools: [
        {
          name: 'web',
          service: new Exponential(20),
          slow_start: { slow_start_window: 60 },
          backends: [{ failures: [{ at: 10, duration: 10 }] }, {}],
        },
      ],
    });
    sim.run({ until: 20 + 3 });
    expect(system.view(0, 0).weight).toBeCloseTo(0.1, 9); // 3/60 < 10 %
    sim.run({ until: 20 + 30 });
    expect(system.view(0, 0).weight).toBeCloseTo(0.5, 9);
    sim.run({ until: 20 + 61 });
    expect(system.view(0, 0).weight).toBe(1);
  });
});

describe('random failures and closed clients', () => {
  it('exponential failures (mttf 40 s, mttr 10 s) without checks: about (1/k) x mttr/(mttf + mttr) of requests fail', () => {
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        retries: 0,
        clients: { model: 'open', rate: 5 },
        pools: [
          {
            name: 'web',
            balance: 'random',
            service: new Exponential(50),
            backends: [{ mttf: 40, mttr: 10 }, {}],
          },
        ],
      },
      { seed: 6, duration: 20000 },
    );
    const expected = 0.5 * (10 / 50);
    expect(Math.abs(s.errorRate - expected) / expected).toBeLessThan(0.15);
  });

  it('closed users with think time: the interactive response time law R = N/X - Z holds', () => {
    const N = 40;
    const Z = 2;
    const s = simulateLoadBalancer(
      {
        mode: 'L4',
        clients: {
          model: 'closed',
          users: N,
          think: new Exponential(1 / Z),
          requests_per_connection: 20,
        },
        pools: [{ name: 'web', balance: 'leastconn', service: new Exponential(10), backends: 2 }],
      },
      { seed: 2, duration: 3000, warmup: 100 },
    );
    expect(s.failed).toBe(0);
    expect(Math.abs(N / s.throughput - Z - s.meanResponse) / (s.meanResponse + Z)).toBeLessThan(
      0.02,
    );
  });
});

describe('the balancer pair and the balancer as a station', () => {
  it('VRRP: the backup takes over 3 x advert_int + skew after the last advertisement (3.609 s at 1 s, priority 100); requests meanwhile fail', () => {
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: 40 },
        balancer: {
          failures: [{ at: 50.3, duration: 100 }],
          pair: { advert_int: 1, priority: 100 },
        },
        pools: [{ name: 'web', backends: 4, service: new Exponential(20) }],
      },
      { seed: 1, duration: 300 },
    );
    expect(s.failovers).toHaveLength(1);
    const f = s.failovers[0];
    expect(f.takeover - f.lastAdvertisement).toBeCloseTo(3.609375, 9);
    expect(f.downtime).toBeGreaterThan(masterDownInterval(1, 100) - 1);
    expect(f.downtime).toBeLessThanOrEqual(masterDownInterval(1, 100));
    // about lambda x downtime requests fail (Poisson: within 5 sigma), plus those in flight
    const expected = 40 * f.downtime;
    expect(Math.abs(s.failures.balancer - expected)).toBeLessThan(5 * Math.sqrt(expected) + 10);
  });

  it('a finite balancer (maxconn) becomes the bottleneck: throughput caps at its capacity and the excess is refused', () => {
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: 150 },
        balancer: { service: new Exponential(100), maxconn: 20 },
        pools: [{ name: 'web', backends: 20, service: new Exponential(10) }],
      },
      { seed: 1, duration: 200, warmup: 10 },
    );
    expect(s.throughput).toBeLessThan(101);
    expect(s.throughput).toBeGreaterThan(95);
    expect(s.failures.balancer_overload).toBeGreaterThan(0);
    expect(s.balancer!.utilisation).toBeGreaterThan(0.97);
  });
});

describe('L4 vs L7, and the gateway', () => {
  it('L4 pins each connection: 3 persistent connections over 8 backends leave 5 idle; L7 spreads 1/8 each', () => {
    const run = (mode: 'L4' | 'L7') =>
      simulateLoadBalancer(
        {
          mode,
          clients: { model: 'open', rate: 2, clients: 3, requests_per_connection: Infinity },
          pools: [{ name: 'web', backends: 8, balance: 'roundrobin', service: new Exponential(1) }],
        },
        { seed: 1, duration: 2000 },
      );
    const l4 = run('L4').backends.map((b) => b.share);
    expect(l4.filter((x) => x === 0)).toHaveLength(5);
    const l7 = run('L7').backends.map((b) => b.share);
    for (const x of l7) expect(Math.abs(x - 1 / 8)).toBeLessThan(0.01);
  });

  it('path routing sends each request class to its pool; per-pool utilisation = its share x lambda x work / members', () => {
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: {
          model: 'open',
          rate: 50,
          mix: [
            { path: '/images/a.png', weight: 70 },
            { path: '/api/users?id=7', weight: 25 },
            { path: '/upload', weight: 5, work: new Exponential(2) },
          ],
        },
        gateway: {
          listeners: [
            {
              rules: [
                { path: '/images/*', pool: 'images' },
                { path: '/api/*', pool: 'api' },
              ],
              default_pool: 'upload',
            },
          ],
        },
        pools: [
          { name: 'images', backends: 4, service: new Exponential(10) },
          { name: 'api', backends: 3, service: new Exponential(6) },
          { name: 'upload', backends: 2 },
        ],
      },
      { seed: 1, duration: 1000, warmup: 50 },
    );
    const expected = [(0.7 * 50 * 0.1) / 4, (0.25 * 50 * (1 / 6)) / 3, (0.05 * 50 * 0.5) / 2];
    s.pools.forEach((p, i) => expect(Math.abs(p.utilisation - expected[i])).toBeLessThan(0.03));
    expect(s.failed).toBe(0);
  });

  it('a host no listener takes is not routed (error), counted apart', () => {
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: {
          model: 'open',
          rate: 10,
          mix: [
            { path: '/', host: 'a.example.com', weight: 1 },
            { path: '/', host: 'other.org', weight: 1 },
          ],
        },
        gateway: { listeners: [{ hosts: ['a.example.com'], rules: [], default_pool: 'a' }] },
        pools: [{ name: 'a', backends: 2 }],
      },
      { seed: 1, duration: 200 },
    );
    expect(s.failures.not_routed / (s.failed + s.completed)).toBeGreaterThan(0.4);
    expect(s.failures.not_routed / (s.failed + s.completed)).toBeLessThan(0.6);
  });
});

describe('invalid configurations are typed errors naming the field', () => {
  const base = homogeneous('roundrobin', 2, 0.5);
  const bad: Array<[string, LoadBalancerConfig]> = [
    ['mode', { ...base, mode: 'L5' as 'L4' }],
    ['pools', { ...base, pools: [] }],
    [
      'pools.web.balance',
      { ...base, pools: [{ name: 'web', backends: 2, balance: 'fastest' as 'random' }] },
    ],
    [
      'pools.web.backends[0].weight',
      { ...base, pools: [{ name: 'web', backends: [{ weight: 300 }] }] },
    ],
    [
      'pools.web.health_check.fall',
      { ...base, pools: [{ name: 'web', backends: 2, health_check: { fall: 0 } }] },
    ],
    [
      'pools.web.outlier_detection.max_ejection_percent',
      {
        ...base,
        pools: [{ name: 'web', backends: 2, outlier_detection: { max_ejection_percent: 120 } }],
      },
    ],
    ['retries', { ...base, mode: 'L4', retries: 1 }],
    [
      'gateway',
      { ...base, mode: 'L4', gateway: { listeners: [{ rules: [], default_pool: 'web' }] } },
    ],
    [
      'pools.web.hash_key',
      {
        ...base,
        mode: 'L4',
        pools: [{ name: 'web', backends: 2, balance: 'ring_hash', hash_key: 'uri' }],
      },
    ],
    ['clients.rate', { ...base, clients: { model: 'open', rate: -1 } }],
    ['balancer.pair.priority', { ...base, balancer: { pair: { priority: 255 } } }],
    [
      'pools.web.backends[0].failures',
      {
        ...base,
        pools: [
          { name: 'web', backends: [{ mttf: 10, mttr: 1, failures: [{ at: 1, duration: 1 }] }] },
        ],
      },
    ],
  ];
  it.each(bad)('%s', (field, config) => {
    let error: unknown;
    try {
      new LoadBalancerSystem(new Simulation(), config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as ParameterError).parameter).toBe(field);
  });
});
