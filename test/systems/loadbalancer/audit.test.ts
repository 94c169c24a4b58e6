/**
 * Issue 16, points 10-15: the load balancer behaves as HAProxy, Envoy, NGINX and keepalived do
 * where an audit of their sources found the simulator apart. Each test names the file it follows.
 */
import { ParameterError } from '../../../lib/errors';
import { Exponential } from '../../../lib/random/exponential';
import { RandomStreams } from '../../../lib/random/streams';
import { Simulation } from '../../../lib/sim/simulation';
import type { BackendConfig, LoadBalancerConfig } from '../../../lib/systems/loadbalancer/config';
import { HashRing, hashKey, keysMovedOnRemoval } from '../../../lib/systems/loadbalancer/hashing';
import { MaglevTable } from '../../../lib/systems/loadbalancer/maglev';
import { createPolicy } from '../../../lib/systems/loadbalancer/policies';
import type { BalanceAlgorithm, PolicyState } from '../../../lib/systems/loadbalancer/policies';
import { resolveLoadBalancerConfig } from '../../../lib/systems/loadbalancer/resolve';
import { LoadBalancerSystem, simulateLoadBalancer } from '../../../lib/systems/loadbalancer/system';
import { expectedKeysMoved } from '../../../lib/systems/loadbalancer/theory';
import { masterDownInterval } from '../../../lib/systems/loadbalancer/vrrp';
import { mmc } from '../../../lib/queueing/mmc';

function state(weights: number[], load?: number[]): PolicyState {
  const n = weights.length;
  return {
    n,
    eligible: new Uint8Array(n).fill(1),
    weight: Float64Array.from(weights),
    nominal: Float64Array.from(weights),
    load: Float64Array.from(load ?? new Array(n).fill(0)),
    latency: new Float64Array(n),
  };
}

function picks(balance: BalanceAlgorithm, s: PolicyState, count: number): number[] {
  const policy = createPolicy(
    balance,
    Array.from({ length: s.n }, (_, i) => `s${i}`),
    s.nominal,
  );
  if (policy.rebuild) policy.rebuild(s);
  const rng = new RandomStreams(1).get('policy');
  return Array.from({ length: count }, (_, k) => policy.pick(s, hashKey(k), rng));
}

const onePool = (
  backends: BackendConfig[],
  extra: Partial<LoadBalancerConfig['pools'][0]> = {},
  top: Partial<LoadBalancerConfig> = {},
): LoadBalancerConfig => ({
  mode: 'L7',
  retries: 0,
  clients: { model: 'open', rate: 40 },
  pools: [{ name: 'web', balance: 'roundrobin', service: new Exponential(20), backends, ...extra }],
  ...top,
});

