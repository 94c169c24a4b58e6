/**
 * Bounded waits for the kernel client (no wait there is unbounded): a sleep, and a promise raced
 * against a timer that is cleared either way, so it never holds the process open.
 */

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves with `p`, or with undefined after `ms` (the timer is cleared either way, so it never holds the process). */
export async function withinMs<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<undefined>(
        (r) => (timer = setTimeout(() => r(undefined), Math.min(ms, 2 ** 31 - 1))),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
