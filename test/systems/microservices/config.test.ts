/**
 * The config contract: typed errors for invalid call graphs (cycles named, unknown services with a
 * did-you-mean, k > n), unknown keys at every level, bad values naming their path; every known key
 * accepted; visit counts by the forced-flow law.
 */
import { Exponential } from '../../../lib/random/exponential';
import { ParameterError } from '../../../lib/errors';
import type { MicroservicesConfig } from '../../../lib/systems/microservices/config';
import { resolveMicroservicesConfig } from '../../../lib/systems/microservices/resolve';
import { bottleneckBound } from '../../../lib/systems/microservices/graph';

const exp = new Exponential(10);
const base = (): MicroservicesConfig => ({
  services: [
    { name: 'web', service: exp, calls: [{ service: 'api' }] },
    {
      name: 'api',
      service: exp,
      calls: [
        { service: 'db', visits: 2.5 },
        { service: ['cache', 'db'], fanout: 2, need: 3 },
      ],
    },
    { name: 'db', service: exp },
    { name: 'cache', service: exp },
  ],
  clients: { rate: 1 },
});

function errorOf(f: () => unknown): ParameterError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ParameterError);
    return e as ParameterError;
  }
  throw new Error('did not throw');
}

describe('microservices config', () => {
  test('a cycle is a ParameterError that names it', () => {
    const c = base();
    c.services[2].calls = [{ service: 'web' }];
    const e = errorOf(() => resolveMicroservicesConfig(c));
    expect(e.message).toMatch(/web → api → db → web/);
    expect(e.message).toMatch(/cycle/);
    const self = base();
    self.services[3].calls = [{ service: 'cache' }];
    expect(errorOf(() => resolveMicroservicesConfig(self)).message).toMatch(/cache → cache/);
  });

  test('an unknown service is a ParameterError with its path and a did-you-mean', () => {
    const c = base();
    c.services[1].calls = [{ service: 'dbb' }];
    const e = errorOf(() => resolveMicroservicesConfig(c));
    expect(e.message).toMatch(/services\[1\]\.calls\[0\]\.service/);
    expect(e.message).toMatch(/did you mean "db"/);
    const list = base();
    list.services[1].calls = [{ service: ['db', 'queue'] }];
    expect(errorOf(() => resolveMicroservicesConfig(list)).message).toMatch(
      /services\[1\]\.calls\[0\]\.service\[1\]/,
    );
    expect(errorOf(() => resolveMicroservicesConfig({ ...base(), entry: 'nope' })).message).toMatch(
      /entry/,
    );
  });

  test('fan-out k > n is a ParameterError', () => {
    const c = base();
    c.services[1].calls = [{ service: 'db', fanout: 3, need: 4 }];
    const e = errorOf(() => resolveMicroservicesConfig(c));
    expect(e.message).toMatch(/services\[1\]\.calls\[0\]\.need/);
    expect(e.message).toMatch(/at most n = 3/);
    expect(() =>
      resolveMicroservicesConfig({
        ...base(),
        services: [{ name: 'a', service: exp, calls: [{ service: 'a', need: 0 } as never] }],
      }),
    ).toThrow(ParameterError);
  });

  test('unknown keys at every level, with the nearest known key', () => {
    const cases: Array<[(c: MicroservicesConfig) => void, RegExp]> = [
      [
        (c) => ((c as unknown as Record<string, unknown>).servces = []),
        /servces.*did you mean "services"/,
      ],
      [
        (c) => ((c.services[0] as unknown as Record<string, unknown>).replica = 2),
        /services\[0\]\.replica.*"replicas"/,
      ],
      [
        (c) => ((c.services[1].calls![0] as unknown as Record<string, unknown>).timout = 1),
        /services\[1\]\.calls\[0\]\.timout.*"timeout"/,
      ],
      [
        (c) => (c.services[1].calls![0].retry_policy = { num_retry: 2 } as never),
        /retry_policy\.num_retry.*"num_retries"/,
      ],
      [
        (c) => (c.services[1].calls![0].retry_policy = { retry_back_off: { base: 1 } } as never),
        /retry_back_off\.base/,
      ],
      [
        (c) => (c.services[1].calls![0].circuitBreaker = { slidingWindowSise: 5 } as never),
        /circuitBreaker\.slidingWindowSise.*"slidingWindowSize"/,
      ],
      [
        (c) => (c.services[1].calls![0].bulkhead = { maxConcurrentCall: 5 } as never),
        /bulkhead\.maxConcurrentCall.*"maxConcurrentCalls"/,
      ],
      [(c) => (c.services[1].calls![0].hedge = { dealy: 5 } as never), /hedge\.dealy.*"delay"/],
      [
        (c) => (c.services[2].retry_budget = { budget_percen: 5 } as never),
        /retry_budget\.budget_percen.*"budget_percent"/,
      ],
      [(c) => (c.services[2].failures = { mtf: 5 } as never), /services\[2\]\.failures\.mtf/],
      [
        (c) => ((c.clients as unknown as Record<string, unknown>).rates = 5),
        /clients\.rates.*"rate"/,
      ],
      [
        (c) => (c.clients.mix = [{ path: '/', wieght: 1 } as never]),
        /clients\.mix\[0\]\.wieght.*"weight"/,
      ],
      [(c) => (c.clients.call = { timeot: 1 } as never), /clients\.call\.timeot/],
    ];
    for (const [mutate, re] of cases) {
      const c = base();
      mutate(c);
      expect(errorOf(() => resolveMicroservicesConfig(c)).message).toMatch(re);
    }
  });

  test('bad values name their path and range', () => {
    const cases: Array<[(c: MicroservicesConfig) => void, RegExp]> = [
      [(c) => (c.services[0].replicas = 0), /services\[0\]\.replicas/],
      [(c) => (c.services[0].service = 5 as never), /services\[0\]\.service/],
      [(c) => (c.services[0].balance = 'fastest' as never), /services\[0\]\.balance/],
      [(c) => (c.services[0].errorRate = 2), /services\[0\]\.errorRate/],
      [(c) => (c.services[1].calls![0].timeout = -1), /calls\[0\]\.timeout/],
      [(c) => (c.services[1].calls![0].visits = -1), /calls\[0\]\.visits/],
      [(c) => (c.services[1].calls![1].hedge = { delay: 1 }), /calls\[1\]\.hedge.*single call/],
      [
        (c) => (c.services[1].calls![0] = { service: 'db', async: true, hedge: { delay: 1 } }),
        /asynchronous/,
      ],
      [(c) => (c.services[1].calls![0].retry_policy = { num_retries: -1 }), /num_retries/],
      [(c) => (c.services[2].retry_budget = { budget_percent: 120 }), /budget_percent/],
      [(c) => (c.services[0].name = 'api'), /services\[1\]\.name.*unique/],
      [(c) => (c.clients = { rate: 1, users: 2 }), /clients/],
      [(c) => (c.clients.rate = 0), /clients\.rate/],
    ];
    for (const [mutate, re] of cases) {
      const c = base();
      mutate(c);
      expect(errorOf(() => resolveMicroservicesConfig(c)).message).toMatch(re);
    }
  });

  test('a config with every known key at every level resolves', () => {
    const c: MicroservicesConfig = {
      services: [
        {
          name: 'web',
          replicas: 2,
          servers: 2,
          service: exp,
          capacity: 10,
          discipline: 'fifo',
          balance: 'least_request',
          balance_options: { choice_count: 2 },
          errorRate: 0,
          propagateCancellation: true,
          onCrash: 'keep',
          failures: { outages: [{ at: 1, duration: 1 }] },
          slowdowns: { mttf: 100, mttr: 1 },
          slowdownFactor: 5,
          retry_budget: { budget_percent: 20, min_retry_concurrency: 3 },
          calls: [
            {
              service: 'api',
              fanout: 1,
              need: 'all',
              visits: 1,
              async: false,
              timeout: 1,
              retry_policy: {
                num_retries: 2,
                retry_back_off: { base_interval: 0.025, max_interval: 0.25 },
              },
              circuitBreaker: {
                failureRateThreshold: 50,
                slowCallRateThreshold: 100,
                slowCallDurationThreshold: 60,
                permittedNumberOfCallsInHalfOpenState: 10,
                slidingWindowType: 'COUNT_BASED',
                slidingWindowSize: 100,
                minimumNumberOfCalls: 100,
                waitDurationInOpenState: 60,
              },
              bulkhead: { maxConcurrentCalls: 25 },
              hedge: { delay: 0.1, cancelLoser: true },
            },
          ],
        },
        { name: 'api', service: exp },
      ],
      clients: {
        rate: 1,
        surges: [{ at: 1, duration: 1, multiplier: 2 }],
        mix: [{ host: 'a.example.com', path: '/x', weight: 1 }],
        call: { timeout: 2 },
      },
      gateway: {
        match: 'longest-prefix',
        listeners: [{ rules: [{ path: '/x*', pool: 'web' }], default_pool: 'web' }],
      },
      timelineBin: 1,
      slowRequestThreshold: 1,
    };
    expect(
      resolveMicroservicesConfig(c).services[0].steps[0].circuitBreaker?.slidingWindowSize,
    ).toBe(100);
  });

  test('visit counts by forced flow, and the bottleneck bound', () => {
    const r = resolveMicroservicesConfig(base());
    // web 1, api 1, db 2.5 + 2 (fan-out copies), cache 2
    expect(r.visits).toEqual([1, 1, 4.5, 2]);
    const b = bottleneckBound(r.visits, [0.1, 0.1, 0.1, 0.1], [1, 1, 3, 1]);
    expect(b.bottleneck).toBe(3);
    expect(b.X).toBeCloseTo(5, 12);
  });
});
