/**
 * Work estimates: the kernel events one replication of an experiment's point needs, computed from
 * its parameters before it runs, so that a run too large for the budget (`--max-events`, default
 * 1e8 events per replication) is refused at once with the parameter that drives it, instead of
 * running for minutes or growing without bound. An estimate is a sum of terms, each a product such
 * as rate × duration × events per request, or users × completions; the parameter named is the one
 * behind the largest term. The estimates aim at the right order (within a few times of the events
 * counted at the defaults; test/experiment/work-estimates.test.ts checks every experiment).
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
