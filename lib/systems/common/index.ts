// Shared machinery of every system simulator (the contract: lib/systems/README.md).
export { nearestKey, keyPath, rejectUnknownKeys, knownKeys } from './config';
export { LATENCY_PERCENTILES, Latency, emptyLatency, summarizeLatency } from './latency';
export type { LatencySummary } from './latency';
export { RUN_WINDOW_KEYS, measure, resolveRunWindow } from './runner';
export type { Measured, RunWindow } from './runner';
export {
  FAILURE_SPEC_KEYS,
  FailureProcess,
  MAX_DOWN_INTERVALS,
  failsEver,
  resolveFailureSpec,
} from './failures';
export type { DownInterval, Failable, FailureSpec, Outage, ResolvedFailureSpec } from './failures';
export { CALL_ERROR, CALL_OK, CALL_TIMEOUT, Calls } from './calls';
export type { CallOutcome, WaitOptions } from './calls';
export { joinOverload, overloadOf } from './overload';
export type { OverloadSummary } from './overload';
