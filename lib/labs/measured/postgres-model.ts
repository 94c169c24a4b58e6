/**
 * postgres-measured's model of PostgreSQL streaming replication, split from postgres-measured.ts (no
 * behaviour change): the calibration of lib/systems/replication from the commit part's per-level
 * means (calibrate: C = local, d = (remote_write − local)/2, F = local − off, A = a + R from the
 * mechanism, the replica's fsync F_r measured by PostgreSQL: flush_lag − write_lag), the model's
 * light-load commit latency per synchronous_commit level (levelTheory), and the read-after-write lag
 * predicted from PostgreSQL 15's replication path (lagModel: F_r + 2R + a).
 * The sources and the reasoning are in each function's comment and in postgres-measured.ts's header.
 */
import type { SynchronousCommitLevel } from '../../measure/postgres';
import { lightLoadWriteLatency, meanApplyLag } from '../../systems/replication/theory';

/** The model's four times (s), calibrated from the measured commit latency per level. */
export interface PgCalibration {
  commit: number;
  link: number;
  flush: number;
  apply: number;
  /**
   * The replica's WAL fsync F_r (s): what `on` waits for beyond `remote_write`, measured as the mean
   * of flush_lag − write_lag over the `on` run's flush replies (lib/measure/postgres-lag-pairs.ts);
   * the commit latencies are means, so their difference is the mean fsync, not its median.
   */
  replicaFlush: number;
  /** The probe's SELECT round trip on the replica R (s): the machine's loopback hop and wake-ups. */
  roundTrip: number;
}

/** What calibrate() gave on the 2-vCPU VM of the fourth session (PostgreSQL 15.18, fdatasync ≈ 5.7 ms): for simulation-only runs. */
export const vmCalibration: PgCalibration = {
  commit: 0.0101,
  link: 0,
  flush: 0.0076,
  apply: 0.0014,
  replicaFlush: 0.0076,
  roundTrip: 0.0003,
};

/**
 * The model's times from the measured per-level means. The primary's WAL flush F (what `off` skips)
 * is local − off when `off` was measured, on − remote_write otherwise. The replica's flush F_r (what
 * `on` waits for beyond `remote_write`) is `replicaFlush` when given: measured by PostgreSQL itself,
 * flush_lag − write_lag of the walreceiver's write and flush replies (postgres-lag-pairs.ts), not
 * fitted to the commit latencies; F otherwise (the fourth session's assumption: the same
 * fdatasync on the same disk).
 */
export function calibrate(
  mean: Partial<Record<SynchronousCommitLevel, number>>,
  roundTrip?: number,
  replicaFlush?: number,
): PgCalibration {
  const local = mean.local ?? NaN;
  const rw = mean.remote_write ?? local;
  const on = mean.on ?? rw;
  const ra = mean.remote_apply ?? on;
  const flush = mean.off !== undefined ? local - mean.off : on - rw;
  return {
    commit: local,
    link: Math.max(0, (rw - local) / 2),
    flush: Math.max(0, flush),
    // A from the mechanism when the round trip was measured (applyWait), else the measured difference
    apply: roundTrip !== undefined ? applyWait(roundTrip) : Math.max(1e-5, ra - on),
    replicaFlush:
      replicaFlush !== undefined && Number.isFinite(replicaFlush)
        ? Math.max(0, replicaFlush)
        : Math.max(0, flush),
    roundTrip: roundTrip ?? vmCalibration.roundTrip,
  };
}

/**
 * The model's commit latency per level at light load. `off` does not wait for the local flush
 * (xact.c RecordTransactionCommit: XLogSetAsyncXactLSN instead of XLogFlush below synchronous_commit
 * `local`), so it is C − F; `on` waits beyond `remote_write` for the replica's fsync F_r (the
 * walsender releases remote_write waiters at the write reply and `on` waiters at the flush reply,
 * syncrep.c SyncRepReleaseWaiters: the very interval flush_lag − write_lag measures);
 * `remote_apply` waits beyond `on` for the apply A.
 */
export function levelTheory(level: SynchronousCommitLevel, c: PgCalibration): number {
  const p = {
    commitMean: c.commit,
    linkLatency: c.link,
    flushMean: c.replicaFlush,
    applyMean: c.apply,
  };
  if (level === 'off') return Math.max(0, c.commit - c.flush);
  if (level === 'remote_apply') return lightLoadWriteLatency(p, 'on') + c.apply;
  return lightLoadWriteLatency(p, level);
}

/** The startup process's replay of one one-row INSERT, s (assumed, see the file comment). */
export const replayCost = 50e-6;

/**
 * What a `remote_apply` commit waits for beyond `on`, at most (xlogrecovery.c, walreceiver.c): the
 * walreceiver's flush wakes the startup process (WakeupRecovery), which replays the commit record
 * (a) and, as the record asks for apply feedback (XACT_COMPLETION_APPLY_FEEDBACK, set only under
 * remote_apply), calls WalRcvForceReply, which wakes the walreceiver to send one more reply: two
 * wake-ups, about one loopback round trip R. The flush reply, sent at once after WakeupRecovery,
 * already carries the apply position when the startup process won that race, so A lies in
 * [0, a + R]: remote_apply and on differ by less than their intervals at this machine's R.
 */
export function applyWait(roundTrip: number): number {
  return replayCost + roundTrip;
}

/**
 * The read-after-write probe's lag, from the mechanism (PostgreSQL 15 sources) with two machine
 * figures measured in the same run, nothing fitted to the lag. The probe's clock starts when its
 * client reads the commit's reply:
 *  1. the commit's XLogFlush wakes the walsender (WalSndWakeupProcessRequests, xlog.c), which sends
 *     the WAL at once (XLogSendPhysical); the client learns of the commit one hop later, so the
 *     send's hop and the commit's reply hop cancel, and one wake-up (the walsender's) remains: R/2;
 *  2. the walreceiver writes what it received, sends its write reply, flushes it in one fsync
 *     (XLogWalRcvFlush → issue_xlog_fsync, walreceiver.c) and wakes the startup process
 *     (WakeupRecovery) before its flush reply: F_r, measured by PostgreSQL in the same run as
 *     flush_lag − write_lag (the walsender times both replies against one send, walsender.c
 *     LagTrackerWrite/LagTrackerRead; postgres-lag-pairs.ts), on the same disk at the same load;
 *  3. the startup process wakes (a latch set: one wake-up, R/2) and replays the commit record (a,
 *     assumed 50 µs; an M/M/1 queue at ρ = λa ≤ 0.02 here), which makes it visible;
 *  4. the probe's SELECTs run back to back: the first whose snapshot follows the replay answers,
 *     on average half a round trip later plus the reply's hop: one round trip R.
 * With a wake-up taken as a one-way hop R/2: lag = R/2 + F_r + R/2 + a + R = F_r + 2R + a (the
 * replay queue's M/M/1 sojourn in place of a). R is the probe's own SELECT round trip on the
 * replica. The fifth session took F_r as C − R (C the probe's commit round trip on the primary:
 * the primary's fdatasync plus R), which counted the primary's fsync in place of the replica's and,
 * under CPU load, the commit's scheduler waits too: 1.2-1.5 ms against a measured on − remote_write
 * of 0.5-0.65 ms on a quiet fast disk.
 */
export function lagModel(rate: number, replicaFsync: number, roundTrip: number): number {
  return meanApplyLag({
    writeRate: rate,
    applyMean: replayCost,
    applyScv: 1,
    linkLatency: replicaFsync + 2 * roundTrip,
  });
}
