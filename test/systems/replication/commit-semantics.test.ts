/**
 * Issue 16, point 17: commit settings that the simulator used to drop.
 *
 * Sources:
 * - mysql/mysql-server plugin/semisync/semisync_source.cc and the MySQL 8.4 Reference Manual
 *   §19.4.10.2: `rpl_semi_sync_source_wait_point` AFTER_SYNC (default since 5.7) waits for the
 *   replica's acknowledgement after the binlog sync and before the storage-engine commit, so no
 *   other session sees the transaction first; AFTER_COMMIT waits after the engine commit, so other
 *   sessions may read a transaction that a failover then loses ("phantom read").
 *   `rpl_semi_sync_source_wait_no_replica` (ON): with OFF, remove_slave() switches semisync off
 *   as soon as fewer than rpl_semi_sync_source_wait_for_replica_count replicas are connected,
 *   instead of letting commits wait out rpl_semi_sync_source_timeout.
 * - postgres/postgres src/backend/access/transam/xact.c (RecordTransactionCommit: with
 *   synchronous_commit = off the commit returns before XLogFlush; SyncRepWaitForLSN runs before
 *   ProcArrayEndTransaction, so a waiting sync commit is invisible to other sessions),
 *   src/backend/postmaster/walwriter.c and the docs §28.4 "Asynchronous Commit" (the WAL writer
 *   flushes every wal_writer_delay, 200 ms; a crash can lose the commits of that window, at most
 *   three wal_writer_delays by the docs), src/backend/replication/syncrep.c
 *   (SyncRepGetSyncRecPtr: FIRST n waits for the n highest-priority standbys, ANY n for any n, so
 *   with a near and a far standby FIRST 1 (far, near) waits for the far one and ANY 1 does not).
 */
import { Deterministic, Exponential } from '../../../lib/random';
import { confidenceInterval } from '../../../lib/sim/confidence';
import { simulateReplication } from '../../../lib/systems/replication';
import type { ReplicationConfig } from '../../../lib/systems/replication';

describe('rpl_semi_sync_source_wait_point', () => {
  // the primary crashes with 20 ms of writes on the wire; reads on the primary, 5 hot keys
  const cfg: ReplicationConfig = {
    replicas: 2,
    mode: 'semisync',
    writeRate: 200,
    readRate: 2000,
    readRouting: 'primary',
    keys: 5,
    keySkew: 0,
    applyTime: new Exponential(1000),
    linkLatency: new Deterministic(0.02),
    primaryCrashAt: 4,
    detectionDelay: 1,
  };
  const run = (wait_point: 'AFTER_SYNC' | 'AFTER_COMMIT', seed: number) =>
    simulateReplication(
      { ...cfg, rpl_semi_sync_source_wait_point: wait_point },
      { seed, duration: 6 },
    ).summary;

  it('AFTER_COMMIT: other sessions read writes a failover then loses; AFTER_SYNC: none that was seen is lost; neither loses an acknowledged one', () => {
    let seenCommit = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const sync = run('AFTER_SYNC', seed);
      const commit = run('AFTER_COMMIT', seed);
      // the same writes are lost (visibility changes nothing else), about λ·d = 4 a failover
      expect(commit.lostUnacknowledged).toBe(sync.lostUnacknowledged);
      expect(sync.lostUnacknowledged).toBeGreaterThan(0);
      expect(sync.lostAcknowledged).toBe(0);
      expect(commit.lostAcknowledged).toBe(0);
      expect(sync.lostSeen).toBe(0);
      expect(commit.lostSeen).toBeLessThanOrEqual(commit.lostUnacknowledged);
      seenCommit += commit.lostSeen;
    }
    // 2000 reads/s over 5 keys: a key is read every 2.5 ms, and a lost write is visible for up to 20 ms
    expect(seenCommit).toBeGreaterThan(10);
  });

  it('PostgreSQL sync hides a waiting commit as AFTER_SYNC does; async shows it (and was told it was safe)', () => {
    const sync = simulateReplication({ ...cfg, mode: 'sync' }, { seed: 1, duration: 6 }).summary;
    expect(sync.lostSeen).toBe(0);
    const async = simulateReplication({ ...cfg, mode: 'async' }, { seed: 1, duration: 6 }).summary;
    expect(async.lostAcknowledged).toBeGreaterThan(0);
    expect(async.lostSeen).toBeGreaterThan(0);
  });
});

describe('rpl_semi_sync_source_wait_no_replica', () => {
  const cfg: ReplicationConfig = {
    replicas: 1,
    mode: 'semisync',
    writeRate: 20,
    replicaCrashes: [{ replica: 1, at: 10, duration: 30 }],
  };

  it('ON (default): with the only replica gone, commits wait out rpl_semi_sync_source_timeout (10 s) once, then run async', () => {
    const s = simulateReplication(cfg, { seed: 1, duration: 60 }).summary;
    expect(s.semiSyncTimeouts).toBe(1);
    expect(s.semiSyncOffTimes).toBe(1);
    expect(s.writeLatency.max).toBeGreaterThan(9.9);
    expect(s.semiSyncOn).toBe(true); // back on once the replica caught up
  });

  it('OFF: semisync switches off at the disconnect, no commit waits, and it is back on after the catch-up', () => {
    const s = simulateReplication(
      { ...cfg, rpl_semi_sync_source_wait_no_replica: false },
      { seed: 1, duration: 60 },
    ).summary;
    expect(s.semiSyncTimeouts).toBe(0);
    expect(s.semiSyncOffTimes).toBe(1);
    expect(s.writeLatency.max).toBeLessThan(0.05);
    expect(s.semiSyncOn).toBe(true);
  });
});

