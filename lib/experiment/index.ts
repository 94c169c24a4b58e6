// Public API of lib/experiment: experiments as data, sweeps, results and the report.
export { defineExperiment } from './experiment';
export type { Experiment, ExperimentDefinition, Observation, Point } from './experiment';
export { resolveParams, validateValue, parseValue, describeRange } from './params';
export type {
  ParamSpec,
  ParamSpecs,
  ParamValues,
  NumberSpec,
  IntegerSpec,
  BooleanSpec,
  ChoiceSpec,
  NumbersSpec,
  ChoicesSpec,
} from './params';
export { runExperiment, tableFromRows } from './run';
export type { RunOptions as ExperimentRunOptions, Provenance, ExperimentResult } from './run';
export { meanInterval, confidenceLevel } from './aggregate';
export {
  metricInterval,
  metricKinds,
  kindRange,
  logNormalInterval,
  logitInterval,
  studentTInterval,
  sectioningInterval,
  MetricRangeError,
} from './intervals';
export type { MetricKind, MetricSpec, MetricsDeclaration, Interval } from './intervals';
export { DEFAULT_MAX_REPLICATIONS } from './precision';
export type { PrecisionProvenance, PointPrecision } from './precision';
export { theoryVsSimulation, theoryVsSimulationTraces } from './figures';
export type { TheoryVsSimulationOptions } from './figures';
export type { Row } from './aggregate';
export { taskSeed } from './seeds';
export { writeResult, readResult, defaultResultsDir } from './results';
export { writeReport } from './report';
