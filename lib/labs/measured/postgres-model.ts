/**
 * postgres-measured's model of PostgreSQL streaming replication, split from postgres-measured.ts (no
 * behaviour change): the calibration of lib/systems/replication from the commit part's per-level
 * means (calibrate: C = local, d = (remote_write − local)/2, F = local − off, A = a + 2R_1 − R_h from the
 * mechanism, the replica's fsync F_r measured by PostgreSQL: flush_lag − write_lag), the model's
 * light-load commit latency per synchronous_commit level (levelTheory), and the read-after-write lag
 * predicted from PostgreSQL 15's replication path (lagModel: max(R_1, flush_lag + a + R_h), with
 * flush_lag = write_lag + F_r per flush reply).
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
  /**
   * The probe's SELECT round trip on the replica R (s): the machine's loopback hop and wake-ups; from
   * calibrate(), the remote_apply run's median first-SELECT round trip R_1 (a backend woken).
   */
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
  hotRoundTrip?: number,
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
    // A from the mechanism when the round trip was measured (applyWait: a + 2R_1 − R_h, roundTrip
    // the remote_apply run's first-SELECT R_1), else the measured difference
    apply:
      roundTrip !== undefined
        ? applyWait(
            roundTrip,
            hotRoundTrip !== undefined && Number.isFinite(hotRoundTrip) ? hotRoundTrip : roundTrip,
          )
        : Math.max(1e-5, ra - on),
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
 * remote_apply), calls WalRcvForceReply, which wakes the walreceiver to send one more reply. The
 * flush reply is sent at once after WakeupRecovery, and `on` is released when it reaches the
 * walsender (one hop, the walsender woken); the apply reply takes the same hop and wake-up after
 * the startup process's wake-up, a and the walreceiver's wake-up, so those two cancel and
 * A ≤ a + w_startup + w_walreceiver. Both processes SLEEP between commits (50 writes/s, each commit
 * a few ms), so each is a cold wake-up, which the probe measures in the same run: its first SELECT
 * after a 100 ms sleep, R_1 = two hops + the backend's cold wake-up + the client's hot one, against
 * its later SELECTs' R_h = two hops + two hot wake-ups, so one cold wake-up with its hop is
 * R_1 − R_h/2, and A ≤ a + 2·(R_1 − R_h/2) = a + 2R_1 − R_h. Under CPU load a cold wake-up waits for
 * a core (0.3-0.5 ms idle, milliseconds at load 10 on 2 cores) and R_1 carries that wait too. The
 * flush reply already carries the apply position when the startup process won that race, so A lies
 * in [0, a + 2R_1 − R_h]. With one argument (R_h = R_1) this is the earlier a + R: two wake-ups as
 * one round trip.
 */
export function applyWait(firstRoundTrip: number, hotRoundTrip: number = firstRoundTrip): number {
  return replayCost + Math.max(0, 2 * firstRoundTrip - hotRoundTrip);
}

/**
 * The read-after-write probe's lag, from the mechanism (PostgreSQL 15 sources) with machine figures
 * measured in the same run, nothing fitted to the lag. The probe's clock starts when its client
 * reads the commit's reply:
 *  1. the commit's XLogFlush wakes the walsender (WalSndWakeupProcessRequests, xlog.c), which sends
 *     the WAL at once (XLogSendPhysical); the client learns of the commit one hop and one wake-up
 *     of its own later, so those cancel the send's hop and one wake-up;
 *  2. the walreceiver, woken by the data, writes it, sends its write reply, flushes it in one fsync
 *     F_r (XLogWalRcvFlush → issue_xlog_fsync, walreceiver.c) and wakes the startup process
 *     (WakeupRecovery) before its flush reply;
 *  3. the startup process wakes and replays the commit record (a, assumed 50 µs; an M/M/1 queue at
 *     ρ = λa ≤ 0.02 here), which makes it visible;
 *  4. the probe's SELECTs after its first run back to back on an awake backend (round trip R_h):
 *     the first whose snapshot follows the replay answers on average R_h later. Its FIRST SELECT,
 *     sent the moment the commit returns, wakes a backend that slept since the last probe and takes
 *     R_1 (0.3 ms on an idle VM against R_h = 0.04 ms): when the row is visible to it, R_1 is the lag
 *     (the probe cannot see less).
 * What remains between 1 and 3 is two wake-ups w and F_r, and PostgreSQL times the same path: its
 * write_lag is send → walreceiver woken → write → reply → walsender woken, two hops and two wake-ups
 * (2w, the hops tens of µs on loopback), and its flush_lag = write_lag + F_r for the same reply
 * (postgres-lag-pairs.ts). So lag = max(R_1, w + F_r + w + a + R_h) = max(R_1, flush_lag + a + R_h),
 * flush_lag taken as the median over the run's flush replies (the paired sum write_lag + F_r per
 * reply, not a sum of two medians), R_1 and R_h as the probes' medians; the replay queue's M/M/1
 * sojourn in place of a.
 *
 * The fifth session took lag = C + R + a with F_r = C − R (C the probe's commit round trip on the
 * primary: the primary's fsync plus, under CPU load, the commit's scheduler waits; 1.2-1.5 ms where
 * on − remote_write was 0.5-0.65 ms on a quiet fast disk). This session's first version,
 * F_r + 2R + a with each wake-up as R/2 and R the median of ALL the probe's round trips, missed the
 * other way on an idle VM: there the row is mostly visible to the first SELECT, R's median is the
 * cold R_1 (0.3-0.5 ms), counted twice over: model 0.86-1.26 ms against probes at 0.39-0.57 ms in two
 * runs of three.
 */
export function lagModel(
  rate: number,
  o: { flushLag: number; hotRoundTrip: number; firstRoundTrip: number },
): number {
  const visible = meanApplyLag({
    writeRate: rate,
    applyMean: replayCost,
    applyScv: 1,
    linkLatency: o.flushLag + o.hotRoundTrip,
  });
  return Math.max(o.firstRoundTrip, visible);
}
