// Public API of the Storm simulator: `import { storm } from 'scalelab'`.
export { TopologyBuilder, BoltDeclarer, SpoutDeclarer, DEFAULT_STREAM } from './topology';
export type {
  StormTopology,
  BoltSpec,
  SpoutSpec,
  Tuple,
  BoltCollector,
  SpoutCollector,
  TopologyContext,
  ComponentDef,
  Subscription,
} from './topology';
export {
  GROUPING_TYPES,
  fieldsTaskIndex,
  partialKeyCandidates,
  partialKeyBytes,
  ShuffleGrouper,
  FieldsGrouper,
  PartialKeyGrouper,
  AllGrouper,
  GlobalGrouper,
} from './groupings';
export type { GroupingType, Grouper } from './groupings';
export {
  stringHashCode,
  listHashCode,
  javaHashCode,
  floorMod,
  bytesHashCode,
  JavaRandom,
} from './java-hash';
export { resolveStormConfig, STORM_CONFIG_KEYS } from './config';
export type { StormConfig, StormFailures, ResolvedStormConfig } from './config';
export { partitionFixed, placeExecutors, placeWorkers } from './placement';
export type { Executor } from './placement';
export { StormCluster } from './cluster';
export { StormDaemons } from './daemons';
export { StormSystem, simulateStorm } from './system';
export type { StormSummary, StormComponentSummary } from './system';
export {
  loadCorpus,
  splitWords,
  trueCounts,
  sentenceSpout,
  splitSentenceBolt,
  wordCountBolt,
  wordCountTopology,
  countReport,
} from './word-count';
export type { WordCountOptions } from './word-count';
