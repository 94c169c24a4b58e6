/**
 * The microservices system against the reference's oracles: conservation (every request ends
 * exactly once), the retry success 1 − f^(r+1) and load multiplier Σ f^i, the timeout rate
 * e^−(μ−λ)T of an M/M/1 callee, k-of-n and first-answer order statistics, per-edge visit counts,
 * asynchronous edges, hedging with cancelled losers, bulkheads, the gateway's routing order
 * cases, reproducibility and statistics restarting on reset. Tolerances: 3.3 standard errors of
 * the binomial or sample mean (a two-sided 0.1 % level per check).
 */
import { Deterministic } from '../../../lib/random/deterministic';
import { Exponential } from '../../../lib/random/exponential';
import type { MicroservicesConfig } from '../../../lib/systems/microservices/config';
import {
  MicroservicesSystem,
  simulateMicroservices,
} from '../../../lib/systems/microservices/system';
import { retryLoadMultiplier, retrySuccess } from '../../../lib/systems/microservices/theory';
import { routeRequest, type GatewayConfig } from '../../../lib/systems/loadbalancer/gateway';
import { measure } from '../../../lib/systems/common/runner';

const Z = 3.3;
const binomialHalf = (p: number, n: number) => Z * Math.sqrt((p * (1 - p)) / n);

function conserved(s: ReturnType<typeof simulateMicroservices>): void {
  expect(s.inFlightAtStart + s.requests).toBe(
    s.ok + s.errors + s.timeouts + s.rejected + s.inFlightAtEnd,
  );
}

