/**
 * Executing a notebook's code cells in order in a tslab kernel and recording the outputs as
 * nbformat 4.5, as nbclient does: `stream` (consecutive chunks of one stream merged),
 * `display_data`, `update_display_data` applied by display_id to earlier outputs, `execute_result`,
 * `error` and `clear_output`. tslab reports failures only as stderr text plus an execute_reply with
 * status "error"; {@link NotebookExecutionError} carries that real text with the notebook and cell.
 */
import * as path from 'path';
import { JupyterMessage, NotebookKernelError, TslabKernel } from './kernel';
import {
  joinNotebookText,
  NotebookCodeCell,
  NotebookDocument,
  NotebookOutput,
  normalizeNotebook,
  readNotebook,
} from './nbformat';
import { injectNotebookParameters, NotebookParameterValue } from './parameters';
import { findScalelabRoot, tslabTypescriptVersion } from './project';

export type NotebookFailureKind = 'cell-error' | 'timeout' | 'kernel-died' | 'kernel-start';

/** Progress events of a run. */
export type NotebookProgressEvent =
  | { type: 'kernel-started'; ms: number }
  | { type: 'cell-start'; cellIndex: number; cellNumber: number }
  | { type: 'cell-done'; cellIndex: number; cellNumber: number; ms: number; status: string };

export interface ExecuteNotebookOptions {
  /** Parameter values injected after the `parameters` cell (see injectNotebookParameters). */
  parameters?: Record<string, unknown>;
  /** Seconds a cell may run before it is interrupted (default 600). */
  cellTimeoutSec?: number;
  /** Seconds the kernel may take to start (default 60). */
  startupTimeoutSec?: number;
  /** Seconds to wait after an interrupt before the kernel is killed (default 5). */
  interruptGraceSec?: number;
  /** A running kernel to use (not shut down afterwards); default: a new one in the notebook's folder. */
  kernel?: TslabKernel;
  /** Kernel working directory for a new kernel (default: the notebook's folder). */
  cwd?: string;
  /** Name used in messages (default: the path, or "notebook"). */
  name?: string;
  /** Progress callback. */
  onProgress?: (e: NotebookProgressEvent) => void;
}

/** Per-cell record of a run. */
export interface NotebookCellRun {
  cellIndex: number;
  cellNumber: number;
  cellId: string;
  status: 'ok' | 'error' | 'timeout' | 'kernel-died' | 'skipped';
  durationMs: number;
}

/** A finished (or failed) run. */
export interface NotebookRunResult {
  name: string;
  /** The executed notebook (partial when the run failed). */
  notebook: NotebookDocument;
  ok: boolean;
  durationMs: number;
  /** Kernel start time (0 when an existing kernel was used). */
  kernelStartMs: number;
  cells: NotebookCellRun[];
  error?: NotebookExecutionError;
}

/** A notebook run that failed: names the notebook, the cell (1-based) and the real error text. */
export class NotebookExecutionError extends Error {
  override readonly name = 'NotebookExecutionError';
  /** Set once the run result exists (the partial notebook is `result.notebook`). */
  result?: NotebookRunResult;
  constructor(
    message: string,
    readonly kind: NotebookFailureKind,
    readonly notebookName: string,
    /** 0-based index in the executed notebook, -1 when no cell was involved. */
    readonly cellIndex: number,
    /** The error text the kernel reported (stderr, error outputs, or the kernel's fate). */
    readonly detail: string,
    readonly notebook: NotebookDocument,
  ) {
    super(message);
  }
  /** 1-based cell number in the executed notebook (0 when no cell). */
  get cellNumber(): number {
    return this.cellIndex + 1;
  }
}

function tagsOf(cell: { metadata?: Record<string, unknown> }): string[] {
  const t = cell.metadata?.tags;
  return Array.isArray(t) ? t : [];
}

/** Builds one cell's outputs from iopub messages, sharing a display_id map across the notebook. */
class OutputRecorder {
  private clearPending = false;
  constructor(
    private readonly cell: NotebookCodeCell,
    private readonly displays: Map<
      string,
      Array<{ output_type: string; data?: any; metadata?: any }>
    >,
  ) {}

  private push(o: NotebookOutput): void {
    if (this.clearPending) {
      this.cell.outputs = [];
      this.clearPending = false;
    }
    this.cell.outputs.push(o);
  }

  private updateDisplay(id: string, content: Record<string, any>): void {
    for (const o of this.displays.get(id) ?? []) {
      o.data = content.data ?? {};
      o.metadata = content.metadata ?? {};
    }
  }

