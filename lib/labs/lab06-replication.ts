/**
 * Lab 06: database replication lag (notebooks/06-replication-lag.ipynb).
 *
 * Experiments on `lib/systems/replication`, each beside its closed form:
 * - `replication-lag`: lag over time through a write burst; the fluid backlog (λ_burst − μ)·t, then
 *   drained at μ − λ.
 * - `replication-lag-vs-write-rate`: replay lag mean/p50/p99 vs write rate, the M/M/1 apply queue
 *   plus link latency beside it, the knee at the apply capacity μ.
 * - `replication-write-latency`: write latency by mode (async, MySQL semisync, PostgreSQL sync at
 *   remote_write / on / remote_apply): commit + one round trip (+ flush, + apply).
 * - `replication-stale-reads`: stale-read rate on replicas vs lag; exact form for Poisson writes
 *   on Zipf keys with an M/M/1 apply queue.
 * - `replication-read-your-writes`: what read-your-writes costs (violations, primary share, read latency).
 * - `replication-read-scaling`: read throughput vs replicas with closed clients; exact MVA and the
 *   bound set by the primary's writes.
 * - `replication-failover-loss`: acknowledged writes lost at a primary crash, by mode and link latency,
 *   and the lost writes other sessions had read (MySQL semisync AFTER_COMMIT vs AFTER_SYNC).
 * - `replication-sync-quorum`: FIRST 1 vs ANY 1 (and semisync) with a near and a far standby.
 *
 * One experiment a file, in lib/labs/lab06/.
 */
import { replicationLag } from './lab06/lag-burst';
import { replicationLagVsWriteRate } from './lab06/lag-vs-write-rate';
import { replicationWriteLatency } from './lab06/write-latency';
import { replicationStaleReads } from './lab06/stale-reads';
import { replicationReadYourWrites } from './lab06/read-your-writes';
import { replicationReadScaling } from './lab06/read-scaling';
import { replicationFailoverLoss } from './lab06/failover-loss';
import { replicationSyncQuorum } from './lab06/sync-quorum';

export { burstFluidLag, replicationLag } from './lab06/lag-burst';
export { replicationLagVsWriteRate } from './lab06/lag-vs-write-rate';
export { replicationWriteLatency } from './lab06/write-latency';
export { staleReadProbability, replicationStaleReads } from './lab06/stale-reads';
export { replicationReadYourWrites } from './lab06/read-your-writes';
export { replicationReadScaling } from './lab06/read-scaling';
export { replicationFailoverLoss } from './lab06/failover-loss';
export { replicationSyncQuorum } from './lab06/sync-quorum';

/** Lab 06's experiments, in notebook order. */
export const lab06Experiments = [
  replicationLag,
  replicationLagVsWriteRate,
  replicationWriteLatency,
  replicationStaleReads,
  replicationReadYourWrites,
  replicationReadScaling,
  replicationFailoverLoss,
  replicationSyncQuorum,
];
