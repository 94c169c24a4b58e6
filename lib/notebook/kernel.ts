/**
 * A Jupyter messaging-protocol (v5.3) client for the tslab kernel, over the zeromq package tslab
 * itself uses. It starts `node node_modules/tslab/bin/tslab kernel --config-path FILE` as a real
 * kernel process (bin/tslab is the entry that runs dist/main.js's `main()`; dist/main.js alone only
 * defines it and exits) with a connection file (loopback only, free ports, HMAC-SHA256 signed messages),
 * talks to it on the shell, iopub, control and heartbeat channels, interrupts it (SIGINT or
 * interrupt_request, per the kernelspec's interrupt_mode) and shuts it down. A kernel that exits or
 * stops answering is reported as a {@link NotebookKernelError}; no wait here is unbounded.
 */
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findScalelabRoot, resolveTslab, TslabInstallation } from './project';
import { workspaceRoot } from '../project';
import { encodeJupyterMessage, decodeJupyterFrames, PROTOCOL_VERSION } from './jupyter-wire';
import type { JupyterMessage, JupyterMessageHeader } from './jupyter-wire';
import {
  ADDRESS_IN_USE,
  isRestartableKernelFailure,
  NotebookKernelError,
  SOCKET_BUSY,
} from './kernel-errors';
import type {
  KernelExecuteOptions,
  KernelExecuteResult,
  TslabKernelOptions,
} from './kernel-options';
import { findFreeLoopbackPorts, kernelSpecInterruptMode, writeKernelFiles } from './kernel-launch';
import { sleep, withinMs } from './bounded-wait';

// the module's earlier exports, now in the files above
export { decodeJupyterFrames, encodeJupyterMessage, signJupyterParts } from './jupyter-wire';
export type { JupyterMessage, JupyterMessageHeader } from './jupyter-wire';
export { isRestartableKernelFailure, NotebookKernelError } from './kernel-errors';
export type {
  KernelExecuteOptions,
  KernelExecuteResult,
  TslabKernelOptions,
} from './kernel-options';
export { findFreeLoopbackPorts } from './kernel-launch';

type Zmq = typeof import('zeromq');
type ZmqSocket = import('zeromq').Socket;

interface Pending {
  onIopub?: (msg: JupyterMessage) => void;
  onStatus: (state: string, msg: JupyterMessage) => void;
  onReply: (msg: JupyterMessage) => void;
}

const liveKernels = new Set<TslabKernel>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const k of liveKernels) k.killNow();
  });
}

/** A running tslab kernel and a protocol client connected to it. */
export class TslabKernel {
  readonly session = crypto.randomUUID();
  readonly tslab: TslabInstallation;
  readonly cwd: string;
  readonly interruptMode: 'signal' | 'message';
  /** kernel_info_reply content. */
  kernelInfo: Record<string, any> = {};
  /** Milliseconds from spawn to the first kernel_info round trip with iopub connected. */
  startupMs = 0;

  private zmq!: Zmq;
  private child: ChildProcess | null = null;
  private key = '';
  private tmpDir = '';
  private shell: any;
  private control: any;
  private iopub: any;
  private hb: any;
  private hbBusy = false;
  private pending = new Map<string, Pending>();
  private log: string[] = [];
  private logSize = 0;
  private exitInfo: { code: number | null; signal: string | null } | null = null;
  private exitWaiters: Array<() => void> = [];
  private closed = false;
  private lastErrorAt = 0;
  private readonly options: TslabKernelOptions;

  private constructor(options: TslabKernelOptions) {
    this.options = options;
    this.cwd = path.resolve(options.cwd);
    this.tslab = resolveTslab(options.root ?? findScalelabRoot());
    this.interruptMode = options.interruptMode ?? kernelSpecInterruptMode();
  }

  /** Starts a kernel in `options.cwd` and waits until it answers on shell and iopub. */
  static async start(options: TslabKernelOptions): Promise<TslabKernel> {
    let lastError: unknown;
    // A port picked free can be taken by someone else before the kernel binds it, and tslab can
    // break itself on a request that races its binds: retry with a new kernel (and new ports).
    for (let attempt = 0; attempt < 3; attempt++) {
      const k = new TslabKernel(options);
      try {
        await k.boot();
        return k;
      } catch (e) {
        lastError = e;
        await k.shutdown().catch(() => undefined);
        const log = e instanceof NotebookKernelError ? e.kernelLog : '';
        if (!isRestartableKernelFailure(log) || (options.ports && ADDRESS_IN_USE.test(log))) break;
      }
    }
    throw lastError;
  }

