/**
 * Starting a tslab kernel again when its start failed in a way a new kernel fixes. tslab 1.0.22
 * does not await its socket binds: a port picked free can be taken by someone else before the
 * kernel binds it (EADDRINUSE), and a request that races a bind still in progress makes zeromq
 * throw EBUSY inside tslab, after which that kernel never answers again. Both show only in the
 * kernel's log, so the client reads them there while it waits for the kernel to answer, and starts
 * another kernel (on new ports) up to three times in all. With fixed ports, a taken port is final.
 */
import {
  ADDRESS_IN_USE,
  isRestartableKernelFailure,
  NotebookKernelError,
  SOCKET_BUSY,
} from './kernel-errors';
import type { KernelLog } from './kernel-log';

/** How many kernels one start may try. */
export const KERNEL_START_ATTEMPTS = 3;

/** The start-up failure the kernel's log shows (a taken port, tslab's bind race), or undefined. */
export function bindFailure(log: KernelLog): NotebookKernelError | undefined {
  if (ADDRESS_IN_USE.test(log.text)) {
    // tslab does not await its binds: a taken port shows only as an unhandled rejection on stderr
    return log.error('tslab kernel could not bind its ports (address already in use)', 'start');
  }
  if (SOCKET_BUSY.test(log.text)) {
    return log.error('tslab kernel broke on a request that raced its socket binds', 'start');
  }
  return undefined;
}

/**
 * Creates and boots kernels until one boots, discarding each that failed; stops at the first
 * failure a new kernel would not fix (or a taken port when the ports are fixed), or after
 * {@link KERNEL_START_ATTEMPTS}, and rethrows the last failure.
 */
export async function startRestarting<K>(
  fixedPorts: boolean,
  create: () => K,
  boot: (kernel: K) => Promise<void>,
  discard: (kernel: K) => Promise<void>,
): Promise<K> {
  let lastError: unknown;
  for (let attempt = 0; attempt < KERNEL_START_ATTEMPTS; attempt++) {
    const k = create();
    try {
      await boot(k);
      return k;
    } catch (e) {
      lastError = e;
      await discard(k).catch(() => undefined);
      const log = e instanceof NotebookKernelError ? e.kernelLog : '';
      if (!isRestartableKernelFailure(log) || (fixedPorts && ADDRESS_IN_USE.test(log))) break;
    }
  }
  throw lastError;
}
