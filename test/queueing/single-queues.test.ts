/**
 * Single-queue models against the published oracles of shared/reference/queueing.md section 5.2.
 * Each case cites its source; quoted values are checked to the digits printed (|err| < 1e-3 or
 * better), closed-form values to 1e-6.
 */
import {
  erlangB,
  erlangC,
  finiteSource,
  gg1,
  ggc,
  md1,
  mg1,
  mm1,
  mm1k,
  mmc,
  mmcc,
  mmck,
  mmInfinity,
  responsePercentile,
  responseTail,
  waitPercentile,
  waitTail,
} from '../../lib/queueing';
import { UnstableSystemError } from '../../lib/errors';

const close = (actual: number, expected: number, tol = 1e-6) =>
  expect(Math.abs(actual - expected)).toBeLessThan(tol);

describe('M/M/1', () => {
  test('PDQ examples/ppa_1998/chap2/open1.out (quoted): lambda 0.75, S 1 -> U 75 %, Q 3, R 4', () => {
    const r = mm1({ lambda: 0.75, mu: 1 });
    close(r.X, 0.75);
    close(r.rho, 0.75);
    close(r.L, 3.0);
    close(r.W, 4.0);
  });

  test('Sixto (2004) ex. 10.3 via R queueing NewInput.MM1.Rd: lambda 1/4, mu 1/3', () => {
    const r = mm1({ lambda: 1 / 4, mu: 1 / 3 });
    close(r.rho, 0.75);
    close(r.L, 3);
    close(r.Lq, 2.25);
    close(r.W, 12);
    close(r.Wq, 9);
    close(r.P0, 0.25);
  });

  test('Ciw docs/Background/simulationpractice.rst: lambda 5, mu 8 -> Wq 0.208333', () => {
    close(mm1({ lambda: 5, mu: 8 }).Wq, 0.208333, 1e-6);
  });

  test('response time is Exp(mu - lambda): percentiles and tails agree', () => {
    const r = mm1({ lambda: 0.75, mu: 1 });
    close(r.percentiles.W.p95, -Math.log(0.05) / 0.25, 1e-9);
    close(responseTail(r, r.percentiles.W.p99), 0.01, 1e-12);
    close(waitTail(r, 0), 0.75, 1e-12);
    close(waitTail(r, r.percentiles.Wq.p90), 0.1, 1e-12);
    expect(r.percentiles.Wq.p50).toBeGreaterThan(0); // P(Wq > 0) = 0.75 > 0.5
  });
});

describe('M/M/c (Erlang C)', () => {
  test('Sixto (2004) ex. 10.9 via R queueing NewInput.MMC.Rd: M/M/2, lambda 5, mu 10', () => {
    const r = mmc({ lambda: 5, mu: 10, c: 2 });
    close(r.A, 0.5);
    close(r.rho, 0.25);
    close(r.C, 0.1);
    close(r.P0, 0.6);
    close(r.Lq, 0.033333);
    close(r.L, 0.533333);
    close(r.Wq, 0.0066667);
    close(r.W, 0.1066667);
  });

  test('Ciw README.rst: M/M/3, lambda 0.2, mu 0.1', () => {
    const r = mmc({ lambda: 0.2, mu: 0.1, c: 3 });
    close(r.A, 2);
    close(r.Pwait, 0.444444);
    close(r.Wq, 4.444444);
    close(r.Lq, 0.888889);
    close(r.W, 14.444444);
    close(r.P0, 1 / 9, 1e-12);
  });

  test('R queueing man/C_erlang.Rd: c 2, A 0.5/0.7 -> C 0.187970, B 0.129534', () => {
    close(erlangC(0.5 / 0.7, 2).C, 0.18797, 1e-6);
    close(erlangB(0.5 / 0.7, 2).B, 0.129534, 1e-6);
  });

  test('an Erlang C "probability" above 1 for 10 erlangs on 3 servers is refused (reference 5.2 caution)', () => {
    expect(() => erlangC(10, 3)).toThrow(UnstableSystemError);
    expect(() => mmc({ lambda: 10, mu: 1, c: 3 })).toThrow(UnstableSystemError);
  });

  test('waiting-time distribution: P(Wq > t) = C exp(-(c mu - lambda) t); percentiles invert the tails', () => {
    const r = mmc({ lambda: 0.2, mu: 0.1, c: 3 });
    close(waitTail(r, 5), 0.444444444 * Math.exp(-0.1 * 5), 1e-9);
    expect(r.percentiles.Wq.p50).toBe(0); // P(Wq > 0) = 0.444 < 0.5
    close(waitTail(r, waitPercentile(r, 0.95)), 0.05, 1e-12);
    for (const p of [0.5, 0.9, 0.99]) close(responseTail(r, responsePercentile(r, p)), 1 - p, 1e-9);
  });

  test('response-time tail matches a numerical convolution of wait and service', () => {
    const r = mmc({ lambda: 3.5, mu: 1, c: 4 });
    const theta = 4 * 1 - 3.5;
    const t = 2.5;
    // P(W > t) = (1 - C) P(S > t) + C [P(E1 > t) + P(E1 <= t, E1 + S > t)],  E1 ~ Exp(theta), S ~ Exp(1)
    const direct =
      (1 - r.Pwait) * Math.exp(-t) + r.Pwait * (Math.exp(-theta * t) + integralNoWait(theta, t));
    close(responseTail(r, t), direct, 1e-8);
  });
});

