import { ParameterError, UnstableSystemError, requireInRange } from '../errors';
import { studentTQuantile } from '../random/special';

/** A Student-t confidence interval for a mean. */
export interface ConfidenceInterval {
  mean: number;
  /** t_{1-(1-level)/2, n-1} s / sqrt(n). */
  halfWidth: number;
  lower: number;
  upper: number;
  /** Number of independent observations (replications or batches). */
  n: number;
  /** Sample standard deviation of the observations. */
  stdDev: number;
  level: number;
  /** halfWidth / |mean|. */
  relativeHalfWidth: number;
}

/**
 * Student-t confidence interval for the mean of n >= 2 independent, roughly normal observations
 * (replication means or batch means): mean +- t_{(1+level)/2, n-1} s/sqrt(n), with s the sample
 * standard deviation (Law, Simulation Modeling and Analysis, 5th ed., 4.5). The t quantile comes
 * from {@link studentTQuantile} (~1e-12 relative). Throws on non-finite values: an unstable run
 * must not be averaged in.
 */
export function confidenceInterval(
  values: ArrayLike<number>,
  level: number = 0.95,
): ConfidenceInterval {
  requireInRange('level', level, 0, 1, { minOpen: true, maxOpen: true });
  if (values == null || typeof values.length !== 'number' || values.length < 2) {
    throw new ParameterError('values', values, 'must hold at least 2 observations');
  }
  const n = values.length;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new ParameterError(
        `values[${i}]`,
        x,
        'must be a finite number (an unstable or empty run has no mean)',
      );
    const d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
  }
  const stdDev = Math.sqrt(m2 / (n - 1));
  const halfWidth = (studentTQuantile((1 + level) / 2, n - 1) * stdDev) / Math.sqrt(n);
  return {
    mean,
    halfWidth,
    lower: mean - halfWidth,
    upper: mean + halfWidth,
    n,
    stdDev,
    level,
    relativeHalfWidth: mean !== 0 ? halfWidth / Math.abs(mean) : Infinity,
  };
}

/**
 * Throws {@link UnstableSystemError} when an open system's utilisation rho = lambda E[S] / c is at
 * or above 1: such a queue has no steady state and any simulated "mean" only reflects the run
 * length. Returns rho otherwise.
 */
export function requireStableOpen(
  arrivalRate: number,
  meanService: number,
  servers: number = 1,
  detail: string = '',
): number {
  const rho = (arrivalRate * meanService) / servers;
  if (!(rho < 1))
    throw new UnstableSystemError(
      rho,
      detail || `lambda = ${arrivalRate}, E[S] = ${meanService}, c = ${servers}`,
    );
  return rho;
}
