// Oracles: Java's own values. String.hashCode and List.hashCode follow the JDK's documented formulas
// (java.lang.String, java.util.List); "polygenelubricants".hashCode() == Integer.MIN_VALUE is the
// well-known JDK value; new Random(42).nextInt() == -1170105035 (java.util.Random's LCG).
import {
  bytesHashCode,
  floorMod,
  javaHashCode,
  JavaRandom,
  listHashCode,
  stringHashCode,
} from '../../../lib/systems/storm/java-hash';
import { fieldsTaskIndex, partialKeyCandidates } from '../../../lib/systems/storm/groupings';

describe('Java hash codes (exact 32-bit arithmetic)', () => {
  it('String.hashCode', () => {
    expect(stringHashCode('')).toBe(0);
    expect(stringHashCode('a')).toBe(97);
    expect(stringHashCode('ab')).toBe(3105);
    expect(stringHashCode('hello')).toBe(99162322);
    expect(stringHashCode('Hello')).toBe(69609650);
    expect(stringHashCode('polygenelubricants')).toBe(-2147483648);
  });

  it('List.hashCode (Arrays.asList(values).hashCode()) and Integer/Boolean/Long', () => {
    expect(listHashCode([])).toBe(1);
    expect(listHashCode(['a'])).toBe(128);
    expect(listHashCode(['a', 'b'])).toBe(31 * 128 + 98);
    expect(listHashCode([7])).toBe(31 + 7);
    expect(javaHashCode(true)).toBe(1231);
    expect(javaHashCode(false)).toBe(1237);
    expect(javaHashCode(-5)).toBe(-5);
    expect(javaHashCode(2n ** 32n + 3n)).toBe(1 ^ 3);
    expect(javaHashCode(null)).toBe(0);
  });

  it('floorMod and Arrays.hashCode(byte[])', () => {
    expect(floorMod(-7, 3)).toBe(2);
    expect(floorMod(7, 3)).toBe(1);
    expect(floorMod(-2147483648, 12)).toBe(4); // -2^31 = -178956971·12 + 4
    expect(bytesHashCode(new Int8Array([]))).toBe(1);
    expect(bytesHashCode(new Int8Array([1, -1]))).toBe(31 * (31 + 1) - 1);
  });

  it('java.util.Random', () => {
    const r = new JavaRandom(42);
    expect(r.next(32)).toBe(-1170105035);
    expect(r.next(32)).toBe(234785527);
    const s = new JavaRandom(42);
    const xs = Array.from({ length: 1000 }, () => s.nextInt(12));
    expect(Math.min(...xs)).toBe(0);
    expect(Math.max(...xs)).toBe(11);
    expect(new JavaRandom(7).nextInt(16)).toBe(new JavaRandom(7).nextInt(16));
  });

  it("fields grouping's task index is floorMod(List.hashCode(selected), n): equal keys, one task", () => {
    expect(fieldsTaskIndex(['polygenelubricants'], 12)).toBe(floorMod(31 - 2147483648, 12));
    expect(fieldsTaskIndex(['hello'], 12)).toBe((31 + 99162322) % 12);
    for (const w of ['the', 'nation', 'storm'])
      expect(fieldsTaskIndex([w], 12)).toBe(fieldsTaskIndex([w], 12));
    const [a, b] = partialKeyCandidates(['the'], 12);
    expect(a).not.toBe(b);
    expect(partialKeyCandidates(['the'], 12)).toEqual([a, b]);
  });
});
