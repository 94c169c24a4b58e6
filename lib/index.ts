/**
 * scalelab: closed-form queueing and scaling models, a discrete-event simulation kernel,
 * subsystem simulators and plotting helpers for system-design capacity work.
 *
 * `import { ... } from 'scalelab'` in a script, under ts-node, or in a tslab notebook cell.
 *
 * The user's API, one block per area. Values are listed by name (helpers internal to an area stay
 * out: hashing, HTML escaping, worker plumbing, command-line code); each area's types are all
 * exported (`export type *`). To export something new, add one line to its area's block.
 */

// ── errors and the version ─────────────────────────────────────────────────────────────────────
export type * from './errors';
export {
  ParameterError,
  UnstableSystemError,
  StalledTimeError,
  WorkBudgetError,
  isUserError,
} from './errors';
export {
  requireFinite,
  requirePositive,
  requireNonNegative,
  requireInteger,
  requireInRange,
  requireProbability,
} from './errors';
export { version } from './version';

// ── queueing: closed-form models (lib/queueing/README.md) ──────────────────────────────────────
export type * from './queueing';
export {
  littlesLaw,
  utilisationLaw,
  serviceDemandLaw,
  forcedFlowLaw,
  interactiveResponseTime,
} from './queueing';
export { mm1, mm1k, mmc, mmck, mmcc, mmInfinity, erlangB, erlangC, finiteSource } from './queueing';
export { waitTail, responseTail, waitPercentile, responsePercentile } from './queueing';
export { mg1, md1, kingman, gg1, allenCunneen, ggc } from './queueing';
export {
  jackson,
  mva,
  mvaMulticlass,
  mvaSchweitzer,
  openMulticlass,
  stationsFromLists,
  closedNetworkBounds,
} from './queueing';
export { amdahl, gustafson, uslThroughput, uslPeak, fitUsl } from './queueing';
export { serversFor, maxRateFor, maxUsersFor } from './queueing';

// ── random: seeded streams and distributions ───────────────────────────────────────────────────
export type * from './random';
export { Xoshiro128, RandomStreams } from './random';
export { scvOf, fitMeanScv } from './random';
export {
  Deterministic,
  Uniform,
  Exponential,
  Erlang,
  HyperExponential,
  Lognormal,
  Pareto,
  BoundedPareto,
  Weibull,
} from './random';
export { TruncatedNormal, Empirical, Bernoulli, Categorical, Zipf } from './random';
export { standardNormal, standardExponential } from './random';
export { normalCdf, normalSurvival, normalQuantile, studentTCdf, studentTQuantile } from './random';

// ── sim: the discrete-event kernel, its blocks, monitors and output analysis ────────────────────
export type * from './sim';
export { Simulation, Jobs, target, process, Signal } from './sim';
export { Source, Population, Station, Delay, Router, Sink } from './sim';
export { Tally, TimeWeighted, QuantileSketch, TimeSeries } from './sim';
export { confidenceInterval, replicate, mser5, deleteWarmup, batchMeans, steadyState } from './sim';

// ── systems: the simulators, one namespace each (lib/systems/README.md) ─────────────────────────
export * as common from './systems/common';
export * as loadbalancer from './systems/loadbalancer';
export * as microservices from './systems/microservices';
export * as webtier from './systems/webtier';
export * as replication from './systems/replication';
export * as cache from './systems/cache';
export * as geodns from './systems/geodns';
export * as kafka from './systems/kafka';
export * as storm from './systems/storm';
export * as airflow from './systems/airflow';
export * as architecture from './systems/architecture';

// ── experiment: experiments as data, sweeps, results and the report ───────────────────────────
export type * from './experiment';
export {
  defineExperiment,
  runExperiment,
  tableFromRows,
  meanInterval,
  confidenceLevel,
} from './experiment';
export {
  metricInterval,
  metricKinds,
  kindRange,
  sectioningInterval,
  MetricRangeError,
  DEFAULT_MAX_REPLICATIONS,
} from './experiment';
export { theoryVsSimulation, theoryVsSimulationTraces } from './experiment';
export { writeResult, readResult, defaultResultsDir, writeReport } from './experiment';

// ── labs: every lab's experiments by name (each also in `catalog`, `scalelab run NAME`) ─────────
export { catalog, findExperiment, labExperiments } from './labs';
export {
  simulateOpenQueue,
  simulateRandomSplit,
  simulateClosedNetwork,
  runLength,
  thinkTimeOf,
} from './labs';
export type {
  OpenQueueModel,
  OpenQueueResult,
  ClosedNetworkModel,
  ClosedNetworkResult,
  ClosedStationModel,
  SplitQueuesResult,
} from './labs';
export * from './labs/lab01-latency';
export * from './labs/lab02-think-time';
export * from './labs/lab03-load-balancing';
export {
  fanoutTail,
  retryStorm,
  circuitBreaker,
  hedgedRequests,
  bottleneckService,
  chainAvailabilityExperiment,
  gatewayPathRouting,
  lab04Experiments,
} from './labs/lab04';
export {
  sessionsServerLoss,
  autoscaling,
  statefulImbalance,
  failoverCapacity,
  lab05Experiments,
} from './labs/lab05';
export {
  replicationLag,
  replicationLagVsWriteRate,
  replicationWriteLatency,
  replicationStaleReads,
  replicationReadYourWrites,
} from './labs/lab06-replication';
export {
  replicationReadScaling,
  replicationFailoverLoss,
  replicationSyncQuorum,
  lab06Experiments,
} from './labs/lab06-replication';
export {
  cacheHitRatio,
  cacheResponseTime,
  cacheStampede,
  cacheNodeLoss,
  cdnOffload,
  lab07Experiments,
} from './labs/lab07-caching';
export {
  geodnsLatency,
  dnsTtlFailover,
  activeActiveCapacity,
  crossSiteReplication,
  lab08Experiments,
} from './labs/lab08';
export {
  consumerGroupScaling,
  rebalanceLag,
  hotKeyScaling,
  produceLatency,
  durabilityUnderCrashes,
  orderingAcrossPartitions,
  lab09Experiments,
} from './labs/lab09-kafka';
export {
  stormWordCount,
  stormParallelism,
  stormGroupings,
  stormMaxSpoutPending,
  stormAckingFailures,
  stormRecoveryTimeline,
  lab10Experiments,
} from './labs/lab10';
export {
  airflowMakespan,
  airflowGantt,
  airflowRetries,
  airflowPriorityPools,
  airflowExecutors,
  lab11Experiments,
} from './labs/lab11';
export { webAppScaling, lab12Experiments } from './labs/lab12';
export * as measured from './labs/measured';

// ── plot: figure builders and display ─────────────────────────────────────────────────────────
export type * from './plot';
export { figure, line, markers, band, axis, panels, palette, isFigure } from './plot';
export { show, writeHtml, pageHtml, figureHtml, tableHtml } from './plot';

// ── notebook: running lab notebooks in the tslab kernel, with parameters, and exporting HTML ────
export type * from './notebook';
export {
  executeNotebook,
  executeNotebookDocument,
  NotebookExecutionError,
  TslabKernel,
  NotebookKernelError,
} from './notebook';
export {
  injectNotebookParameters,
  parseNotebookParameterDeclarations,
  parseNotebookParameterAssignments,
  NotebookParameterError,
} from './notebook';
export {
  readNotebook,
  normalizeNotebook,
  serializeNotebook,
  exportNotebookHtml,
  exportNotebookIndexHtml,
} from './notebook';
