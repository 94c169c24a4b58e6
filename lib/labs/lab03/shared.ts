/**
 * What the lab 03 experiments share: the lab id, the service-time parameter, the run length for a
 * number of requests (a tenth of it again as warm-up), and the rows of a result table.
 */
import type { ColumnTable } from 'arquero';
import { openLoadWork, requestsWork as countWork } from '../../experiment/work';
import type { WorkEstimate } from '../../experiment/work';

export const lab = '03-load-balancing';

export const serviceTimeSpec = {
  type: 'number',
  default: 0.1,
  min: 0,
  minOpen: true,
  max: 3600,
  unit: 's',
  doc: 'Mean service time of a request on a backend of speed 1 (exponential).',
} as const;

/** Measured seconds for `requests` requests at `rate`, after a warm-up of a tenth of that. */
export function runFor(requests: number, rate: number): { duration: number; warmup: number } {
  return { duration: requests / rate, warmup: requests / rate / 10 };
}

/**
 * Work of one replication (checked against the event budget before the run, `--max-events`): about
 * four kernel events per request (the next arrival, the balancer's dispatch, the backend's start and
 * end; 2.0-3.1 counted at the defaults), a tenth more for the warm-up.
 */
export function requestsWork(requests: number): WorkEstimate {
  return countWork(requests, 4 * 1.1);
}

/**
 * Work of a run of `seconds` at `rate` requests per second (four events a request, as above), plus
 * three events per health check of `backends` backends every `inter` seconds.
 */
export function timedWork(rate: number, seconds: number, backends = 0, inter = 2): WorkEstimate {
  return openLoadWork(rate, seconds, 4, 'rate', { inter: (3 * backends * seconds) / inter });
}

/** Row objects of a table. */
export function rowsOf(t: ColumnTable): Array<Record<string, number | string | null>> {
  return t.objects() as Array<Record<string, number | string | null>>;
}
