/**
 * Real HAProxy on loopback: `backends` FIFO single-server processes (backend-server.ts) behind
 * one HAProxy (`mode http`, `balance roundrobin | leastconn | random(2)`, `option httpchk GET
 * /health`), each started here on ports checked free with a config in a temp folder of its own,
 * and stopped whatever happens (processes.ts). Two measurements:
 *  - latency: the open-loop Poisson generator (open-loop.ts) at λ = ρ·k/x; mean and p99 response;
 *  - detection: a backend killed (SIGKILL: port closed, checks refused at once) or frozen
 *    (SIGSTOP: the kernel still accepts, the HTTP check gets no answer and times out), and the
 *    time until HAProxy's stats socket shows it DOWN (polled every 5 ms); then it is revived and
 *    the next trial waits until it is UP again (`rise` checks).
 * `timeout connect` and `timeout check` are both set to the check's timeout: measured here with
 * HAProxy 2.6, a frozen backend's HTTP check failed after min(timeout connect, inter) whatever
 * `timeout check` was (inter 1 s, fall 2: 3.7-3.9 s with timeout check 0.1 s or 0.4 s and timeout
 * connect 1 s; 2.1-2.3 s with timeout connect 0.3 s), so the model's T = min(timeout, inter)
 * holds when both carry it.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import type { ChildProcess } from 'child_process';
import { RandomStreams } from '../random/streams';
import { findHaproxy } from './components';
import { nodeScript } from './node-script';
import { openLoop } from './open-loop';
import type { OpenLoopResult } from './open-loop';
import { cleanupAll, freePort, sleep, startProcess, stopProcess, tempFolder, waitForPort } from './processes';

export type HaproxyBalance = 'roundrobin' | 'leastconn' | 'random(2)';

export interface HaproxyCheck {
  inter: number;
  fall: number;
  rise: number;
  /** `timeout check`, s. */
  timeout: number;
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
  await waitForPort(port, 15000, `backend on ${port}`);
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
    `  timeout connect ${ms(check.timeout)}`,
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
  let stderr = '';
  haproxy.stderr?.on('data', (d) => (stderr += String(d)));
  try {
    await waitForPort(port, 10000, 'haproxy');
  } catch (e) {
    throw new Error(`haproxy did not start: ${stderr.trim()}`);
  }
  return { dir, port, socket, backendPorts, backends, haproxy };
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

/** The status column of server `name` in `show stat` (UP, DOWN, UP 1/2, ...). */
async function serverStatus(socket: string, name: string): Promise<string> {
  const csv = await statsCommand(socket, 'show stat');
  const lines = csv.split('\n');
  const header = lines[0].replace(/^# /, '').split(',');
  const col = header.indexOf('status');
  for (const line of lines) {
    const f = line.split(',');
    if (f[0] === 'be' && f[1] === name) return f[col];
  }
  return '';
}

/** Mean and p99 through real HAProxy at load ρ (λ = ρ·k/x). */
export async function measureHaproxyLatency(o: { balance: HaproxyBalance; backends: number; rho: number; serviceTime: number; duration: number; warmup: number; seed: number }): Promise<OpenLoopResult> {
  const rig = await startRig(o.balance, o.backends, { inter: 2, fall: 3, rise: 2, timeout: 1 });
  try {
    await sleep(200);
    return await openLoop({ port: rig.port, rate: (o.rho * o.backends) / o.serviceTime, serviceTime: o.serviceTime, duration: o.duration, warmup: o.warmup, seed: o.seed });
  } finally {
    await stopRig(rig);
  }
}

/** Detection delays (s) of `trials` failures of backend b0, each at a random phase of the check cycle. */
export async function measureHaproxyDetection(o: { check: HaproxyCheck; mode: 'crash' | 'blackhole'; trials: number; backends: number; seed: number }): Promise<number[]> {
  const rig = await startRig('roundrobin', o.backends, o.check);
  const phase = new RandomStreams(o.seed).get('measure.phase');
  const delays: number[] = [];
  try {
    for (let t = 0; t < o.trials; t++) {
      const deadline = Date.now() + 30000;
      while ((await serverStatus(rig.socket, 'b0')) !== 'UP') {
        if (Date.now() > deadline) throw new Error('haproxy never marked b0 UP');
        await sleep(20);
      }
      await sleep(phase.next() * o.check.inter * 1000 + 50);
      const victim = rig.backends[0];
      const t0 = Date.now();
      if (o.mode === 'crash') await stopProcess(victim);
      else process.kill(-victim.pid!, 'SIGSTOP');
      while (!(await serverStatus(rig.socket, 'b0')).startsWith('DOWN')) {
        if (Date.now() - t0 > 60000) throw new Error('haproxy never marked b0 DOWN');
        await sleep(5);
      }
      delays.push((Date.now() - t0) / 1000);
      if (o.mode === 'crash') rig.backends[0] = await startBackend(rig.backendPorts[0]);
      else process.kill(-victim.pid!, 'SIGCONT');
    }
    return delays;
  } finally {
    await stopRig(rig);
  }
}
