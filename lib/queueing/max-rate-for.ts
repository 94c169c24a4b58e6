/**
 * Capacity planning, admission: the largest arrival rate lambda an M/M/c (service rate mu, c servers)
 * can take while meeting a delay target (mean W or Wq, or a percentile of either).
 *
 *   lambda* = sup { lambda in (0, c mu) : target met by M/M/c(lambda, mu, c) }
 *
 * W, Wq and their tails grow with lambda, so lambda* is found by bisection to 1e-12 relative.
 * Source: inverse of the M/M/c formulas in `mmc.ts` (Gross et al., Fundamentals of Queueing Theory,
 * 2008, chapter 2).
 */
import { ParameterError } from '../errors';
import { checkTarget, describeTarget, meetsTarget, type DelayTarget } from './delay-target';
import { mmc, type MmcResult } from './mmc';
import { largestValueWhere } from './search';
import { requireRate, requireServerCount } from './validate';

export interface MaxRateForParams {
  readonly mu: number;
  /** Servers (default 1). */
  readonly c?: number;
  readonly target: DelayTarget;
}

export interface MaxRateForResult {
  /** The largest arrival rate meeting the target. */
  readonly lambda: number;
  readonly target: string;
  /** The M/M/c solution at lambda. */
  readonly queue: MmcResult;
}

/** The largest arrival rate for the target. */
export function maxRateFor(params: MaxRateForParams): MaxRateForResult {
  const mu = requireRate('mu', params.mu);
  const c = requireServerCount('c', params.c ?? 1);
  const target = checkTarget(params.target);
  const capacity = c * mu;
  const ok = (lambda: number) => meetsTarget(mmc({ lambda, mu, c }), target);
  const lo = capacity * 1e-12;
  if (!ok(lo)) {
    throw new ParameterError(
      'max',
      target.max,
      `is unreachable even at zero load (${describeTarget(target)}; service alone takes mean 1/mu = ${1 / mu})`,
    );
  }
  const lambda = largestValueWhere(ok, lo, capacity * (1 - 1e-12));
  return { lambda, target: describeTarget(target), queue: mmc({ lambda, mu, c }) };
}
