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
import { spawnSync } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ParameterError } from '../errors';
import { findPostgres } from './components';
import { PgConnection } from './pg-wire';
import {
  exitReason,
  freePort,
  sleep,
  startProcess,
  stopProcess,
  tempFolder,
  waitForPort,
} from './processes';

export const synchronousCommitLevels = [
  'off',
  'local',
  'remote_write',
  'on',
  'remote_apply',
] as const;
export type SynchronousCommitLevel = (typeof synchronousCommitLevels)[number];

export interface PgLoadResult {
  /** Latency of each write transaction (s, from its scheduled start) that ended after the warm-up. */
  latency: number[];
  /** Its end, s from the start of the run. */
  at: number[];
  /** Samples of pg_stat_replication (s; null while PostgreSQL reports none). */
  writeLag: number[];
  flushLag: number[];
  replayLag: number[];
  /** Read-after-write probe: commit on the primary to visible on the replica, s. */
  visible: number[];
  /**
   * The probe's SELECT round trips on the replica (s): client → backend → client on loopback, the
   * machine's process wake-up and hop time under the run's own load.
   */
  roundTrip: number[];
  /** Wall-clock seconds the run took (connections, pgbench, logs). */
  wallSeconds: number;
  /** The machine's 1-minute load average just after the run. */
  loadAverage: number;
}

export interface PostgresMeasurement {
  version: string;
  lag: Array<{ rate: number } & PgLoadResult>;
  levels: Array<{ level: SynchronousCommitLevel; rate: number } & PgLoadResult>;
  /** Seconds the cluster took to set up (initdb, start, base backup, replica start). */
  setupSeconds: number;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** Who runs the servers: ourselves, or (as root) the `postgres` user. */
function serverUser(): RunAs {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new ParameterError(
      'user',
      'root',
      "must not run PostgreSQL: it refuses root, and there is no 'postgres' user to run it as (the Debian package postgresql creates one: apt-get install -y postgresql)",
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function run(
  command: string,
  args: string[],
  as: RunAs,
  cwd: string,
  what: string,
  timeoutMs = 120000,
): string {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    cwd: cwd,
    uid: as.uid,
    gid: as.gid,
    timeout: timeoutMs,
    env: { ...process.env, LC_ALL: 'C', PGOPTIONS: '' },
  });
  if (r.error || r.status !== 0)
    throw new Error(
      `${what} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}): ${`${r.stdout}${r.stderr}`.trim().slice(-2000)}`,
    );
  return r.stdout;
}

interface Server {
  child: ChildProcess;
  port: number;
}

async function startServer(
  bin: string,
  dir: string,
  port: number,
  socketDir: string,
  as: RunAs,
  extra: string[],
): Promise<Server> {
  const args = [
    '-D',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `port=${port}`,
    '-c',
    `unix_socket_directories=${socketDir}`,
    '-c',
    'logging_collector=off',
    '-c',
    'shared_buffers=32MB',
    '-c',
    'max_connections=40',
    ...extra,
  ];
  const child = startProcess(
    `${bin}/postgres`,
    args,
    { cwd: socketDir, uid: as.uid, gid: as.gid, env: { ...process.env, LC_ALL: 'C' } },
    'SIGQUIT',
  );
  await waitForPort(port, 60000, `PostgreSQL on ${port}`, () => exitReason(child));
  // the port opens before recovery ends: connect until a query is answered
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      const c = await PgConnection.connect(port);
      await c.query('SELECT 1');
      c.close();
      return { child: child, port: port };
    } catch (e) {
      const gone = exitReason(child);
      if (gone !== null) throw new Error(`PostgreSQL on ${port} stopped: ${gone}`, { cause: e });
      if (Date.now() > deadline)
        throw new Error(`PostgreSQL on ${port} never answered: ${(e as Error).message}`, {
          cause: e,
        });
      await sleep(50);
    }
  }
}

/**
 * Immediate shutdown (SIGQUIT to the postmaster: its children stopped, its shared memory released,
 * no shutdown checkpoint, whose fsyncs took seconds here and whose data is thrown away anyway), at
 * most 15 s, then the group killed.
 */
async function stopServer(s: Server): Promise<void> {
  const c = s.child;
  if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<boolean>((resolve) => {
    c.once('exit', () => resolve(true));
    setTimeout(() => resolve(false), 15000).unref();
  });
  try {
    process.kill(c.pid, 'SIGQUIT');
  } catch {
    return;
  }
  if (!(await exited)) await stopProcess(c);
}

function lagSeconds(v: string | null): number | null {
  return v === null ? null : Number(v);
}