  /** Whether the kernel process is running. */
  get alive(): boolean {
    return this.child != null && this.exitInfo == null;
  }

  /** The kernel process id. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The kernel's own stdout/stderr (not cell output), last 64 KB. */
  get kernelLog(): string {
    return this.log.join('');
  }

  private appendLog(chunk: Buffer): void {
    const s = chunk.toString('utf8');
    this.log.push(s);
    this.logSize += s.length;
    while (this.logSize > 65536 && this.log.length > 1) this.logSize -= this.log.shift()!.length;
  }

  private async boot(): Promise<void> {
    const t0 = Date.now();
    if (!fs.existsSync(this.cwd) || !fs.statSync(this.cwd).isDirectory()) {
      throw new NotebookKernelError(`kernel working directory ${this.cwd} does not exist`, 'start');
    }
    // zeromq is loaded from tslab's own folder: the exact copy the kernel uses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from tslab's folder at run time
    this.zmq = require(require.resolve('zeromq', { paths: [this.tslab.dir] }));
    const fixed = this.options.ports;
    const [shellPort, iopubPort, stdinPort, controlPort, hbPort] = fixed
      ? [fixed.shell, fixed.iopub, fixed.stdin, fixed.control, fixed.hb]
      : await findFreeLoopbackPorts(5);
    this.key = crypto.randomBytes(32).toString('hex');
    this.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-kernel-'));
    const { connFile, watchdog } = writeKernelFiles(
      this.tmpDir,
      { shell: shellPort, iopub: iopubPort, stdin: stdinPort, control: controlPort, hb: hbPort },
      this.key,
      this.options.js === true,
    );

    const args = ['--require', watchdog, this.tslab.bin, 'kernel', '--config-path', connFile];
    if (this.options.js) args.push('--js');
    const child = spawn(process.execPath, args, {
      cwd: this.cwd,
      // the kernel runs in the notebook's folder; its results and outputs belong where scalelab was started (lib/project.ts)
      env: { SCALELAB_WORKSPACE: workspaceRoot(), ...process.env, ...(this.options.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    liveKernels.add(this);
    installExitHook();
    child.stdout!.on('data', (c: Buffer) => this.appendLog(c));
    child.stderr!.on('data', (c: Buffer) => this.appendLog(c));
    child.on('error', (e) => {
      this.appendLog(Buffer.from(`spawn error: ${e.message}\n`));
      this.onExit(null, null);
    });
    child.on('exit', (code, signal) => this.onExit(code, signal));

    const addr = (port: number) => `tcp://127.0.0.1:${port}`;
    const z = this.zmq;
    const opts = { linger: 0, sendTimeout: 2000 };
    this.shell = new z.Dealer(opts);
    this.control = new z.Dealer(opts);
    this.iopub = new z.Subscriber({ linger: 0 });
    this.hb = new z.Request({ linger: 0, relaxed: true, correlate: true, sendTimeout: 1000 });
    this.iopub.subscribe();
    this.shell.connect(addr(shellPort));
    this.control.connect(addr(controlPort));
    this.iopub.connect(addr(iopubPort));
    this.hb.connect(addr(hbPort));
    void this.receiveLoop(this.shell, 'shell');
    void this.receiveLoop(this.control, 'control');
    void this.receiveLoop(this.iopub, 'iopub');

    // Wait for kernel_info_reply on shell *and* a status message on iopub (the subscriber
    // must be connected before any cell runs, or early output is lost).
    const deadline = t0 + (this.options.startupTimeoutMs ?? 60000);
    let ready = false;
    while (!ready) {
      if (this.exitInfo) throw this.diedError('while starting');
      if (ADDRESS_IN_USE.test(this.kernelLog)) {
        // tslab does not await its binds: a taken port shows only as an unhandled rejection on stderr
        throw new NotebookKernelError(
          'tslab kernel could not bind its ports (address already in use)' + this.logTail(),
          'start',
          null,
          null,
          this.kernelLog,
        );
      }
      if (SOCKET_BUSY.test(this.kernelLog)) {
        throw new NotebookKernelError(
          'tslab kernel broke on a request that raced its socket binds' + this.logTail(),
          'start',
          null,
          null,
          this.kernelLog,
        );
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new NotebookKernelError(
          `tslab kernel did not answer kernel_info within ${Math.round((this.options.startupTimeoutMs ?? 60000) / 1000)} s` +
            this.logTail(),
          'start',
          null,
          null,
          this.kernelLog,
        );
      }
      let gotReply = false;
      let gotIopub = false;
      const msgId = crypto.randomUUID();
      const done = new Promise<void>((resolve) => {
        this.pending.set(msgId, {
          onStatus: () => {
            gotIopub = true;
            if (gotReply) resolve();
          },
          onReply: (m) => {
            gotReply = true;
            this.kernelInfo = m.content;
            if (gotIopub) resolve();
          },
        });
      });
      this.sendOn(this.shell, 'kernel_info_request', {}, msgId).catch(() => undefined);
      await withinMs(Promise.race([done, this.exitPromise()]), Math.min(1000, remaining));
      this.pending.delete(msgId);
      ready = gotReply && gotIopub;
    }
    if (!(await this.heartbeat(5000))) {
      throw new NotebookKernelError(
        'tslab kernel does not answer heartbeats' + this.logTail(),
        'unresponsive',
        null,
        null,
        this.kernelLog,
      );
    }
    this.startupMs = Date.now() - t0;
  }

  private logTail(): string {
    const log = this.kernelLog.trim();
    if (!log) return '';
    return `\nkernel log:\n${log.length > 2000 ? '...' + log.slice(-2000) : log}`;
  }

  private diedError(when: string): NotebookKernelError {
    const info = this.exitInfo ?? { code: null, signal: null };
    const how = info.signal ? `killed by ${info.signal}` : `exit code ${info.code}`;
    return new NotebookKernelError(
      `tslab kernel died (${how}) ${when}` + this.logTail(),
      'died',
      info.code,
      info.signal,
      this.kernelLog,
    );
  }

  private onExit(code: number | null, signal: string | null): void {
    if (this.exitInfo) return;
    this.exitInfo = { code, signal };
    liveKernels.delete(this);
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const w of waiters) w();
  }

  private exitPromise(): Promise<void> {
    if (this.exitInfo || !this.child) return Promise.resolve();
    return new Promise((r) => this.exitWaiters.push(r));
  }

  private async sendOn(
    sock: any,
    msgType: string,
    content: Record<string, any>,
    msgId: string = crypto.randomUUID(),
  ): Promise<string> {
    const header: JupyterMessageHeader = {
      msg_id: msgId,
      session: this.session,
      username: 'scalelab',
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    };
    await sock.send(
      encodeJupyterMessage(this.key, { header, parent_header: {}, metadata: {}, content }),
    );
    return msgId;
  }

  private async receiveLoop(sock: any, channel: 'shell' | 'control' | 'iopub'): Promise<void> {
    try {
      for await (const frames of sock as AsyncIterable<Buffer[]>) {
        const msg = decodeJupyterFrames(this.key, frames);
        if (!msg) {
          this.appendLog(
            Buffer.from(`scalelab: dropped a malformed or wrongly signed ${channel} message\n`),
          );
          continue;
        }
        const parentId = msg.parent_header?.msg_id;
        const p = parentId ? this.pending.get(parentId) : undefined;
        if (!p) continue;
        if (channel === 'iopub') {
          if (msg.header.msg_type === 'status')
            p.onStatus(String(msg.content.execution_state), msg);
          else p.onIopub?.(msg);
        } else {
          p.onReply(msg);
        }
      }
    } catch {
      /* socket closed */
    }
  }

  /** Sends a heartbeat and waits for the echo; false when none arrives in time. */
  async heartbeat(timeoutMs = 5000): Promise<boolean> {
    if (!this.alive || this.closed) return false;
    while (this.hbBusy) await sleep(10);
    this.hbBusy = true;
    try {
      this.hb.receiveTimeout = timeoutMs;
      const ping = crypto.randomBytes(8).toString('hex');
      await this.hb.send(ping);
      const got = await withinMs(
        Promise.race([
          this.hb.receive() as Promise<Buffer[]>,
          this.exitPromise().then(() => [Buffer.alloc(0)]),
        ]),
        timeoutMs + 100,
      );
      return got != null && got[0].toString() === ping;
    } catch {
      return false;
    } finally {
      this.hbBusy = false;
    }
  }

  /** Interrupts the running cell: SIGINT, or interrupt_request on control when interrupt_mode is 'message'. */
  async interrupt(): Promise<void> {
    if (!this.alive) return;
    if (this.interruptMode === 'message') {
      await this.sendOn(this.control, 'interrupt_request', {}).catch(() => undefined);
    } else {
      this.child!.kill('SIGINT');
    }
  }

  /** Runs `code` and resolves when the kernel replied and went idle. Rejects with NotebookKernelError if it dies. */
  async execute(code: string, options: KernelExecuteOptions = {}): Promise<KernelExecuteResult> {
    if (this.closed) throw new NotebookKernelError('kernel is shut down', 'died');
    if (this.exitInfo) throw this.diedError('before the cell ran');
    // tslab cancels requests that arrive within 200 ms of a failed execution (its queue reset).
    const sinceError = Date.now() - this.lastErrorAt;
    if (sinceError < 300) await sleep(300 - sinceError);

    const msgId = crypto.randomUUID();
    const timing: KernelExecuteResult['timing'] = {};
    let reply: JupyterMessage | null = null;
    let idle = false;
    let wake: () => void = () => undefined;
    const changed = () => wake();
    this.pending.set(msgId, {
      onIopub: options.onIopub,
      onStatus: (state, m) => {
        if (state === 'busy') timing.busy = m.header.date;
        if (state === 'idle') {
          timing.idle = m.header.date;
          idle = true;
          changed();
        }
      },
      onReply: (m) => {
        reply = m;
        timing.reply = m.header.date;
        changed();
      },
    });
    const waitFor = async (cond: () => boolean, ms: number): Promise<boolean> => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (this.exitInfo) return false;
        const left = end - Date.now();
        if (left <= 0) return false;
        await withinMs(
          Promise.race([new Promise<void>((r) => (wake = r)), this.exitPromise()]),
          left,
        );
      }
      return true;
    };
    try {
      await Promise.race([
        this.sendOn(
          this.shell,
          'execute_request',
          {
            code,
            silent: false,
            store_history: true,
            user_expressions: {},
            allow_stdin: false,
            stop_on_error: true,
          },
          msgId,
        ).catch((e: Error) => {
          throw this.exitInfo
            ? this.diedError('before the cell ran')
            : new NotebookKernelError(
                `cannot send execute_request to the kernel: ${e.message}`,
                'unresponsive',
                null,
                null,
                this.kernelLog,
              );
        }),
        this.exitPromise(),
      ]);
      const limit =
        options.timeoutMs != null && options.timeoutMs > 0 ? options.timeoutMs : Infinity;
      let timedOut = false;
      let killed = false;
      let ok = await waitFor(() => reply != null, limit);
      if (!ok && !this.exitInfo) {
        timedOut = true;
        await this.interrupt();
        ok = await waitFor(() => reply != null, options.interruptGraceMs ?? 5000);
        if (!ok && !this.exitInfo) {
          killed = true;
          await this.kill();
        }
      }
      if (!ok && this.exitInfo && !killed) throw this.diedError('while executing the cell');
      // Output may trail the reply on the iopub channel: wait for idle (briefly, as nbclient does).
      if (ok) await waitFor(() => idle, 4000);
      const r = reply as JupyterMessage | null;
      const status = (r?.content.status as KernelExecuteResult['status']) ?? 'error';
      if (status !== 'ok') this.lastErrorAt = Date.now();
      return {
        status: killed ? 'error' : status,
        executionCount:
          typeof r?.content.execution_count === 'number' ? r.content.execution_count : null,
        reply: r?.content ?? null,
        timedOut,
        killed,
        timing,
      };
    } finally {
      this.pending.delete(msgId);
    }
  }

  /** Kills the kernel process (SIGKILL) and waits for it to exit (at most 5 s). */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.child!.kill('SIGKILL');
    await withinMs(this.exitPromise(), 5000);
  }

  /** Synchronous last-resort kill, used from the process 'exit' hook. */
  killNow(): void {
    try {
      if (this.alive) this.child!.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }

  /**
   * Asks the kernel to shut down (shutdown_request on control), then escalates to SIGTERM and
   * SIGKILL if it has not exited; closes the sockets and removes the connection file.
   */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.alive) {
      await withinMs(
        this.sendOn(this.control, 'shutdown_request', { restart: false }).catch(() => undefined),
        1000,
      );
      await withinMs(this.exitPromise(), 2000);
      if (this.alive) {
        this.child!.kill('SIGTERM');
        await withinMs(this.exitPromise(), 2000);
      }
      if (this.alive) await this.kill();
    }
    for (const s of [this.shell, this.control, this.iopub, this.hb] as Array<
      ZmqSocket | undefined
    >) {
      try {
        s?.close();
      } catch {
        /* already closed */
      }
    }
    liveKernels.delete(this);
    if (this.tmpDir) fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }
}
