/**
 * Work estimates: the kernel events one replication of an experiment's point needs, computed from
 * its parameters before it runs, so that a run too large for the budget (`--max-events`, default
 * 1e8 events per replication) is refused at once with the parameter that drives it, instead of
 * running for minutes or growing without bound. An estimate is a sum of terms, each a product such
 * as rate × duration × events per request, or users × completions; the parameter named is the one
 * behind the largest term. An estimate is an upper bound on the events within a factor of 5
 * (test/experiment/work-estimates.test.ts checks 1 ≤ estimate / counted ≤ 5 for every experiment
 * at its first default point).
 */

/** What `workEstimate` returns: events, and the parameter (or product of parameters) behind them. */
export interface WorkEstimate {
  events: number;
  parameter: string;
}

/**
 * The estimate from named terms, e.g. `workOf({ 'rate × duration': 4 * rate * T, inter: checks })`:
 * events is their sum; the parameter is the name of the largest term. A non-finite or negative
 * term makes the sum non-finite, which the budget check refuses.
 */
export function workOf(terms: Record<string, number>): WorkEstimate {
  let events = 0;
  let parameter = '';
  let largest = -Infinity;
  for (const [name, value] of Object.entries(terms)) {
    const v = value >= 0 ? value : NaN;
    events += v;
    if (!(v <= largest)) {
      largest = v;
      parameter = name;
    }
  }
  return { events: events, parameter: parameter };
}

/**
 * Open load: requests arriving at `rate` per second for `seconds`, each about `perRequest` kernel
 * events (an arrival, a service start and end, ...): perRequest × rate × seconds, named `name`
 * (default 'rate × duration'), plus any `extra` terms (e.g. periodic samples).
 */
export function openLoadWork(
  rate: number,
  seconds: number,
  perRequest: number,
  name = 'rate × duration',
  extra: Record<string, number> = {},
): WorkEstimate {
  return workOf({ [name]: perRequest * rate * seconds, ...extra });
}

/**
 * Closed load: `users` each cycling through a think time and a response, `cycle` = think +
 * response seconds, for `seconds`: users × seconds / cycle requests of `perRequest` events each
 * (the response-time law bounds the throughput by users / cycle), named `name`.
 */
export function closedLoadWork(
  users: number,
  seconds: number,
  cycle: number,
  perRequest: number,
  name = 'users × duration',
  extra: Record<string, number> = {},
): WorkEstimate {
  return workOf({ [name]: (perRequest * users * seconds) / cycle, ...extra });
}

/** A given number of requests (or customers, tuples...), `perRequest` events each: n × perRequest, named `name`. */
export function requestsWork(
  n: number,
  perRequest: number,
  name = 'requests',
  extra: Record<string, number> = {},
): WorkEstimate {
  return workOf({ [name]: perRequest * n, ...extra });
}
