/** What the lab 04 experiments share: the lab id, the run length for a number of requests, and the rows of a result table. */
import type { ColumnTable } from 'arquero';

export const lab = '04-gateway-and-microservices';

/** Measured seconds for `requests` requests at `rate`, after a warm-up of a tenth of that. */
export function runFor(requests: number, rate: number): { duration: number; warmup: number } {
  return { duration: requests / rate, warmup: requests / rate / 10 };
}

/** Row objects of a table. */
export function rowsOf(t: ColumnTable): Array<Record<string, number | string | null>> {
  return t.objects() as Array<Record<string, number | string | null>>;
}
