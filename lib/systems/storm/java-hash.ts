/**
 * Java's hash codes, exactly (32-bit int arithmetic), so that task selection matches Storm's:
 * - `String.hashCode()`: h = Σ s[i]·31^(n−1−i) over UTF-16 code units, mod 2^32 (java.lang.String);
 * - `Integer.hashCode()` = the value; `Long.hashCode()` = (int)(v ^ (v >>> 32)); `Boolean`: 1231 / 1237;
 * - `List.hashCode()`: h = 1; h = 31·h + hash(e) for each element (java.util.List's contract,
 *   what `Arrays.asList(values).hashCode()` computes);
 * - `Math.floorMod(x, n)`: the non-negative remainder.
 *
 * Storm's fields grouping picks `targetTasks.get(Math.floorMod(Arrays.asList(selected).hashCode(),
 * numTasks))` (storm-client GrouperFactory.FieldsGrouper, TupleUtils.chooseTaskIndex). Also
 * `java.util.Random`'s 48-bit LCG, which PartialKeyGrouping seeds from the key's bytes.
 */

/** java.lang.String.hashCode(). */
export function stringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** A value's Java hashCode: strings as String, integers in int range as Integer, other numbers as Double. */
export function javaHashCode(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'string') return stringHashCode(v);
  if (typeof v === 'boolean') return v ? 1231 : 1237;
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v | 0;
    // Double.hashCode: bits ^ (bits >>> 32)
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, v);
    return (b.getInt32(0) ^ b.getInt32(4)) | 0;
  }
  if (typeof v === 'bigint') {
    // Long.hashCode
    const x = BigInt.asUintN(64, v);
    return Number(BigInt.asIntN(32, x ^ (x >> 32n)));
  }
  if (Array.isArray(v)) return listHashCode(v);
  return stringHashCode(String(v));
}

/** java.util.List.hashCode() of the values (Arrays.asList(values).hashCode()). */
export function listHashCode(values: readonly unknown[]): number {
  let h = 1;
  for (let i = 0; i < values.length; i++) h = (Math.imul(h, 31) + javaHashCode(values[i])) | 0;
  return h;
}

/** Math.floorMod(x, n) for n > 0. */
export function floorMod(x: number, n: number): number {
  const r = x % n;
  return r < 0 ? r + n : r;
}

/** java.util.Arrays.hashCode(byte[]) (bytes signed). */
export function bytesHashCode(bytes: Int8Array): number {
  let h = 1;
  for (let i = 0; i < bytes.length; i++) h = (Math.imul(h, 31) + bytes[i]) | 0;
  return h;
}

const MULT = 0x5deece66dn;
const MASK = (1n << 48n) - 1n;

/**
 * java.util.Random: seed scrambled by the multiplier, next(bits) = the LCG's high bits,
 * nextInt(bound) by rejection (the JDK's algorithm). BigInt: used once per key, outside hot paths.
 */
export class JavaRandom {
  private seed: bigint;

  constructor(seed: number | bigint) {
    this.seed = (BigInt.asUintN(64, BigInt(seed)) ^ MULT) & MASK;
  }

  next(bits: number): number {
    this.seed = (this.seed * MULT + 0xbn) & MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  nextInt(bound: number): number {
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    for (let u = r; u - (r = u % bound) + m > 2147483647 || u - r + m < 0; u = this.next(31));
    return r;
  }
}
