/**
 * One run of a replication cluster: a fresh seeded simulation, an optional warm-up after which
 * statistics restart, then the summary and the sampled lag series.
 */
import { requireNonNegative, requirePositive } from '../../errors';
import { Simulation } from '../../sim/simulation';
import { ReplicationCluster } from './cluster';
import type { LagSeries, ReplicationSummary } from './cluster';
import type { ReplicationConfig } from './config';

export interface ReplicationRunOptions {
  seed?: number;
  /** Simulated seconds after the warm-up. */
  duration: number;
  /** Seconds simulated before statistics restart (default 0). */
  warmup?: number;
}

export interface ReplicationRunResult {
  summary: ReplicationSummary;
  series: LagSeries;
  cluster: ReplicationCluster;
}

/** Builds the cluster in a new simulation, runs warm-up + duration, returns summary and series. */
export function runReplication(config: ReplicationConfig, options: ReplicationRunOptions): ReplicationRunResult {
  const duration = requirePositive('duration', options?.duration);
  const warmup = requireNonNegative('warmup', options.warmup ?? 0);
  const sim = new Simulation({ seed: options.seed ?? 1 });
  const cluster = new ReplicationCluster(sim, config);
  if (warmup > 0) {
    sim.run({ until: warmup });
    sim.resetStatistics();
  }
  sim.run({ until: warmup + duration });
  return { summary: cluster.summary(), series: cluster.lagSeries, cluster };
}
