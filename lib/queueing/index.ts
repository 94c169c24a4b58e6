/**
 * Closed-form queueing and scaling models, one per file, each with its formula and source.
 * Single queues return uniform result objects (rho, L, Lq, W, Wq, X, P0, Pwait, ...).
 */

// Typed errors for bad input live in ../errors (ParameterError, UnstableSystemError).
export type { Percentiles, QueueMetrics, TimePercentiles } from './result';

// Operational laws
export * from './operational-laws';

// Single queues
export * from './mm1';
export * from './mm1k';
export * from './mmc';
export * from './mmck';
export * from './erlang-b';
export * from './erlang-c';
export * from './finite-source';
export * from './mm-infinity';
export * from './mg1';
export * from './md1';
export * from './kingman';
export * from './allen-cunneen';

// Networks
export * from './jackson';
export type { MvaStation } from './mva-stations';
export { stationsFromLists } from './mva-stations';
export { mva, type MvaParams, type MvaResult } from './mva';
export type {
  MvaClass,
  MulticlassStation,
  MulticlassMvaParams,
  MulticlassMvaResult,
} from './mva-classes';
export * from './mva-multiclass';
export * from './mva-schweitzer';
export * from './open-multiclass';
export * from './bounds';

// Scalability
export * from './amdahl';
export * from './gustafson';
export * from './usl';
export * from './usl-fit';

// Capacity-planning inverses
export type { DelayTarget } from './delay-target';
export * from './servers-for';
export * from './max-rate-for';
export * from './max-users-for';

// Shared numerics, useful on their own
export { erlangBRecurrence } from './erlang';
export {
  levenbergMarquardt,
  type LeastSquaresProblem,
  type LeastSquaresFit,
} from './levenberg-marquardt';
