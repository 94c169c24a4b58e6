/**
 * PostgreSQL's servers for a measurement: who runs them (ourselves, or as root the `postgres` user
 * the Debian package creates, since PostgreSQL refuses root), its command-line tools run to
 * completion (initdb, pg_basebackup), and a `postgres -D DIR` server started in a process group of
 * its own on 127.0.0.1 and a port of ours, waited for until it answers a query, and stopped by an
 * immediate shutdown (SIGQUIT to the postmaster), else SIGKILL of the group.
 */
import { spawnSync } from 'child_process';
import type { ChildProcess } from 'child_process';
import { ParameterError } from '../errors';
import { PgConnection } from './pg-wire';
import { exitReason, sleep, startProcess, stopProcess, waitForPort } from './processes';

export interface RunAs {
  uid?: number;
  gid?: number;
}

/** Who runs the servers: ourselves, or (as root) the `postgres` user. */
export function serverUser(): RunAs {
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

export function run(
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

export interface Server {
  child: ChildProcess;
  port: number;
}

export async function startServer(
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
export async function stopServer(s: Server): Promise<void> {
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
