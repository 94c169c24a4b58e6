/**
 * The labs' experiments, in lab order: each lab's notebook and the command line
 * (`scalelab run NAME`) use the same definitions.
 */
import type { Experiment } from '../experiment/experiment';
import { lab01Experiments } from './lab01-latency';
import { lab02Experiments } from './lab02-think-time';
import { lab03Experiments } from './lab03-load-balancing';
import { lab06Experiments } from './lab06-replication';
import { lab08Experiments } from './lab08';
import { lab09Experiments } from './lab09-kafka';
import { lab11Experiments } from './lab11';
import { lab10Experiments } from './lab10';
import { lab07Experiments } from './lab07-caching';
import { lab05Experiments } from './lab05';
import { lab04Experiments } from './lab04';
import { measuredExperiments } from './measured';
import { lab12Experiments } from './lab12';

export const labExperiments: ReadonlyArray<Experiment<any>> = [
  ...lab01Experiments,
  ...lab02Experiments,
  ...lab03Experiments,
  ...lab06Experiments,
  ...lab08Experiments,
  ...lab09Experiments,
  ...lab11Experiments,
  ...lab10Experiments,
  ...lab07Experiments,
  ...lab05Experiments,
  ...lab04Experiments,
  ...lab12Experiments,
  ...measuredExperiments,
];

export * from './lab01-latency';
export * from './lab02-think-time';
export * from './lab03-load-balancing';
export { simulateOpenQueue, simulateRandomSplit, simulateClosedNetwork, runLength, thinkTimeOf } from './scenarios';
export type { OpenQueueModel, OpenQueueResult, ClosedNetworkModel, ClosedNetworkResult, ClosedStationModel, SplitQueuesResult } from './scenarios';
