/**
 * Real HAProxy on loopback: `backends` FIFO single-server processes (backend-server.ts) behind
 * one HAProxy (`mode http`, `balance roundrobin | leastconn | random(2)`, `option httpchk GET
 * /health`), each started here on ports checked free with a config in a temp folder of its own,
 * and stopped whatever happens (processes.ts). Two measurements:
 *  - latency: the open-loop Poisson generator (open-loop.ts) at λ = ρ·k/x; mean and p99 response;
 *  - detection: a backend killed (SIGKILL: port closed, checks refused at once) or frozen
 *    (SIGSTOP: the kernel still accepts, the HTTP check gets no answer and times out), and the
 *    time until HAProxy's stats socket shows it DOWN (polled every 5 ms), with the failing check's
 *    `check_status` and `check_duration` from `show stat`; then it is revived and the next trial
 *    waits until it is UP again (`rise` checks).
 *
 * How long a check may take (src/tcpcheck.c tcpcheck_eval_connect, HAProxy 2.6): the connect phase
 * gets min(`inter`, `timeout connect`) when `timeout check` is set (else `inter` for the whole
 * check); once the connection is established the check's expiry is moved to now + `timeout check`.
 * A killed backend refuses the connect at once (L4CON, T ≈ 0). A frozen one is accepted by the
 * kernel, so its check should end after `timeout check` (L7TOUT); but the expiry moved by the I/O
 * callback does not requeue the check's task (fixed by commit 7c788f0, "BUG/MEDIUM: check: Requeue
 * healthchecks on I/O events to handle check timeout", 3.3-dev1, June 2025), which wakes at the
 * connect expiry first: measured with Debian's 2.6.12, inter 1 s, fall 1, the frozen backend's check
 * took 986 ms (timeout connect 2 s, timeout check 0.2 s), 977 ms (2 s, 0.6 s), 601 ms (0.3 s, 0.6 s)
 * and 1001 ms (no timeout check), six more trials at (2 s, 0.2 s) 0.98-1.01 s; but with inter 0.5 s
 * and (2 s, 0.2 s) eight trials took 0.20-0.48 s (the task sometimes runs again before the connect
 * expiry, and then sees the moved one). So a frozen backend's check lasts between `timeout check`
 * and max(min(inter, timeout connect), timeout check), see {@link hungCheckDuration}; the two agree
 * when `timeout connect` = `timeout check`, as the experiments set them by default.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { ChildProcess } from 'child_process';
import { RandomStreams, deriveSeed } from '../random/streams';
import { findHaproxy } from './components';
import { nodeScript } from './node-script';
import { openLoop } from './open-loop';
import type { OpenLoopResult } from './open-loop';
import {
  cleanupAll,
  exitReason,
  freePort,
  sleep,
  startProcess,
  stopProcess,
  tempFolder,
  waitForPort,
} from './processes';

export type HaproxyBalance = 'roundrobin' | 'leastconn' | 'random(2)';

export interface HaproxyCheck {
  inter: number;
  fall: number;
  rise: number;
  /** `timeout check`, s. */
  timeout: number;
  /** `timeout connect`, s (default: `timeout`). */
  timeoutConnect?: number;
}

/**
 * How long an HTTP check of a backend that accepts the connection but never answers (a frozen
 * process) takes, in s: `timeout check` after the connection with HAProxy 3.3 and the releases that
 * took commit 7c788f0; before it (HAProxy 2.6.12, measured above) at most
 * max(min(inter, timeout connect), timeout check) and at least `timeout check`; `inter` when
 * `timeout check` is not set (0 here). The upper value unless `lower`. A killed backend's takes 0.
 */
export function hungCheckDuration(
  c: { inter: number; timeout: number; timeoutConnect?: number },
  o: { requeueFixed?: boolean; lower?: boolean } = {},
): number {
  if (!(c.timeout > 0)) return c.inter;
  if (o.requeueFixed || o.lower) return c.timeout;
  return Math.max(Math.min(c.inter, c.timeoutConnect ?? c.timeout), c.timeout);
}

