/** Capacity-planning inverses: each answer meets its target and one step further does not. */
import {
  maxRateFor,
  maxUsersFor,
  mmc,
  mva,
  responseTail,
  serversFor,
  waitTail,
} from '../../lib/queueing';
import { ParameterError } from '../../lib/errors';

const lazowska117 = [{ demand: 0.605 }, { demand: 2.1 }, { demand: 1.35 }];

describe('serversFor', () => {
  test('mean wait: c meets Wq <= target and c - 1 does not', () => {
    const r = serversFor({ lambda: 50, mu: 1, target: { metric: 'Wq', max: 0.01 } });
    expect(r.queue.Wq).toBeLessThanOrEqual(0.01);
    expect(mmc({ lambda: 50, mu: 1, c: r.c - 1 }).Wq).toBeGreaterThan(0.01);
  });

  test('service level 80/20: P(Wq <= 20 s) >= 0.8 for 2 calls/s of 180 s mean', () => {
    const lambda = 2;
    const mu = 1 / 180;
    const r = serversFor({ lambda, mu, target: { metric: 'Wq', max: 20, percentile: 0.8 } });
    expect(waitTail(r.queue, 20)).toBeLessThanOrEqual(0.2);
    expect(waitTail(mmc({ lambda, mu, c: r.c - 1 }), 20)).toBeGreaterThan(0.2);
    expect(r.c).toBeGreaterThan(360); // offered load is 360 erlangs
  });

  test('response-time percentile target', () => {
    const r = serversFor({ lambda: 10, mu: 2, target: { metric: 'W', max: 1.5, percentile: 0.9 } });
    expect(responseTail(r.queue, 1.5)).toBeLessThanOrEqual(0.1);
    expect(responseTail(mmc({ lambda: 10, mu: 2, c: r.c - 1 }), 1.5)).toBeGreaterThan(0.1);
  });

  test('large staffing problems stay fast and finite (offered load 50,000 erlangs)', () => {
    const r = serversFor({ lambda: 50000, mu: 1, target: { metric: 'Wq', max: 0.001 } });
    expect(r.c).toBeGreaterThan(50000);
    expect(Number.isFinite(r.queue.Wq)).toBe(true);
  });

  test('an impossible target throws ParameterError', () => {
    expect(() => serversFor({ lambda: 1, mu: 1, target: { metric: 'W', max: 0.5 } })).toThrow(
      ParameterError,
    );
  });
});

describe('maxRateFor', () => {
  test('M/M/1 with W <= 4 and mu 1 admits lambda = 0.75 (W = 1 / (mu - lambda))', () => {
    expect(Math.abs(maxRateFor({ mu: 1, target: { max: 4 } }).lambda - 0.75)).toBeLessThan(1e-9);
  });

  test('p95 of response time on M/M/4 is met at lambda* and missed just above', () => {
    const target = { metric: 'W' as const, max: 3, percentile: 0.95 };
    const r = maxRateFor({ mu: 1, c: 4, target });
    expect(responseTail(r.queue, 3)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(responseTail(mmc({ lambda: r.lambda * 1.001, mu: 1, c: 4 }), 3)).toBeGreaterThan(0.05);
  });

  test('a target below the service time throws ParameterError', () => {
    expect(() => maxRateFor({ mu: 1, target: { max: 0.9 } })).toThrow(ParameterError);
  });
});

describe('maxUsersFor', () => {
  test('Lazowska p. 117 model, R <= 10 s: R(N) meets it and R(N + 1) does not', () => {
    const r = maxUsersFor({ stations: lazowska117, thinkTime: 15, maxResponseTime: 10 });
    const at = mva({ stations: lazowska117, users: r.N, thinkTime: 15 });
    const next = mva({ stations: lazowska117, users: r.N + 1, thinkTime: 15 });
    expect(at.responseTime).toBeLessThanOrEqual(10);
    expect(next.responseTime).toBeGreaterThan(10);
    expect(r.nextResponseTime).toBeCloseTo(next.responseTime, 12);
  });

  test('a target below one user alone throws ParameterError', () => {
    expect(() => maxUsersFor({ stations: lazowska117, thinkTime: 15, maxResponseTime: 1 })).toThrow(
      ParameterError,
    );
  });
});
