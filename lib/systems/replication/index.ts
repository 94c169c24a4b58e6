// Public API of lib/systems/replication: a primary–replica database cluster on the simulation kernel.
export { ReplicationCluster } from './cluster';
export type { Distribution3, LagSeries, ReplicaLagSummary, ReplicationSummary } from './cluster';
export { resolveReplicationConfig, MAX_REPLICAS } from './config';
export type {
  ReplicationConfig,
  ResolvedReplicationConfig,
  ReplicationMode,
  SynchronousCommit,
  ReadRouting,
  ReadYourWritesMethod,
  ReplicaCrash,
  WriteBurst,
} from './config';
export { runReplication } from './run';
export type { ReplicationRunOptions, ReplicationRunResult } from './run';
export {
  meanApplyLag,
  applyLagQuantile,
  lagExceedanceProbability,
  lagGrowthRate,
  drainTime,
  readScaleOutMva,
  lightLoadWriteLatency,
} from './theory';
export type { ApplyQueueParams } from './theory';