describe('10. a dead host behaves as one (HAProxy src/check.c, src/backend.c timeouts)', () => {
  it("blackhole (default): a request sent to the dead host fails when timeout_connect runs out; 'crash' (port closed): at once", () => {
    for (const mode of ['blackhole', 'crash'] as const) {
      const sim = new Simulation({ seed: 2 });
      const system = new LoadBalancerSystem(
        sim,
        onePool([{ failures: [{ at: 20, duration: 100 }], failure_mode: mode }, {}]),
      );
      sim.run({ until: 20 + 1e-9 });
      const inside = system.backends[0].failed; // the requests inside at the failure
      sim.run({ until: 24.9 });
      const early = system.summary().failures.backend;
      sim.run({ until: 25.2 });
      const later = system.summary().failures.backend;
      if (mode === 'crash') {
        expect(early).toBeGreaterThan(30); // refused at once: about 20 req/s for 4.9 s
        expect(system.summary().timedOut).toBe(0);
      } else {
        expect(early).toBe(0); // nothing answers: nobody knows yet
        expect(later).toBeGreaterThan(0); // the first connections tried at 20 s time out at 25 s
        expect(system.summary().timedOut).toBeGreaterThan(30);
        // the requests inside at the failure fail timeout_server (30 s) after they were sent
        sim.run({ until: 45 });
        const atFortyFive = system.summary().failures.backend;
        sim.run({ until: 51 });
        expect(system.summary().failures.backend - atFortyFive).toBeGreaterThanOrEqual(
          inside > 0 ? 1 : 0,
        );
      }
    }
  });

  it('an L7 retry saves a request whose connection timed out, after timeout_connect: its response takes over 5 s', () => {
    const light = { model: 'open' as const, rate: 10 };
    const s = simulateLoadBalancer(
      onePool(
        [{ failures: [{ at: 20, duration: 100 }] }, {}],
        {},
        { retries: 1, timeout_connect: 5, clients: light },
      ),
      { seed: 3, duration: 60 },
    );
    expect(s.retries).toBeGreaterThan(100);
    expect(s.failures.backend).toBeLessThanOrEqual(3); // only those inside at the failure
    expect(s.latency.max).toBeGreaterThan(5);
    const crash = simulateLoadBalancer(
      onePool(
        [{ failures: [{ at: 20, duration: 100 }], failure_mode: 'crash' }, {}],
        {},
        { retries: 1, clients: light },
      ),
      { seed: 3, duration: 60 },
    );
    expect(crash.latency.max).toBeLessThan(5);
  });

  it('backends accept mttf/mttr (the shared FailureProcess, exponential): availability mttf/(mttf + mttr) inside its CI', () => {
    // 40 cycles of mean 110 s: availability's sd is about 0.004 (alternating renewal, exponential phases)
    const s = simulateLoadBalancer(
      onePool(
        [{ mttf: 100, mttr: 10, failure_mode: 'crash' }, {}],
        { health_check: {} },
        { clients: { model: 'open', rate: 4 } },
      ),
      { seed: 7, duration: 40 * 110 },
    );
    expect(Math.abs(s.backends[0].availability - 100 / 110)).toBeLessThan(4 * 0.0045);
  });
});

describe("11. Envoy's healthy_panic_threshold (load_balancer_impl.cc, isHostSetInPanic: healthy % < threshold)", () => {
  const down = (k: number): BackendConfig[] =>
    Array.from({ length: 4 }, (_, i) =>
      i < k ? { failures: [{ at: 10, duration: 1000 }], failure_mode: 'crash' as const } : {},
    );
  const dispatchedToDead = (k: number, threshold?: number) => {
    const s = simulateLoadBalancer(
      onePool(down(k), { health_check: { inter: 1 }, healthy_panic_threshold: threshold }),
      { seed: 4, warmup: 40, duration: 60 },
    );
    return { dead: s.backends.slice(0, k).reduce((a, b) => a + b.requests, 0), panic: s.failOpen };
  };
  it('3 of 4 marked down (25 % healthy < 50 %): Envoy balances over all four, the dead ones included', () => {
    const r = dispatchedToDead(3);
    expect(r.panic).toBeGreaterThan(1000);
    expect(r.dead).toBeGreaterThan(0.6 * 40 * 60); // three quarters of the traffic goes to the dead hosts
  });
  it('2 of 4 marked down (50 % is not below 50 %): only the healthy ones; threshold 0 disables panic', () => {
    expect(dispatchedToDead(2)).toEqual({ dead: 0, panic: 0 });
    expect(dispatchedToDead(3, 0)).toEqual({ dead: 0, panic: 0 });
  });
});

describe('12. the ejection multiplier decays by one per healthy interval (Envoy outlier_detection_impl.cc, checkHostForUneject)', () => {
  it('30 s, then 60 s when it fails again before a sweep finds it healthy, then 30 s again after it stayed healthy', () => {
    const config = onePool(
      [
        {
          failures: [
            { at: 100, duration: 5 },
            { at: 142, duration: 5 },
            { at: 400, duration: 5 },
          ],
          failure_mode: 'crash',
        },
        {},
        {},
        {},
      ],
      { outlier_detection: {} },
    );
    const s = simulateLoadBalancer(config, { seed: 1, duration: 500 });
    const mine = s.ejections.filter((e) => e.backend === 'web-0').map((e) => e.until - e.at);
    expect(mine).toHaveLength(3);
    expect(mine[0]).toBeCloseTo(30, 9);
    expect(mine[1]).toBeCloseTo(60, 9);
    expect(mine[2]).toBeCloseTo(30, 9); // never decaying, it would be 90 s
  });
});

