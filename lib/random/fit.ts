import { ParameterError, requirePositive } from '../errors';
import { Deterministic } from './deterministic';
import type { Distribution } from './distribution';
import { Erlang } from './erlang';
import { Exponential } from './exponential';
import { HyperExponential } from './hyperexponential';
import { Lognormal } from './lognormal';

/**
 * A distribution with a given mean and scv, the usual two-moment choice for service or
 * inter-arrival times: scv = 0 deterministic; 0 < scv < 1 Erlang-k with k = round(1/scv) (so the
 * scv is matched only when 1/scv is an integer); scv = 1 exponential; scv > 1 balanced-means
 * hyperexponential, or lognormal if `family: 'lognormal'` (any scv > 0).
 */
export function fitMeanScv(
  mean: number,
  scv: number,
  family: 'phase' | 'lognormal' = 'phase',
): Distribution {
  requirePositive('mean', mean);
  if (typeof scv !== 'number' || !Number.isFinite(scv) || scv < 0)
    throw new ParameterError('scv', scv, 'must be a finite number >= 0');
  if (scv === 0) return new Deterministic(mean);
  if (family === 'lognormal') return Lognormal.fit(mean, scv);
  if (scv === 1) return Exponential.withMean(mean);
  if (scv > 1) return HyperExponential.fit(mean, scv);
  return Erlang.withMean(Math.max(1, Math.round(1 / scv)), mean);
}
