/**
 * Capacity planning for a closed interactive system: the most users N for which the mean response
 * time from exact MVA stays within a target, R(N) <= max.
 *
 * R(N) never decreases with N (Lazowska et al., QSP 1984, chapter 6), so MVA runs n = 1, 2, ... and
 * stops at the first n with R(n) > max; it must stop by n = (max + Z) / max_k(D_k / c_k) + 1
 * because R(n) >= n max_k(D_k / c_k) - Z (asymptotic bound).
 */
import { requireQuantity } from './validate';
import { ParameterError, requirePositive } from '../errors';
import { runSingleClassMva } from './mva';
import { MAX_MVA_USERS, MAX_MVA_WORK } from './mva';
import { normaliseStations, type MvaStation } from './mva-stations';

export interface MaxUsersForParams {
  readonly stations: readonly MvaStation[];
  /** Think time Z (default 0). */
  readonly thinkTime?: number;
  /** The response-time target (excluding think time). */
  readonly maxResponseTime: number;
}

export interface MaxUsersForResult {
  /** The most users meeting the target. */
  readonly N: number;
  /** Response time at N. */
  readonly responseTime: number;
  /** Throughput at N. */
  readonly throughput: number;
  /** Response time with one more user (the first to miss the target). */
  readonly nextResponseTime: number;
}

/** The most users N with MVA response time R(N) <= maxResponseTime. */
export function maxUsersFor(params: MaxUsersForParams): MaxUsersForResult {
  const st = normaliseStations(params.stations);
  const Z = requireQuantity('thinkTime', params.thinkTime ?? 0);
  const max = requirePositive('maxResponseTime', params.maxResponseTime);
  let bottleneck = 0;
  let D = 0;
  for (let k = 0; k < st.count; k++) {
    D += st.demands[k];
    if (!st.isDelay[k]) bottleneck = Math.max(bottleneck, st.demands[k] / st.servers[k]);
  }
  if (!(bottleneck > 0)) {
    throw new ParameterError(
      'stations',
      params.stations,
      'need a queueing station with demand > 0 (else R(N) = D for every N)',
    );
  }
  if (D > max)
    throw new ParameterError(
      'maxResponseTime',
      max,
      `must be >= ${D}, the response time of a single user (sum of demands)`,
    );
  const limit = Math.ceil((max + Z) / bottleneck) + 2;
  // bounded time (issue 23): the search runs exact MVA up to `limit` users
  if (!(limit * st.count <= MAX_MVA_WORK && limit <= MAX_MVA_USERS)) {
    throw new ParameterError(
      'maxResponseTime',
      max,
      `with thinkTime ${Z} needs exact MVA up to ${limit} users, beyond its domain (users <= ${MAX_MVA_USERS}, users × stations <= ${MAX_MVA_WORK}); the answer is near (R + Z) / Dmax = ${(max + Z) / bottleneck}`,
    );
  }
  let last = { n: 0, X: 0, R: 0 };
  let next = 0;
  runSingleClassMva(st, limit, Z, (n, X, R) => {
    if (R > max) {
      next = R;
      return false;
    }
    last = { n, X, R };
    return true;
  });
  return { N: last.n, responseTime: last.R, throughput: last.X, nextResponseTime: next };
}