describe('13. ring_hash as Envoy builds it (ring_hash_lb.cc) beside the fixed ring of HAProxy (lb_chash.c)', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `b${i}`);
  it('Envoy: ceil(min_ring_size x w_min)/w_min points, over the hosts given; HAProxy: 16 x weight points each', () => {
    expect(new HashRing(names(3), [1, 1, 1]).points.length).toBe(1026); // 342 each
    expect(new HashRing(names(2), [1, 2]).points.length).toBe(1026); // 342 and 684
    const rebuilt = new HashRing(names(3), [1, 1, 1], { eligible: [1, 0, 1] });
    expect(rebuilt.points.length).toBe(1024); // 512 each over the two left
    expect(Array.from(rebuilt.owner).every((i) => i !== 1)).toBe(true);
    expect(new HashRing(names(3), [1, 2, 1], { points_per_weight: 16 }).points.length).toBe(64);
  });
  it('one of 10 leaves: HAProxy consistent moves only its keys; Envoy ring_hash moves more, 1/N + (1 - 1/N) m/(K + m) (N - 2)/(N - 1)', () => {
    const keys = 20000;
    const ring = keysMovedOnRemoval('ring_hash', 10, keys);
    // one ring's realisation: the m = 99 new points' arcs have sd about sqrt(m)/(K + m) = 0.0088; keys add a binomial 0.0027
    expect(Math.abs(ring - expectedKeysMoved('ring_hash', 10))).toBeLessThan(
      4 * Math.hypot(0.0088, 0.0027),
    );
    expect(ring).toBeGreaterThan(0.15);
    // the fixed ring: a key moves only if it was the departed host's
    const before = new Uint8Array(10).fill(1);
    const after = Uint8Array.from(before, (_, i) => (i === 3 ? 0 : 1));
    const fixed = new HashRing(names(10), new Float64Array(10).fill(1), { points_per_weight: 16 });
    for (let k = 0; k < 5000; k++) {
      const h = hashKey(k);
      const a = fixed.lookup(h, before);
      if (a !== 3) expect(fixed.lookup(h, after)).toBe(a);
    }
  });
  it("in the simulator, ring_hash rebuilds when a host is marked down: other hosts' clients move too", () => {
    const policy = createPolicy('ring_hash', names(10), new Float64Array(10).fill(1));
    const s = state(new Array(10).fill(1));
    policy.rebuild!(s);
    const owner = Array.from({ length: 5000 }, (_, k) => policy.pick(s, hashKey(k), null as never));
    s.eligible[3] = 0;
    policy.rebuild!(s);
    const strays = owner.filter(
      (o, k) => o !== 3 && policy.pick(s, hashKey(k), null as never) !== o,
    ).length;
    expect(strays).toBeGreaterThan(200); // about 7 % of all keys
  });
});

