/**
 * Fits the Universal Scalability Law X(N) = gamma N / (1 + alpha (N - 1) + beta N (N - 1)) to
 * measured (N, X) points by nonlinear least squares on X, with alpha in [0, 1], beta >= 0, gamma > 0.
 *
 * Start: gamma from the smallest-N point (X / N), then alpha, beta from the linearised form
 * gamma N / X - 1 = alpha (N - 1) + beta N (N - 1) (Gunther, Guerrilla Capacity Planning, 2007,
 * chapter 5); then Levenberg-Marquardt on all three (as R `usl` refines with `nls`). Reports the
 * residual sum of squares, the residual standard error sqrt(RSS / (n - 3)) (as R's `nls`), RMSE and R^2.
 *
 * Checked against R `usl` `tests/coef.Rout.save` (`smoeding/usl`): alpha = beta = 0.02, gamma = 1.
 */
import { ParameterError, requireNonNegative, requirePositive } from '../errors';
import { levenbergMarquardt } from './levenberg-marquardt';
import { uslPeak } from './usl';

export interface ScalabilityPoint {
  /** Concurrency: users, threads, nodes (> 0). */
  readonly N: number;
  /** Measured throughput (>= 0). */
  readonly X: number;
}

export interface UslFit {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  /** N* = sqrt((1 - alpha) / beta); null when beta = 0. */
  readonly peakN: number | null;
  /** X(N*); null when beta = 0. */
  readonly peakX: number | null;
  /** Residual sum of squares. */
  readonly rss: number;
  /** Root mean squared residual sqrt(RSS / n). */
  readonly rmse: number;
  /** sqrt(RSS / (n - 3)); null with only 3 points. */
  readonly residualStandardError: number | null;
  /** Coefficient of determination 1 - RSS / TSS. */
  readonly rSquared: number;
  /** Number of points. */
  readonly points: number;
  readonly iterations: number;
}

/** Fits alpha, beta, gamma to at least 3 points with at least 3 distinct N. */
export function fitUsl(points: readonly ScalabilityPoint[]): UslFit {
  if (!Array.isArray(points) || points.length < 3) {
    throw new ParameterError(
      'points',
      points,
      'must be an array of at least 3 {N, X} measurements',
    );
  }
  const N = Float64Array.from(points, (p, i) => requirePositive(`points[${i}].N`, p?.N));
  const X = Float64Array.from(points, (p, i) => requireNonNegative(`points[${i}].X`, p?.X));
  if (new Set(N).size < 3)
    throw new ParameterError('points', points, 'must have at least 3 distinct values of N');
  const n = N.length;
  let first = 0;
  for (let i = 1; i < n; i++)
    if (N[i] < N[first] || (N[i] === N[first] && X[i] > X[first])) first = i;
  let gamma0 = X[first] / N[first];
  if (!(gamma0 > 0)) gamma0 = Math.max(...Array.from(X, (x, i) => x / N[i]), 1e-12);
  const [alpha0, beta0] = linearisedStart(N, X, gamma0);
  const model = (p: ArrayLike<number>, m: number) =>
    (p[2] * m) / (1 + p[0] * (m - 1) + p[1] * m * (m - 1));
  const residuals = (p: Float64Array) => Float64Array.from(N, (m, i) => X[i] - model(p, m));
  const problem = { residuals, lower: [0, 0, 1e-300], upper: [1, Infinity, Infinity] };
  const fits = [
    levenbergMarquardt({ ...problem, initial: [alpha0, beta0, gamma0] }),
    levenbergMarquardt({ ...problem, initial: [0.1, 0.001, gamma0] }),
  ];
  const best = fits[0].rss <= fits[1].rss ? fits[0] : fits[1];
  const [alpha, beta, gamma] = best.params;
  const mean = X.reduce((a, b) => a + b, 0) / n;
  const tss = X.reduce((a, x) => a + (x - mean) ** 2, 0);
  const safeAlpha = Math.min(alpha, 1 - 1e-15);
  const peak = uslPeak({ alpha: safeAlpha, beta, gamma });
  return {
    alpha,
    beta,
    gamma,
    peakN: peak.peakN,
    peakX: peak.peakX,
    rss: best.rss,
    rmse: Math.sqrt(best.rss / n),
    residualStandardError: n > 3 ? Math.sqrt(best.rss / (n - 3)) : null,
    rSquared: tss > 0 ? 1 - best.rss / tss : 1,
    points: n,
    iterations: best.iterations,
  };
}

/** Least squares for alpha, beta >= 0 in gamma N / X - 1 = alpha (N - 1) + beta N (N - 1). */
function linearisedStart(N: Float64Array, X: Float64Array, gamma: number): [number, number] {
  let saa = 0,
    sab = 0,
    sbb = 0,
    say = 0,
    sby = 0;
  for (let i = 0; i < N.length; i++) {
    if (!(X[i] > 0)) continue;
    const a = N[i] - 1;
    const b = N[i] * (N[i] - 1);
    const y = (gamma * N[i]) / X[i] - 1;
    saa += a * a;
    sab += a * b;
    sbb += b * b;
    say += a * y;
    sby += b * y;
  }
  const det = saa * sbb - sab * sab;
  let alpha = det !== 0 ? (say * sbb - sby * sab) / det : 0;
  let beta = det !== 0 ? (saa * sby - sab * say) / det : 0;
  if (alpha < 0 || beta < 0) {
    alpha = Math.max(0, alpha);
    beta = Math.max(0, beta);
  }
  return [Math.min(alpha, 0.99), beta];
}
