/**
 * The load balancer follows the systems' contract (lib/systems/README.md, issue 14): built on a
 * simulation it is handed, one run through the shared runner, every unknown key a ParameterError
 * naming its path with a did-you-mean, key lists complete (a config with every known key), one
 * latency shape, statistics that restart on sim.resetStatistics(), backends that crash through the
 * shared failure process and fail their requests back to the balancer.
 */
import { ParameterError } from '../../../lib/errors';
import { Exponential } from '../../../lib/random/exponential';
import { Simulation } from '../../../lib/sim/simulation';
import { measure } from '../../../lib/systems/common/runner';
import {
  BACKEND_KEYS,
  BALANCER_KEYS,
  CLIENT_KEYS,
  HEALTH_CHECK_KEYS,
  LOAD_BALANCER_KEYS,
  OUTLIER_DETECTION_KEYS,
  PAIR_KEYS,
  POOL_KEYS,
  REQUEST_CLASS_KEYS,
  SLOW_START_KEYS,
} from '../../../lib/systems/loadbalancer/config';
import type {
  BackendConfig,
  BalancerConfig,
  ClientConfig,
  HealthCheckConfig,
  LoadBalancerConfig,
  OutlierDetectionConfig,
  PairConfig,
  PoolConfig,
  RequestClass,
  SlowStartConfig,
} from '../../../lib/systems/loadbalancer/config';
import {
  GATEWAY_KEYS,
  LISTENER_KEYS,
  ROUTE_RULE_KEYS,
} from '../../../lib/systems/loadbalancer/gateway';
import type { GatewayConfig, Listener, RouteRule } from '../../../lib/systems/loadbalancer/gateway';
import { resolveLoadBalancerConfig } from '../../../lib/systems/loadbalancer/resolve';
import { LoadBalancerSystem, simulateLoadBalancer } from '../../../lib/systems/loadbalancer/system';

const base = (): LoadBalancerConfig => ({
  mode: 'L7',
  clients: { model: 'open', rate: 20 },
  pools: [{ name: 'web', backends: 4, service: new Exponential(20) }],
});

function errorOf(fn: () => unknown): ParameterError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParameterError);
    return e as ParameterError;
  }
  throw new Error('expected a ParameterError');
}