/** One pgbench run at `rate` for `duration` s with the level, the lags sampled and the probe run meanwhile. */
async function load(o: {
  bin: string;
  primary: number;
  replica: number;
  dir: string;
  rate: number;
  duration: number;
  warmup: number;
  clients: number;
  seed: number;
  level: SynchronousCommitLevel | null;
}): Promise<PgLoadResult> {
  const script = path.join(o.dir, 'write.sql');
  fs.writeFileSync(script, 'INSERT INTO w (v) VALUES (1);\n');
  const prefix = path.join(o.dir, `pgbench-${o.rate}-${o.level ?? 'default'}`);
  const env = {
    ...process.env,
    LC_ALL: 'C',
    PGOPTIONS: o.level ? `-c synchronous_commit=${o.level}` : '',
  };
  const args = [
    '-n',
    '-h',
    '127.0.0.1',
    '-p',
    String(o.primary),
    '-U',
    'postgres',
    '-c',
    String(o.clients),
    '-j',
    '1',
    '-R',
    String(o.rate),
    '-T',
    String(Math.max(1, Math.round(o.duration))),
    '-f',
    script,
    '-l',
    `--log-prefix=${prefix}`,
    `--random-seed=${o.seed >>> 0}`,
    'postgres',
  ];
  const sampler = await PgConnection.connect(o.primary, { application_name: 'scalelab-sampler' });
  const writer = await PgConnection.connect(o.primary, { application_name: 'scalelab-probe' });
  if (o.level) await writer.query(`SET synchronous_commit = ${o.level}`);
  const reader = await PgConnection.connect(o.replica, { application_name: 'scalelab-probe' });
  const out: PgLoadResult = {
    latency: [],
    at: [],
    writeLag: [],
    flushLag: [],
    replayLag: [],
    visible: [],
    roundTrip: [],
    wallSeconds: 0,
    loadAverage: 0,
  };
  const wall = Date.now();
  const t0 = Date.now();
  let running = true;
  const pgbench = startProcess(`${o.bin}/pgbench`, args, { cwd: o.dir, env: env });
  const finished = new Promise<void>((resolve) => pgbench.once('exit', () => resolve()));
  void finished.then(() => (running = false));
  const sampling = (async () => {
    while (running) {
      const rows = await sampler.query(
        "SELECT extract(epoch FROM write_lag), extract(epoch FROM flush_lag), extract(epoch FROM replay_lag) FROM pg_stat_replication WHERE application_name = 'replica1'",
      );
      if ((Date.now() - t0) / 1000 >= o.warmup && rows.length > 0) {
        const [w, f, r] = rows[0].map(lagSeconds);
        if (w !== null) out.writeLag.push(w);
        if (f !== null) out.flushLag.push(f);
        if (r !== null) out.replayLag.push(r);
      }
      await sleep(50);
    }
  })();
  const probing = (async () => {
    let id = (o.rate * 1000 + (o.level ? synchronousCommitLevels.indexOf(o.level) : 9)) * 100000;
    while (running) {
      id++;
      await writer.query(`INSERT INTO probe (id) VALUES (${id})`);
      const committed = process.hrtime.bigint();
      const measuring = (Date.now() - t0) / 1000 >= o.warmup;
      for (;;) {
        const sent = process.hrtime.bigint();
        const rows = await reader.query(`SELECT 1 FROM probe WHERE id = ${id}`);
        if (measuring) out.roundTrip.push(Number(process.hrtime.bigint() - sent) / 1e9);
        if (rows.length > 0) break;
        if (Number(process.hrtime.bigint() - committed) > 30e9)
          throw new Error('the replica did not show a committed row within 30 s');
      }
      if ((Date.now() - t0) / 1000 >= o.warmup)
        out.visible.push(Number(process.hrtime.bigint() - committed) / 1e9);
      await sleep(100);
    }
  })();
  await finished;
  await Promise.all([sampling, probing]);
  sampler.close();
  writer.close();
  reader.close();
  if (pgbench.exitCode !== 0) throw new Error(`pgbench failed: ${exitReason(pgbench)}`);
  // pgbench -l: "client_id transaction_no time script_no time_epoch time_us [schedule_lag]", time in µs (from the scheduled start with -R)
  const logs = fs.readdirSync(o.dir).filter((f) => f.startsWith(path.basename(prefix) + '.'));
  const ends: number[] = [];
  const lat: number[] = [];
  for (const f of logs) {
    for (const line of fs.readFileSync(path.join(o.dir, f), 'utf8').split('\n')) {
      const x = line.trim().split(/\s+/);
      if (x.length < 6 || x[2] === 'skipped') continue;
      lat.push(Number(x[2]) / 1e6);
      ends.push(Number(x[4]) + Number(x[5]) / 1e6);
    }
  }
  // the run's start: the earliest scheduled start (end − latency)
  let start = Infinity;
  for (let i = 0; i < lat.length; i++) start = Math.min(start, ends[i] - lat[i]);
  for (let i = 0; i < lat.length; i++) {
    if (ends[i] - start >= o.warmup) {
      out.latency.push(lat[i]);
      out.at.push(ends[i] - start);
    }
  }
  out.wallSeconds = (Date.now() - wall) / 1000;
  out.loadAverage = os.loadavg()[0];
  return out;
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