/** P(E1 <= t, E1 + S > t) for E1 ~ Exp(theta), S ~ Exp(1), by midpoint quadrature. */
function integralNoWait(theta: number, t: number): number {
  const steps = 200000;
  let s = 0;
  for (let i = 0; i < steps; i++) {
    const u = ((i + 0.5) / steps) * t;
    s += theta * Math.exp(-theta * u) * Math.exp(-(t - u));
  }
  return (s * t) / steps;
}

describe('Erlang B and M/M/c/c', () => {
  test('Sixto (2004) ex. 10.12 via R queueing NewInput.MMCC.Rd: lambda 3, mu 0.25, c 15', () => {
    const r = mmcc({ lambda: 3, mu: 0.25, c: 15 });
    close(r.B, 0.085729);
    close(r.carriedLoad, 10.971249);
    close(r.L, 10.971249);
    close(r.lambdaEff, 3 * (1 - r.B), 1e-12);
  });

  test('classic Erlang B tables: A 10 on c 10 and c 15', () => {
    close(erlangB(10, 10).B, 0.214582);
    close(erlangB(10, 15).B, 0.036497);
  });
});

describe('M/M/1/K and M/M/c/K', () => {
  test('Sixto (2004) ex. 10.7 via R queueing NewInput.MM1K.Rd: lambda 5, mu 5.714, K 15', () => {
    const r = mm1k({ lambda: 5, mu: 5.714, K: 15 });
    close(r.P0, 0.1417, 1e-6);
    close(r.PK, 0.019134);
    close(r.lambdaEff, 4.904328);
    close(r.L, 4.858888);
    close(r.Lq, 4.000587);
    close(r.W, 0.990735);
    close(r.Wq, 0.815726);
  });

  test('simmer vignettes/simmer-06-queueing.Rmd: M/M/2/3, lambda 3, mu 4 -> N 0.762340, P_block 0.049360', () => {
    const r = mmck({ lambda: 3, mu: 4, c: 2, K: 3 });
    close(r.L, 0.76234);
    close(r.PK, 0.04936);
  });

  test('rho = 1 exactly (uniform distribution) and rho > 1 (stable with finite room)', () => {
    const r = mm1k({ lambda: 1, mu: 1, K: 10 });
    close(r.L, 5, 1e-9);
    close(r.PK, 1 / 11, 1e-12);
    const over = mmck({ lambda: 30, mu: 1, c: 10, K: 40 });
    expect(over.PK).toBeGreaterThan(0.6);
    expect(over.rho).toBeLessThan(1);
  });
});

describe('finite source M/M/c//N', () => {
  test('Sixto (2004) ex. 10.13 via R queueing NewInput.MM1KK.Rd: M/M/1//2, lambda 0.25, mu 4', () => {
    const r = finiteSource({ lambda: 0.25, mu: 4, c: 1, N: 2 });
    close(r.P0, 0.882759);
    close(r.L, 0.124138);
    close(r.X, 0.468966);
    close(r.W, 0.264706);
  });
});

describe('M/M/infinity', () => {
  test('L = A, P0 = exp(-A), W = 1/mu (Kleinrock 1975, section 3.4)', () => {
    const r = mmInfinity({ lambda: 6, mu: 2 });
    close(r.L, 3);
    close(r.P0, Math.exp(-3), 1e-15);
    close(r.W, 0.5);
    close(r.percentiles.W.p90, -Math.log(0.1) / 2, 1e-12);
  });
});

describe('M/G/1, M/D/1, G/G/1 and G/G/c', () => {
  test('Pollaczek-Khinchine: lambda 0.5, E[S] 1 -> Wq 0.5 (cs2 0, M/D/1) and 1.0 (cs2 1)', () => {
    close(mg1({ lambda: 0.5, mean: 1, scv: 0 }).Wq, 0.5);
    close(md1({ lambda: 0.5, mean: 1 }).Wq, 0.5);
    close(mg1({ lambda: 0.5, mean: 1, scv: 1 }).Wq, 1.0);
  });

  test('Kingman: lambda 0.9, E[S] 1, ca2 1, cs2 0.5 -> Wq 6.75', () => {
    close(gg1({ lambda: 0.9, mu: 1, ca2: 1, cs2: 0.5 }).Wq, 6.75);
  });

  test('Allen-Cunneen G/G/2: lambda 1.6, mu 1, ca2 1, cs2 0.5 -> Wq = 1.777778 x 0.75 = 1.333333', () => {
    close(mmc({ lambda: 1.6, mu: 1, c: 2 }).Wq, 1.777778);
    close(ggc({ lambda: 1.6, mu: 1, c: 2, ca2: 1, cs2: 0.5 }).Wq, 1.333333);
  });
});
