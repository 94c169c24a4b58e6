/**
 * The delay before a retry, as Airflow computes it (airflow-core/src/airflow/models/
 * taskinstance.py, `TaskInstance.next_retry_datetime`, Airflow ≥ 2.10 and 3.x; reference:
 * subsystems.md §6.3):
 *
 * - without `retry_exponential_backoff`: `retry_delay` (max_retry_delay is not applied: the code
 *   caps only the exponential branch);
 * - with it: `min_backoff = max(1, ceil(retry_delay · 2^(try_number − 1)))` for the attempt
 *   `try_number` that just failed (1 for the first), plus a deterministic jitter
 *   `sha1("dag_id#task_id#logical_date#try_number") mod min_backoff`, so the delay lies in
 *   [min_backoff, 2·min_backoff); then `min(·, [core] max_task_retry_delay)` (86400 s) and
 *   `min(·, max_retry_delay)` when the task sets one. (Airflow < 2.10 used `try_number − 2`,
 *   because its try_number was already incremented when this ran.)
 *
 * `logical_date` enters the hash as Python's `str()` of a UTC datetime, e.g.
 * `2025-01-01 00:00:00+00:00`, so a given run, task and try always gets the same delay.
 */
import { createHash } from 'crypto';

export interface RetryPolicy {
  retry_delay: number;
  retry_exponential_backoff: boolean;
  /** Seconds, or null for none. */
  max_retry_delay: number | null;
}

/** `[core] max_task_retry_delay` default: one day. */
export const MAX_TASK_RETRY_DELAY = 86400;

/** Python's `str(datetime)` of a UTC instant given in epoch milliseconds. */
export function pythonDatetimeString(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return `${base}${ms ? '.' + p(ms * 1000, 6) : ''}+00:00`;
}

/** The integer value of sha1(text), modulo m (m ≥ 1). */
export function sha1Mod(text: string, m: number): number {
  const hex = createHash('sha1').update(text, 'utf8').digest('hex');
  return Number(BigInt('0x' + hex) % BigInt(m));
}

/**
 * Seconds from the failed attempt's end to the retry's earliest start. `logicalDateMs` is the
 * run's logical date (epoch ms), `tryNumber` the number of the attempt that failed (1, 2, ...).
 */
export function retryDelay(
  policy: RetryPolicy,
  dagId: string,
  taskId: string,
  logicalDateMs: number,
  tryNumber: number,
  maxTaskRetryDelay: number = MAX_TASK_RETRY_DELAY,
): number {
  const delay = policy.retry_delay;
  if (!policy.retry_exponential_backoff) return delay;
  let minBackoff = Math.ceil(delay * 2 ** (tryNumber - 1));
  if (minBackoff < 1) minBackoff = 1;
  const hash =
    Number.isFinite(minBackoff) && minBackoff < 2 ** 53
      ? sha1Mod(
          `${dagId}#${taskId}#${pythonDatetimeString(logicalDateMs)}#${tryNumber}`,
          minBackoff,
        )
      : 0;
  let d = Math.min(minBackoff + hash, maxTaskRetryDelay);
  if (policy.max_retry_delay !== null) d = Math.min(policy.max_retry_delay, d);
  return d;
}
