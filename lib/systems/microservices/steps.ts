/**
 * The runtime of one edge of the call graph (a step of a service, or the client's call through the
 * gateway): its resolved config, its circuit breaker, its bulkhead count, the wait options it hands
 * to Calls (allocated once), and its counters.
 *
 * Back-off (Envoy's fully jittered exponential back-off, envoyproxy.io "x-envoy-max-retries" /
 * `retry_back_off`): the k-th retry waits U(0, (2^k − 1)·base_interval), capped at max_interval.
 */
import type { Rng } from '../../random/xoshiro128';
import type { WaitOptions } from '../common/calls';
import type { JobTarget } from '../../sim/target';
import { CircuitBreaker } from './breaker';
import type { ResolvedStep } from './resolve';

export interface EdgeSummary {
  label: string;
  /** Calls made on the edge (children sent, retries and hedges included), per request measured. */
  calls: number;
  /** Tries (waits) that ended ok, and that ended in an error or a timeout. */
  succeeded: number;
  failed: number;
  visitsPerRequest: number;
  retries: number;
  hedges: number;
  /** Calls the circuit breaker rejected, and its times opened. */
  notPermitted: number;
  breakerOpened: number;
  breakerState: string | null;
  /** Calls the bulkhead rejected (maxConcurrentCalls reached). */
  bulkheadRejected: number;
  /** Retries refused by the callee's retry budget. */
  budgetExhausted: number;
}

export class StepRuntime {
  readonly id: number;
  readonly config: ResolvedStep;
  /** The next step of the same owner, or -1. */
  next = -1;
  readonly breaker: CircuitBreaker | null;
  readonly waitOptions: WaitOptions;
  readonly single: boolean;
  inFlight = 0;
  calls = 0;
  succeeded = 0;
  failed = 0;
  retries = 0;
  hedges = 0;
  bulkheadRejected = 0;
  budgetExhausted = 0;
  private readonly visitsRng: Rng;
  private readonly backoffRng: Rng;

  constructor(
    id: number,
    config: ResolvedStep,
    then: JobTarget,
    visitsRng: Rng,
    backoffRng: Rng,
    path: string,
  ) {
    this.id = id;
    this.config = config;
    this.breaker =
      config.circuitBreaker !== null
        ? new CircuitBreaker(config.circuitBreaker, `${path}.circuitBreaker`)
        : null;
    const hedged = config.hedge !== null;
    this.waitOptions = {
      count: hedged ? 2 : config.targets.length,
      need: hedged ? 1 : config.need,
      timeout: config.timeout,
      then: then,
    };
    this.single = config.targets.length === 1;
    this.visitsRng = visitsRng;
    this.backoffRng = backoffRng;
  }

  /** Visits of this step for one request: floor(v), plus one with probability v − floor(v). */
  drawVisits(): number {
    const v = this.config.visits;
    const whole = Math.floor(v);
    return whole === v ? whole : whole + (this.visitsRng.next() < v - whole ? 1 : 0);
  }

  /** Delay before retry number k ≥ 1 (s). */
  backoff(k: number): number {
    const base = this.config.base_interval;
    if (base === 0) return 0;
    const ceiling = Math.min((Math.pow(2, k) - 1) * base, this.config.max_interval);
    return this.backoffRng.next() * ceiling;
  }

  resetStatistics(): void {
    this.calls = 0;
    this.succeeded = 0;
    this.failed = 0;
    this.retries = 0;
    this.hedges = 0;
    this.bulkheadRejected = 0;
    this.budgetExhausted = 0;
    if (this.breaker !== null) this.breaker.resetStatistics();
  }

  summary(requests: number): EdgeSummary {
    const b = this.breaker;
    return {
      label: this.config.label,
      calls: this.calls,
      succeeded: this.succeeded,
      failed: this.failed,
      visitsPerRequest: requests > 0 ? this.calls / requests : NaN,
      retries: this.retries,
      hedges: this.hedges,
      notPermitted: b !== null ? b.notPermitted : 0,
      breakerOpened: b !== null ? b.opened : 0,
      breakerState: b !== null ? ['CLOSED', 'OPEN', 'HALF_OPEN'][b.state] : null,
      bulkheadRejected: this.bulkheadRejected,
      budgetExhausted: this.budgetExhausted,
    };
  }
}
