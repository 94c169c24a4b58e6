/**
 * Resilience4j's CircuitBreaker (resilience4j.readme.io/docs/circuitbreaker), its states and
 * defaults:
 * - CLOSED: every call is permitted and its outcome recorded in a sliding window, COUNT_BASED (the
 *   last `slidingWindowSize` calls, default 100) or TIME_BASED (the calls of the last
 *   `slidingWindowSize` seconds, in one-second buckets). Once the window holds at least
 *   `minimumNumberOfCalls` (default 100), the breaker OPENs when the failure rate ≥
 *   `failureRateThreshold` (default 50 %) or the slow-call rate (calls ≥
 *   `slowCallDurationThreshold`, default 60 s) ≥ `slowCallRateThreshold` (default 100 %).
 * - OPEN: every call is rejected at once (CallNotPermittedException) for
 *   `waitDurationInOpenState` (default 60 s); the first call after that moves it to HALF_OPEN.
 * - HALF_OPEN: `permittedNumberOfCallsInHalfOpenState` (default 10) trial calls are permitted,
 *   the rest rejected; when all trials are recorded, the same thresholds decide OPEN or CLOSED.
 * So against a dependency that stays failed, at most 10 calls get through per 60 s (plus the
 * time the trials take): the probe rate permittedNumberOfCallsInHalfOpenState / waitDurationInOpenState.
 * Outcomes of calls that complete while OPEN are ignored.
 */
import { ParameterError, requireInRange, requireInteger, requireNonNegative } from '../../errors';
import { keyPath, rejectUnknownKeys } from '../common/config';
import { BREAKER_KEYS, type CircuitBreakerConfig } from './config';

export const CLOSED = 0;
export const OPEN = 1;
export const HALF_OPEN = 2;
export const BREAKER_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const;

export type ResolvedBreakerConfig = Required<CircuitBreakerConfig>;

/** Resilience4j's defaults. */
export const BREAKER_DEFAULTS: ResolvedBreakerConfig = {
  failureRateThreshold: 50,
  slowCallRateThreshold: 100,
  slowCallDurationThreshold: 60,
  permittedNumberOfCallsInHalfOpenState: 10,
  slidingWindowType: 'COUNT_BASED',
  slidingWindowSize: 100,
  minimumNumberOfCalls: 100,
  waitDurationInOpenState: 60,
};

/** Validates a breaker config (`path` names it in errors) and fills in the defaults. */
export function resolveBreakerConfig(c: CircuitBreakerConfig, path: string): ResolvedBreakerConfig {
  rejectUnknownKeys(c, BREAKER_KEYS, path);
  const d = BREAKER_DEFAULTS;
  const type = c.slidingWindowType ?? d.slidingWindowType;
  if (type !== 'COUNT_BASED' && type !== 'TIME_BASED')
    throw new ParameterError(
      keyPath(path, 'slidingWindowType'),
      type,
      "must be 'COUNT_BASED' or 'TIME_BASED'",
    );
  return {
    failureRateThreshold: requireInRange(
      keyPath(path, 'failureRateThreshold'),
      c.failureRateThreshold ?? d.failureRateThreshold,
      0,
      100,
      { minOpen: true },
    ),
    slowCallRateThreshold: requireInRange(
      keyPath(path, 'slowCallRateThreshold'),
      c.slowCallRateThreshold ?? d.slowCallRateThreshold,
      0,
      100,
      { minOpen: true },
    ),
    slowCallDurationThreshold: requireNonNegative(
      keyPath(path, 'slowCallDurationThreshold'),
      c.slowCallDurationThreshold ?? d.slowCallDurationThreshold,
    ),
    permittedNumberOfCallsInHalfOpenState: requireInteger(
      keyPath(path, 'permittedNumberOfCallsInHalfOpenState'),
      c.permittedNumberOfCallsInHalfOpenState ?? d.permittedNumberOfCallsInHalfOpenState,
      1,
      1e6,
    ),
    slidingWindowType: type,
    slidingWindowSize: requireInteger(
      keyPath(path, 'slidingWindowSize'),
      c.slidingWindowSize ?? d.slidingWindowSize,
      1,
      1e6,
    ),
    minimumNumberOfCalls: requireInteger(
      keyPath(path, 'minimumNumberOfCalls'),
      c.minimumNumberOfCalls ?? d.minimumNumberOfCalls,
      1,
      1e6,
    ),
    waitDurationInOpenState: requireNonNegative(
      keyPath(path, 'waitDurationInOpenState'),
      c.waitDurationInOpenState ?? d.waitDurationInOpenState,
    ),
  };
}

/** One state change: at time `t` to `state` (an index of {@link BREAKER_STATES}). */
export interface BreakerTransition {
  t: number;
  state: number;
}

/** Transitions kept for timelines (older ones dropped beyond this many). */
export const MAX_TRANSITIONS = 10000;

export class CircuitBreaker {
  readonly config: ResolvedBreakerConfig;
  state = CLOSED;
  /** Calls rejected while OPEN or beyond the HALF_OPEN trials, since start or reset. */
  notPermitted = 0;
  /** Times the breaker opened since start or reset. */
  opened = 0;
  /** State changes since time 0 (a timeline, not reset). */
  readonly transitions: BreakerTransition[] = [];
  private openedAt = 0;
  private trialsPermitted = 0;
  private trialsRecorded = 0;
  private trialFailures = 0;
  private trialSlow = 0;
  // the window: COUNT_BASED a ring of outcomes; TIME_BASED one bucket per second
  private readonly outcome: Uint8Array; // bit 0 failed, bit 1 slow, bit 2 present
  private readonly bucketSecond: Float64Array;
  private readonly bucketCalls: Int32Array;
  private readonly bucketFailed: Int32Array;
  private readonly bucketSlow: Int32Array;
  private pos = 0;
  private calls = 0;
  private failures = 0;
  private slow = 0;

