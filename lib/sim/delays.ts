/**
 * Checks a distribution meant as a delay (an inter-arrival, think or service time) before a run:
 * it must be a Distribution, its support must be >= 0 where it says so (`min`), and where a
 * positive delay is required its mean must be > 0 — a non-negative distribution of mean 0 can only
 * return 0, and a source or population of zero delays never lets the clock move (issue 23).
 */
import { ParameterError } from '../errors';
import type { Distribution } from '../random/distribution';

export function requireDelayDistribution(
  parameter: string,
  dist: unknown,
  { positive = true }: { positive?: boolean } = {},
): Distribution {
  const d = dist as Distribution;
  if (d == null || typeof d !== 'object' || typeof d.sample !== 'function')
    throw new ParameterError(parameter, dist, 'must be a Distribution');
  const label = typeof d.label === 'string' ? d.label : 'distribution';
  if (typeof d.min === 'number' && d.min < 0) {
    throw new ParameterError(
      parameter,
      label,
      `must be a distribution of durations (values >= 0), but its smallest value is ${d.min}`,
    );
  }
  if (positive && !(d.mean > 0)) {
    throw new ParameterError(
      parameter,
      label,
      `must have a mean > 0 (got ${d.mean}): a delay that is always 0 never lets simulated time advance`,
    );
  }
  return d;
}
