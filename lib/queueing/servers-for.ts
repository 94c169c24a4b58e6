/**
 * Capacity planning, staffing: the fewest servers c such that an M/M/c with arrival rate lambda and
 * service rate mu meets a delay target (mean W or Wq, or a service level P(Wq <= t) >= p).
 *
 *   c* = min { c >= floor(lambda/mu) + 1 : target met by M/M/c(lambda, mu, c) }
 *
 * Every target is monotone in c (more servers never wait longer), so the search doubles then bisects
 * (`search.ts`): O(log c*) Erlang C evaluations of O(c) each. Source: the Erlang C staffing problem,
 * Cooper, Introduction to Queueing Theory (1981), chapter 3; Gans, Koole and Mandelbaum,
 * "Telephone call centers: tutorial, review, and research prospects", M&SOM 5(2), 2003.
 */
import { ParameterError } from '../errors';
import { checkTarget, describeTarget, meetsTarget, type DelayTarget } from './delay-target';
import { mmc, type MmcResult } from './mmc';
import { smallestIntegerWhere } from './search';
import { requireRate } from './validate';

export interface ServersForParams {
  readonly lambda: number;
  readonly mu: number;
  readonly target: DelayTarget;
}

export interface ServersForResult {
  /** The fewest servers meeting the target. */
  readonly c: number;
  readonly target: string;
  /** The M/M/c solution at c. */
  readonly queue: MmcResult;
}

/** The fewest servers c for the target. */
export function serversFor(params: ServersForParams): ServersForResult {
  const lambda = requireRate('lambda', params.lambda);
  const mu = requireRate('mu', params.mu);
  const target = checkTarget(params.target);
  if (target.percentile === undefined && target.metric === 'W' && !(target.max > 1 / mu)) {
    throw new ParameterError(
      'max',
      target.max,
      `must be > 1/mu = ${1 / mu} (the mean service time) for a mean-W target`,
    );
  }
  if (
    target.percentile !== undefined &&
    target.metric === 'W' &&
    !(Math.exp(-mu * target.max) < 1 - target.percentile)
  ) {
    throw new ParameterError(
      'max',
      target.max,
      `must be > ${-Math.log(1 - target.percentile) / mu} (the service time's own percentile)`,
    );
  }
  const start = Math.floor(lambda / mu) + 1;
  const c = smallestIntegerWhere((n) => meetsTarget(mmc({ lambda, mu, c: n }), target), start, 1e8);
  if (c === null)
    throw new ParameterError('target', params.target, 'cannot be met with up to 100000000 servers');
  return { c, target: describeTarget(target), queue: mmc({ lambda, mu, c }) };
}