  constructor(config: CircuitBreakerConfig | ResolvedBreakerConfig, path = 'circuitBreaker') {
    this.config = resolveBreakerConfig(config, path);
    const n = this.config.slidingWindowSize;
    const timeBased = this.config.slidingWindowType === 'TIME_BASED';
    this.outcome = new Uint8Array(timeBased ? 0 : n);
    this.bucketSecond = new Float64Array(timeBased ? n : 0).fill(-Infinity);
    this.bucketCalls = new Int32Array(timeBased ? n : 0);
    this.bucketFailed = new Int32Array(timeBased ? n : 0);
    this.bucketSlow = new Int32Array(timeBased ? n : 0);
  }

  /** Whether a call may go now (Resilience4j `tryAcquirePermission`); counts rejections. */
  tryAcquirePermission(now: number): boolean {
    if (this.state === CLOSED) return true;
    if (this.state === OPEN) {
      if (now - this.openedAt < this.config.waitDurationInOpenState) {
        this.notPermitted++;
        return false;
      }
      this.transition(HALF_OPEN, now);
    }
    if (this.trialsPermitted < this.config.permittedNumberOfCallsInHalfOpenState) {
      this.trialsPermitted++;
      return true;
    }
    this.notPermitted++;
    return false;
  }

  /** Records a permitted call's outcome: `failed`, and its `duration` (s) for the slow-call rule. */
  onResult(now: number, failed: boolean, duration: number): void {
    const slow = duration >= this.config.slowCallDurationThreshold;
    const c = this.config;
    if (this.state === OPEN) return;
    if (this.state === HALF_OPEN) {
      this.trialsRecorded++;
      if (failed) this.trialFailures++;
      if (slow) this.trialSlow++;
      if (this.trialsRecorded >= c.permittedNumberOfCallsInHalfOpenState) {
        const n = this.trialsRecorded;
        if (this.exceeded(this.trialFailures, this.trialSlow, n)) this.open(now);
        else this.transition(CLOSED, now);
      }
      return;
    }
    if (c.slidingWindowType === 'COUNT_BASED') this.recordCount(failed, slow);
    else this.recordTime(now, failed, slow);
    if (
      this.calls >=
        Math.min(
          c.minimumNumberOfCalls,
          c.slidingWindowType === 'COUNT_BASED' ? c.slidingWindowSize : Infinity,
        ) &&
      this.exceeded(this.failures, this.slow, this.calls)
    )
      this.open(now);
  }

  /** Failure rate (%) of the current window (NaN below minimumNumberOfCalls). */
  get failureRate(): number {
    return this.calls >= this.config.minimumNumberOfCalls
      ? (100 * this.failures) / this.calls
      : NaN;
  }

  resetStatistics(): void {
    this.notPermitted = 0;
    this.opened = 0;
  }

  private exceeded(failures: number, slow: number, n: number): boolean {
    return (
      (100 * failures) / n >= this.config.failureRateThreshold ||
      (100 * slow) / n >= this.config.slowCallRateThreshold
    );
  }

  private recordCount(failed: boolean, slow: boolean): void {
    const old = this.outcome[this.pos];
    if (old & 4) {
      this.calls--;
      if (old & 1) this.failures--;
      if (old & 2) this.slow--;
    }
    this.outcome[this.pos] = 4 | (failed ? 1 : 0) | (slow ? 2 : 0);
    this.pos = this.pos + 1 === this.outcome.length ? 0 : this.pos + 1;
    this.calls++;
    if (failed) this.failures++;
    if (slow) this.slow++;
  }

  private recordTime(now: number, failed: boolean, slow: boolean): void {
    const n = this.bucketSecond.length;
    const sec = Math.floor(now);
    const i = sec % n;
    if (this.bucketSecond[i] !== sec) {
      this.bucketSecond[i] = sec;
      this.bucketCalls[i] = 0;
      this.bucketFailed[i] = 0;
      this.bucketSlow[i] = 0;
    }
    this.bucketCalls[i]++;
    if (failed) this.bucketFailed[i]++;
    if (slow) this.bucketSlow[i]++;
    let calls = 0;
    let failures = 0;
    let slowCalls = 0;
    for (let k = 0; k < n; k++) {
      if (sec - this.bucketSecond[k] >= n) continue;
      calls += this.bucketCalls[k];
      failures += this.bucketFailed[k];
      slowCalls += this.bucketSlow[k];
    }
    this.calls = calls;
    this.failures = failures;
    this.slow = slowCalls;
  }

  private open(now: number): void {
    this.openedAt = now;
    this.opened++;
    this.transition(OPEN, now);
  }

  private transition(state: number, now: number): void {
    this.state = state;
    this.trialsPermitted = 0;
    this.trialsRecorded = 0;
    this.trialFailures = 0;
    this.trialSlow = 0;
    // every transition starts an empty window (Resilience4j resets the metrics)
    this.outcome.fill(0);
    this.bucketSecond.fill(-Infinity);
    this.pos = 0;
    this.calls = 0;
    this.failures = 0;
    this.slow = 0;
    if (this.transitions.length >= MAX_TRANSITIONS) this.transitions.shift();
    this.transitions.push({ t: now, state: state });
  }
}
