/**
 * A response-time target for the capacity-planning inverses: a limit on the mean response time W or
 * wait Wq, or a percentile target P(metric <= max) >= percentile (a service level such as
 * "80 % of calls answered within 20 s": metric 'Wq', max 20, percentile 0.8).
 * Evaluated on M/M/c with the closed-form tails in `mmc.ts`.
 */
import { ParameterError, requireNonNegative, requirePositive } from '../errors';
import { responseTail, waitTail, type MmcResult } from './mmc';
import { requireOpenProbability } from './validate';

export interface DelayTarget {
  /** 'W' (response time, the default) or 'Wq' (wait in queue). */
  readonly metric?: 'W' | 'Wq';
  /** The limit on the mean, or the time t of the percentile target when `percentile` is given. */
  readonly max: number;
  /** Percentile level in (0, 1): then the target is P(metric > max) <= 1 - percentile. */
  readonly percentile?: number;
}

/** Validates a target and returns it with its defaults filled in. */
export function checkTarget(
  target: DelayTarget,
): Required<Pick<DelayTarget, 'metric' | 'max'>> & DelayTarget {
  if (target == null || typeof target !== 'object')
    throw new ParameterError('target', target, 'must be {metric?, max, percentile?}');
  const metric = target.metric ?? 'W';
  if (metric !== 'W' && metric !== 'Wq')
    throw new ParameterError('metric', metric, 'must be "W" or "Wq"');
  if (target.percentile !== undefined) {
    requireOpenProbability('percentile', target.percentile);
    requireNonNegative('max', target.max);
  } else requirePositive('max', target.max);
  return { ...target, metric, max: target.max };
}

/** The value the target constrains: the mean, or the tail probability P(metric > max). */
export function targetValue(q: MmcResult, target: DelayTarget): number {
  const metric = target.metric ?? 'W';
  if (target.percentile === undefined) return metric === 'W' ? q.W : q.Wq;
  return metric === 'W' ? responseTail(q, target.max) : waitTail(q, target.max);
}

/** True when the M/M/c result meets the target. */
export function meetsTarget(q: MmcResult, target: DelayTarget): boolean {
  const value = targetValue(q, target);
  return target.percentile === undefined ? value <= target.max : value <= 1 - target.percentile;
}

/** A one-line description, e.g. "p95 of W <= 0.5" or "mean Wq <= 0.1". */
export function describeTarget(target: DelayTarget): string {
  const metric = target.metric ?? 'W';
  if (target.percentile === undefined) return `mean ${metric} <= ${target.max}`;
  return `P(${metric} <= ${target.max}) >= ${target.percentile}`;
}
