import { ParameterError } from '../errors';
import { Xoshiro128 } from './xoshiro128';

/**
 * MurmurHash3's 32-bit finaliser (fmix32, Appleby): a bijection on 32-bit words with full
 * avalanche.
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3 x86_32 over a sequence of 32-bit words, with a 32-bit seed. */
function murmur3Words(words: ArrayLike<number>, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < words.length; i++) {
    let k = Math.imul(words[i] | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= words.length * 4;
  return fmix32(h);
}

/** Checks a master seed: a safe non-negative integer (0 .. 2^53 - 1). */
export function requireSeed(parameter: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new ParameterError(parameter, seed, 'must be an integer in [0, 2^53 - 1]');
  }
  return seed;
}

/**
 * The xoshiro128** state for stream `name` under master `seed`: four independent MurmurHash3
 * hashes (different hash seeds) of the words (seed low 32 bits, seed high 21 bits, name's UTF-16
 * code units), then 16 outputs discarded. Depends only on (seed, name): adding or removing other
 * streams never changes it.
 */
export function deriveStream(seed: number, name: string): Xoshiro128 {
  requireSeed('seed', seed);
  const words = new Array<number>(name.length + 2);
  words[0] = seed % 4294967296;
  words[1] = Math.floor(seed / 4294967296);
  for (let i = 0; i < name.length; i++) words[i + 2] = name.charCodeAt(i);
  const rng = new Xoshiro128(
    murmur3Words(words, 0x243f6a88),
    murmur3Words(words, 0x85a308d3),
    murmur3Words(words, 0x13198a2e),
    murmur3Words(words, 0x03707344),
  );
  for (let i = 0; i < 16; i++) rng.nextInt32();
  return rng;
}

/** A 53-bit seed derived from `seed` and `name`: the first two draws of stream `name`. */
export function deriveSeed(seed: number, name: string): number {
  const rng = deriveStream(seed, name);
  return (rng.nextUint32() & 0x1fffff) * 4294967296 + rng.nextUint32();
}

/**
 * Named, independent random streams derived from one master seed (common random numbers).
 *
 * `streams.get('lb.arrivals')` always returns the same generator object for the same name, and
 * its sequence depends only on (seed, name): a component that draws from its own named stream
 * sees the same numbers whatever other components exist or how much they draw. Compare two
 * policies with the same seed and every arrival and service time is shared.
 *
 * Same seed, same numbers on every machine: the generator is pure 32-bit integer arithmetic.
 */
export class RandomStreams {
  readonly seed: number;
  private readonly cache = new Map<string, Xoshiro128>();

  constructor(seed: number = 1) {
    this.seed = requireSeed('seed', seed);
  }

  /** The stream called `name` (created on first use, then the same object). */
  get(name: string): Xoshiro128 {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ParameterError('name', name, 'must be a non-empty string');
    }
    let rng = this.cache.get(name);
    if (!rng) {
      rng = deriveStream(this.seed, name);
      this.cache.set(name, rng);
    }
    return rng;
  }

  /** A fresh generator for `name`, restarted from its first draw (not cached). */
  fresh(name: string): Xoshiro128 {
    return deriveStream(this.seed, name);
  }

  /** Names of the streams used so far. */
  names(): string[] {
    return [...this.cache.keys()];
  }

  /**
   * The master seed of replication `index` (0, 1, 2, ...) under this seed: a 53-bit hash of
   * (seed, index), so replications use unrelated, reproducible seeds.
   */
  static replicationSeed(seed: number, index: number): number {
    return deriveSeed(seed, `#replication:${index}`);
  }
}
