import { Deterministic, Exponential, Lognormal } from '../../lib/random';
import { SKETCH, expectCovers, expectLittle, replications } from './replications';
import { mg1, mm1, mm1k, mmc } from './theory';

// See replications.ts: 20 replications, t intervals at level 0.999 (Bonferroni over the checks
// of these files), each interval also required to be tight; p95 widened by the sketch's 1 %.

describe('open stations against closed forms', () => {
  it('M/M/1 (rho = 0.7): mean response and p95', () => {
    const th = mm1(0.7, 1);
    const runs = replications(
      { arrivals: new Exponential(0.7), service: new Exponential(1), warmup: 500, horizon: 15_000 },
      100,
    );
    expectCovers(
      runs.map((r) => r.meanResponse),
      th.W,
      0.08,
    );
    expectCovers(
      runs.map((r) => r.meanInSystem),
      th.L,
      0.08,
    );
    expectCovers(
      runs.map((r) => r.p95),
      th.p95,
      0.08,
      SKETCH,
    );
    expectCovers(
      runs.map((r) => r.utilisation),
      0.7,
      0.02,
    );
    expectLittle(runs);
  });

  it('M/M/c (c = 3, rho = 0.8): mean response, waiting probability, p95', () => {
    const th = mmc(2.4, 1, 3);
    const runs = replications(
      {
        arrivals: new Exponential(2.4),
        service: new Exponential(1),
        servers: 3,
        warmup: 500,
        horizon: 8_000,
      },
      200,
    );
    expectCovers(
      runs.map((r) => r.meanResponse),
      th.W,
      0.08,
    );
    expectCovers(
      runs.map((r) => r.meanWait),
      th.Wq,
      0.08,
    );
    expectCovers(
      runs.map((r) => r.p95),
      th.p95,
      0.08,
      SKETCH,
    );
    expectLittle(runs);
  });

  it('M/D/1 (rho = 0.7): Pollaczek-Khinchine mean', () => {
    const th = mg1(0.7, 1, 0);
    const runs = replications(
      {
        arrivals: new Exponential(0.7),
        service: new Deterministic(1),
        warmup: 500,
        horizon: 15_000,
      },
      300,
    );
    expectCovers(
      runs.map((r) => r.meanResponse),
      th.W,
      0.08,
    );
    expectCovers(
      runs.map((r) => r.meanWait),
      th.Wq,
      0.08,
    );
    expectLittle(runs);
  });

  it('M/G/1 with lognormal service (scv 2, rho = 0.6): Pollaczek-Khinchine mean', () => {
    const th = mg1(0.6, 1, 2);
    const runs = replications(
      {
        arrivals: new Exponential(0.6),
        service: Lognormal.fit(1, 2),
        warmup: 500,
        horizon: 20_000,
      },
      400,
    );
    expectCovers(
      runs.map((r) => r.meanResponse),
      th.W,
      0.08,
    );
    expectLittle(runs);
  });

  it('M/M/1/K (K = 5, lambda = 0.9): blocking, mean response, p95', () => {
    const th = mm1k(0.9, 1, 5);
    const runs = replications(
      {
        arrivals: new Exponential(0.9),
        service: new Exponential(1),
        capacity: 5,
        warmup: 200,
        horizon: 8_000,
      },
      500,
    );
    expectCovers(
      runs.map((r) => r.blockingProbability),
      th.block,
      0.08,
    );
    expectCovers(
      runs.map((r) => r.meanResponse),
      th.W,
      0.08,
    );
    expectCovers(
      runs.map((r) => r.meanInSystem),
      th.L,
      0.08,
    );
    expectCovers(
      runs.map((r) => r.p95),
      th.p95,
      0.08,
      SKETCH,
    );
    expectLittle(runs);
    for (const r of runs) expect(r.inSystemAtEnd).toBeLessThanOrEqual(5);
  });
});
