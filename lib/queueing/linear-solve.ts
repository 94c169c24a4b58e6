/**
 * Solves the dense linear system A x = b by Gaussian elimination with partial pivoting.
 * Used by the Jackson traffic equations and the Levenberg-Marquardt steps. O(n^3).
 * Returns null when A is singular to working precision.
 */

export function solveLinearSystem(
  matrix: ReadonlyArray<ArrayLike<number>>,
  rhs: ArrayLike<number>,
): Float64Array | null {
  const n = rhs.length;
  const a = matrix.map((row) => Float64Array.from(row));
  const b = Float64Array.from(rhs);
  let scale = 0;
  for (const row of a) for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(row[j]));
  const tiny = (scale || 1) * 1e-13;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) <= tiny) return null;
    if (pivot !== col) {
      [a[pivot], a[col]] = [a[col], a[pivot]];
      [b[pivot], b[col]] = [b[col], b[pivot]];
    }
    for (let r = col + 1; r < n; r++) {
      const f = a[r][col] / a[col][col];
      if (f === 0) continue;
      for (let j = col; j < n; j++) a[r][j] -= f * a[col][j];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < n; j++) s -= a[r][j] * x[j];
    x[r] = s / a[r][r];
  }
  return x;
}
