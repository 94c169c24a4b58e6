/**
 * Lab 10, Apache Storm: topologies, stream groupings, parallelism, word count, acking and replay,
 * daemon failures. Every experiment runs the Storm simulator (lib/systems/storm) beside its closed form.
 */
import { stormWordCount } from './word-count';
import { stormMaxSpoutPending, stormParallelism } from './parallelism';

export { stormWordCount, wordCountTheory } from './word-count';
export { stormParallelism, stormMaxSpoutPending } from './parallelism';
export { chainTopology, chainBounds, chainLatency, chainMva, criticalPathHops } from './chain';
export type { ChainModel } from './chain';

export const lab10Experiments = [stormWordCount, stormParallelism, stormMaxSpoutPending] as const;
