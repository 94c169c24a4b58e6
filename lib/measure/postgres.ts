/**
 * Real PostgreSQL streaming replication on loopback (Debian's postgresql, binaries in
 * /usr/lib/postgresql/N/bin): a primary made by `initdb --auth=trust`, a physical replication slot,
 * a replica made by `pg_basebackup -R -S <slot> -X stream`, both started as `postgres -D DIR` in
 * process groups of their own (processes.ts), each on a port checked free, with its data folder,
 * socket folder and logs in one temp folder of our own, listening on 127.0.0.1 only. PostgreSQL
 * refuses to run as root: as root the servers (and initdb, pg_basebackup) run as the `postgres`
 * user the Debian package creates, the temp folder handed to it; as anyone else, as that user.
 * Stopped by an immediate shutdown (SIGQUIT to the postmaster), else SIGKILL of the group.
 *
 * Measured under a pgbench write load (`pgbench -R rate`: Poisson-scheduled single-row INSERT
 * transactions, each latency from its SCHEDULED start, so no coordinated omission; --random-seed):
 *  - lag (asynchronous, `synchronous_standby_names` empty), per write rate: pg_stat_replication's
 *    write_lag, flush_lag, replay_lag sampled every 50 ms, and a read-after-write probe every
 *    100 ms (INSERT on the primary, then SELECT on the replica until the row is visible: the
 *    visible lag from the commit's return);
 *  - commit latency per `synchronous_commit` level (off, local, remote_write, on, remote_apply)
 *    with `synchronous_standby_names = 'replica1'` (the replica synchronous), set by ALTER SYSTEM
 *    and pg_reload_conf(), the level per session through PGOPTIONS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { findPostgres } from './components';
import { PgConnection } from './pg-wire';
import { freePort, sleep, tempFolder } from './processes';
import { load } from './postgres-load';
import type { PgLoadResult, SynchronousCommitLevel } from './postgres-load';
import { run, serverUser, startServer, stopServer } from './postgres-server';
import type { Server } from './postgres-server';

export { synchronousCommitLevels } from './postgres-load';
export type { PgLoadResult, SynchronousCommitLevel } from './postgres-load';

export interface PostgresMeasurement {
  version: string;
  lag: Array<{ rate: number } & PgLoadResult>;
  levels: Array<{ level: SynchronousCommitLevel; rate: number } & PgLoadResult>;
  /** Seconds the cluster took to set up (initdb, start, base backup, replica start). */
  setupSeconds: number;
}

/** Waits until pg_stat_replication shows replica1 with `state` streaming (and `sync_state` when given). */
async function waitForStandby(c: PgConnection, syncState?: string): Promise<void> {
  const deadline = Date.now() + 60000;
  for (;;) {
    const rows = await c.query(
      "SELECT state, sync_state FROM pg_stat_replication WHERE application_name = 'replica1'",
    );
    if (
      rows.length > 0 &&
      rows[0][0] === 'streaming' &&
      (syncState === undefined || rows[0][1] === syncState)
    )
      return;
    if (Date.now() > deadline)
      throw new Error(
        `the replica never showed as streaming${syncState ? ` and ${syncState}` : ''} in pg_stat_replication`,
      );
    await sleep(50);
  }
}

/** Sets up the primary and the replica, measures lag per rate and commit latency per level, and tears it all down. */
export async function measurePostgres(o: {
  rates: number[];
  levels: SynchronousCommitLevel[];
  levelRate: number;
  duration: number;
  warmup: number;
  clients: number;
  seed: number;
}): Promise<PostgresMeasurement> {
  const pg = findPostgres();
  const as = serverUser();
  const started = Date.now();
  const root = tempFolder('postgres');
  if (as.uid !== undefined) fs.chownSync(root, as.uid, as.gid!);
  const primaryDir = path.join(root, 'primary');
  const replicaDir = path.join(root, 'replica');
  run(
    `${pg.bin}/initdb`,
    [
      '-D',
      primaryDir,
      '--auth=trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ],
    as,
    root,
    'initdb',
  );
  fs.appendFileSync(
    path.join(primaryDir, 'pg_hba.conf'),
    '\nhost replication all 127.0.0.1/32 trust\n',
  );
  const ports = [await freePort(), await freePort()];
  const servers: Server[] = [];
  try {
    const common = [
      '-c',
      'wal_level=replica',
      '-c',
      'max_wal_senders=4',
      '-c',
      'max_replication_slots=4',
      '-c',
      'hot_standby=on',
      // pg_stat_wal's wal_sync_time: each sub-run's mean primary fsync (postgres-load.ts)
      '-c',
      'track_wal_io_timing=on',
    ];
    servers.push(await startServer(pg.bin, primaryDir, ports[0], root, as, common));
    const admin = await PgConnection.connect(ports[0]);
    try {
      await admin.query("SELECT pg_create_physical_replication_slot('replica1')");
      await admin.query('CREATE TABLE w (id bigserial PRIMARY KEY, v int)');
      await admin.query('CREATE TABLE probe (id bigint PRIMARY KEY)');
      run(
        `${pg.bin}/pg_basebackup`,
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(ports[0]),
          '-U',
          'postgres',
          '-D',
          replicaDir,
          '-R',
          '-S',
          'replica1',
          '-X',
          'stream',
          '-c',
          'fast',
          '--no-sync',
        ],
        as,
        root,
        'pg_basebackup',
      );
      servers.push(
        await startServer(pg.bin, replicaDir, ports[1], root, as, [
          ...common,
          '-c',
          `primary_conninfo=host=127.0.0.1 port=${ports[0]} user=postgres application_name=replica1`,
          '-c',
          'primary_slot_name=replica1',
        ]),
      );
      await waitForStandby(admin);
      const setupSeconds = (Date.now() - started) / 1000;
      const base = {
        bin: pg.bin,
        primary: ports[0],
        replica: ports[1],
        dir: root,
        duration: o.duration,
        warmup: o.warmup,
        clients: o.clients,
      };
      const lag: PostgresMeasurement['lag'] = [];
      for (const [i, rate] of o.rates.entries())
        lag.push({
          rate: rate,
          ...(await load({ ...base, rate: rate, seed: o.seed + i, level: null })),
        });
      const levels: PostgresMeasurement['levels'] = [];
      if (o.levels.length > 0) {
        await admin.query("ALTER SYSTEM SET synchronous_standby_names = 'replica1'");
        await admin.query('SELECT pg_reload_conf()');
        await waitForStandby(admin, 'sync');
        for (const [i, level] of o.levels.entries())
          levels.push({
            level: level,
            rate: o.levelRate,
            ...(await load({ ...base, rate: o.levelRate, seed: o.seed + 100 + i, level: level })),
          });
      }
      return { version: pg.version, lag: lag, levels: levels, setupSeconds: setupSeconds };
    } finally {
      admin.close();
    }
  } finally {
    for (const s of servers.reverse()) await stopServer(s);
  }
}
