/** Property tests (fast-check): monotonicity, bounds, no NaN on the valid domain, typed errors outside it. */
import fc from 'fast-check';
import {
  closedNetworkBounds,
  erlangB,
  erlangC,
  finiteSource,
  gg1,
  ggc,
  jackson,
  mg1,
  mm1,
  mm1k,
  mmc,
  mmcc,
  mmck,
  mmInfinity,
  mva,
  mvaMulticlass,
  mvaSchweitzer,
  fitUsl,
  amdahl,
  uslThroughput,
} from '../../lib/queueing';
import { ParameterError, UnstableSystemError } from '../../lib/errors';

// Fixed seed: the same cases on every run (a random seed once found a rounding case here that
// passed on every other run).
fc.configureGlobal({ seed: 20261201 });

const RUNS = { numRuns: 100 };
const rate = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
const fraction = fc.double({ min: 0.001, max: 0.999, noNaN: true });
const servers = fc.integer({ min: 1, max: 300 });

/** Every number anywhere in the result is finite (no NaN, no Infinity). */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value !== 'object') return true;
  if (ArrayBuffer.isView(value)) return Array.from(value as Float64Array).every(Number.isFinite);
  return Object.values(value as Record<string, unknown>).every(allFinite);
}

describe('W grows with lambda', () => {
  test('M/M/c, M/G/1, G/G/c: lambda1 < lambda2 gives W1 <= W2', () => {
    fc.assert(
      fc.property(
        rate,
        servers,
        fraction,
        fraction,
        fc.double({ min: 0, max: 4, noNaN: true }),
        (mu, c, a, b, scv) => {
          const [u1, u2] = a < b ? [a, b] : [b, a];
          const l1 = u1 * c * mu;
          const l2 = u2 * c * mu;
          const tol = 1e-9;
          expect(mmc({ lambda: l1, mu, c }).W).toBeLessThanOrEqual(
            mmc({ lambda: l2, mu, c }).W * (1 + tol),
          );
          expect(ggc({ lambda: l1, mu, c, ca2: scv, cs2: 1 }).W).toBeLessThanOrEqual(
            ggc({ lambda: l2, mu, c, ca2: scv, cs2: 1 }).W * (1 + tol),
          );
          const m1 = mg1({ lambda: u1 / (1 / mu), mean: 1 / mu, scv }).W;
          const m2 = mg1({ lambda: u2 / (1 / mu), mean: 1 / mu, scv }).W;
          expect(m1).toBeLessThanOrEqual(m2 * (1 + tol));
        },
      ),
      RUNS,
    );
  });

  test('M/M/c/K: W grows with lambda at fixed K', () => {
    fc.assert(
      fc.property(
        rate,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 50 }),
        rate,
        rate,
        (mu, c, extra, x, y) => {
          const [l1, l2] = x < y ? [x, y] : [y, x];
          const K = c + extra;
          expect(mmck({ lambda: l1, mu, c, K }).W).toBeLessThanOrEqual(
            mmck({ lambda: l2, mu, c, K }).W * (1 + 1e-9),
          );
        },
      ),
      RUNS,
    );
  });
});

describe('cross-checks between code paths', () => {
  test('Erlang C >= Erlang B for every A < c', () => {
    fc.assert(
      fc.property(servers, fraction, (c, u) => {
        const A = u * c;
        expect(erlangC(A, c).C).toBeGreaterThanOrEqual(erlangB(A, c).B - 1e-15);
      }),
      RUNS,
    );
  });

  test('finite source M/M/c//N equals exact MVA with think time 1/lambda', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        rate,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 80 }),
        (lambda, mu, c, N) => {
          const fs = finiteSource({ lambda, mu, c, N });
          const r = mva({
            stations: [{ demand: 1 / mu, servers: c }],
            users: N,
            thinkTime: 1 / lambda,
          });
          expect(Math.abs(r.throughput / fs.X - 1)).toBeLessThan(1e-8);
          expect(Math.abs(r.Q[0] - fs.L)).toBeLessThan(1e-7 * Math.max(1, fs.L));
        },
      ),
      RUNS,
    );
  });

  test('M/M/1 = M/M/c with c = 1, M/M/1/K = M/M/c/K with c = 1, Little holds', () => {
    fc.assert(
      fc.property(rate, fraction, fc.integer({ min: 1, max: 100 }), (mu, u, K) => {
        const lambda = u * mu;
        const a = mm1({ lambda, mu });
        const b = mmc({ lambda, mu, c: 1 });
        for (const key of ['L', 'Lq', 'W', 'Wq', 'P0', 'Pwait'] as const)
          expect(Math.abs(a[key] - b[key])).toBeLessThan(1e-9 * Math.max(1, a[key]));
        const k1 = mm1k({ lambda, mu, K });
        expect(Math.abs(k1.L - k1.X * k1.W)).toBeLessThan(1e-9 * Math.max(1, k1.L));
        expect(Math.abs(b.L - b.X * b.W)).toBeLessThan(1e-9 * Math.max(1, b.L));
      }),
      RUNS,
    );
  });
});

