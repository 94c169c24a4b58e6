/**
 * The labs: their experiments (each lab's notebook and the command line, `scalelab run NAME`,
 * use the same definitions) and the catalog of them all (catalog.ts).
 */
export { labExperiments, catalog, findExperiment } from './catalog';

export * from './lab01-latency';
export * from './lab02-think-time';
export * from './lab03-load-balancing';
export {
  simulateOpenQueue,
  simulateRandomSplit,
  simulateClosedNetwork,
  runLength,
  thinkTimeOf,
} from './scenarios';
export type {
  OpenQueueModel,
  OpenQueueResult,
  ClosedNetworkModel,
  ClosedNetworkResult,
  ClosedStationModel,
  SplitQueuesResult,
} from './scenarios';