describe('14. static-rr, weighted leastconn, VRRP version', () => {
  it('HAProxy static-rr (lb_map.c recalc_server_map): weights 3:1 give a a a b (quantised scores, first declared wins ties); weights over their GCD; the map is rebuilt over the servers up', () => {
    expect(picks('static-rr', state([3, 1]), 8)).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);
    expect(picks('static-rr', state([4, 4]), 4)).toEqual([0, 1, 0, 1]);
    const s = state([1, 1, 1]);
    s.eligible[1] = 0;
    expect(picks('static-rr', s, 4)).toEqual([0, 2, 0, 2]);
  });

  it('HAProxy leastconn (lb_fwlc.c): key (active + 1)/weight, idle servers first whatever their weight, ties in queueing order', () => {
    expect(picks('leastconn', state([3, 1]), 4)).toEqual([0, 1, 0, 1]); // both idle: key 0 each
    expect(picks('leastconn', state([3, 1], [2, 1]), 1)).toEqual([0]); // 3/3 < 2/1
    expect(picks('leastconn', state([1, 1, 1, 1]), 8)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });

  it('NGINX least_conn (ngx_http_upstream_least_conn_module.c): least conns/weight, ties by weighted round robin', () => {
    expect(picks('least_conn', state([3, 1]), 8)).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
    expect(picks('least_conn', state([1, 1, 2], [1, 0, 0]), 4)).toEqual([2, 1, 2, 2]);
  });

  it("keepalived's default vrrp_version is 2 (core/global_data.c): skew (256 - priority)/256 s whatever advert_int", () => {
    const r = resolveLoadBalancerConfig({
      mode: 'L7',
      clients: { model: 'open', rate: 10 },
      balancer: { pair: {} },
      pools: [{ name: 'web', backends: 2 }],
    });
    expect(r.balancer.pair!.version).toBe(2);
    expect(masterDownInterval(0.1, 100)).toBeCloseTo(0.3 + 156 / 256, 12);
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: 50 },
        balancer: { failures: [{ at: 20, duration: 100 }], pair: { advert_int: 0.1 } },
        pools: [{ name: 'web', backends: 2 }],
      },
      { seed: 5, duration: 30 },
    );
    expect(s.failovers[0].downtime).toBeGreaterThan(0.909 - 0.1 - 1e-9);
    expect(s.failovers[0].downtime).toBeLessThanOrEqual(0.909 + 1e-9);
  });
});

describe('15. Maglev (Envoy maglev_lb.cc, table_size 65537; Eisenbud et al., NSDI 2016)', () => {
  it('equal hosts own floor or ceil of M/N entries; weights 2:1 own entries 2:1; removing one of 10 moves a little over its tenth', () => {
    const names = Array.from({ length: 7 }, (_, i) => `h${i}`);
    const t = new MaglevTable(names, new Float64Array(7).fill(1), new Uint8Array(7).fill(1));
    const counts = new Array(7).fill(0);
    for (const i of t.table) counts[i]++;
    for (const c of counts) expect([Math.floor(65537 / 7), Math.ceil(65537 / 7)]).toContain(c);
    const w = new MaglevTable(['a', 'b'], [2, 1], [1, 1]);
    const wc = [0, 0];
    for (const i of w.table) wc[i]++;
    expect(Math.abs(wc[0] - 2 * wc[1])).toBeLessThanOrEqual(2);
    const moved = keysMovedOnRemoval('maglev', 10, 20000, 4);
    expect(moved).toBeGreaterThan(0.1 - 4 * Math.sqrt(0.09 / 20000));
    expect(moved).toBeLessThan(0.15);
  });

  it('a maglev pool balances and keeps a client on its host', () => {
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: 40, clients: 20000 },
        pools: [{ name: 'web', balance: 'maglev', service: new Exponential(20), backends: 4 }],
      },
      { seed: 1, duration: 200 },
    );
    for (const b of s.backends) expect(Math.abs(b.share - 0.25)).toBeLessThan(0.03);
  });
});

describe('configuration of the new knobs', () => {
  const base = (pool: object, top: object = {}) => ({
    mode: 'L7' as const,
    clients: { model: 'open' as const, rate: 10 },
    pools: [{ name: 'web', backends: 2, ...pool }],
    ...top,
  });
  it.each([
    ['pools.web.backends[0].failure_mode', base({ backends: [{ failure_mode: 'melt' }] })],
    ['pools.web.healthy_panic_threshold', base({ healthy_panic_threshold: 120 })],
    ['pools.web.table_size', base({ balance: 'maglev', table_size: 65536 })],
    ['pools.web.hash_type', base({ balance: 'roundrobin', hash_type: 'consistent' })],
    ['timeout_connect', base({}, { timeout_connect: 0 })],
    ['timeout_server', base({}, { timeout_server: -1 })],
  ])('%s', (path, config) => {
    expect(() => resolveLoadBalancerConfig(config as unknown as LoadBalancerConfig)).toThrow(
      ParameterError,
    );
    expect(() => resolveLoadBalancerConfig(config as unknown as LoadBalancerConfig)).toThrow(path);
  });
});

