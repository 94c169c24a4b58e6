/** Numerical range: large c, K, N without overflow, NaN or Infinity; MVA speed. */
import { erlangB, erlangC, finiteSource, mmc, mmcc, mmck, mva } from '../../lib/queueing';

const finiteFields = (o: object) =>
  Object.entries(o).forEach(([k, v]) => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`${k} = ${v}`);
    }
  });

/** Erlang B from its definition, summed in log space: an independent reference. */
function erlangBReference(A: number, c: number): number {
  const logs: number[] = [];
  let lw = 0;
  for (let k = 0; k <= c; k++) {
    if (k > 0) lw += Math.log(A) - Math.log(k);
    logs.push(lw);
  }
  const max = Math.max(...logs);
  const sum = logs.reduce((a, l) => a + Math.exp(l - max), 0);
  return Math.exp(logs[c] - max) / sum;
}

describe('Erlang B and C for large c', () => {
  test.each([
    [5, 10],
    [80, 100],
    [950, 1000],
    [20000, 20000],
  ])('recurrence matches the log-space definition at A = %d, c = %d', (A, c) => {
    expect(Math.abs(erlangB(A, c).B / erlangBReference(A, c) - 1)).toBeLessThan(1e-10);
  });

  test('c = 100,000: finite and ordered', () => {
    for (const A of [1, 50000, 99000, 99990, 150000]) {
      const b = erlangB(A, 100000);
      expect(b.B).toBeGreaterThanOrEqual(0);
      expect(b.B).toBeLessThanOrEqual(1);
      if (A < 100000) {
        const c = erlangC(A, 100000);
        expect(c.C).toBeGreaterThanOrEqual(c.B);
        expect(c.C).toBeLessThanOrEqual(1);
        finiteFields(c);
        finiteFields(mmc({ lambda: A, mu: 1, c: 100000 }));
      }
      finiteFields(mmcc({ lambda: A, mu: 1, c: 100000 }));
    }
  });

  test('M/M/c P0 for c = 100,000 and light load is exp(-A) (underflow-free log sums)', () => {
    expect(Math.abs(mmc({ lambda: 3, mu: 1, c: 100000 }).P0 - Math.exp(-3))).toBeLessThan(1e-14);
  });
});

describe('M/M/c/K and finite source at extreme sizes', () => {
  test('K = 1e12 with rho far above 1 or below 1 stays finite and consistent', () => {
    for (const lambda of [0.5, 99.99, 1e6]) {
      const r = mmck({ lambda, mu: 1, c: 100, K: 1e12 });
      finiteFields(r);
      expect(r.PK).toBeGreaterThanOrEqual(0);
      expect(r.PK).toBeLessThan(1);
      expect(Math.abs(r.L - r.Lq - r.lambdaEff / 1) / Math.max(1, r.L)).toBeLessThan(1e-9); // busy servers = lambdaEff / mu
    }
  });

  test('M/M/c/K with large K approaches M/M/c', () => {
    const open = mmc({ lambda: 9, mu: 1, c: 10 });
    const finite = mmck({ lambda: 9, mu: 1, c: 10, K: 2000 });
    expect(Math.abs(finite.L - open.L)).toBeLessThan(1e-9);
    expect(Math.abs(finite.Wq - open.Wq)).toBeLessThan(1e-9);
    expect(Math.abs(finite.Pwait - open.Pwait)).toBeLessThan(1e-9);
    expect(Math.abs(finite.P0 - open.P0)).toBeLessThan(1e-12);
  });

  test('finite source with a million users', () => {
    const r = finiteSource({ lambda: 0.01, mu: 1, c: 500, N: 1_000_000 });
    finiteFields(r);
    expect(Math.abs(r.X - 500)).toBeLessThan(1e-6); // saturated: all servers busy
  });
});

describe('MVA speed', () => {
  // Runs the large case (about 0.1 s on the 2-core CI machine) without timing it: speed is measured
  // only in npm run bench, and a test prints nothing (DEVELOPING.md).
  test('exact single-class MVA, N = 100,000 over 200 stations', () => {
    const stations = Array.from({ length: 200 }, (_, k) => ({ demand: 0.001 * (1 + (k % 7)) }));
    const r = mva({ stations, users: 100_000, thinkTime: 1 });
    // saturated: just under 1 / Dmax (29 stations share the bottleneck demand, so convergence is slow)
    expect(r.throughput).toBeLessThanOrEqual(1 / 0.007);
    expect(r.throughput * 0.007).toBeGreaterThan(0.999);
    finiteFields(r);
  });
});
