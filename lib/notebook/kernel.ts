/**
 * A Jupyter messaging-protocol (v5.3) client for the tslab kernel, over the zeromq package tslab
 * itself uses. It starts `node node_modules/tslab/bin/tslab kernel --config-path FILE` as a real
 * kernel process (bin/tslab is the entry that runs dist/main.js's `main()`; dist/main.js alone only
 * defines it and exits) with a connection file (loopback only, free ports, HMAC-SHA256 signed messages),
 * talks to it on the shell, iopub, control and heartbeat channels, interrupts it (SIGINT or
 * interrupt_request, per the kernelspec's interrupt_mode) and shuts it down. A kernel that exits or
 * stops answering is reported as a {@link NotebookKernelError}; no wait here is unbounded.
 *
 * This file is the kernel process's life (spawn, ready, exit, interrupt, kill, shutdown); its parts:
 * kernel-launch.ts (ports, connection file, watchdog), kernel-start.ts (another kernel when a start
 * races tslab's binds), kernel-channels.ts (the sockets and the messages' routing), kernel-execution.ts
 * (one cell's execution, its timeout and interrupt) and kernel-log.ts (the log tail errors quote).
 */
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findScalelabRoot, resolveTslab, TslabInstallation } from './project';
import { workspaceRoot } from '../project';
import { NotebookKernelError } from './kernel-errors';
import type {
  KernelExecuteOptions,
  KernelExecuteResult,
  TslabKernelOptions,
} from './kernel-options';
import { findFreeLoopbackPorts, kernelSpecInterruptMode, writeKernelFiles } from './kernel-launch';
import { sleep, withinMs } from './bounded-wait';
import { KernelLog } from './kernel-log';
import { bindFailure, startRestarting } from './kernel-start';
import { KernelExecution } from './kernel-execution';
import type { ExecutingKernel } from './kernel-execution';
import { KernelChannels } from './kernel-channels';

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
  private tmpDir = '';
  private readonly log = new KernelLog();
  private readonly channels = new KernelChannels(this.session, this.log);
  private exitInfo: { code: number | null; signal: string | null } | null = null;
  private exitWaiters: Array<() => void> = [];
  private closed = false;
  private lastErrorAt = 0;
  private readonly options: TslabKernelOptions;
  /** What a cell's execution (kernel-execution.ts) needs of this kernel. */
  private readonly executing: ExecutingKernel = {
    exited: () => this.exitInfo != null,
    exitPromise: () => this.exitPromise(),
    interrupt: () => this.interrupt(),
    kill: () => this.kill(),
    diedError: (when) => this.diedError(when),
  };

  private constructor(options: TslabKernelOptions) {
    this.options = options;
    this.cwd = path.resolve(options.cwd);
    this.tslab = resolveTslab(options.root ?? findScalelabRoot());
    this.interruptMode = options.interruptMode ?? kernelSpecInterruptMode();
  }

  /** Starts a kernel in `options.cwd` and waits until it answers on shell and iopub. */
  static async start(options: TslabKernelOptions): Promise<TslabKernel> {
    // A port picked free can be taken by someone else before the kernel binds it, and tslab can
    // break itself on a request that races its binds: retry with a new kernel (and new ports).
    return startRestarting(
      Boolean(options.ports),
      () => new TslabKernel(options),
      (k) => k.boot(),
      (k) => k.shutdown(),
    );
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
    return this.log.text;
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
    this.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-kernel-'));
    const { connFile, watchdog } = writeKernelFiles(
      this.tmpDir,
      { shell: shellPort, iopub: iopubPort, stdin: stdinPort, control: controlPort, hb: hbPort },
      this.channels.key,
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
    child.stdout!.on('data', (c: Buffer) => this.log.append(c));
    child.stderr!.on('data', (c: Buffer) => this.log.append(c));
    child.on('error', (e) => {
      this.log.append(Buffer.from(`spawn error: ${e.message}\n`));
      this.onExit(null, null);
    });
    child.on('exit', (code, signal) => this.onExit(code, signal));

    this.channels.connect(this.zmq, {
      shell: shellPort,
      iopub: iopubPort,
      control: controlPort,
      hb: hbPort,
    });

    // Wait for kernel_info_reply on shell *and* a status message on iopub (the subscriber
    // must be connected before any cell runs, or early output is lost).
    const deadline = t0 + (this.options.startupTimeoutMs ?? 60000);
    let ready = false;
    while (!ready) {
      if (this.exitInfo) throw this.diedError('while starting');
      const bindError = bindFailure(this.log);
      if (bindError) throw bindError;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw this.log.error(
          `tslab kernel did not answer kernel_info within ${Math.round((this.options.startupTimeoutMs ?? 60000) / 1000)} s`,
          'start',
        );
      }
      let gotReply = false;
      let gotIopub = false;
      const msgId = crypto.randomUUID();
      const done = new Promise<void>((resolve) => {
        this.channels.pending.set(msgId, {
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
      this.channels.send('shell', 'kernel_info_request', {}, msgId).catch(() => undefined);
      await withinMs(Promise.race([done, this.exitPromise()]), Math.min(1000, remaining));
      this.channels.pending.delete(msgId);
      ready = gotReply && gotIopub;
    }
    if (!(await this.heartbeat(5000))) {
      throw this.log.error('tslab kernel does not answer heartbeats', 'unresponsive');
    }
    this.startupMs = Date.now() - t0;
  }

  private diedError(when: string): NotebookKernelError {
    const info = this.exitInfo ?? { code: null, signal: null };
    const how = info.signal ? `killed by ${info.signal}` : `exit code ${info.code}`;
    return this.log.error(`tslab kernel died (${how}) ${when}`, 'died', info.code, info.signal);
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

  /** Sends a heartbeat and waits for the echo; false when none arrives in time. */
  async heartbeat(timeoutMs = 5000): Promise<boolean> {
    if (!this.alive || this.closed) return false;
    return this.channels.heartbeat(timeoutMs, () => this.exitPromise());
  }

  /** Interrupts the running cell: SIGINT, or interrupt_request on control when interrupt_mode is 'message'. */
  async interrupt(): Promise<void> {
    if (!this.alive) return;
    if (this.interruptMode === 'message') {
      await this.channels.send('control', 'interrupt_request', {}).catch(() => undefined);
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
    const execution = new KernelExecution(this.executing, options);
    this.channels.pending.set(msgId, execution);
    try {
      await Promise.race([
        this.channels
          .send(
            'shell',
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
          )
          .catch((e: Error) => {
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
      const result = await execution.result();
      // the reply's own status: a reply that came while a timed-out kernel was being killed counts
      if ((result.reply?.status ?? 'error') !== 'ok') this.lastErrorAt = Date.now();
      return result;
    } finally {
      this.channels.pending.delete(msgId);
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
        this.channels
          .send('control', 'shutdown_request', { restart: false })
          .catch(() => undefined),
        1000,
      );
      await withinMs(this.exitPromise(), 2000);
      if (this.alive) {
        this.child!.kill('SIGTERM');
        await withinMs(this.exitPromise(), 2000);
      }
      if (this.alive) await this.kill();
    }
    this.channels.close();
    liveKernels.delete(this);
    if (this.tmpDir) fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }
}