describe('microservices system', () => {
  test('conservation: every request ends exactly once (ok, error, timeout or rejected) under every mechanism at once', () => {
    const config: MicroservicesConfig = {
      services: [
        {
          name: 'web',
          replicas: 2,
          servers: 2,
          service: new Exponential(50),
          failures: { mttf: 30, mttr: 2 },
          calls: [
            { service: 'search', fanout: 5, need: 3, timeout: 0.3 },
            {
              service: 'profile',
              timeout: 0.2,
              retry_policy: { num_retries: 2, retry_back_off: { base_interval: 0.01 } },
              circuitBreaker: {
                minimumNumberOfCalls: 20,
                slidingWindowSize: 20,
                waitDurationInOpenState: 5,
              },
            },
            { service: 'ads', hedge: { delay: 0.02 }, bulkhead: { maxConcurrentCalls: 4 } },
            { service: 'events', async: true, visits: 0.5 },
            { service: ['search', 'ads'], need: 'first', visits: 0.3 },
          ],
        },
        {
          name: 'search',
          replicas: 5,
          service: new Exponential(60),
          capacity: 20,
          slowdowns: { mttf: 20, mttr: 3 },
          slowdownFactor: 20,
        },
        {
          name: 'profile',
          replicas: 2,
          service: new Exponential(40),
          errorRate: 0.1,
          failures: { outages: [{ at: 40, duration: 20 }] },
          retry_budget: {},
        },
        { name: 'ads', replicas: 3, service: new Exponential(30), propagateCancellation: true },
        {
          name: 'events',
          service: new Exponential(30),
          onCrash: 'keep',
          failures: { mttf: 10, mttr: 5 },
        },
      ],
      clients: {
        rate: 12,
        mix: [
          { host: 'www.example.com', path: '/app/home', weight: 8 },
          { host: 'www.example.com', path: '/static/logo.png', weight: 1 },
          { host: 'other.example.org', path: '/', weight: 1 },
        ],
        call: { timeout: 0.25, retry_policy: { num_retries: 1 } },
      },
      gateway: {
        listeners: [
          {
            hosts: ['www.example.com'],
            rules: [{ path: '/app/*', pool: 'web' }],
            default_pool: 'web',
          },
        ],
      },
    };
    const s = simulateMicroservices(config, { seed: 3, duration: 150, warmup: 10 });
    conserved(s);
    expect(s.ok).toBeGreaterThan(0);
    expect(s.errors).toBeGreaterThan(0);
    expect(s.timeouts).toBeGreaterThan(0);
    expect(s.rejected).toBeGreaterThan(0); // the host no listener takes (10 %) is not routed
    expect(s.lateAnswers).toBeGreaterThan(0);
    expect(s.edges.some((e) => e.hedges > 0)).toBe(true);
    expect(s.edges.some((e) => e.retries > 0)).toBe(true);
    // only the one multi-site listener: requests for other.example.org are rejected (≈ 10 %)
    expect(Math.abs(s.rejected / s.requests - 0.1)).toBeLessThan(
      binomialHalf(0.1, s.requests) + 0.02,
    );
  });

  test('same seed and config, same numbers; another seed, other numbers', () => {
    const config: MicroservicesConfig = {
      services: [
        {
          name: 'a',
          replicas: 2,
          service: new Exponential(20),
          calls: [{ service: 'b', fanout: 3, timeout: 0.5, retry_policy: { num_retries: 1 } }],
        },
        { name: 'b', replicas: 3, service: new Exponential(15), failures: { mttf: 20, mttr: 1 } },
      ],
      clients: { rate: 8 },
    };
    const one = simulateMicroservices(config, { seed: 7, duration: 100 });
    expect(JSON.stringify(simulateMicroservices(config, { seed: 7, duration: 100 }))).toBe(
      JSON.stringify(one),
    );
    expect(simulateMicroservices(config, { seed: 8, duration: 100 }).latency.mean).not.toBe(
      one.latency.mean,
    );
  });

  test('warm-up: statistics restart on resetStatistics (requests, edges, services)', () => {
    const config: MicroservicesConfig = {
      services: [
        { name: 'a', service: new Exponential(20), calls: [{ service: 'b' }] },
        { name: 'b', service: new Exponential(20) },
      ],
      clients: { rate: 10 },
    };
    const { system, sim } = measure((sim) => new MicroservicesSystem(sim, config), {
      seed: 1,
      duration: 200,
      warmup: 200,
    });
    const s = system.summary();
    expect(s.elapsed).toBeCloseTo(200, 9);
    expect(Math.abs(s.requests - 2000)).toBeLessThan(Z * Math.sqrt(2000));
    expect(s.edges[0].calls).toBeLessThan(2300);
    expect(s.services[1].arrivals).toBeLessThan(2300);
    conserved(s);
    sim.resetStatistics();
    const r = system.summary();
    expect([r.requests, r.ok, r.edges[0].calls, r.services[0].arrivals, r.latency.count]).toEqual([
      0, 0, 0, 0, 0,
    ]);
  });

  test('retries: success 1 − f^(r+1) and attempts per request Σ f^i (f = 0.3, r = 2)', () => {
    const f = 0.3;
    const r = 2;
    const s = simulateMicroservices(
      {
        services: [{ name: 'api', servers: 32, service: new Exponential(100), errorRate: f }],
        clients: {
          rate: 100,
          call: { retry_policy: { num_retries: r, retry_back_off: { base_interval: 0 } } },
        },
      },
      { seed: 11, duration: 200, warmup: 1 },
    );
    conserved(s);
    const n = s.ok + s.errors;
    expect(Math.abs(s.availability - retrySuccess(f, r))).toBeLessThan(
      binomialHalf(retrySuccess(f, r), n),
    );
    const sd = Math.sqrt(1 * 0.7 + 4 * 0.21 + 9 * 0.09 - retryLoadMultiplier(f, r) ** 2);
    expect(Math.abs(s.attemptsPerRequest - retryLoadMultiplier(f, r))).toBeLessThan(
      (Z * sd) / Math.sqrt(s.requests) + 2 / s.requests,
    );
  });

  test('timeouts: an M/M/1 callee answers later than T with probability e^−(μ−λ)T', () => {
    const mu = 10;
    const lambda = 5;
    const T = 0.5;
    const s = simulateMicroservices(
      {
        services: [{ name: 'db', service: new Exponential(mu) }],
        clients: { rate: lambda, call: { timeout: T } },
      },
      { seed: 5, duration: 4000, warmup: 50 },
    );
    conserved(s);
    const p = Math.exp(-(mu - lambda) * T);
    const n = s.ok + s.timeouts;
    // successive response times are correlated: the binomial error is doubled (M/M/1 at rho 0.5)
    expect(Math.abs(s.timeouts / n - p)).toBeLessThan(2 * binomialHalf(p, n));
    expect(s.lateAnswers).toBeGreaterThan(0.8 * s.timeouts); // timed-out calls still answer, too late
  });

  test('k of n and first: the k-th order statistic of n exponentials, E = s·Σ_{i=n−k+1..n} 1/i', () => {
    const mean = 0.01;
    const run = (need: 'first' | number) =>
      simulateMicroservices(
        {
          services: [
            {
              name: 'front',
              service: new Deterministic(0),
              servers: 64,
              calls: [{ service: 'leaf', fanout: 4, need: need }],
            },
            { name: 'leaf', replicas: 4, servers: 64, service: Exponential.withMean(mean) },
          ],
          clients: { rate: 50 },
        },
        { seed: 2, duration: 200, warmup: 1 },
      );
    for (const [need, k] of [
      ['first', 1],
      [2, 2],
      [4, 4],
    ] as const) {
      const s = run(need);
      let e = 0;
      let v = 0;
      for (let i = 4 - k + 1; i <= 4; i++) {
        e += mean / i;
        v += (mean / i) ** 2;
      }
      expect(Math.abs(s.latency.mean - e)).toBeLessThan(
        (Z * Math.sqrt(v)) / Math.sqrt(s.latency.count),
      );
      if (k < 4) expect(s.lateAnswers).toBeGreaterThan(0);
    }
  });

  test('per-edge visit counts: 0.3 visits per request, and async edges answer nobody', () => {
    const s = simulateMicroservices(
      {
        services: [
          {
            name: 'web',
            service: new Exponential(100),
            servers: 8,
            calls: [
              { service: 'db', visits: 0.3 },
              { service: 'queue', async: true, visits: 2 },
            ],
          },
          { name: 'db', service: new Exponential(100), servers: 8 },
          { name: 'queue', service: Exponential.withMean(5), servers: 1 }, // slow: async work does not delay the request
        ],
        clients: { rate: 20 },
      },
      { seed: 4, duration: 500, warmup: 1 },
    );
    conserved(s);
    const db = s.edges.find((e) => e.label === 'web → db')!;
    expect(Math.abs(db.visitsPerRequest - 0.3)).toBeLessThan(
      binomialHalf(0.3, s.requests) + 1 / s.requests,
    );
    expect(s.edges.find((e) => e.label === 'web → queue')!.visitsPerRequest).toBeCloseTo(2, 2);
    expect(s.latency.p99).toBeLessThan(0.2);
    expect(s.services[2].utilisation).toBeGreaterThan(0.99); // the queue is swamped, nobody waits for it
  });

  test('hedging: cancelled losers save the leaf’s work; without cancellation the loser still runs', () => {
    const run = (cancelLoser: boolean) =>
      simulateMicroservices(
        {
          services: [
            {
              name: 'front',
              service: new Deterministic(0),
              servers: 64,
              calls: [{ service: 'leaf', hedge: { delay: 0.02, cancelLoser: cancelLoser } }],
            },
            { name: 'leaf', replicas: 4, service: Exponential.withMean(0.01), balance: 'random' },
          ],
          clients: { rate: 200 },
        },
        { seed: 9, duration: 100, warmup: 5 },
      );
    const withCancel = run(true);
    const without = run(false);
    conserved(withCancel);
    conserved(without);
    expect(withCancel.edges[0].hedges).toBeGreaterThan(0);
    expect(withCancel.services[1].utilisation).toBeLessThan(without.services[1].utilisation);
    expect(withCancel.lateAnswers).toBeGreaterThan(0);
  });

  test('bulkhead: maxConcurrentCalls bounds the calls in flight; the rest are rejected at once', () => {
    const s = simulateMicroservices(
      {
        services: [
          {
            name: 'api',
            servers: 8,
            service: Exponential.withMean(0.001),
            calls: [{ service: 'slow', bulkhead: { maxConcurrentCalls: 2 } }],
          },
          { name: 'slow', servers: 8, service: Exponential.withMean(0.5) },
        ],
        clients: { rate: 20 },
      },
      { seed: 1, duration: 200, warmup: 10 },
    );
    conserved(s);
    expect(s.edges[0].bulkheadRejected).toBeGreaterThan(0);
    // at most 2 calls in service at 'slow': its utilisation is at most 2 of 8 workers
    expect(s.services[1].utilisation).toBeLessThanOrEqual(2 / 8 + 1e-9);
    expect(s.errors).toBe(s.edges[0].bulkheadRejected);
  });
});