describe('unknown keys', () => {
  it('health_check: { inetr: 5 } names pools.web.health_check.inetr and suggests "inter"', () => {
    const config = base();
    (config.pools[0] as unknown as Record<string, unknown>).health_check = { inetr: 5 };
    const e = errorOf(() => resolveLoadBalancerConfig(config));
    expect(e.parameter).toBe('pools.web.health_check.inetr');
    expect(e.message).toContain('did you mean "inter"?');
  });

  const cases: Array<[string, (c: Record<string, any>) => void, string, string | null]> = [
    ['top level', (c) => (c.timeline_bins = 1), 'timeline_bins', 'timeline_bin'],
    ['clients', (c) => (c.clients.rat = 5), 'clients.rat', 'rate'],
    [
      'clients.mix[i]',
      (c) => (c.clients.mix = [{ path: '/', weight: 1, wieght: 2 }]),
      'clients.mix[0].wieght',
      'weight',
    ],
    ['pool', (c) => (c.pools[0].balanse = 'random'), 'pools.web.balanse', 'balance'],
    [
      'pool without a name',
      (c) => (c.pools[0] = { nmae: 'web', backends: 2 }),
      'pools[0].nmae',
      'name',
    ],
    [
      'backend',
      (c) => (c.pools[0].backends = [{ mtff: 10, mttr: 1 }]),
      'pools.web.backends[0].mtff',
      'mttf',
    ],
    [
      'backend outage',
      (c) => (c.pools[0].backends = [{ failures: [{ at: 1, duraton: 2 }] }]),
      'pools.web.backends[0].failures[0].duraton',
      'duration',
    ],
    [
      'outlier_detection',
      (c) => (c.pools[0].outlier_detection = { consecutive5xx: 3 }),
      'pools.web.outlier_detection.consecutive5xx',
      'consecutive_5xx',
    ],
    [
      'slow_start',
      (c) => (c.pools[0].slow_start = { slow_start_window: 10, agression: 2 }),
      'pools.web.slow_start.agression',
      'aggression',
    ],
    ['balancer', (c) => (c.balancer = { max_conn: 10 }), 'balancer.max_conn', 'maxconn'],
    [
      'balancer outage',
      (c) => (c.balancer = { failures: [{ at: 1, duration: 1, until: 3 }] }),
      'balancer.failures[0].until',
      null,
    ],
    [
      'vrrp pair',
      (c) => (c.balancer = { pair: { advert_interval: 1 } }),
      'balancer.pair.advert_interval',
      'advert_int',
    ],
    [
      'gateway',
      (c) =>
        (c.gateway = { listeners: [{ rules: [], default_pool: 'web' }], matches: 'first-match' }),
      'gateway.matches',
      'match',
    ],
    [
      'gateway listener',
      (c) => (c.gateway = { listeners: [{ rules: [], defaultpool: 'web' }] }),
      'gateway.listeners[0].defaultpool',
      'default_pool',
    ],
    [
      'gateway rule',
      (c) => (c.gateway = { listeners: [{ rules: [{ path: '/*', pol: 'web' }] }] }),
      'gateway.listeners[0].rules[0].pol',
      'pool',
    ],
  ];
  it.each(cases)('%s', (_, edit, path, suggestion) => {
    const config = base() as unknown as Record<string, any>;
    edit(config);
    const e = errorOf(() => new LoadBalancerSystem(new Simulation(), config as LoadBalancerConfig));
    expect(e.parameter).toBe(path);
    if (suggestion !== null) expect(e.message).toContain(`did you mean "${suggestion}"?`);
    else expect(e.message).toContain('known keys:');
  });

  it('a config with every known key at every level resolves and runs; the key lists are exactly those keys', () => {
    // Required<...> makes the compiler demand every key of each interface
    const health: Required<HealthCheckConfig> = {
      inter: 1,
      fastinter: 0.5,
      downinter: 2,
      rise: 2,
      fall: 3,
      timeout: 0.5,
    };
    const outlier: Required<OutlierDetectionConfig> = {
      consecutive_5xx: 5,
      interval: 10,
      base_ejection_time: 30,
      max_ejection_time: 300,
      max_ejection_percent: 50,
    };
    const slow: Required<SlowStartConfig> = {
      slow_start_window: 30,
      aggression: 1,
      min_weight_percent: 10,
    };
    const backend: Required<BackendConfig> = {
      name: 'b0',
      speed: 1,
      weight: 1,
      workers: 2,
      failures: [],
      mttf: 100,
      mttr: 5,
      failure_mode: 'crash',
      maxconn: 0,
      discipline: 'fifo',
    };
    const pool: Required<PoolConfig> = {
      name: 'web',
      backends: [backend, { name: 'b1', failures: [{ at: 3, duration: 2 }] }, { name: 'b2' }],
      balance: 'ring_hash',
      choice_count: 2,
      active_request_bias: 1,
      hash_balance_factor: 150,
      minimum_ring_size: 1024,
      hash_key: 'uri',
      hash_type: 'map-based',
      healthy_panic_threshold: 50,
      table_size: 65537,
      max_fails: 2,
      fail_timeout: 10,
      cookie: true,
      service: new Exponential(50),
      health_check: health,
      outlier_detection: outlier,
      slow_start: slow,
      decay_time: 10,
    };
    const cls: Required<RequestClass> = {
      path: '/api/x',
      host: 'api.example.com',
      weight: 1,
      work: new Exponential(40),
    };
    const clients: Required<ClientConfig> = {
      external: false,
      model: 'open',
      rate: 20,
      clients: 100,
      users: 10,
      think: new Exponential(1),
      requests_per_connection: 3,
      mix: [cls],
    };
    const pair: Required<PairConfig> = {
      advert_int: 1,
      priority: 100,
      master_priority: 200,
      version: 3,
      preempt: true,
    };
    const balancer: Required<BalancerConfig> = {
      service: new Exponential(1000),
      workers: 1,
      maxconn: 100,
      failures: [{ at: 4, duration: 1 }],
      pair,
    };
    const rule: Required<RouteRule> = { path: '/api/*', pool: 'web' };
    const listener: Required<Listener> = {
      hosts: ['api.example.com'],
      rules: [rule],
      default_pool: 'web',
    };
    const gateway: Required<GatewayConfig> = { match: 'first-match', listeners: [listener] };
    const config: Required<LoadBalancerConfig> = {
      name: 'lb',
      mode: 'L7',
      clients,
      balancer,
      pools: [pool],
      gateway,
      retries: 1,
      retry_on: '5xx',
      retry_budget: { budget_percent: 20, min_retry_concurrency: 3 },
      fail_open: true,
      timeout_connect: 5,
      timeout_queue: 5,
      timeout_server: 30,
      timeline_bin: 1,
    };
    const same = (o: object, keys: readonly string[]) =>
      expect(Object.keys(o).sort()).toEqual([...keys].sort());
    same(health, HEALTH_CHECK_KEYS);
    same(outlier, OUTLIER_DETECTION_KEYS);
    same(slow, SLOW_START_KEYS);
    same(backend, BACKEND_KEYS);
    same(pool, POOL_KEYS);
    same(cls, REQUEST_CLASS_KEYS);
    same(clients, CLIENT_KEYS);
    same(pair, PAIR_KEYS);
    same(balancer, BALANCER_KEYS);
    same(rule, ROUTE_RULE_KEYS);
    same(listener, LISTENER_KEYS);
    same(gateway, GATEWAY_KEYS);
    same(config, LOAD_BALANCER_KEYS);
    const s = simulateLoadBalancer(config, { seed: 1, duration: 10 });
    expect(s.requests).toBeGreaterThan(100);
    expect(s.completed).toBeGreaterThan(100);
  });
});

