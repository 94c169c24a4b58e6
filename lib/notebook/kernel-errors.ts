/**
 * How the tslab kernel fails: {@link NotebookKernelError} (it failed to start, died, or stopped
 * answering), and the two start-up failures worth another kernel (a port taken meanwhile, tslab's
 * bind race).
 */

/** The kernel failed to start, died, or stopped answering. */
export class NotebookKernelError extends Error {
  override readonly name = 'NotebookKernelError';
  constructor(
    message: string,
    readonly kind: 'start' | 'died' | 'unresponsive',
    readonly exitCode: number | null = null,
    readonly signal: string | null = null,
    readonly kernelLog: string = '',
  ) {
    super(message);
  }
}

export const ADDRESS_IN_USE = /EADDRINUSE|Address already in use/i;
/**
 * tslab 1.0.22 does not await its socket binds: a request that arrives while a bind is still in
 * progress makes zeromq throw EBUSY inside tslab's send and receive loops, and that kernel never
 * answers again (seen in CI: "Socket is blocked by a bind or unbind operation"). Start another.
 */
export const SOCKET_BUSY = /Socket is blocked by a bind or unbind operation/;
/** Whether a failed kernel start is worth another kernel: a port race, or tslab's bind race. */
export function isRestartableKernelFailure(kernelLog: string): boolean {
  return ADDRESS_IN_USE.test(kernelLog) || SOCKET_BUSY.test(kernelLog);
}
