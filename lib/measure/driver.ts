/**
 * The measured experiments' child process: `node driver.js '<json request>'` runs one real
 * measurement (async: sockets, processes) and prints its JSON answer on stdout, so that an
 * experiment's synchronous `simulate` can wait for it (run-sync.ts). Measurements on one machine
 * take turns through a lock folder (os.tmpdir()/scalelab-measure.lock), so sweeps on several
 * worker threads never run two at once. A failure prints `{ "error": ..., "name": ... }`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  measureHaproxyDetection,
  measureHaproxyLatency,
  measureHaproxyLatencySweep,
} from './haproxy';
import { measureMemcached } from './memcached';
import { measurePostgres } from './postgres';
import { cleanupAll, install, sleep } from './processes';

export type MeasureRequest =
  | { kind: 'haproxy-latency'; args: Parameters<typeof measureHaproxyLatency>[0] }
  | { kind: 'haproxy-latency-sweep'; args: Parameters<typeof measureHaproxyLatencySweep>[0] }
  | { kind: 'haproxy-detection'; args: Parameters<typeof measureHaproxyDetection>[0] }
  | { kind: 'memcached-hit-ratio'; args: Parameters<typeof measureMemcached>[0] }
  | { kind: 'postgres-replication'; args: Parameters<typeof measurePostgres>[0] };

const lock = path.join(os.tmpdir(), 'scalelab-measure.lock');

// The lock is a folder holding its owner's pid, made complete under a private name and then
// renamed into place: rename(2) is atomic, so the lock is never seen without its pid (a lock seen
// empty was once taken for a stale one and removed, and two measurements then ran at once).
async function acquire(): Promise<void> {
  const mine = `${lock}.${process.pid}`;
  fs.rmSync(mine, { recursive: true, force: true });
  fs.mkdirSync(mine);
  fs.writeFileSync(path.join(mine, 'pid'), String(process.pid));
  for (;;) {
    try {
      fs.renameSync(mine, lock);
      return;
    } catch {
      // held: a stale lock (its owner gone) is taken over
      try {
        const pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
        if (pid > 0) process.kill(pid, 0);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ESRCH') fs.rmSync(lock, { recursive: true, force: true });
      }
      await sleep(100);
    }
  }
}

function release(): void {
  fs.rmSync(`${lock}.${process.pid}`, { recursive: true, force: true });
  try {
    if (fs.readFileSync(path.join(lock, 'pid'), 'utf8') === String(process.pid))
      fs.rmSync(lock, { recursive: true, force: true });
  } catch {
    /* not ours */
  }
}

export async function runRequest(r: MeasureRequest): Promise<unknown> {
  switch (r.kind) {
    case 'haproxy-latency': {
      const res = await measureHaproxyLatency(r.args);
      return {
        responses: Array.from(res.responses),
        scheduled: Array.from(res.scheduled),
        errors: res.errors,
        maxSendLag: res.maxSendLag,
      };
    }
    case 'haproxy-latency-sweep':
      return (await measureHaproxyLatencySweep(r.args)).map((res) => ({
        responses: Array.from(res.responses),
        scheduled: Array.from(res.scheduled),
        errors: res.errors,
        maxSendLag: res.maxSendLag,
        loadAverage: res.loadAverage,
      }));
    case 'haproxy-detection':
      return measureHaproxyDetection(r.args);
    case 'memcached-hit-ratio':
      return measureMemcached(r.args);
    case 'postgres-replication':
      return measurePostgres(r.args);
  }
}

async function main(): Promise<void> {
  process.on('exit', release);
  install(); // a signal while waiting for the lock also exits through 'exit' (release)
  await acquire();
  try {
    const answer = await runRequest(JSON.parse(process.argv[2]) as MeasureRequest);
    process.stdout.write(JSON.stringify(answer));
  } catch (e) {
    process.stdout.write(
      JSON.stringify({
        error: (e as Error).message,
        name: (e as Error).name,
        package: (e as { package?: string }).package,
      }),
    );
  } finally {
    cleanupAll();
    release();
  }
}

if (require.main === module) void main();
