/**
 * Kafka's key hashing: `Utils.murmur2` (MurmurHash2, seed 0x9747b28c, 32-bit) and the default
 * partition of a keyed record, `toPositive(murmur2(keyBytes)) % numPartitions`
 * (BuiltInPartitioner.partitionForKey). Source: apache/kafka
 * clients/src/main/java/org/apache/kafka/common/utils/Utils.java and
 * clients/.../producer/internals/BuiltInPartitioner.java; test vectors in UtilsTest.testMurmur2.
 *
 * The hash is modulo the partition count, not consistent hashing: going from N to N+1 partitions
 * remaps about N/(N+1) of the keys, and per-key order across the change is lost.
 */
import { ParameterError, requireInteger } from '../../errors';

/** UTF-8 bytes of a string key (what Kafka's StringSerializer produces). */
export function utf8Bytes(key: string): Uint8Array {
  return new TextEncoder().encode(key);
}

/** MurmurHash2 as in Kafka's `Utils.murmur2`: a signed 32-bit integer. */
export function murmur2(data: Uint8Array | string): number {
  const bytes = typeof data === 'string' ? utf8Bytes(data) : data;
  if (!(bytes instanceof Uint8Array))
    throw new ParameterError('data', data, 'must be a Uint8Array or a string');
  const length = bytes.length;
  const m = 0x5bd1e995;
  const r = 24;
  let h = 0x9747b28c ^ length;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i << 2;
    let k =
      (bytes[i4] & 0xff) |
      ((bytes[i4 + 1] & 0xff) << 8) |
      ((bytes[i4 + 2] & 0xff) << 16) |
      ((bytes[i4 + 3] & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & 3;
  const base = length & ~3;
  if (tail === 3) h ^= (bytes[base + 2] & 0xff) << 16;
  if (tail >= 2) h ^= (bytes[base + 1] & 0xff) << 8;
  if (tail >= 1) {
    h ^= bytes[base] & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: `x & 0x7fffffff` (not Math.abs, which fails on -2^31). */
export function toPositive(x: number): number {
  return x & 0x7fffffff;
}

/** The partition Kafka's default partitioner gives a keyed record: `toPositive(murmur2(key)) % numPartitions`. */
export function partitionForKey(key: Uint8Array | string, numPartitions: number): number {
  requireInteger('numPartitions', numPartitions, 1);
  return toPositive(murmur2(key)) % numPartitions;
}
