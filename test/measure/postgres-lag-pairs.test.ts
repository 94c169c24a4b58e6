/**
 * The replica fsync F_r from pg_stat_replication rows (lib/measure/postgres-lag-pairs.ts): each
 * difference is flush_lag − write_lag of ONE row (not of two arrays whose nulls were dropped apart),
 * a row repeating the last flush_lag (no new reply since) is no new measurement, and a row whose
 * write_lag equals its flush_lag (one reply that moved both positions) is no fsync; and A under
 * remote_apply as replay_lag − flush_lag per new replay reply.
 */
import {
  newFlushSamples,
  replicaApplySamples,
  replicaFsyncSamples,
} from '../../lib/measure/postgres-lag-pairs';
import type { LagSample } from '../../lib/measure/postgres-lag-pairs';

const row = (
  write: number | null,
  flush: number | null,
  replay: number | null = flush,
): LagSample => ({
  write: write,
  flush: flush,
  replay: replay,
});

describe('replica fsync pairs', () => {
  test('differences are paired within a row, not across rows with nulls dropped independently', () => {
    // write_lag null in row 2 and flush_lag null in row 3: separate arrays would pair 0.1 with 0.9 and 0.3 with 2.2
    const rows = [row(0.1, 0.9), row(null, 1.5), row(0.3, null), row(0.2, 2.2)];
    expect(replicaFsyncSamples(rows)).toEqual([0.9 - 0.1, 2.2 - 0.2]);
  });
  test('a row repeating the last flush_lag (the tracker keeps its value until the next reply) is left out', () => {
    const rows = [row(0.1, 0.9), row(0.1, 0.9), row(null, null), row(0.1, 0.9), row(0.2, 0.8)];
    expect(replicaFsyncSamples(rows)).toEqual([0.9 - 0.1, 0.8 - 0.2]);
  });
  test('a row whose write_lag equals its flush_lag (one reply past both positions) is counted, not used', () => {
    const rows = [row(0.039, 0.039), row(0.1, 0.6), row(0.294, 0.294, 0.3), row(0.2, 0.5)];
    const r = newFlushSamples(rows);
    expect(r.sameReply).toBe(2);
    expect(r.pairs.map((p) => p.flush! - p.write!)).toEqual([0.6 - 0.1, 0.5 - 0.2]);
  });
  test('a new write_lag with the previous flush_lag (a row between a write reply and its flush reply) is kept: a noisier, unbiased difference, even when negative', () => {
    // row 2: batch k+1's write reply (0.7) with batch k's flush reply (0.45), both new since row 1
    expect(replicaFsyncSamples([row(0.1, 0.5), row(0.7, 0.45), row(0.7, 1.2)])).toEqual([
      0.5 - 0.1,
      0.45 - 0.7,
      1.2 - 0.7,
    ]);
  });
  test('no rows, or only nulls: no samples', () => {
    expect(replicaFsyncSamples([])).toEqual([]);
    expect(replicaFsyncSamples([row(null, null), row(0.1, null)])).toEqual([]);
  });
});

describe('replicaApplySamples: replay_lag − flush_lag per new replay reply (A under remote_apply)', () => {
  test('new replay values only, one reply carrying both counts as 0, nulls skipped', () => {
    const rows = [
      { write: 0.0001, flush: 0.0003, replay: 0.0005 }, // A = 0.2 ms
      { write: 0.0001, flush: 0.0003, replay: 0.0005 }, // repeated: no new reply
      { write: null, flush: null, replay: null },
      { write: 0.0002, flush: 0.0004, replay: 0.0004 }, // one reply moved flush and replay: A = 0
      { write: 0.0002, flush: 0.0006, replay: 0.0009 }, // A = 0.3 ms
    ];
    const a = replicaApplySamples(rows);
    expect(a).toHaveLength(3);
    expect(a[0]).toBeCloseTo(0.0002, 12);
    expect(a[1]).toBe(0);
    expect(a[2]).toBeCloseTo(0.0003, 12);
  });
});
