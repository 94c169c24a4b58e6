/**
 * Growing the typed-array tables of the kernel and the subsystems (event list, job table,
 * per-job and per-write arrays): a copy of `a` in a new array of `length` >= a.length, whose new
 * slots hold `fill`. Callers double `length`, so n insertions cost O(n) copying in total.
 */
export function grownFloat64(a: Float64Array, length: number, fill: number = 0): Float64Array {
  const b = new Float64Array(length);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

/** {@link grownFloat64} for an Int32Array. */
export function grownInt32(a: Int32Array, length: number, fill: number = 0): Int32Array {
  const b = new Int32Array(length);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

/** {@link grownFloat64} for a Uint8Array. */
export function grownUint8(a: Uint8Array, length: number, fill: number = 0): Uint8Array {
  const b = new Uint8Array(length);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}