describe('15. runtime weights and draining, NGINX max_fails/fail_timeout, cookie stickiness', () => {
  it("HAProxy's runtime `set server weight` (0 drains: no new requests) takes effect at once, for static-rr's map too", () => {
    for (const balance of ['roundrobin', 'static-rr'] as const) {
      const sim = new Simulation({ seed: 1 });
      const system = new LoadBalancerSystem(sim, onePool([{}, {}, {}], { balance: balance }));
      sim.run({ until: 50 });
      system.setWeight(0, 0, 0);
      sim.resetStatistics();
      sim.run({ until: 100 });
      expect(system.summary().backends[0].requests).toBe(0);
      system.setWeight(0, 0, 2);
      sim.resetStatistics();
      sim.run({ until: 200 });
      const shares = system.summary().backends.map((b) => b.share);
      expect(shares[0]).toBeCloseTo(0.5, 2); // weights 2, 1, 1: deterministic round robin
    }
    const sim = new Simulation({ seed: 1 });
    const system = new LoadBalancerSystem(sim, onePool([{}, {}]));
    expect(() => system.setWeight(0, 5, 1)).toThrow(ParameterError);
    expect(() => system.setWeight(0, 0, 300)).toThrow(ParameterError);
  });

  it('NGINX max_fails=1 fail_timeout=10s (ngx_http_upstream_round_robin.c): a dead server gets one probe every fail_timeout', () => {
    const config = onePool(
      [{ failures: [{ at: 20, duration: 1000 }], failure_mode: 'crash' }, {}, {}, {}],
      { max_fails: 1, fail_timeout: 10 },
      { clients: { model: 'open', rate: 20 } },
    );
    const s = simulateLoadBalancer(config, { seed: 2, warmup: 40, duration: 100 });
    // about one request per fail_timeout (the probe), against 500 (a quarter of 20 req/s for 100 s) without max_fails
    expect(s.backends[0].requests).toBeGreaterThanOrEqual(9);
    expect(s.backends[0].requests).toBeLessThanOrEqual(11);
  });

  it('HAProxy cookie insert: every request of a client goes to one server while it is up; clients still spread', () => {
    const sim = new Simulation({ seed: 3 });
    const system = new LoadBalancerSystem(sim, {
      mode: 'L7',
      clients: { model: 'open', rate: 40, clients: 200 },
      pools: [
        {
          name: 'web',
          balance: 'roundrobin',
          cookie: true,
          service: new Exponential(20),
          backends: 4,
        },
      ],
    });
    const seen = new Map<number, Set<number>>();
    for (const [g, st] of system.backends.entries()) {
      const original = st.accept.bind(st);
      st.accept = (job: number) => {
        const c = sim.jobs.origin[job];
        if (!seen.has(c)) seen.set(c, new Set());
        seen.get(c)!.add(g);
        original(job);
      };
    }
    sim.run({ until: 200 });
    expect(seen.size).toBe(200);
    for (const servers of seen.values()) expect(servers.size).toBe(1);
    for (const b of system.summary().backends) expect(b.share).toBeGreaterThan(0.15);
  });
});