interface Rig {
  dir: string;
  port: number;
  socket: string;
  backendPorts: number[];
  backends: ChildProcess[];
  haproxy: ChildProcess;
}

async function startBackend(port: number): Promise<ChildProcess> {
  const s = nodeScript('backend-server');
  const child = startProcess(s.command, [...s.args, String(port)]);
  await waitForPort(port, 15000, `backend on ${port}`, () => exitReason(child));
  return child;
}

async function startRig(balance: HaproxyBalance, k: number, check: HaproxyCheck): Promise<Rig> {
  const { binary } = findHaproxy();
  const dir = tempFolder('haproxy');
  const port = await freePort();
  const backendPorts: number[] = [];
  for (let i = 0; i < k; i++) backendPorts.push(await freePort());
  const backends = await Promise.all(backendPorts.map((p) => startBackend(p)));
  const socket = path.join(dir, 'stats.sock');
  const ms = (s: number) => `${Math.round(s * 1000)}ms`;
  const cfg = [
    'global',
    '  maxconn 4000',
    `  stats socket ${socket} mode 600 level admin`,
    'defaults',
    '  mode http',
    `  timeout connect ${ms(check.timeoutConnect ?? check.timeout)}`,
    '  timeout client 60s',
    '  timeout server 60s',
    `  timeout check ${ms(check.timeout)}`,
    '  retries 0',
    'frontend fe',
    `  bind 127.0.0.1:${port}`,
    '  default_backend be',
    'backend be',
    `  balance ${balance}`,
    '  option httpchk GET /health',
    `  default-server inter ${ms(check.inter)} fall ${check.fall} rise ${check.rise}`,
    ...backendPorts.map((p, i) => `  server b${i} 127.0.0.1:${p} check`),
    '',
  ].join('\n');
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, cfg);
  const haproxy = startProcess(binary, ['-db', '-f', file]);
  await waitForPort(port, 10000, 'haproxy', () => exitReason(haproxy));
  // HAProxy binds the frontend and the stats socket one after the other: a loaded machine can
  // answer on the port before the socket exists (a fresh clone's CI run failed with ENOENT there)
  await waitForStatsSocket(socket, 10000, () => exitReason(haproxy));
  return { dir, port, socket, backendPorts, backends, haproxy };
}

/** Polls `show info` on the stats socket until it answers; the exit reason if HAProxy died first. */
async function waitForStatsSocket(
  socket: string,
  timeoutMs: number,
  exited: () => string | null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answered = await statsCommand(socket, 'show info').then(
      (out) => out.length > 0,
      () => false,
    );
    if (answered) return;
    const gone = exited();
    if (gone !== null) throw new Error(`haproxy's stats socket did not open: ${gone}`);
    if (Date.now() > deadline)
      throw new Error(`haproxy's stats socket ${socket} did not open within ${timeoutMs} ms`);
    await sleep(20);
  }
}

async function stopRig(r: Rig): Promise<void> {
  await stopProcess(r.haproxy);
  await Promise.all(r.backends.map((b) => stopProcess(b)));
  cleanupAll();
}

/** One command on HAProxy's stats socket; its answer. */
export function statsCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socket);
    let out = '';
    c.on('connect', () => c.end(`${command}\n`));
    c.on('data', (d) => (out += String(d)));
    c.on('end', () => resolve(out));
    c.on('error', reject);
  });
}

