/**
 * The replica's WAL fsync F, measured by PostgreSQL itself in each pg_stat_replication sample: the
 * walreceiver (walreceiver.c, PostgreSQL 15) answers every batch it receives twice, once after it
 * WRITES the WAL (XLogWalRcvSendReply after XLogWalRcvWrite) and once after it FLUSHES it
 * (XLogWalRcvFlush: issue_xlog_fsync, then WakeupRecovery, then XLogWalRcvSendReply). The primary's
 * walsender times both against one send time (walsender.c LagTrackerWrite at the send,
 * LagTrackerRead at each reply's arrival): write_lag = hop + write + reply hop, flush_lag = the same
 * + the fsync + one reply's processing. So in ONE sample row, flush_lag − write_lag is the replica's
 * fsync F, on the same disk, under the same load, at the same moment; the hops cancel. Pairs must
 * come from the same row (separate arrays that drop nulls independently lose the pairing).
 *
 * The tracker keeps its last values until the next reply (a row repeats them when no reply came in
 * between), so a row whose flush_lag equals the previous row's adds no new measurement and is
 * dropped: each kept pair is a new flush reply. A row taken between a batch's write reply and its
 * flush reply pairs the new write_lag with the previous flush_lag (kept when that flush_lag is
 * itself new since the last row): an unbiased but noisier difference (both write_lags are draws of
 * the same hop), rare when F is small against the time between batches.
 *
 * A row whose write_lag equals its flush_lag to the microsecond is not such a pair: the two
 * replies are separate messages with the fsync between them, so their lags differ by at least
 * the fsync's duration; equal values come from ONE reply that moved both positions past the
 * tracker's sample at once (the tracker's sample LSN is the primary's end of WAL at the send,
 * "which might be further ahead" than the data sent, walsender.c XLogSendPhysical; then
 * LagTrackerRead interpolates all heads between the same two samples), usually with replay_lag
 * equal too. Measured here at 400 writes/s in about half the rows, at 25 writes/s in few: kept,
 * they put F's median at 0. They are left out and counted (`sameReply`).
 */

/** One pg_stat_replication row (s; null while PostgreSQL reports none). */
export interface LagSample {
  write: number | null;
  flush: number | null;
  replay: number | null;
}

/**
 * The rows that carry a new flush reply: both write_lag and flush_lag reported, and flush_lag not
 * equal to the last kept row's (the tracker repeats its last value until the next reply).
 */
export function newFlushSamples(rows: readonly LagSample[]): {
  pairs: LagSample[];
  sameReply: number;
} {
  const pairs: LagSample[] = [];
  let sameReply = 0;
  for (const r of newReplies(rows, 'flush', 'write')) {
    if (r.flush === r.write) sameReply++;
    else pairs.push(r);
  }
  return { pairs: pairs, sameReply: sameReply };
}

/** flush_lag − write_lag per new flush reply (s): the replica's fsync F, one per reply. */
export function replicaFsyncSamples(rows: readonly LagSample[]): number[] {
  return newFlushSamples(rows).pairs.map((r) => r.flush! - r.write!);
}

/**
 * replay_lag − flush_lag per new replay reply (s): under `remote_apply` the startup process asks for
 * a reply after replaying a commit (WalRcvForceReply), so the walsender times the flush reply and
 * the apply reply against one send, and their difference is what a remote_apply commit waits for
 * beyond `on` (A), measured by PostgreSQL in the same sub-run. Rows whose replay_lag equals their
 * flush_lag (one reply carried both) count as A = 0: that is the race the model's range starts at.
 * A row is new when its replay_lag differs from the last kept row's.
 */
export function replicaApplySamples(rows: readonly LagSample[]): number[] {
  return newReplies(rows, 'replay', 'flush').map((r) => Math.max(0, r.replay! - r.flush!));
}

/**
 * The rows that carry a new `head` reply: `head` and `base` both reported (finite), and `head` not
 * equal to the last such row's (the lag tracker repeats its last value until the next reply).
 */
function newReplies(
  rows: readonly LagSample[],
  head: 'flush' | 'replay',
  base: 'write' | 'flush',
): LagSample[] {
  const out: LagSample[] = [];
  let last: number | null = null;
  for (const r of rows) {
    const h = r[head];
    const b = r[base];
    if (h === null || b === null || !Number.isFinite(h) || !Number.isFinite(b)) continue;
    if (last !== null && h === last) continue;
    last = h;
    out.push(r);
  }
  return out;
}
