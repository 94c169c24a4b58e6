/**
 * The tslab kernel process's own stdout and stderr (not cell output), the last 64 KB of it, kept
 * for error messages: every {@link NotebookKernelError} the client raises ends in the log's last
 * 2,000 characters and carries the whole kept log (tslab reports a failed bind or a crash only there).
 */
import { NotebookKernelError } from './kernel-errors';

export class KernelLog {
  private chunks: string[] = [];
  private size = 0;

  /** Appends a chunk, dropping the oldest chunks while more than 64 KB is kept (the newest always stays). */
  append(chunk: Buffer): void {
    const s = chunk.toString('utf8');
    this.chunks.push(s);
    this.size += s.length;
    while (this.size > 65536 && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }

  /** The kept log. */
  get text(): string {
    return this.chunks.join('');
  }

  /** `\nkernel log:\n` and the log's last 2,000 characters, for an error message ('' when the log is empty). */
  tail(): string {
    const log = this.text.trim();
    if (!log) return '';
    return `\nkernel log:\n${log.length > 2000 ? '...' + log.slice(-2000) : log}`;
  }

  /** A NotebookKernelError whose message ends in the log's tail and which carries the kept log. */
  error(
    message: string,
    kind: NotebookKernelError['kind'],
    exitCode: number | null = null,
    signal: string | null = null,
  ): NotebookKernelError {
    return new NotebookKernelError(message + this.tail(), kind, exitCode, signal, this.text);
  }
}
