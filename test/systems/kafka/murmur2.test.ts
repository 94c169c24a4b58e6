import {
  murmur2,
  toPositive,
  partitionForKey,
  StickyPartitioner,
  adaptivePartitionWeights,
} from '../../../lib/systems/kafka';
import { RandomStreams } from '../../../lib/random/streams';
import { ParameterError } from '../../../lib/errors';

// Oracle: apache/kafka clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java (testMurmur2),
// and the partition indices of BuiltInPartitioner.partitionForKey (toPositive(murmur2) % n), as listed in
// ../shared/reference/subsystems.md §4.2.
describe('murmur2 (Kafka Utils.murmur2)', () => {
  const vectors: Array<[string, number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  it.each(vectors)('murmur2(%s) = %d', (key, expected) => {
    expect(murmur2(key)).toBe(expected);
    expect(murmur2(new TextEncoder().encode(key))).toBe(expected);
  });

  it('gives the documented partitions', () => {
    expect(partitionForKey('foobar', 12)).toBe(6);
    expect(partitionForKey('foobar', 4)).toBe(2);
    expect(partitionForKey('abc', 4)).toBe(3);
    expect(partitionForKey('21', 8)).toBe(4);
  });

  it('toPositive masks the sign bit (not Math.abs)', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(2147483647);
    expect(toPositive(5)).toBe(5);
  });

  it('same key, same partition; modulo hashing remaps about N/(N+1) of keys from N to N+1 partitions', () => {
    let moved = 0;
    const keys = 20000;
    let unstable = 0;
    for (let k = 0; k < keys; k++) {
      const p6 = partitionForKey(`key-${k}`, 6);
      if (p6 !== partitionForKey(`key-${k}`, 6)) unstable++;
      if (p6 !== partitionForKey(`key-${k}`, 7)) moved++;
    }
    expect(unstable).toBe(0);
    // binomial: 6/7 ± 4 sd
    const p = 6 / 7;
    expect(Math.abs(moved / keys - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / keys));
  });

  it('rejects a bad partition count', () => {
    expect(() => partitionForKey('a', 0)).toThrow(ParameterError);
  });
});

describe('sticky partitioner (KIP-480 / KIP-794)', () => {
  it('sends unkeyed records in runs of batch.size / recordBytes to one partition', () => {
    const sp = new StickyPartitioner(6, 16384, new RandomStreams(3).get('sticky'));
    const parts: number[] = [];
    for (let i = 0; i < 1600; i++) parts.push(sp.partition(1024));
    // a switch happens exactly every 16 records of 1024 bytes (16 x 1024 = batch.size)
    for (let i = 0; i < parts.length; i += 16) expect(new Set(parts.slice(i, i + 16)).size).toBe(1);
    expect(sp.switches).toBe(100);
    // and partitions are drawn uniformly (all used)
    expect(new Set(parts).size).toBe(6);
  });

  it('skips partitions without a leader', () => {
    const sp = new StickyPartitioner(4, 100, new RandomStreams(1).get('s'));
    for (let i = 0; i < 400; i++) expect(sp.partition(50, (p) => p !== 2)).not.toBe(2);
  });

  it('adaptive weights: queues 0, 3, 1 give 4/8, 1/8, 3/8 (BuiltInPartitioner)', () => {
    const w = adaptivePartitionWeights([0, 3, 1]);
    expect(w.weights).toEqual([4, 1, 3]);
    expect(w.probabilities).toEqual([4 / 8, 1 / 8, 3 / 8]);
    expect(() => adaptivePartitionWeights([])).toThrow(ParameterError);
  });
});

describe('adaptive sticky partitioner', () => {
  it('draws the next partition with weights max(q) + 1 − q_i (queues 0, 3, 1 → 4/8, 1/8, 3/8)', () => {
    const sp = new StickyPartitioner(3, 100, new RandomStreams(5).get('adaptive'));
    const queues = [0, 3, 1];
    const counts = [0, 0, 0];
    const n = 8000;
    for (let i = 0; i < n; i++) counts[sp.partition(100, undefined, (p) => queues[p])]++;
    // each 100-byte record fills batch.size: one draw per record; binomial sd <= sqrt(0.25 / n), 4 sd
    [4 / 8, 1 / 8, 3 / 8].forEach((p, i) =>
      expect(Math.abs(counts[i] / n - p)).toBeLessThan(4 * Math.sqrt(0.25 / n)),
    );
  });
});
