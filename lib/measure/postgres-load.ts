/**
 * One pgbench write load against the primary (`pgbench -R rate`: Poisson-scheduled single-row INSERT
 * transactions, each latency from its SCHEDULED start, so no coordinated omission; --random-seed),
 * at a `synchronous_commit` level (PGOPTIONS) or the server's, with pg_stat_replication's write_lag,
 * flush_lag and replay_lag sampled every 50 ms and a read-after-write probe every 100 ms (INSERT on
 * the primary, then SELECT on the replica until the row is visible: the visible lag from the
 * commit's return, and each SELECT's round trip).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PgConnection } from './pg-wire';
import { replicaFsyncSamples } from './postgres-lag-pairs';
import type { LagSample } from './postgres-lag-pairs';
import { exitReason, sleep, startProcess } from './processes';

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
  /**
   * Its schedule lag (s): from its scheduled start to when pgbench's client sent it (pgbench's
   * `schedule_lag` with -R), the part of `latency` spent waiting in the client, not in PostgreSQL.
   */
  scheduleLag: number[];
  /** Its end, s from the start of the run. */
  at: number[];
  /** Samples of pg_stat_replication (s; null while PostgreSQL reports none). */
  writeLag: number[];
  flushLag: number[];
  replayLag: number[];
  /** The same samples as rows (write_lag, flush_lag, replay_lag of one pg_stat_replication row). */
  lagSamples: LagSample[];
  /**
   * The replica's WAL fsync F (s): flush_lag − write_lag of each row that carries a new flush reply
   * (postgres-lag-pairs.ts: PostgreSQL times the walreceiver's write reply and its flush reply
   * against one send, so the difference is the fsync between them).
   */
  replicaFsync: number[];
  /** Read-after-write probe: commit on the primary to visible on the replica, s. */
  visible: number[];
  /** The probe's own INSERT, commit round trip on the primary (s), one per `visible` entry. */
  probeCommit: number[];
  /**
   * The probe's SELECT round trips on the replica (s): client → backend → client on loopback, the
   * machine's process wake-up and hop time under the run's own load.
   */
  roundTrip: number[];
  /**
   * The first SELECT's round trip of each probe (s), one per `visible` entry: the replica's backend
   * has slept since the last probe, so this one pays its wake-up; when the row is already visible
   * to it, it is the probe's lag (the probe cannot see less).
   */
  firstRoundTrip: number[];
  /** The round trips of the SELECTs after each probe's first (s): a backend awake, back to back. */
  hotRoundTrip: number[];
  /** Wall-clock seconds the run took (connections, pgbench, logs). */
  wallSeconds: number;
  /** The machine's 1-minute load average just after the run. */
  loadAverage: number;
  /**
   * The primary's WAL fsyncs during the run (pg_stat_wal's wal_sync and wal_sync_time, with
   * track_wal_io_timing = on: issue_xlog_fsync's count and time in every process, read before
   * pgbench starts and after it exits, when its connections have flushed their statistics), so
   * seconds / count is the run's mean primary fsync: what each sub-run's commits wait for on the
   * primary's disk. Absent when the server reports none.
   */
  primaryWalSync?: { count: number; seconds: number };
}

/** pg_stat_wal's fsync count and time (s) on the primary. */
async function walSync(c: PgConnection): Promise<{ count: number; seconds: number } | null> {
  const rows = await c.query('SELECT wal_sync, wal_sync_time FROM pg_stat_wal');
  if (rows.length === 0 || rows[0][0] === null || rows[0][1] === null) return null;
  return { count: Number(rows[0][0]), seconds: Number(rows[0][1]) / 1000 };
}

function lagSeconds(v: string | null): number | null {
  return v === null ? null : Number(v);
}

