/**
 * What the lab 03 experiments share: the lab id, the service-time parameter, the run length for a
 * number of requests (a tenth of it again as warm-up), and the rows of a result table.
 */
import type { ColumnTable } from 'arquero';

export const lab = '03-load-balancing';

export const serviceTimeSpec = { type: 'number', default: 0.1, min: 0, minOpen: true, max: 3600, unit: 's', doc: 'Mean service time of a request on a backend of speed 1 (exponential).' } as const;

/** Measured seconds for `requests` requests at `rate`, after a warm-up of a tenth of that. */
export function runFor(requests: number, rate: number): { duration: number; warmup: number } {
  return { duration: requests / rate, warmup: requests / rate / 10 };
}

/** Row objects of a table. */
export function rowsOf(t: ColumnTable): Array<Record<string, number | string | null>> {
  return t.objects() as Array<Record<string, number | string | null>>;
}