describe('gateway routing order (subsystems reference §2.2), through lib/systems/loadbalancer/gateway.ts', () => {
  const ordered = (match: 'first-match' | 'longest-prefix', reversed: boolean): GatewayConfig => ({
    match: match,
    listeners: [
      {
        rules: reversed
          ? [
              { path: '/*', pool: 'B' },
              { path: '/images/*', pool: 'A' },
            ]
          : [
              { path: '/images/*', pool: 'A' },
              { path: '/*', pool: 'B' },
            ],
        default_pool: 'D',
      },
    ],
  });
  test('/images/* then /*: A; reversed: B under first match, A under longest prefix', () => {
    expect(routeRequest(ordered('first-match', false), undefined, '/images/x.png')).toBe('A');
    expect(routeRequest(ordered('first-match', true), undefined, '/images/x.png')).toBe('B');
    expect(routeRequest(ordered('longest-prefix', true), undefined, '/images/x.png')).toBe('A');
  });
  test('query strings are ignored; unmatched paths go to the default pool; unknown hosts are not routed', () => {
    const g: GatewayConfig = {
      listeners: [
        {
          hosts: ['api.example.com'],
          rules: [
            { path: '/images/*', pool: 'A' },
            { path: '/video', pool: 'V' },
          ],
          default_pool: 'D',
        },
      ],
    };
    expect(routeRequest(g, 'api.example.com', '/video?x=/images')).toBe('V');
    expect(routeRequest(g, 'api.example.com', '/nothing')).toBe('D');
    expect(routeRequest(g, 'other.example.com', '/video')).toBeNull();
  });
  test('through the system: each request class reaches the pool its rule names, in its share', () => {
    const exp = new Exponential(100);
    const s = simulateMicroservices(
      {
        services: [
          { name: 'images', service: exp, servers: 4 },
          { name: 'api', service: exp, servers: 4 },
          { name: 'default', service: exp, servers: 4 },
        ],
        clients: {
          rate: 50,
          mix: [
            { path: '/images/a.png', weight: 0.7 },
            { path: '/api/orders?id=/images', weight: 0.25 },
            { path: '/upload', weight: 0.05 },
          ],
        },
        gateway: {
          match: 'first-match',
          listeners: [
            {
              rules: [
                { path: '/images/*', pool: 'images' },
                { path: '/api/*', pool: 'api' },
              ],
              default_pool: 'default',
            },
          ],
        },
      },
      { seed: 6, duration: 200, warmup: 1 },
    );
    conserved(s);
    const n = s.requests;
    [0.7, 0.25, 0.05].forEach((p, i) =>
      expect(Math.abs(s.services[i].arrivals / n - p)).toBeLessThan(binomialHalf(p, n) + 2 / n),
    );
    expect(s.services.map((x) => x.visits)).toEqual([0.7, 0.25, 0.05]);
  });
});
