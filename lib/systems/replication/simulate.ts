/**
 * One run of a replication cluster through the systems' one runner (lib/systems/common/runner.ts):
 * a fresh simulation seeded by `seed`, the cluster built on it, `warmup` seconds discarded (every
 * statistic restarts on `sim.resetStatistics()`), then `duration` seconds measured. Returns the
 * summary, the lag series (a timeline from time 0, warm-up included) and the cluster itself (for
 * its positions and stations after the run).
 */
import { measure } from '../common/runner';
import type { RunWindow } from '../common/runner';
import { ReplicationCluster } from './cluster';
import type { ReplicationConfig } from './config';
import type { LagSeries } from './lag-series';
import type { ReplicationSummary } from './statistics';

export interface ReplicationRun {
  summary: ReplicationSummary;
  series: LagSeries;
  cluster: ReplicationCluster;
}

/** Builds the cluster on a new simulation, runs warm-up + duration, returns summary and series. */
export function simulateReplication(config: ReplicationConfig, window: RunWindow): ReplicationRun {
  const { system } = measure((sim) => new ReplicationCluster(sim, config), window);
  return { summary: system.summary(), series: system.lagSeries, cluster: system };
}
