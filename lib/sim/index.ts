// Public API of lib/sim: the discrete-event kernel, building blocks, monitors and output analysis.
export { Simulation, requireTime } from './simulation';
export type { EventHandler, RunOptions, RunResult } from './simulation';
export { Jobs } from './jobs';
export { target } from './target';
export type { JobTarget } from './target';
export { Source } from './source';
export type { SourceOptions } from './source';
export { Population } from './population';
export type { PopulationOptions } from './population';
export { Station } from './station';
export type {
  StationOptions,
  StationSummary,
  Discipline,
  ServiceSpec,
  LevelStats,
  CrashMode,
} from './station';
export { Delay } from './delay';
export { Router } from './router';
export type { RoutingPolicy } from './router';
export { Sink } from './sink';
export { Tally } from './tally';
export { TimeWeighted } from './time-weighted';
export { QuantileSketch } from './quantile-sketch';
export { TimeSeries } from './time-series';
export { confidenceInterval, requireStableOpen } from './confidence';
export type { ConfidenceInterval } from './confidence';
export { mser5, deleteWarmup, steadyState, ObservationSeries, select } from './warmup';
export { batchMeans } from './batch-means';
export { replicate } from './replicate';
export type { ReplicationOutput, ReplicationSummary } from './replicate';
export { process, Signal } from './process';
export type { ProcessStep } from './process';
