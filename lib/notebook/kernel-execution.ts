/**
 * One cell's execution on the tslab kernel, once its execute_request is sent: what the kernel's
 * messages to that request tell (the execute_reply, iopub's busy and idle status with their
 * kernel-side timestamps, every other iopub message to `onIopub`), the cell's timeout (interrupt,
 * then kill when the reply has not come within the grace period) and the result. As nbclient does,
 * a cell is done when its reply arrived and iopub went idle, waiting at most 4 s for idle after the
 * reply (output may trail it on iopub). Every wait ends when the kernel process exits.
 */
import type { JupyterMessage } from './jupyter-wire';
import type { NotebookKernelError } from './kernel-errors';
import type { KernelExecuteOptions, KernelExecuteResult } from './kernel-options';
import { withinMs } from './bounded-wait';

/** What waits for the kernel's messages to one request (found by the parent header's msg_id). */
export interface PendingRequest {
  onIopub?: (msg: JupyterMessage) => void;
  onStatus: (state: string, msg: JupyterMessage) => void;
  onReply: (msg: JupyterMessage) => void;
}

/** What an execution needs of its kernel. */
export interface ExecutingKernel {
  /** Whether the kernel process has exited. */
  exited(): boolean;
  /** Resolves when the kernel process has exited (at once when it has). */
  exitPromise(): Promise<void>;
  interrupt(): Promise<void>;
  kill(): Promise<void>;
  /** The error for a kernel that died `when`. */
  diedError(when: string): NotebookKernelError;
}

/** One execute_request's state, from its send to its result. */
export class KernelExecution implements PendingRequest {
  readonly onIopub?: (msg: JupyterMessage) => void;
  private readonly timing: KernelExecuteResult['timing'] = {};
  private reply: JupyterMessage | null = null;
  private idle = false;
  private wake: () => void = () => undefined;

  constructor(
    private readonly kernel: ExecutingKernel,
    private readonly options: KernelExecuteOptions,
  ) {
    this.onIopub = options.onIopub;
  }

  onStatus(state: string, m: JupyterMessage): void {
    if (state === 'busy') this.timing.busy = m.header.date;
    if (state === 'idle') {
      this.timing.idle = m.header.date;
      this.idle = true;
      this.wake();
    }
  }

  onReply(m: JupyterMessage): void {
    this.reply = m;
    this.timing.reply = m.header.date;
    this.wake();
  }

  /** Waits until `cond` holds (true), the kernel exits or `ms` pass (false). */
  private async waitFor(cond: () => boolean, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (this.kernel.exited()) return false;
      const left = end - Date.now();
      if (left <= 0) return false;
      await withinMs(
        Promise.race([new Promise<void>((r) => (this.wake = r)), this.kernel.exitPromise()]),
        left,
      );
    }
    return true;
  }

  /**
   * Waits for the reply within the timeout (then interrupts, waits the grace period, and kills the
   * kernel), then for idle. Rejects with the kernel's died error when it exits unasked.
   */
  async result(): Promise<KernelExecuteResult> {
    const options = this.options;
    const limit = options.timeoutMs != null && options.timeoutMs > 0 ? options.timeoutMs : Infinity;
    let timedOut = false;
    let killed = false;
    let ok = await this.waitFor(() => this.reply != null, limit);
    if (!ok && !this.kernel.exited()) {
      timedOut = true;
      await this.kernel.interrupt();
      ok = await this.waitFor(() => this.reply != null, options.interruptGraceMs ?? 5000);
      if (!ok && !this.kernel.exited()) {
        killed = true;
        await this.kernel.kill();
      }
    }
    if (!ok && this.kernel.exited() && !killed)
      throw this.kernel.diedError('while executing the cell');
    // Output may trail the reply on the iopub channel: wait for idle (briefly, as nbclient does).
    if (ok) await this.waitFor(() => this.idle, 4000);
    const r = this.reply as JupyterMessage | null;
    const status = (r?.content.status as KernelExecuteResult['status']) ?? 'error';
    return {
      status: killed ? 'error' : status,
      executionCount:
        typeof r?.content.execution_count === 'number' ? r.content.execution_count : null,
      reply: r?.content ?? null,
      timedOut,
      killed,
      timing: this.timing,
    };
  }
}