  handle(msg: JupyterMessage): void {
    const c = msg.content;
    switch (msg.header.msg_type) {
      case 'stream': {
        const name = c.name === 'stderr' ? 'stderr' : 'stdout';
        const text = String(c.text ?? '');
        const last = this.cell.outputs[this.cell.outputs.length - 1];
        if (!this.clearPending && last && last.output_type === 'stream' && last.name === name) {
          last.text = joinNotebookText(last.text) + text;
        } else {
          this.push({ output_type: 'stream', name, text });
        }
        break;
      }
      case 'display_data':
      case 'execute_result': {
        const displayId: unknown = c.transient?.display_id;
        if (typeof displayId === 'string') this.updateDisplay(displayId, c);
        const o: NotebookOutput =
          msg.header.msg_type === 'display_data'
            ? { output_type: 'display_data', data: c.data ?? {}, metadata: c.metadata ?? {} }
            : {
                output_type: 'execute_result',
                execution_count: typeof c.execution_count === 'number' ? c.execution_count : null,
                data: c.data ?? {},
                metadata: c.metadata ?? {},
              };
        this.push(o);
        if (typeof displayId === 'string') {
          const list = this.displays.get(displayId) ?? [];
          list.push(o);
          this.displays.set(displayId, list);
        }
        break;
      }
      case 'update_display_data': {
        const displayId: unknown = c.transient?.display_id;
        if (typeof displayId === 'string') this.updateDisplay(displayId, c);
        break;
      }
      case 'error':
        this.push({
          output_type: 'error',
          ename: String(c.ename ?? 'Error'),
          evalue: String(c.evalue ?? ''),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
        break;
      case 'clear_output':
        if (c.wait) this.clearPending = true;
        else this.cell.outputs = [];
        break;
      default:
        break; // execute_input, comm messages: nothing to record
    }
  }
}

/** The error text a failed cell produced: its stderr and error outputs. */
export function cellErrorText(cell: NotebookCodeCell): string {
  const parts: string[] = [];
  for (const o of cell.outputs) {
    if (o.output_type === 'stream' && o.name === 'stderr') parts.push(joinNotebookText(o.text));
    if (o.output_type === 'error')
      parts.push(
        `${o.ename}: ${o.evalue}` + (o.traceback.length ? '\n' + o.traceback.join('\n') : ''),
      );
  }
  const text = parts.join('').trim();
  return text.length > 4000 ? text.slice(0, 4000) + '\n... (truncated)' : text;
}

function firstLine(source: string): string {
  const line = source.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 80 ? line.slice(0, 77) + '...' : line;
}

function scalelabVersion(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package.json of the scalelab the kernel uses, found at run time
    return require(path.join(findScalelabRoot(), 'package.json')).version;
  } catch {
    return undefined;
  }
}

/**
 * Executes the code cells of an in-memory notebook in order (cells tagged `skip-execution` and empty
 * cells are skipped; a cell tagged `raises-exception` may fail). Resolves with the run result;
 * rejects with {@link NotebookExecutionError} (whose `result.notebook` is the partial notebook) when
 * a cell fails, times out or the kernel dies or does not start.
 */
export async function executeNotebookDocument(
  input: NotebookDocument,
  options: ExecuteNotebookOptions & { cwd: string },
): Promise<NotebookRunResult> {
  const name = options.name ?? 'notebook';
  const t0 = Date.now();
  const startTime = new Date(t0).toISOString();
  let nb = normalizeNotebook(input);
  nb = injectNotebookParameters(nb, options.parameters ?? {});
  for (const c of nb.cells) {
    if (c.cell_type === 'code') {
      c.outputs = [];
      c.execution_count = null;
      delete c.metadata.execution;
    }
  }
  const cellTimeoutMs = (options.cellTimeoutSec ?? 600) * 1000;
  const cells: NotebookCellRun[] = [];
  let kernel = options.kernel;
  const ownKernel = !kernel;
  let kernelStartMs = 0;
  let failure: NotebookExecutionError | undefined;

  const fail = (kind: NotebookFailureKind, cellIndex: number, headline: string, detail: string) => {
    const where = cellIndex >= 0 ? `cell ${cellIndex + 1}` : 'kernel';
    const src =
      cellIndex >= 0 ? ` \`${firstLine(joinNotebookText(nb.cells[cellIndex].source))}\`` : '';
    const msg = `${name}: ${where}${src} ${headline}${detail ? ':\n' + detail : ''}`;
    failure = new NotebookExecutionError(msg, kind, name, cellIndex, detail, nb);
  };

  try {
    if (!kernel) {
      try {
        const spec = nb.metadata.kernelspec ?? {};
        const js = spec.name === 'jslab' || spec.language === 'javascript';
        kernel = await TslabKernel.start({
          cwd: options.cwd,
          js,
          startupTimeoutMs: (options.startupTimeoutSec ?? 60) * 1000,
        });
        kernelStartMs = kernel.startupMs;
        options.onProgress?.({ type: 'kernel-started', ms: kernelStartMs });
      } catch (e) {
        fail('kernel-start', -1, 'could not start the tslab kernel', (e as Error).message);
      }
    }
    const displays = new Map<string, Array<{ output_type: string; data?: any; metadata?: any }>>();
    for (let i = 0; kernel && !failure && i < nb.cells.length; i++) {
      const cell = nb.cells[i];
      if (cell.cell_type !== 'code') continue;
      const code = joinNotebookText(cell.source);
      if (code.trim() === '' || tagsOf(cell).includes('skip-execution')) {
        cells.push({
          cellIndex: i,
          cellNumber: i + 1,
          cellId: cell.id,
          status: 'skipped',
          durationMs: 0,
        });
        continue;
      }
      options.onProgress?.({ type: 'cell-start', cellIndex: i, cellNumber: i + 1 });
      const c0 = Date.now();
      const record = (status: NotebookCellRun['status']) => {
        const ms = Date.now() - c0;
        cells.push({ cellIndex: i, cellNumber: i + 1, cellId: cell.id, status, durationMs: ms });
        options.onProgress?.({ type: 'cell-done', cellIndex: i, cellNumber: i + 1, ms, status });
      };
      if (!(await kernel.heartbeat(10000))) {
        record('kernel-died');
        fail(
          'kernel-died',
          i,
          kernel.alive
            ? 'was not run: the kernel stopped answering heartbeats'
            : 'was not run: the kernel is dead',
          kernel.kernelLog.trim().slice(-2000),
        );
        break;
      }
      const recorder = new OutputRecorder(cell, displays);
      try {
        const r = await kernel.execute(code, {
          timeoutMs: cellTimeoutMs,
          interruptGraceMs: (options.interruptGraceSec ?? 5) * 1000,
          onIopub: (m) => recorder.handle(m),
        });
        cell.execution_count = r.executionCount;
        cell.metadata.execution = {
          'iopub.status.busy': r.timing.busy,
          'shell.execute_reply': r.timing.reply,
          'iopub.status.idle': r.timing.idle,
        };
        if (r.timedOut) {
          record('timeout');
          const how = r.killed
            ? 'the interrupt did not stop it, so the kernel was killed'
            : 'it was interrupted';
          fail(
            'timeout',
            i,
            `exceeded the cell timeout of ${cellTimeoutMs / 1000} s; ${how}`,
            cellErrorText(cell),
          );
        } else if (r.status !== 'ok' && !tagsOf(cell).includes('raises-exception')) {
          record('error');
          const text =
            cellErrorText(cell) ||
            (r.status === 'abort'
              ? 'execution aborted by the kernel'
              : 'the kernel reported an error without text');
          fail('cell-error', i, 'failed', text);
        } else {
          record(r.status === 'ok' ? 'ok' : 'error');
        }
      } catch (e) {
        if (!(e instanceof NotebookKernelError)) throw e;
        record('kernel-died');
        const out = cellErrorText(cell);
        fail('kernel-died', i, 'killed the kernel', [e.message, out].filter(Boolean).join('\n'));
      }
    }
  } finally {
    if (ownKernel && kernel) await kernel.shutdown();
  }

  const durationMs = Date.now() - t0;
  const f = failure as NotebookExecutionError | undefined;
  nb.metadata.kernelspec = nb.metadata.kernelspec ?? {
    name: 'tslab',
    display_name: 'TypeScript',
    language: 'typescript',
  };
  if (kernel && kernel.kernelInfo.language_info) {
    const ts = tslabTypescriptVersion(kernel.tslab);
    const li = kernel.kernelInfo.language_info;
    // tslab reports a stale TypeScript version ("3.7.2"); record the compiler it really uses
    nb.metadata.language_info = {
      ...li,
      ...(ts && li.name === 'typescript' ? { version: ts } : {}),
    };
  }
  nb.metadata.scalelab = {
    ...(nb.metadata.scalelab ?? {}),
    parameters: (nb.metadata.scalelab?.parameters ?? {}) as Record<string, NotebookParameterValue>,
    versions: {
      scalelab: scalelabVersion(),
      tslab: kernel?.tslab.version,
      node: process.version,
    },
    execution: {
      start_time: startTime,
      end_time: new Date().toISOString(),
      duration_ms: durationMs,
      status: f ? 'failed' : 'ok',
      ...(f
        ? {
            failed_cell: f.cellIndex >= 0 ? f.cellNumber : null,
            error_kind: f.kind,
            error: f.detail,
          }
        : {}),
    },
  };
  const result: NotebookRunResult = {
    name,
    notebook: nb,
    ok: !f,
    durationMs,
    kernelStartMs,
    cells,
    error: f,
  };
  if (f) {
    f.result = result;
    throw f;
  }
  return result;
}

/**
 * Reads the notebook at `notebookPath` and executes it in a new tslab kernel whose working
 * directory is the notebook's folder (or in `options.kernel`). See {@link executeNotebookDocument}.
 */
export async function executeNotebook(
  notebookPath: string,
  options: ExecuteNotebookOptions = {},
): Promise<NotebookRunResult> {
  const nb = readNotebook(notebookPath);
  return executeNotebookDocument(nb, {
    ...options,
    cwd: options.cwd ?? path.dirname(path.resolve(notebookPath)),
    name: options.name ?? path.relative(process.cwd(), path.resolve(notebookPath)),
  });
}
