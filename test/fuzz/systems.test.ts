/**
 * Issue 23, point 9, over the system simulators: hostile configurations and run windows (rates,
 * counts, service times and durations from zero to 1e308, NaN and negatives included) either run
 * to a summary whose counts are finite and whose latencies are NaN only where nothing was observed,
 * or are refused with a typed user error; never another exception, never a hang: each case runs
 * under a kernel budget of 50,000 events, beyond which the kernel stops it with a WorkBudgetError.
 *
 * `npm test` runs FUZZ_RUNS = 40 cases per system; `npm run fuzz` runs 2000.
 */
import fc from 'fast-check';
import { isUserError } from '../../lib/errors';
import { Deterministic, Empirical, Exponential } from '../../lib/random';
import type { Distribution } from '../../lib/random';
import { Simulation } from '../../lib/sim';
import { cache, geodns, kafka, loadbalancer, microservices, replication, webtier } from '../../lib';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 23);
const settings = { numRuns: RUNS, seed: SEED };

const rate = fc.oneof(
  fc.double({ min: 0, max: 2000, noNaN: true }),
  fc.constantFrom(0, -1, 1e-320, 1e9, 1e308, Infinity, NaN),
);
const count = fc.oneof(fc.integer({ min: 1, max: 16 }), fc.constantFrom(0, -1, 1.5, 1e9, NaN));
const duration = fc.oneof(
  fc.double({ min: 0.1, max: 200, noNaN: true }),
  fc.constantFrom(0, -5, 1e12, Infinity, NaN),
);
const service: fc.Arbitrary<Distribution> = fc.oneof(
  fc.double({ min: 1e-4, max: 10, noNaN: true }).map((m) => Exponential.withMean(m)),
  fc.constantFrom<Distribution>(
    new Deterministic(0),
    new Deterministic(1e-9),
    new Empirical([0.01, 0.2]),
    new Empirical([-1, 2]),
  ),
);

/** Counts must be finite; a latency summary may be NaN only when it observed nothing. */
function checkSummary(v: unknown, path = ''): void {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return;
  const o = v as Record<string, unknown>;
  if (typeof o.count === 'number' && typeof o.mean === 'number' && 'p99' in o) {
    if (!Number.isFinite(o.count)) throw new Error(`non-finite latency count at ${path}`);
    if (o.count > 0 && !Number.isFinite(o.mean))
      throw new Error(`latency mean ${o.mean} with ${o.count} observations at ${path}`);
    return;
  }
  for (const [k, x] of Object.entries(o)) {
    if (
      [
        'requests',
        'completed',
        'failed',
        'processed',
        'arrivals',
        'departures',
        'reads',
        'writesCommitted',
      ].includes(k) &&
      typeof x === 'number' &&
      !Number.isFinite(x)
    ) {
      throw new Error(`non-finite count ${k} = ${x} at ${path}`);
    }
    if (k === 'overloaded' && typeof x !== 'boolean')
      throw new Error(`overloaded is ${typeof x} at ${path}`);
    checkSummary(x, `${path}.${k}`);
  }
}

/** A summary that passes checkSummary, or a typed user error; anything else fails the case. */
function summaryOrRefused(f: () => unknown): void {
  const before = Simulation.defaultEventBudget;
  Simulation.defaultEventBudget = 50_000;
  let out: unknown;
  try {
    out = f();
  } catch (e) {
    if (isUserError(e)) return;
    throw e;
  } finally {
    Simulation.defaultEventBudget = before;
  }
  checkSummary(out);
}

describe('system simulators: a checked summary or a typed refusal, in bounded work', () => {
  test('loadbalancer', () => {
    fc.assert(
      fc.property(
        rate,
        count,
        service,
        duration,
        fc.constantFrom('roundrobin', 'leastconn', 'random', 'least_request'),
        (r, n, s, d, balance) =>
          summaryOrRefused(() =>
            loadbalancer.simulateLoadBalancer(
              {
                mode: 'L7',
                clients: { model: 'open', rate: r },
                pools: [{ name: 'web', backends: n, balance: balance, service: s }],
              },
              { seed: 1, duration: d },
            ),
          ),
      ),
      settings,
    );
  });

  test('microservices', () => {
    fc.assert(
      fc.property(rate, count, service, service, duration, (r, n, s1, s2, d) =>
        summaryOrRefused(() =>
          microservices.simulateMicroservices(
            {
              services: [
                { name: 'web', replicas: n, service: s1, calls: [{ service: 'db', fanout: 2 }] },
                { name: 'db', service: s2 },
              ],
              clients: { rate: r },
            },
            { seed: 1, duration: d },
          ),
        ),
      ),
      settings,
    );
  });

  test('webtier', () => {
    fc.assert(
      fc.property(
        rate,
        count,
        service,
        duration,
        fc.constantFrom<'memory' | 'shared' | 'token'>('memory', 'shared', 'token'),
        (r, n, s, d, store) =>
          summaryOrRefused(() =>
            webtier.simulateWebTier(
              { users: { rate: r }, replicas: n, service: s, session_store: store },
              { seed: 1, duration: d },
            ),
          ),
      ),
      settings,
    );
  });

  test('replication', () => {
    fc.assert(
      fc.property(rate, rate, count, service, duration, (w, rd, n, s, d) =>
        summaryOrRefused(
          () =>
            replication.simulateReplication(
              { replicas: n, writeRate: w, readRate: rd, applyTime: s },
              { seed: 1, duration: d },
            ).summary,
        ),
      ),
      settings,
    );
  });

  test('kafka', () => {
    fc.assert(
      fc.property(rate, count, count, service, duration, (r, p, m, s, d) =>
        summaryOrRefused(() =>
          kafka.simulateKafka(
            {
              topics: [{ name: 'e', partitions: p }],
              producers: [{ topic: 'e', rate: r }],
              groups: [{ groupId: 'g', topic: 'e', members: m, processing: s }],
            },
            { seed: 1, duration: d },
          ),
        ),
      ),
      settings,
    );
  });

  test('cache', () => {
    fc.assert(
      fc.property(
        rate,
        count,
        service,
        duration,
        fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(0, -3, 1e12)),
        (r, n, s, d, objects) =>
          summaryOrRefused(() =>
            cache.simulateCache(
              {
                rate: r,
                popularity: { model: 'zipf', objects: objects, alpha: 0.8 },
                cache: { nodes: n, hashing: 'ketama', policy: 'lru', capacity: 100 },
                database: { servers: 4, service: s },
              },
              { seed: 1, duration: d },
            ),
          ),
      ),
      settings,
    );
  });

  test('geodns', () => {
    fc.assert(
      fc.property(
        rate,
        count,
        service,
        duration,
        fc.constantFrom('latency', 'geolocation', 'weighted', 'failover'),
        (r, n, s, d, policy) =>
          summaryOrRefused(() =>
            geodns.simulateGeoDns(
              {
                regions: [
                  { name: 'us-east-1', rate: r },
                  { name: 'eu-west-1', rate: r / 2 },
                ],
                datacenters: [
                  {
                    name: 'virginia',
                    region: 'us-east-1',
                    servers: n,
                    service: s,
                    failover: 'PRIMARY',
                  },
                  {
                    name: 'ireland',
                    region: 'eu-west-1',
                    servers: n,
                    service: s,
                    failover: 'SECONDARY',
                  },
                ],
                routing: { policy: policy, ttl: 60 },
              },
              { seed: 1, duration: d },
            ),
          ),
      ),
      settings,
    );
  });
});