describe('PostgreSQL synchronous_commit = off', () => {
  const cfg: ReplicationConfig = {
    replicas: 1,
    mode: 'async',
    writeRate: 200,
    applyTime: new Exponential(1000),
    linkLatency: new Deterministic(0.001),
  };

  it('returns before the flush (the commit alone), and the standby gets each write at the next WAL writer flush', () => {
    const on = simulateReplication(cfg, { seed: 2, duration: 30, warmup: 2 }).summary;
    const off = simulateReplication(
      { ...cfg, synchronous_commit: 'off' },
      { seed: 2, duration: 30, warmup: 2 },
    ).summary;
    // same commit draws: the write latency is the same (async does not wait for a standby either)
    expect(off.writeLatency.mean).toBeCloseTo(on.writeLatency.mean, 6);
    // a write waits for the next flush, every 200 ms: wal_writer_delay/2 on average, then a batch of ~40 to apply
    expect(on.lag.mean).toBeLessThan(0.01);
    expect(off.lag.mean).toBeGreaterThan(0.1);
    expect(off.lag.max).toBeLessThan(0.2 + 0.05);
  });

  it('a crash loses the acknowledged commits since the last flush: Poisson(λ·(crash − last flush)), within the documented 3 × wal_writer_delay', () => {
    // flushes at 0.2 s, 0.4 s, ...: a crash at 5.13 s loses the commits of (5.0, 5.13], 200 × 0.13 = 26 on average
    const lost: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const s = simulateReplication(
        { ...cfg, synchronous_commit: 'off', primaryCrashAt: 5.13, detectionDelay: 1 },
        { seed, duration: 7 },
      ).summary;
      expect(s.lostUnflushed).toBeLessThanOrEqual(s.lostAcknowledged); // never shipped, so lost at failover too
      expect(s.lostUnflushed).toBeLessThan(200 * 3 * 0.2);
      lost.push(s.lostUnflushed);
    }
    const ci = confidenceInterval(lost, 0.99);
    expect(ci.lower).toBeLessThanOrEqual(26);
    expect(ci.upper).toBeGreaterThanOrEqual(26);
    const on = simulateReplication(
      { ...cfg, primaryCrashAt: 5.13, detectionDelay: 1 },
      { seed: 1, duration: 7 },
    ).summary;
    expect(on.lostUnflushed).toBe(0);
  });

  it("is PostgreSQL's: with MySQL semisync it is a ParameterError", () => {
    expect(() =>
      simulateReplication(
        { replicas: 1, mode: 'semisync', synchronous_commit: 'off' },
        { duration: 1 },
      ),
    ).toThrow(/synchronous_commit/);
  });
});

describe('synchronous_standby_names FIRST vs ANY with a far and a near standby', () => {
  // standby 1 (highest priority) 20 ms away, standby 2 1 ms away; flush 0.2 ms
  const cfg: ReplicationConfig = {
    replicas: 2,
    mode: 'sync',
    synchronous_commit: 'on',
    writeRate: 100,
    applyTime: new Exponential(1000),
    linkLatency: [new Deterministic(0.02), new Deterministic(0.001)],
    replicaFlushTime: new Deterministic(0.0002),
  };
  const latency = (c: Partial<ReplicationConfig>) =>
    simulateReplication({ ...cfg, ...c }, { seed: 3, duration: 30, warmup: 2 }).summary.writeLatency
      .mean;

  it('FIRST 1 waits for the far standby (2·20 ms + flush), ANY 1 for the near one (2·1 ms + flush), FIRST 2 and ANY 2 for both', () => {
    const base = latency({ mode: 'async' });
    expect(latency({ synchronous_standby_names: { method: 'FIRST', num: 1 } }) - base).toBeCloseTo(
      0.0402,
      5,
    );
    expect(latency({ synchronous_standby_names: { method: 'ANY', num: 1 } }) - base).toBeCloseTo(
      0.0022,
      5,
    );
    expect(latency({ synchronous_standby_names: { method: 'FIRST', num: 2 } }) - base).toBeCloseTo(
      0.0402,
      5,
    );
    expect(latency({ synchronous_standby_names: { method: 'ANY', num: 2 } }) - base).toBeCloseTo(
      0.0402,
      5,
    );
    // MySQL semisync counts any acknowledgement: the near replica's
    expect(latency({ mode: 'semisync' }) - base).toBeCloseTo(0.0022, 5);
  });
});
