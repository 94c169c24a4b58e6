/**
 * Resilience4j CircuitBreaker semantics (resilience4j.readme.io/docs/circuitbreaker): defaults,
 * CLOSED → OPEN at failureRateThreshold once minimumNumberOfCalls are recorded, OPEN rejecting
 * for waitDurationInOpenState, HALF_OPEN permitting permittedNumberOfCallsInHalfOpenState trials,
 * and the probe rate against a dependency that stays failed: 10 calls per 60 s.
 */
import {
  BREAKER_DEFAULTS,
  CLOSED,
  CircuitBreaker,
  HALF_OPEN,
  OPEN,
} from '../../../lib/systems/microservices/breaker';
import { ParameterError } from '../../../lib/errors';

describe('CircuitBreaker (Resilience4j)', () => {
  test('defaults are Resilience4j’s', () => {
    expect(BREAKER_DEFAULTS).toEqual({
      failureRateThreshold: 50,
      slowCallRateThreshold: 100,
      slowCallDurationThreshold: 60,
      permittedNumberOfCallsInHalfOpenState: 10,
      slidingWindowType: 'COUNT_BASED',
      slidingWindowSize: 100,
      minimumNumberOfCalls: 100,
      waitDurationInOpenState: 60,
    });
  });

  test('no rate before minimumNumberOfCalls: 99 failures keep it CLOSED, the 100th opens it', () => {
    const b = new CircuitBreaker({});
    for (let i = 0; i < 99; i++) {
      expect(b.tryAcquirePermission(i)).toBe(true);
      b.onResult(i, true, 0.01);
    }
    expect(b.state).toBe(CLOSED);
    b.onResult(99, true, 0.01);
    expect(b.state).toBe(OPEN);
  });

  test('a window full of successes opens at the 50th failure (failure rate 50 % of the last 100)', () => {
    const b = new CircuitBreaker({});
    for (let i = 0; i < 100; i++) b.onResult(i, false, 0.01);
    for (let k = 1; k <= 49; k++) b.onResult(100 + k, true, 0.01);
    expect(b.state).toBe(CLOSED);
    expect(b.failureRate).toBeCloseTo(49, 10);
    b.onResult(150, true, 0.01);
    expect(b.state).toBe(OPEN);
  });

  test('OPEN rejects for waitDurationInOpenState, then HALF_OPEN permits exactly 10 trials', () => {
    const b = new CircuitBreaker({ minimumNumberOfCalls: 10, slidingWindowSize: 10 });
    for (let i = 0; i < 10; i++) b.onResult(0, true, 0.01);
    expect(b.state).toBe(OPEN);
    expect(b.tryAcquirePermission(59.999)).toBe(false);
    expect(b.notPermitted).toBe(1);
    let permitted = 0;
    for (let i = 0; i < 20; i++) if (b.tryAcquirePermission(60 + i * 0.01)) permitted++;
    expect(b.state).toBe(HALF_OPEN);
    expect(permitted).toBe(10);
  });

  test('HALF_OPEN trials decide: all ok closes it, ≥ 50 % failed reopens it', () => {
    const mk = () => {
      const b = new CircuitBreaker({ minimumNumberOfCalls: 10, slidingWindowSize: 10 });
      for (let i = 0; i < 10; i++) b.onResult(0, true, 0.01);
      for (let i = 0; i < 10; i++) b.tryAcquirePermission(60);
      return b;
    };
    const ok = mk();
    for (let i = 0; i < 10; i++) ok.onResult(61, false, 0.01);
    expect(ok.state).toBe(CLOSED);
    const bad = mk();
    for (let i = 0; i < 10; i++) bad.onResult(61, i < 5, 0.01);
    expect(bad.state).toBe(OPEN);
    expect(bad.opened).toBe(2);
  });

  test('slow calls count: 100 % of calls slower than slowCallDurationThreshold open it', () => {
    const b = new CircuitBreaker({
      slowCallDurationThreshold: 2,
      minimumNumberOfCalls: 20,
      slidingWindowSize: 20,
    });
    for (let i = 0; i < 19; i++) b.onResult(i, false, 5);
    expect(b.state).toBe(CLOSED);
    b.onResult(19, false, 5);
    expect(b.state).toBe(OPEN);
  });

  test('TIME_BASED window: only the calls of the last slidingWindowSize seconds count', () => {
    const b = new CircuitBreaker({
      slidingWindowType: 'TIME_BASED',
      slidingWindowSize: 10,
      minimumNumberOfCalls: 10,
    });
    for (let i = 0; i < 10; i++) b.onResult(i * 0.1, false, 0.01); // 10 successes in second 0
    for (let i = 0; i < 9; i++) b.onResult(20 + i * 0.1, true, 0.01); // second 0 has expired: 9 failures
    expect(b.state).toBe(CLOSED);
    b.onResult(21, true, 0.01);
    expect(b.state).toBe(OPEN);
  });

  test('probe rate against a dependency that stays failed: 10 calls per waitDurationInOpenState', () => {
    // calls every 0.1 s, every permitted call fails at once, for 6000 s
    const b = new CircuitBreaker({});
    let permitted = 0;
    let permittedAfterOpen = 0;
    let openedAt = NaN;
    for (let i = 0; i < 60000; i++) {
      const t = i * 0.1;
      if (!b.tryAcquirePermission(t)) continue;
      permitted++;
      if (!Number.isNaN(openedAt)) permittedAfterOpen++;
      b.onResult(t, true, 0);
      if (Number.isNaN(openedAt) && b.state === OPEN) openedAt = t;
    }
    expect(permitted - permittedAfterOpen).toBe(100); // minimumNumberOfCalls before the first opening
    // one HALF_OPEN phase of 10 trials (1 s at 10 calls/s) per 60 s open: cycles of 61 s
    const cycles = Math.floor((6000 - openedAt - 60) / 61) + 1;
    expect(permittedAfterOpen).toBe(10 * cycles);
    expect(permittedAfterOpen / (6000 - openedAt)).toBeCloseTo(10 / 61, 2);
  });

  test('bad values and unknown keys are ParameterErrors naming the path', () => {
    expect(() => new CircuitBreaker({ failureRateThreshold: 0 })).toThrow(
      /circuitBreaker.failureRateThreshold/,
    );
    expect(() => new CircuitBreaker({ slidingWindowType: 'SESSION' as 'COUNT_BASED' })).toThrow(
      /slidingWindowType/,
    );
    expect(() => new CircuitBreaker({ waitDurationInOpenstate: 5 } as never)).toThrow(
      /did you mean "waitDurationInOpenState"/,
    );
    expect(() => new CircuitBreaker({ permittedNumberOfCallsInHalfOpenState: 0 })).toThrow(
      ParameterError,
    );
  });
});