describe('MVA never exceeds its bounds', () => {
  test('exact MVA throughput lies within the asymptotic and balanced job bounds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 300 }),
        (demands, Z, N) => {
          const X = mva({
            stations: demands.map((demand) => ({ demand })),
            users: N,
            thinkTime: Z,
          }).throughput;
          const b = closedNetworkBounds({ demands, thinkTime: Z, users: N });
          const eps = 1e-9;
          expect(X).toBeLessThanOrEqual(b.aba.X.upper * (1 + eps));
          expect(X).toBeGreaterThanOrEqual(b.aba.X.lower * (1 - eps));
          expect(X).toBeLessThanOrEqual(b.bjb.X.upper * (1 + eps));
          expect(X).toBeGreaterThanOrEqual(b.bjb.X.lower * (1 - eps));
        },
      ),
      RUNS,
    );
  });

  test('multi-server MVA throughput never exceeds min(N / (D + Z), min_k c_k / D_k)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            demand: fc.double({ min: 0.001, max: 5, noNaN: true }),
            servers: fc.integer({ min: 1, max: 8 }),
          }),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        fc.double({ min: 0, max: 20, noNaN: true }),
        fc.integer({ min: 1, max: 150 }),
        (stations, Z, N) => {
          const X = mva({ stations, users: N, thinkTime: Z }).throughput;
          const D = stations.reduce((a, s) => a + s.demand, 0);
          const cap = Math.min(N / (D + Z), ...stations.map((s) => s.servers / s.demand));
          expect(X).toBeLessThanOrEqual(cap * (1 + 1e-9));
          expect(X).toBeGreaterThan(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('no NaN or Infinity over the valid domain', () => {
  test('single queues', () => {
    fc.assert(
      fc.property(
        rate,
        servers,
        fraction,
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (mu, c, u, extra, scv) => {
          const lambda = u * c * mu;
          const results: unknown[] = [
            mmc({ lambda, mu, c }),
            mmck({ lambda: lambda * 3, mu, c, K: c + extra }),
            mmcc({ lambda: lambda * 3, mu, c }),
            mmInfinity({ lambda, mu }),
            finiteSource({ lambda: u, mu, c, N: c + extra }),
            ggc({ lambda, mu, c, ca2: scv, cs2: scv }),
            erlangB(lambda / mu, c),
            erlangC(lambda / mu, c),
          ];
          if (c === 1)
            results.push(
              mm1({ lambda, mu }),
              gg1({ lambda, mu, ca2: scv, cs2: scv }),
              mg1({ lambda, mean: 1 / mu, scv }),
            );
          for (const r of results) expect(allFinite(r)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  test('networks and scalability', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 0, max: 6 }),
        fc.double({ min: 0.001, max: 10, noNaN: true }),
        (demands, N, Z) => {
          const stations = demands.map((d) => ({ demands: [d, d / 2] }));
          const params = {
            classes: [
              { population: N, thinkTime: Z },
              { population: 2, thinkTime: Z },
            ],
            stations,
          };
          expect(allFinite(mvaMulticlass(params))).toBe(true);
          expect(allFinite(mvaSchweitzer(params))).toBe(true);
          const mus = demands.map((d) => 1 / (d + 0.01));
          const net = jackson({
            stations: mus.map((mu, i) => ({
              mu: mu * 2,
              arrivalRate: i === 0 ? 0.5 * Math.min(...mus) : 0,
            })),
            routing: demands.map((_, i) => demands.map((__, j) => (j === i + 1 ? 0.5 : 0))),
          });
          expect(allFinite(net)).toBe(true);
          const points = [1, 2, 4, 8].map((n) => ({
            N: n,
            X: uslThroughput(
              { alpha: Math.min(demands[0] / 10, 0.9), beta: demands[1] / 100, gamma: Z },
              n,
            ),
          }));
          const fit = fitUsl(points);
          expect(
            Number.isFinite(fit.alpha) &&
              Number.isFinite(fit.beta) &&
              Number.isFinite(fit.gamma) &&
              Number.isFinite(fit.rss),
          ).toBe(true);
          expect(allFinite({ ...amdahl(Math.min(demands[0] / 5, 1), N + 1), limit: 0 })).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('no NaN in exact MVA with any mix of stations', () => {
  test('queue, delay and multi-server stations, zero demands, zero think time', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            demand: fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 5, noNaN: true })),
            servers: fc.integer({ min: 1, max: 6 }),
            kind: fc.constantFrom('queue' as const, 'delay' as const),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 10, noNaN: true })),
        fc.integer({ min: 1, max: 200 }),
        (stations, Z, N) => {
          fc.pre(Z > 0 || stations.some((s) => s.demand > 0));
          const r = mva({ stations, users: N, thinkTime: Z });
          expect(allFinite(r)).toBe(true);
          expect(Math.abs(r.cycleTime - N / r.throughput)).toBeLessThan(1e-9 * r.cycleTime);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('every invalid input throws the typed error naming the parameter', () => {
  const bad = fc.oneof(
    fc.double({ max: 0, noNaN: true }),
    fc.constant(NaN),
    fc.constant(Infinity),
    fc.constant(-Infinity),
    fc.constant(0),
  );
  const notServerCount = fc.oneof(
    fc.integer({ max: 0 }),
    fc.double({ min: 1.01, max: 100, noNaN: true }).filter((v) => !Number.isInteger(v)),
    fc.constant(NaN),
  );

  const expectParameterError = (f: () => unknown, parameter: string) => {
    let caught: unknown;
    try {
      f();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ParameterError);
    expect((caught as ParameterError).parameter).toBe(parameter);
    expect((caught as ParameterError).message).toContain(parameter);
  };

  test('non-positive or non-finite rates', () => {
    fc.assert(
      fc.property(bad, (v) => {
        expectParameterError(() => mm1({ lambda: v, mu: 1 }), 'lambda');
        expectParameterError(() => mm1({ lambda: 0.5, mu: v }), 'mu');
        expectParameterError(() => mmc({ lambda: v, mu: 1, c: 2 }), 'lambda');
        expectParameterError(() => mmck({ lambda: 1, mu: v, c: 2, K: 3 }), 'mu');
        expectParameterError(() => mmcc({ lambda: v, mu: 1, c: 2 }), 'lambda');
        expectParameterError(() => finiteSource({ lambda: v, mu: 1, c: 1, N: 3 }), 'lambda');
        expectParameterError(() => mg1({ lambda: 0.1, mean: v, scv: 1 }), 'mean');
        expectParameterError(() => ggc({ lambda: 1, mu: v, c: 2, ca2: 1, cs2: 1 }), 'mu');
        expectParameterError(() => mmInfinity({ lambda: 1, mu: v }), 'mu');
      }),
      { numRuns: 50 },
    );
  });

  test('server counts that are not integers >= 1, and K < c', () => {
    fc.assert(
      fc.property(notServerCount, fc.integer({ min: 2, max: 50 }), (c, good) => {
        expectParameterError(() => mmc({ lambda: 0.1, mu: 1, c }), 'c');
        expectParameterError(() => mmck({ lambda: 0.1, mu: 1, c, K: 100 }), 'c');
        expectParameterError(() => erlangB(1, c), 'c');
        expectParameterError(() => mmck({ lambda: 0.1, mu: 1, c: good, K: good - 1 }), 'K');
      }),
      { numRuns: 50 },
    );
  });

  test('utilisation >= 1 for an open queue throws UnstableSystemError with the utilisation', () => {
    fc.assert(
      fc.property(rate, servers, fc.double({ min: 1, max: 100, noNaN: true }), (mu, c, over) => {
        const lambda = over * c * mu;
        for (const f of [
          () => mmc({ lambda, mu, c }),
          () => ggc({ lambda, mu, c, ca2: 1, cs2: 1 }),
          () => erlangC(over * c, c), // a = λ/μ computed as λ/μ can round to just below c (0.9999999999999999 · c)
        ]) {
          let caught: unknown;
          try {
            f();
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(UnstableSystemError);
          expect((caught as UnstableSystemError).utilisation).toBeGreaterThanOrEqual(1 - 1e-12);
        }
      }),
      { numRuns: 50 },
    );
  });

  test('closed networks: bad populations, think times and demands', () => {
    expectParameterError(() => mva({ stations: [{ demand: 1 }], users: 0 }), 'users');
    expectParameterError(() => mva({ stations: [{ demand: 1 }], users: 2.5 }), 'users');
    expectParameterError(
      () => mva({ stations: [{ demand: 1 }], users: 2, thinkTime: -1 }),
      'thinkTime',
    );
    expectParameterError(() => mva({ stations: [{ demand: -1 }], users: 2 }), 'stations[0].demand');
    expectParameterError(
      () => mva({ stations: [{ demand: 1, servers: 0 }], users: 2 }),
      'stations[0].servers',
    );
    expectParameterError(() => mva({ stations: [], users: 2 }), 'stations');
    expectParameterError(
      () => mvaMulticlass({ classes: [{ population: -1 }], stations: [{ demands: [1] }] }),
      'classes[0].population',
    );
    expectParameterError(
      () => mvaMulticlass({ classes: [{ population: 1 }], stations: [{ demands: [1, 2] }] }),
      'stations[0].demands',
    );
    expectParameterError(
      () => jackson({ stations: [{ mu: 1, arrivalRate: 0.5 }], routing: [[1.5]] }),
      'routing[0][0]',
    );
  });
});
