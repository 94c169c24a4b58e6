/**
 * Real processes for the measured experiments, started and always stopped: every child runs in
 * its own process group (`detached`), every temp folder is ours (mkdtemp under os.tmpdir()), and
 * one cleanup kills the groups (SIGKILL to -pgid) and removes the folders on normal exit, on an
 * uncaught error and on SIGINT/SIGTERM/SIGHUP. Ports come from ports.ts (below the ephemeral range,
 * checked free); nothing listens on another address than 127.0.0.1.
 */
import { spawn, spawnSync } from 'child_process';
import type { ChildProcess, SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const groups = new Set<number>();
/** Per group leader started with `stopSignal`: the signal that stops it cleanly. */
const gentleSignals = new Map<number, NodeJS.Signals>();
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Whether process `pid` still runs (not gone, not a zombie waiting to be reaped). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}
const folders = new Set<string>();
let installed = false;

/** Kills every process group and removes every folder this process started (idempotent, synchronous). */
export function cleanupAll(): void {
  // leaders that shut down cleanly on a signal (PostgreSQL's postmaster on SIGQUIT: its children
  // stopped, its shared memory released) get it first and up to 3 s, then every group is killed
  const gentle = [...groups].filter((pgid) => gentleSignals.has(pgid));
  for (const pgid of gentle) {
    try {
      process.kill(pgid, gentleSignals.get(pgid)!);
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + 3000;
  while (gentle.some((pgid) => running(pgid)) && Date.now() < deadline)
    Atomics.wait(pause, 0, 0, 20);
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  groups.clear();
  gentleSignals.clear();
  for (const dir of folders) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
  folders.clear();
}

/** Installs the cleanup on exit, signals and uncaught errors now (also done by the first start or folder). */
export function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      cleanupAll();
      process.exit(128 + (os.constants.signals[signal] ?? 1));
    });
  }
  process.on('uncaughtException', (e) => {
    cleanupAll();
    console.error(e);
    process.exit(1);
  });
}

/** A fresh folder of our own under the temp dir, removed by the cleanup. */
export function tempFolder(prefix: string): string {
  install();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scalelab-${prefix}-`));
  folders.add(dir);
  return dir;
}

/**
 * Starts `command` in its own process group; the cleanup kills the group (after `stopSignal` to
 * the leader and up to 3 s for it to stop by itself, when given).
 */
export function startProcess(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
  stopSignal?: NodeJS.Signals,
): ChildProcess {
  install();
  const child = spawn(command, args as string[], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...options,
    detached: true,
  });
  if (child.pid !== undefined) groups.add(child.pid);
  if (child.pid !== undefined && stopSignal) gentleSignals.set(child.pid, stopSignal);
  // stderr is always read (a full pipe would block the child); its last 4 kB say why it died
  let tail = '';
  child.stderr?.on('data', (d) => (tail = (tail + String(d)).slice(-4096)));
  child.on('exit', (code, signal) => {
    if (child.pid !== undefined) {
      groups.delete(child.pid);
      gentleSignals.delete(child.pid);
    }
    exits.set(
      child,
      `${command.split('/').pop()} exited (${signal ?? `code ${code}`})${tail.trim() ? `: ${tail.trim()}` : ''}`,
    );
  });
  child.on('error', (e) => exits.set(child, `${command} could not start: ${e.message}`));
  return child;
}

const exits = new WeakMap<ChildProcess, string>();

/** Why a started process ended (its exit status and the end of its stderr), or null while it runs. */
export function exitReason(child: ChildProcess): string | null {
  return exits.get(child) ?? null;
}

/** Kills one started process group now (SIGKILL unless told) and waits until its leader exits. */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, signal);
  } catch {
    return;
  }
  await exited;
}

export { freePort, waitForPort } from './ports';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs a short command to completion (e.g. `haproxy -v`); its stdout, or null when it cannot run. */
export function commandOutput(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; user?: number } = {},
): string | null {
  const r = spawnSync(command, args as string[], {
    encoding: 'utf8',
    timeout: 20000,
    env: options.env,
    uid: options.user,
  });
  if (r.error || r.status !== 0) return null;
  return `${r.stdout}${r.stderr}`;
}
