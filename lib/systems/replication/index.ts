// Public API of lib/systems/replication: a primary–replica database cluster on the simulation kernel.
export { ReplicationCluster } from './cluster';
export type { LagSeries } from './lag-series';
export type { ReplicaLagSummary, ReplicationSummary } from './statistics';
export { nodeFailureSpecs } from './failover';
export { resolveReplicationConfig } from './resolve';
export {
  MAX_REPLICAS,
  REPLICATION_CONFIG_KEYS,
  STANDBY_NAMES_KEYS,
  WRITE_BURST_KEYS,
  REPLICA_CRASH_KEYS,
} from './config';
export type {
  ReplicationConfig,
  ResolvedReplicationConfig,
  ReplicationMode,
  SynchronousCommit,
  SemiSyncWaitPoint,
  ReadRouting,
  ReadYourWritesMethod,
  ReplicaCrash,
  WriteBurst,
} from './config';
export { simulateReplication } from './simulate';
export type { ReplicationRun } from './simulate';
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
