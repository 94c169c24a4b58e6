/**
 * postgres-measured's simulated rows, split from postgres-measured.ts (no behaviour change): the
 * replication simulator (lib/systems/replication) calibrated from the measurement, part 'lag'
 * (asynchronous, per write rate) and part 'commit' (synchronous, per synchronous_commit level).
 */
import type { Observation } from '../../experiment/experiment';
import type { SynchronousCommitLevel } from '../../measure/postgres';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import { deriveSeed } from '../../random/streams';
import { simulateReplication } from '../../systems/replication/simulate';
import { replayCost, levelTheory } from './postgres-model';
import {
  calColumns,
  commitMedianNull,
  levelOrder,
  noWriteFlushLag,
  pointInterval,
  rowHead,
} from './postgres-rows';
import type { RowContext } from './postgres-rows';

/** The simulation's parameters (the experiment's params that it reads). */
export interface SimulatedParams {
  rates: readonly number[];
  levels: readonly SynchronousCommitLevel[];
  levelRate: number;
  clients: number;
}

type Cell = number | null;

/** The replica fsync columns (postgres-rows.ts fsyncColumns), measured only: null here. */
function fsyncNull(): Record<string, Cell> {
  return {
    replicaFsync: null,
    replicaFsync_lo: null,
    replicaFsync_hi: null,
    replicaFsyncCoverage: null,
    replicaFsyncPairs: null,
    ...pointInterval('replicaFsyncMean', null),
    primaryFsyncMean: null,
    primaryFsyncs: null,
  };
}

/** One simulated row: the columns both parts fill, in the CSV's order, the rest null. */
function simulatedRow(
  head: Observation,
  f: {
    replayLag: Cell;
    visibleLag: Cell;
    write: { mean: number; p99: number; count: number };
    samples: Cell;
    roundTrip: number;
    visibleLag_theory: Cell;
    lagModelCommit: Cell;
    lagModelFsync: Cell;
    commitLatency_theory: number;
    commitGapMax: Cell;
  },
  ctx: RowContext,
): Observation {
  return {
    ...head,
    ...pointInterval('replayLag', f.replayLag),
    ...noWriteFlushLag(),
    ...pointInterval('visibleLag', f.visibleLag),
    ...pointInterval('commitLatency', f.write.mean),
    commitP99: f.write.p99,
    writes: f.write.count,
    samples: f.samples,
    probes: null,
    ...pointInterval('roundTrip', f.roundTrip),
    visibleLag_theory: f.visibleLag_theory,
    lagModelCommit: f.lagModelCommit,
    lagModelFsync: f.lagModelFsync,
    lagModelFlushLag: null,
    lagModelFlushLag_lo: null,
    lagModelFlushLag_hi: null,
    lagModelWriteLag: null,
    firstRoundTripMedian: null,
    firstRoundTripMedian_lo: null,
    firstRoundTripMedian_hi: null,
    hotRoundTripMedian: null,
    ...fsyncNull(),
    commitMinusRoundTrip: null,
    commitLatency_theory: f.commitLatency_theory,
    commitGapMax: f.commitGapMax,
    ...commitMedianNull(),
    ...calColumns(ctx.cal),
    component: 'scalelab replication simulator',
    setupSeconds: null,
    ...ctx.component,
  };
}

/** The simulated rows: part 'lag' per write rate, then part 'commit' per level. */
export function simulatedRows(p: SimulatedParams, seed: number, ctx: RowContext): Observation[] {
  const { cal, lagOf } = ctx;
  const out: Observation[] = [];
  // the model, calibrated: lag part asynchronous, the replica's flush a constant delay before apply
  const base = {
    replicas: 1,
    servers: p.clients,
    commitTime: new Exponential(1 / Math.max(1e-5, cal.commit)),
    applyTime: new Exponential(1 / replayCost),
  };
  const simSeconds = (rate: number) => Math.max(20, 4000 / rate);
  for (const rate of p.rates) {
    const s = simulateReplication(
      {
        ...base,
        mode: 'async',
        writeRate: rate,
        // the lag model's path before the replay: flush_lag (two wake-ups + F_r) + R_h (lagModel;
        // its floor R_1, the probe's own first SELECT, is the probe's, not replication's)
        linkLatency: new Deterministic(lagOf(rate).flushLag + lagOf(rate).hotRoundTrip),
      },
      { seed: deriveSeed(seed, `lag.${rate}`), duration: simSeconds(rate), warmup: 2 },
    );
    const lag = s.summary.replicas[0].lag;
    out.push(
      simulatedRow(
        rowHead('simulation', 'lag', rate, 'on (async)', null),
        {
          replayLag: lag.mean,
          visibleLag: lag.mean,
          write: s.summary.writeLatency,
          samples: lag.count,
          roundTrip: lagOf(rate).roundTrip,
          visibleLag_theory: lagOf(rate).model,
          lagModelCommit: lagOf(rate).commit,
          lagModelFsync: lagOf(rate).fsync,
          commitLatency_theory: cal.commit,
          commitGapMax: null,
        },
        ctx,
      ),
    );
  }
  for (const level of p.levels) {
    const s = simulateReplication(
      {
        ...base,
        mode: 'sync',
        synchronous_commit: level,
        writeRate: p.levelRate,
        linkLatency: new Deterministic(
          level === 'remote_apply' ? cal.link + (cal.replicaFlush + cal.apply) / 2 : cal.link,
        ),
        replicaFlushTime: new Exponential(1 / Math.max(1e-5, cal.replicaFlush)),
      },
      { seed: deriveSeed(seed, `level.${level}`), duration: simSeconds(p.levelRate), warmup: 2 },
    );
    out.push(
      simulatedRow(
        rowHead('simulation', 'commit', p.levelRate, level, levelOrder(level)),
        {
          replayLag: null,
          visibleLag: null,
          write: s.summary.writeLatency,
          samples: null,
          roundTrip: cal.roundTrip,
          visibleLag_theory: null,
          lagModelCommit: null,
          lagModelFsync: null,
          commitLatency_theory: levelTheory(level, cal),
          commitGapMax: level === 'remote_apply' ? cal.apply : null,
        },
        ctx,
      ),
    );
  }
  return out;
}
