/**
 * Lab 10, Apache Storm: topologies, stream groupings, parallelism, word count, acking and replay,
 * daemon failures. Every experiment runs the Storm simulator (lib/systems/storm) beside its closed form.
 */
import { stormWordCount } from './word-count';
import { stormMaxSpoutPending, stormParallelism } from './parallelism';
import { stormGroupings } from './groupings';
import { stormAckingFailures, stormRecoveryTimeline } from './failures';

export { stormWordCount, wordCountTheory } from './word-count';
export { stormParallelism, stormMaxSpoutPending } from './parallelism';
export { stormGroupings, groupingTheory, zipfPmf, groupingNames } from './groupings';
export { stormAckingFailures, stormRecoveryTimeline } from './failures';
export {
  treeSurvival,
  chainTopology,
  chainBounds,
  chainLatency,
  chainMva,
  criticalPathHops,
} from './chain';
export type { ChainModel } from './chain';

export const lab10Experiments = [
  stormWordCount,
  stormParallelism,
  stormGroupings,
  stormMaxSpoutPending,
  stormAckingFailures,
  stormRecoveryTimeline,
] as const;