/** One pgbench run at `rate` for `duration` s with the level, the lags sampled and the probe run meanwhile. */
export async function load(o: {
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
    scheduleLag: [],
    at: [],
    writeLag: [],
    flushLag: [],
    replayLag: [],
    lagSamples: [],
    replicaFsync: [],
    visible: [],
    probeCommit: [],
    roundTrip: [],
    firstRoundTrip: [],
    hotRoundTrip: [],
    wallSeconds: 0,
    loadAverage: 0,
  };
  const walBefore = await walSync(sampler);
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
        out.lagSamples.push({ write: w, flush: f, replay: r });
      }
      await sleep(50);
    }
  })();
  const probing = (async () => {
    let id = (o.rate * 1000 + (o.level ? synchronousCommitLevels.indexOf(o.level) : 9)) * 100000;
    while (running) {
      id++;
      const begun = process.hrtime.bigint();
      await writer.query(`INSERT INTO probe (id) VALUES (${id})`);
      const committed = process.hrtime.bigint();
      const measuring = (Date.now() - t0) / 1000 >= o.warmup;
      let first = NaN;
      for (let k = 0; ; k++) {
        const sent = process.hrtime.bigint();
        const rows = await reader.query(`SELECT 1 FROM probe WHERE id = ${id}`);
        const rt = Number(process.hrtime.bigint() - sent) / 1e9;
        if (measuring) {
          out.roundTrip.push(rt);
          if (k > 0) out.hotRoundTrip.push(rt);
        }
        if (k === 0) first = rt;
        if (rows.length > 0) break;
        if (Number(process.hrtime.bigint() - committed) > 30e9)
          throw new Error('the replica did not show a committed row within 30 s');
      }
      if ((Date.now() - t0) / 1000 >= o.warmup) {
        out.visible.push(Number(process.hrtime.bigint() - committed) / 1e9);
        out.probeCommit.push(Number(committed - begun) / 1e9);
        out.firstRoundTrip.push(first);
      }
      await sleep(100);
    }
  })();
  await finished;
  await Promise.all([sampling, probing]);
  out.replicaFsync = replicaFsyncSamples(out.lagSamples);
  await sleep(100); // pgbench's backends report their WAL statistics as they exit
  const walAfter = await walSync(sampler);
  if (walBefore && walAfter && walAfter.count > walBefore.count)
    out.primaryWalSync = {
      count: walAfter.count - walBefore.count,
      seconds: walAfter.seconds - walBefore.seconds,
    };
  sampler.close();
  writer.close();
  reader.close();
  if (pgbench.exitCode !== 0) throw new Error(`pgbench failed: ${exitReason(pgbench)}`);
  // pgbench -l: "client_id transaction_no time script_no time_epoch time_us [schedule_lag]", time in µs (from the scheduled start with -R)
  const logs = fs.readdirSync(o.dir).filter((f) => f.startsWith(path.basename(prefix) + '.'));
  const ends: number[] = [];
  const lat: number[] = [];
  const lag: number[] = [];
  for (const f of logs) {
    for (const line of fs.readFileSync(path.join(o.dir, f), 'utf8').split('\n')) {
      const x = line.trim().split(/\s+/);
      if (x.length < 6 || x[2] === 'skipped') continue;
      lat.push(Number(x[2]) / 1e6);
      lag.push(x.length > 6 ? Number(x[6]) / 1e6 : 0);
      ends.push(Number(x[4]) + Number(x[5]) / 1e6);
    }
  }
  // the run's start: the earliest scheduled start (end − latency)
  let start = Infinity;
  for (let i = 0; i < lat.length; i++) start = Math.min(start, ends[i] - lat[i]);
  for (let i = 0; i < lat.length; i++) {
    if (ends[i] - start >= o.warmup) {
      out.latency.push(lat[i]);
      out.scheduleLag.push(lag[i]);
      out.at.push(ends[i] - start);
    }
  }
  out.wallSeconds = (Date.now() - wall) / 1000;
  out.loadAverage = os.loadavg()[0];
  return out;
}