describe("15. retries on 5xx and Envoy's retry budget (retry_on 5xx; circuit_breakers retry_budget)", () => {
  // two backends at rho 0.9: about 9 requests inside the one that crashes (port closed: reset at once)
  const crashAt = (extra: Partial<LoadBalancerConfig>) =>
    simulateLoadBalancer(
      onePool(
        [{ failures: [{ at: 50, duration: 20 }], failure_mode: 'crash' }, {}],
        { service: new Exponential(10), health_check: { inter: 1 } },
        { clients: { model: 'open', rate: 18 }, retries: 1, ...extra },
      ),
      { seed: 8, duration: 100 },
    );
  it("retry_on 'connect-failure' (HAProxy's default) does not retry a request reset mid-service; '5xx' does", () => {
    const plain = crashAt({});
    const fivexx = crashAt({ retry_on: '5xx' });
    expect(plain.failures.backend).toBeGreaterThan(3);
    expect(fivexx.failures.backend).toBe(0);
  });
  it('a budget of min_retry_concurrency 1 and 0 % lets one retry through at a time: the rest of the reset requests fail, counted as overflow', () => {
    const tight = crashAt({
      retry_on: '5xx',
      retry_budget: { budget_percent: 0, min_retry_concurrency: 1 },
    });
    expect(tight.retryOverflow).toBeGreaterThan(0);
    expect(tight.failures.backend).toBe(tight.retryOverflow);
    expect(() =>
      resolveLoadBalancerConfig({ ...onePool([{}]), retry_budget: { budget_percnt: 5 } as never }),
    ).toThrow(/budget_percent/);
  });
});

describe('15. HAProxy per-server maxconn with the backend queue (src/queue.c, src/backend.c) and balance first (src/lb_fas.c)', () => {
  it('maxconn 1 on every server makes the backend queue one shared FIFO: the mean response time is M/M/c', () => {
    const c = 4;
    const lambda = 32;
    const mu = 10;
    const W = mmc({ lambda, mu, c }).W;
    const means: number[] = [];
    for (let seed = 1; seed <= 4; seed++) {
      const s = simulateLoadBalancer(
        {
          mode: 'L7',
          timeout_queue: 1e6,
          clients: { model: 'open', rate: lambda },
          pools: [
            {
              name: 'web',
              balance: 'roundrobin',
              service: new Exponential(mu),
              backends: Array.from({ length: c }, () => ({ maxconn: 1 })),
            },
          ],
        },
        { seed: seed, warmup: 100, duration: 1500 },
      );
      expect(s.failed).toBe(0);
      means.push(s.meanResponse);
    }
    const m = means.reduce((a, b) => a + b, 0) / means.length;
    const sd = Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / (means.length - 1));
    expect(Math.abs(m - W)).toBeLessThan(3.182 * (sd / Math.sqrt(means.length))); // Student t, 3 df, 95 %
  });

  it('balance first fills the first server up to its maxconn before the next gets any; timeout queue fails the waiting ones under overload', () => {
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: 15 },
        pools: [
          {
            name: 'web',
            balance: 'first',
            service: new Exponential(10),
            backends: [{ maxconn: 2 }, { maxconn: 2 }, { maxconn: 2 }, { maxconn: 2 }],
          },
        ],
      },
      { seed: 3, duration: 500 },
    );
    const shares = s.backends.map((b) => b.share);
    expect(shares[0]).toBeGreaterThan(shares[1]);
    expect(shares[1]).toBeGreaterThan(shares[2]);
    expect(shares[2]).toBeGreaterThan(shares[3]);
    const over = simulateLoadBalancer(
      {
        mode: 'L7',
        timeout_queue: 1,
        clients: { model: 'open', rate: 30 },
        pools: [
          { name: 'web', service: new Exponential(10), backends: [{ maxconn: 1 }, { maxconn: 1 }] },
        ],
      },
      { seed: 3, duration: 200 },
    );
    expect(over.queued).toBeGreaterThan(0);
    expect(over.failures.queue_timeout).toBeGreaterThan(0);
    expect(() =>
      resolveLoadBalancerConfig({
        mode: 'L4',
        clients: { model: 'open', rate: 1 },
        pools: [{ name: 'web', backends: [{ maxconn: 1 }] }],
      }),
    ).toThrow(/maxconn/);
  });
});
