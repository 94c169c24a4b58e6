/**
 * Microservices behind an application gateway (lab 04): services of replicas behind their own
 * balancers, a call graph of serial, parallel (all, k of n, first) and asynchronous calls, and
 * the real libraries' failure handling (timeouts, Envoy retries and retry budgets, Resilience4j
 * circuit breakers and bulkheads, hedged requests). See README.md.
 */
export * from './config';
export {
  CircuitBreaker,
  BREAKER_DEFAULTS,
  BREAKER_STATES,
  CLOSED,
  OPEN,
  HALF_OPEN,
  resolveBreakerConfig,
} from './breaker';
export type { ResolvedBreakerConfig, BreakerTransition } from './breaker';
export { topologicalOrder, visitCounts, bottleneckBound } from './graph';
export { resolveMicroservicesConfig, resolvePolicy } from './resolve';
export type {
  ResolvedMicroservicesConfig,
  ResolvedService,
  ResolvedStep,
  ResolvedPolicy,
  ResolvedClass,
} from './resolve';
export { Service } from './service';
export type { ServiceSummary } from './service';
export { StepRuntime } from './steps';
export type { EdgeSummary } from './steps';
export {
  MicroservicesSystem,
  simulateMicroservices,
  OUTCOME_OK,
  OUTCOME_ERROR,
  OUTCOME_TIMEOUT,
  OUTCOME_REJECTED,
} from './system';
export type { MicroservicesSummary } from './summary';
export * from './theory';
