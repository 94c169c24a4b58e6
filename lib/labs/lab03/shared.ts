/**
 * What the lab 03 experiments share: the lab id, the service-time parameter, the run length for a
 * number of requests (a tenth of it again as warm-up), and the rows of a result table.
 */
import type { ColumnTable } from 'arquero';
import { openLoadWork, requestsWork as countWork } from '../../experiment/work';
import type { WorkEstimate } from '../../experiment/work';
import { customersAt } from '../lab01/shared';

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

/**
 * Requests to measure at per-backend load ρ: `requests` up to ρ = 0.8, then
 * requests · ((1 − 0.8)/(1 − ρ))² (4 times at ρ 0.9, 16 times at 0.95), lab 01's rule
 * (`customersAt`): near saturation a queue's relaxation time grows like (1 − ρ)⁻² (Whitt 1989,
 * "Planning queueing simulations", Management Science 35(11)), and a run shorter than a few
 * relaxation times reads the mean and the tail low (random splitting at ρ 0.95 over 10 backends:
 * each an M/M/1 whose relaxation time x/(1 − √ρ)² is 156 s, against 158 s measured by 15,000
 * requests; W 15 % and p99 30 % low at 16 replications, within their intervals at 16 times the run).
 * The warm-up (`runFor`) is a tenth of the grown run, so it grows with it.
 */
export function requestsAt(requests: number, rho: number): number {
  return customersAt(requests, rho);
}

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
