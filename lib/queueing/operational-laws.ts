/**
 * Operational laws: relations between measured quantities that hold for any system in steady
 * state (flow balance), whatever the distributions.
 *
 *   Little's law                     L = X W
 *   Utilisation law                  U = X S / c   (per server; = X D for demand D = V S)
 *   Service demand law               D = U / X
 *   Forced flow law                  X_k = V_k X
 *   Interactive response time law    R = N / X - Z
 *
 * Source: Lazowska, Zahorjan, Graham and Sevcik, Quantitative System Performance (1984), chapter 3
 * (Little: J. D. C. Little, Operations Research 9(3), 1961; operational analysis: Denning and
 * Buzen, ACM Computing Surveys 10(3), 1978).
 */
import { ParameterError, requireNonNegative, requirePositive } from '../errors';
import { requireServerCount } from './validate';

export interface LittleResult {
  /** Mean number in the system. */
  readonly L: number;
  /** Throughput. */
  readonly X: number;
  /** Mean time in the system. */
  readonly W: number;
}

/** Little's law L = X W: give exactly two of L, X, W and get all three. */
export function littlesLaw(known: { L?: number; X?: number; W?: number }): LittleResult {
  const given = (['L', 'X', 'W'] as const).filter((k) => known[k] !== undefined);
  if (given.length !== 2) {
    throw new ParameterError(
      'L, X, W',
      known,
      'give exactly two of L (number), X (throughput), W (time)',
    );
  }
  if (known.L === undefined) {
    const X = requireNonNegative('X', known.X);
    const W = requireNonNegative('W', known.W);
    return { L: X * W, X, W };
  }
  const L = requireNonNegative('L', known.L);
  if (known.X === undefined) {
    const W = requirePositive('W', known.W);
    return { L, X: L / W, W };
  }
  const X = requirePositive('X', known.X);
  return { L, X, W: L / X };
}

/** Utilisation law U = X S / c: per-server utilisation from throughput and mean service time. */
export function utilisationLaw(X: number, S: number, c = 1): number {
  requireNonNegative('X', X);
  requireNonNegative('S', S);
  requireServerCount('c', c);
  return (X * S) / c;
}

/** Service demand law D = U / X: the total service a job needs at a resource, from measurements. */
export function serviceDemandLaw(U: number, X: number): number {
  requireNonNegative('U', U);
  requirePositive('X', X);
  return U / X;
}

/** Forced flow law X_k = V_k X: throughput at a resource visited V_k times per job. */
export function forcedFlowLaw(X: number, V: number): number {
  requireNonNegative('X', X);
  requireNonNegative('V', V);
  return V * X;
}

/**
 * Interactive response time law R = N / X - Z for N users with think time Z and throughput X.
 * Throws if N / X < Z (the measurements are inconsistent: the response time would be negative).
 */
export function interactiveResponseTime(N: number, X: number, Z: number): number {
  requirePositive('N', N);
  requirePositive('X', X);
  requireNonNegative('Z', Z);
  const R = N / X - Z;
  if (R < 0) throw new ParameterError('X', X, `must be <= N / Z = ${N / Z} (else R = N/X - Z < 0)`);
  return R;
}