describe('the contract', () => {
  const config: LoadBalancerConfig = {
    mode: 'L7',
    retries: 0,
    clients: { model: 'open', rate: 40 },
    pools: [
      {
        name: 'web',
        balance: 'roundrobin',
        service: new Exponential(20),
        health_check: {},
        backends: [{ failures: [{ at: 100, duration: 60 }] }, {}, {}, {}],
      },
    ],
  };

  it('simulateLoadBalancer = the system built on a fresh simulation, warmed up, reset and measured by the shared runner', () => {
    const one = simulateLoadBalancer(config, { seed: 3, duration: 200, warmup: 50 });
    const { system, window } = measure((sim) => new LoadBalancerSystem(sim, config), {
      seed: 3,
      duration: 200,
      warmup: 50,
    });
    expect(window).toEqual({ start: 50, end: 250 });
    expect(system.summary()).toEqual(one);
    expect(one.elapsed).toBeCloseTo(200, 9);
  });

  it('latencies in the one LatencySummary shape, the flat fields equal to it; statistics restart on sim.resetStatistics()', () => {
    const sim = new Simulation({ seed: 2 });
    const system = new LoadBalancerSystem(sim, config);
    sim.run({ until: 80 });
    const s = system.summary();
    expect(Object.keys(s.latency).sort()).toEqual([
      'count',
      'max',
      'mean',
      'min',
      'p50',
      'p90',
      'p95',
      'p99',
      'p999',
      'stdDev',
    ]);
    expect(s.latency.count).toBe(s.completed);
    expect([s.meanResponse, s.p50, s.p95, s.p99]).toEqual([
      s.latency.mean,
      s.latency.p50,
      s.latency.p95,
      s.latency.p99,
    ]);
    expect(s.pools[0].latency.count).toBe(s.completed);
    sim.resetStatistics();
    const r = system.summary();
    expect([
      r.requests,
      r.completed,
      r.failed,
      r.latency.count,
      r.backends[0].requests,
      r.backends[0].completions,
    ]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("a crashed backend (FailureProcess outage, failure_mode 'crash') holds nothing: the requests inside fail back to the balancer ('fail'), arrivals are refused until it recovers", () => {
    const sim = new Simulation({ seed: 4 });
    const pool = config.pools[0];
    const backends = (pool.backends as BackendConfig[]).map((b, i) =>
      i === 0 ? { ...b, failure_mode: 'crash' as const } : b,
    );
    const system = new LoadBalancerSystem(sim, {
      ...config,
      pools: [{ ...pool, backends, service: new Exponential(2) }],
    });
    const dead = system.backends[0];
    let inside = -1;
    system.members[0].failures.onCrash(() => (inside = dead.inSystem));
    sim.run({ until: 100 - 1e-9 });
    const before = dead.inSystem;
    sim.run({ until: 101 });
    expect(inside).toBe(0);
    expect(dead.failed).toBe(before); // every request inside at the crash, handed to failTo
    expect(dead.up).toBe(false);
    expect(system.summary().failures.backend).toBeGreaterThanOrEqual(before);
    sim.run({ until: 300 });
    expect(dead.up).toBe(true);
    expect(dead.refused).toBeGreaterThan(0); // sent before the checks marked it down
    expect(system.summary().backends[0].availability).toBeCloseTo(1 - 60 / 300, 9);
    expect(system.members[0].failures.failures).toBe(1);
  });
});
