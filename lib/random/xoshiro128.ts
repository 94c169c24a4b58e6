/**
 * xoshiro128** 1.1, the 32-bit all-purpose generator of Blackman & Vigna,
 * "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), 2021
 * (reference C code: https://prng.di.unimi.it/xoshiro128starstar.c).
 *
 * State: four 32-bit words (128 bits, never all zero). Period 2^128 - 1. Every operation is a
 * 32-bit one (shifts, xors, `Math.imul`), so JavaScript runs it without BigInt or doubles.
 *
 * ```
 * result = rotl(s1 * 5, 7) * 9;  t = s1 << 9;
 * s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
 * ```
 *
 * Doubles in [0, 1) take 53 random bits from two outputs (27 + 26 bits), as `(a >>> 5) * 2^26
 * + (b >>> 6)) / 2^53`, the same construction as `genrand_res53` of MT19937.
 */

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Starts from an explicit state (four 32-bit words, not all zero). Use {@link RandomStreams} to derive states from a seed. */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Next output as an unsigned 32-bit integer. */
  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /** Next output as a signed 32-bit integer (same bits as {@link nextUint32}). */
  nextInt32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits (two outputs). */
  next(): number {
    // two steps inlined: the hot path of every distribution
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    let m = Math.imul(s1, 5);
    const a = Math.imul((m << 7) | (m >>> 25), 9) >>> 5;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    m = Math.imul(s1, 5);
    const b = Math.imul((m << 7) | (m >>> 25), 9) >>> 6;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return (a * 67108864 + b) * 1.1102230246251565e-16; // 2^-53
  }

  /** Uniform double in (0, 1): never 0, so `Math.log(u)` is finite. */
  nextOpen(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return u;
  }

  /**
   * Uniform integer in [0, n). For n <= 2^21 Lemire's multiply-and-reject on one 32-bit output
   * (exactly unbiased: the product stays below 2^53); above that `floor(next() * n)`, whose bias
   * is below n / 2^53.
   */
  nextInt(n: number): number {
    if (n <= 2097152) {
      const threshold = (4294967296 - n) % n;
      for (;;) {
        const p = this.nextUint32() * n;
        if (p % 4294967296 >= threshold) return Math.floor(p / 4294967296);
      }
    }
    return Math.floor(this.next() * n);
  }

  /** A copy of the state, as four unsigned 32-bit words. */
  getState(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /** An independent copy that continues the same sequence. */
  clone(): Xoshiro128 {
    return new Xoshiro128(this.s0, this.s1, this.s2, this.s3);
  }

  /**
   * Advances the state by 2^64 steps (the reference `jump()`), giving 2^64 non-overlapping
   * subsequences of length 2^64.
   */
  jump(): void {
    const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
    let a = 0,
      b = 0,
      c = 0,
      d = 0;
    for (let i = 0; i < 4; i++) {
      for (let bit = 0; bit < 32; bit++) {
        if (JUMP[i] & (1 << bit)) {
          a ^= this.s0;
          b ^= this.s1;
          c ^= this.s2;
          d ^= this.s3;
        }
        this.nextInt32();
      }
    }
    this.s0 = a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
  }
}

/** What every distribution draws from: uniform doubles in [0, 1) and (0, 1). */
export type Rng = Xoshiro128;
