/**
 * Levenberg-Marquardt nonlinear least squares for a handful of parameters with box bounds:
 * minimise sum_i r_i(p)^2 by damped Gauss-Newton steps
 *
 *   (J^T J + lambda diag(J^T J)) delta = -J^T r,   p <- clamp(p + delta, lower, upper)
 *
 * with a forward-difference Jacobian; lambda shrinks tenfold on an accepted step and grows tenfold on
 * a rejected one. Source: K. Levenberg (1944), D. W. Marquardt, "An algorithm for least-squares
 * estimation of nonlinear parameters", SIAM J. Appl. Math. 11(2), 1963; Nocedal and Wright,
 * Numerical Optimization (2006), chapter 10. Written here (about 80 lines) because the npm
 * package ml-levenberg-marquardt is ESM-only and has no bounds.
 */
import { solveLinearSystem } from './linear-solve';

export interface LeastSquaresProblem {
  /** Residuals r_i(p) for parameters p. */
  readonly residuals: (params: Float64Array) => Float64Array;
  readonly initial: readonly number[];
  readonly lower?: readonly number[];
  readonly upper?: readonly number[];
  readonly maxIterations?: number;
}

export interface LeastSquaresFit {
  readonly params: number[];
  /** Residual sum of squares at the solution. */
  readonly rss: number;
  readonly iterations: number;
  readonly converged: boolean;
}

const sumOfSquares = (r: Float64Array) => r.reduce((a, v) => a + v * v, 0);

/** Fits by Levenberg-Marquardt. Returns the best parameters found. */
export function levenbergMarquardt(problem: LeastSquaresProblem): LeastSquaresFit {
  const P = problem.initial.length;
  const lower = problem.lower ?? new Array<number>(P).fill(-Infinity);
  const upper = problem.upper ?? new Array<number>(P).fill(Infinity);
  const clamp = (v: number, j: number) => Math.min(upper[j], Math.max(lower[j], v));
  let p = Float64Array.from(problem.initial, clamp);
  let r = problem.residuals(p);
  let rss = sumOfSquares(r);
  let damping = 1e-3;
  const maxIterations = problem.maxIterations ?? 500;
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations && !converged; iterations++) {
    // Forward-difference Jacobian, stepping inward at an upper bound.
    const J: Float64Array[] = [];
    for (let j = 0; j < P; j++) {
      let h = 1e-7 * Math.max(Math.abs(p[j]), 1e-3);
      if (p[j] + h > upper[j]) h = -h;
      const q = Float64Array.from(p);
      q[j] += h;
      const rq = problem.residuals(q);
      J.push(rq.map((v, i) => (v - r[i]) / h));
    }
    const JtJ = Array.from({ length: P }, (_, a) =>
      Array.from({ length: P }, (_, b) => dot(J[a], J[b])),
    );
    const Jtr = Array.from({ length: P }, (_, a) => -dot(J[a], r));
    let accepted = false;
    while (!accepted && damping < 1e16) {
      const A = JtJ.map((row, a) =>
        row.map((v, b) => (a === b ? v + damping * Math.max(v, 1e-12) : v)),
      );
      const delta = solveLinearSystem(A, Jtr);
      if (!delta) {
        damping *= 10;
        continue;
      }
      const candidate = Float64Array.from(p, (v, j) => clamp(v + delta[j], j));
      const rc = problem.residuals(candidate);
      const rssc = sumOfSquares(rc);
      if (Number.isFinite(rssc) && rssc <= rss) {
        const stepSize = Math.max(
          ...Array.from(candidate, (v, j) => Math.abs(v - p[j]) / Math.max(Math.abs(p[j]), 1e-12)),
        );
        converged = rss - rssc <= 1e-15 * Math.max(rss, 1e-300) || stepSize < 1e-12;
        p = candidate;
        r = rc;
        rss = rssc;
        damping = Math.max(damping / 10, 1e-12);
        accepted = true;
      } else damping *= 10;
    }
    if (!accepted) converged = true; // no downhill step left: a (bounded) minimum
  }
  return { params: Array.from(p), rss, iterations, converged };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