/** Server `name`'s row of `show stat` (status UP, DOWN, UP 1/2, ...; check_status, check_duration ms). */
async function serverRow(socket: string, name: string): Promise<Record<string, string>> {
  const csv = await statsCommand(socket, 'show stat');
  const lines = csv.split('\n');
  const header = lines[0].replace(/^# /, '').split(',');
  for (const line of lines) {
    const f = line.split(',');
    if (f[0] === 'be' && f[1] === name)
      return Object.fromEntries(header.map((h, i) => [h, f[i] ?? '']));
  }
  return {};
}

/** Mean and p99 through real HAProxy at load ρ (λ = ρ·k/x). */
export async function measureHaproxyLatency(o: {
  balance: HaproxyBalance;
  backends: number;
  rho: number;
  serviceTime: number;
  duration: number;
  warmup: number;
  seed: number;
}): Promise<OpenLoopResult> {
  const rig = await startRig(o.balance, o.backends, { inter: 2, fall: 3, rise: 2, timeout: 1 });
  try {
    await sleep(200);
    return await openLoop({
      port: rig.port,
      rate: (o.rho * o.backends) / o.serviceTime,
      serviceTime: o.serviceTime,
      duration: o.duration,
      warmup: o.warmup,
      seed: o.seed,
    });
  } finally {
    await stopRig(rig);
  }
}

/**
 * Mean and p99 at several loads through ONE real HAProxy and one set of backends (started once:
 * the start-up is most of a short point's cost), the loads one after the other, each a fresh
 * open-loop run from an idle system (the previous one's responses all returned), with the seed
 * `deriveSeed(seed, 'rho.<ρ>')`.
 */
export async function measureHaproxyLatencySweep(o: {
  balance: HaproxyBalance;
  backends: number;
  rhos: number[];
  serviceTime: number;
  duration: number;
  warmup: number;
  seed: number;
}): Promise<Array<OpenLoopResult & { loadAverage: number }>> {
  const rig = await startRig(o.balance, o.backends, { inter: 2, fall: 3, rise: 2, timeout: 1 });
  try {
    await sleep(200);
    const out: Array<OpenLoopResult & { loadAverage: number }> = [];
    for (const rho of o.rhos) {
      const r = await openLoop({
        port: rig.port,
        rate: (rho * o.backends) / o.serviceTime,
        serviceTime: o.serviceTime,
        duration: o.duration,
        warmup: o.warmup,
        seed: deriveSeed(o.seed, `rho.${rho}`),
      });
      // the machine's 1-minute load average just after: how crowded the run queue was (CI's band check reads it)
      out.push({ ...r, loadAverage: os.loadavg()[0] });
    }
    return out;
  } finally {
    await stopRig(rig);
  }
}

export interface DetectionTrials {
  /** Seconds from the failure to the stats socket's DOWN, per trial. */
  delays: number[];
  /** The failing check's `check_status` per trial (L4CON: refused; L7TOUT: no answer in time). */
  checkStatus: string[];
  /** The failing check's `check_duration` per trial, s. */
  checkDuration: number[];
}

/** Detection delays of `trials` failures of backend b0, each at a random phase of the check cycle. */
export async function measureHaproxyDetection(o: {
  check: HaproxyCheck;
  mode: 'crash' | 'blackhole';
  trials: number;
  backends: number;
  seed: number;
}): Promise<DetectionTrials> {
  const rig = await startRig('roundrobin', o.backends, o.check);
  const phase = new RandomStreams(o.seed).get('measure.phase');
  const out: DetectionTrials = { delays: [], checkStatus: [], checkDuration: [] };
  try {
    for (let t = 0; t < o.trials; t++) {
      const deadline = Date.now() + 30000;
      while ((await serverRow(rig.socket, 'b0')).status !== 'UP') {
        if (Date.now() > deadline) throw new Error('haproxy never marked b0 UP');
        await sleep(20);
      }
      await sleep(phase.next() * o.check.inter * 1000 + 50);
      const victim = rig.backends[0];
      const t0 = Date.now();
      if (o.mode === 'crash') await stopProcess(victim);
      else process.kill(-victim.pid!, 'SIGSTOP');
      let row: Record<string, string>;
      while (!((row = await serverRow(rig.socket, 'b0')).status ?? '').startsWith('DOWN')) {
        if (Date.now() - t0 > 60000) throw new Error('haproxy never marked b0 DOWN');
        await sleep(5);
      }
      out.delays.push((Date.now() - t0) / 1000);
      out.checkStatus.push(row.check_status ?? '');
      out.checkDuration.push(Number(row.check_duration) / 1000);
      if (o.mode === 'crash') rig.backends[0] = await startBackend(rig.backendPorts[0]);
      else process.kill(-victim.pid!, 'SIGCONT');
    }
    return out;
  } finally {
    await stopRig(rig);
  }
}
