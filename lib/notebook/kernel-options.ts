/**
 * The tslab kernel client's options and results: how a kernel is started (TslabKernelOptions), how
 * one cell is executed (KernelExecuteOptions) and what comes back (KernelExecuteResult).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a message's JSON parts are whatever the kernel sends (as in kernel.ts, which eslint.config.mjs exempts) */
import type { JupyterMessage } from './jupyter-wire';

export interface TslabKernelOptions {
  /** Working directory of the kernel: the notebook's folder (so `import ... from 'scalelab'` resolves). */
  cwd: string;
  /** The scalelab project root (default: found by walking up from this file). */
  root?: string;
  /** Milliseconds to wait for the kernel to answer kernel_info on shell and iopub (default 60 000). */
  startupTimeoutMs?: number;
  /**
   * 'signal' (SIGINT) or 'message' (interrupt_request on control); default: the project kernel
   * spec's interrupt_mode, else 'signal' (Jupyter's default, and what tslab implements).
   */
  interruptMode?: 'signal' | 'message';
  /** Start tslab's JavaScript kernel (`--js`) instead of TypeScript. */
  js?: boolean;
  /** Extra environment variables for the kernel. */
  env?: Record<string, string>;
  /** Fixed ports on 127.0.0.1 (default: free ones picked by binding port 0; retried if taken meanwhile). */
  ports?: { shell: number; iopub: number; stdin: number; control: number; hb: number };
}

export interface KernelExecuteOptions {
  /** Milliseconds before the cell is interrupted (default: no limit). */
  timeoutMs?: number;
  /** Milliseconds to wait for the reply after an interrupt before the kernel is killed (default 5 000). */
  interruptGraceMs?: number;
  /** Called for every iopub message of this request except `status`. */
  onIopub?: (msg: JupyterMessage) => void;
}

export interface KernelExecuteResult {
  /** execute_reply status ('ok', 'error' or 'abort'); 'error' also when a timed-out kernel was killed. */
  status: 'ok' | 'error' | 'abort';
  executionCount: number | null;
  reply: Record<string, any> | null;
  /** The cell ran past its timeout and was interrupted. */
  timedOut: boolean;
  /** The interrupt did not stop the cell in time, so the kernel was killed. */
  killed: boolean;
  /** Kernel-side timestamps (ISO) of busy, reply and idle. */
  timing: { busy?: string; reply?: string; idle?: string };
}
