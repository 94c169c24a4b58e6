/** Cross-checks between models that must agree, and the operational laws. */
import {
  erlangB,
  forcedFlowLaw,
  gg1,
  ggc,
  interactiveResponseTime,
  jackson,
  littlesLaw,
  md1,
  mg1,
  mm1,
  mmc,
  mmcc,
  mmck,
  mmInfinity,
  mva,
  openMulticlass,
  serviceDemandLaw,
  utilisationLaw,
} from '../../lib/queueing';
import { ParameterError } from '../../lib/errors';

const close = (actual: number, expected: number, tol = 1e-10) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));

describe('models that must agree', () => {
  test('M/M/c/K with K = c is the Erlang loss system M/M/c/c', () => {
    for (const [lambda, mu, c] of [
      [3, 0.25, 15],
      [10, 1, 10],
      [0.5, 2, 1],
    ]) {
      const a = mmck({ lambda, mu, c, K: c });
      const b = mmcc({ lambda, mu, c });
      close(a.PK, b.B);
      close(a.PK, erlangB(lambda / mu, c).B);
      close(a.L, b.L);
      close(a.P0, b.P0);
      close(a.W, 1 / mu);
    }
  });

  test('M/G/1 with cs2 = 1 is M/M/1; M/D/1 waits half as long', () => {
    const m = mm1({ lambda: 0.8, mu: 1 });
    const g = mg1({ lambda: 0.8, mean: 1, scv: 1 });
    close(g.Wq, m.Wq);
    close(g.L, m.L);
    close(md1({ lambda: 0.8, mean: 1 }).Wq, m.Wq / 2);
  });

  test('Allen-Cunneen with Poisson arrivals and exponential service is exact M/M/c; with c = 1 it is Kingman', () => {
    const a = ggc({ lambda: 7, mu: 1, c: 9, ca2: 1, cs2: 1 });
    const b = mmc({ lambda: 7, mu: 1, c: 9 });
    close(a.W, b.W);
    close(
      ggc({ lambda: 0.7, mu: 1, c: 1, ca2: 2, cs2: 0.3 }).Wq,
      gg1({ lambda: 0.7, mu: 1, ca2: 2, cs2: 0.3 }).Wq,
    );
  });

  test('M/M/c with many servers and light load approaches M/M/infinity', () => {
    const a = mmc({ lambda: 5, mu: 1, c: 60 });
    const b = mmInfinity({ lambda: 5, mu: 1 });
    close(a.L, b.L, 1e-12);
    close(a.P0, b.P0, 1e-12);
  });

  test('a Jackson network of single servers equals the open multiclass model with one class', () => {
    const net = jackson({
      stations: [{ mu: 10, arrivalRate: 2 }, { mu: 6 }, { mu: 9, arrivalRate: 1 }],
      routing: [
        [0, 0.6, 0.2],
        [0.3, 0, 0.1],
        [0, 0, 0],
      ],
    });
    const demands = net.stations.map((s) => s.visits / s.mu);
    const open = openMulticlass({
      arrivalRates: [net.X],
      stations: demands.map((d) => ({ demands: [d] })),
    });
    close(open.responseTime[0], net.W);
    net.rho.forEach((rho, k) => close(open.U[k], rho));
  });

  test('MVA with one job is the sum of demands; Little holds at every station', () => {
    const stations = [
      { demand: 0.3 },
      { demand: 0.2, servers: 2 },
      { demand: 1, kind: 'delay' as const },
    ];
    close(mva({ stations, users: 1, thinkTime: 2 }).responseTime, 1.5);
    const r = mva({ stations, users: 17, thinkTime: 2 });
    r.Q.forEach((q, k) => close(q, r.X[k] * r.R[k]));
  });
});

describe('operational laws (Lazowska et al. 1984, chapter 3)', () => {
  test("Little's law from any two of L, X, W", () => {
    expect(littlesLaw({ X: 20, W: 0.5 }).L).toBe(10);
    expect(littlesLaw({ L: 10, W: 0.5 }).X).toBe(20);
    expect(littlesLaw({ L: 10, X: 20 }).W).toBe(0.5);
    expect(() => littlesLaw({ L: 1 })).toThrow(ParameterError);
    expect(() => littlesLaw({ L: 1, X: 1, W: 1 })).toThrow(ParameterError);
  });

  test('utilisation, service demand and forced flow laws on the Lazowska p. 117 CPU (V 121, S 0.005)', () => {
    const X = 0.151516;
    const Xcpu = forcedFlowLaw(X, 121);
    close(Xcpu, 18.333436);
    const U = utilisationLaw(Xcpu, 0.005);
    close(U, 0.0916672, 1e-6);
    close(serviceDemandLaw(U, X), 0.605);
    close(utilisationLaw(10, 0.3, 4), 0.75);
  });

  test('interactive response time law R = N / X - Z matches MVA and rejects inconsistent data', () => {
    const r = mva({
      stations: [{ demand: 0.605 }, { demand: 2.1 }, { demand: 1.35 }],
      users: 3,
      thinkTime: 15,
    });
    close(interactiveResponseTime(3, r.throughput, 15), r.responseTime);
    expect(() => interactiveResponseTime(3, 1, 15)).toThrow(ParameterError);
  });
});
