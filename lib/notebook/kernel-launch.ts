/**
 * What the tslab kernel is started with: free loopback ports for its five channels, the kernel
 * spec's interrupt mode, and a watchdog preloaded into the kernel process (`node --require`) that
 * kills it, and removes its connection folder, when its parent goes away without shutting it down.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/**
 * The interrupt_mode of this project's tslab kernel spec (lib/kernelspec.ts), 'signal' when it
 * has none: tslab interrupts on SIGINT and does not implement interrupt_request.
 */
export function kernelSpecInterruptMode(): 'signal' | 'message' {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use: kernelspec brings the command layer and plotly's path, which a kernel client does not need
    const spec = require('../kernelspec').tslabKernelSpec() as { interrupt_mode?: string };
    return spec.interrupt_mode === 'message' ? 'message' : 'signal';
  } catch {
    return 'signal';
  }
}

/** Reserves `n` distinct free TCP ports on 127.0.0.1 (bind port 0, all held open until all are known). */
export async function findFreeLoopbackPorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => resolve());
      });
      ports.push((srv.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

// Kills the kernel when its parent (this process) goes away without shutting it down,
// e.g. on Ctrl-C or a killed test worker: no orphaned kernels.
export const WATCHDOG_SOURCE = `'use strict';
const parent = process.ppid;
setInterval(() => {
  if (process.ppid === parent) return;
  try { require('fs').rmSync(__dirname, { recursive: true, force: true }); } catch (e) {}
  process.exit(1);
}, 500).unref();
`;

/**
 * Writes the connection file (loopback only, the five ports, the HMAC-SHA256 key; mode 0600) and
 * the watchdog into `dir`, and returns their paths.
 */
export function writeKernelFiles(
  dir: string,
  ports: { shell: number; iopub: number; stdin: number; control: number; hb: number },
  key: string,
  js: boolean,
): { connFile: string; watchdog: string } {
  const shellPort = ports.shell;
  const iopubPort = ports.iopub;
  const stdinPort = ports.stdin;
  const controlPort = ports.control;
  const hbPort = ports.hb;
  const connFile = path.join(dir, 'kernel.json');
  const conn = {
    transport: 'tcp',
    ip: '127.0.0.1',
    shell_port: shellPort,
    iopub_port: iopubPort,
    stdin_port: stdinPort,
    control_port: controlPort,
    hb_port: hbPort,
    key: key,
    signature_scheme: 'hmac-sha256',
    kernel_name: js ? 'jslab' : 'tslab',
  };
  fs.writeFileSync(connFile, JSON.stringify(conn, null, 1), { mode: 0o600 });
  const watchdog = path.join(dir, 'watchdog.cjs');
  fs.writeFileSync(watchdog, WATCHDOG_SOURCE);
  return { connFile: connFile, watchdog: watchdog };
}
