/**
 * Kafka's built-in partitioner for records without a key (BuiltInPartitioner, KIP-480 and KIP-794,
 * Kafka ≥ 3.3): every unkeyed record goes to one "sticky" partition until `batch.size` bytes have
 * been produced to it, then a new partition is drawn uniformly over the partitions that have a
 * leader; with `partitioner.adaptive.partitioning.enable` (default true) the draw is weighted by
 * inverted queue sizes when some partition has batches waiting (see {@link adaptivePartitionWeights}). Unkeyed records therefore arrive in runs of about
 * `batch.size / recordBytes` per partition. Keyed records use {@link partitionForKey}.
 *
 * Simplification: Kafka may keep the sticky partition up to 2 × batch.size to align the switch
 * with a batch boundary; here the switch happens at the first record that reaches batch.size.
 */
import { ParameterError, requireInteger, requireNonNegative } from '../../errors';
import type { Rng } from '../../random/xoshiro128';

export class StickyPartitioner {
  private current = -1;
  private producedBytes = 0;
  /** Number of times a new sticky partition was drawn. */
  switches = 0;

  constructor(
    readonly numPartitions: number,
    readonly batchSize: number,
    private readonly rng: Rng,
  ) {
    requireInteger('numPartitions', numPartitions, 1);
    requireInteger('batch.size', batchSize, 0);
  }

  /**
   * The partition of the next unkeyed record of `recordBytes` bytes. `available(p)` says whether
   * partition p has a leader (default: all do); with none available, any partition is drawn.
   */
  partition(
    recordBytes: number,
    available?: (p: number) => boolean,
    queueSize?: (p: number) => number,
  ): number {
    requireNonNegative('recordBytes', recordBytes);
    if (
      this.current < 0 ||
      this.producedBytes >= this.batchSize ||
      (available && !available(this.current))
    )
      this.next(available, queueSize);
    this.producedBytes += recordBytes;
    return this.current;
  }

  /**
   * Draws the next sticky partition: uniform over the available ones, or, with `queueSize`
   * (adaptive partitioning: batches waiting per partition), weighted by max(q) + 1 − q_i.
   */
  private next(available?: (p: number) => boolean, queueSize?: (p: number) => number): void {
    const n = this.numPartitions;
    let candidates: number[] = [];
    if (available) for (let p = 0; p < n; p++) if (available(p)) candidates.push(p);
    if (candidates.length === 0) candidates = Array.from({ length: n }, (_, p) => p);
    let chosen = -1;
    if (queueSize) {
      const q = candidates.map((p) => queueSize(p));
      const max = Math.max(...q);
      if (max > 0) {
        const weights = q.map((x) => max + 1 - x);
        let u = this.rng.next() * weights.reduce((a, b) => a + b, 0);
        for (let i = 0; i < weights.length; i++) {
          u -= weights[i];
          if (u < 0) {
            chosen = candidates[i];
            break;
          }
        }
        if (chosen < 0) chosen = candidates[candidates.length - 1];
      }
    }
    this.current = chosen >= 0 ? chosen : candidates[this.rng.nextInt(candidates.length)];
    this.producedBytes = 0;
    this.switches++;
  }
}

/**
 * Adaptive partitioning weights (BuiltInPartitioner.updatePartitionLoadStats): with queue sizes
 * q_i (batches waiting per partition), weight_i = max(q) + 1 − q_i, and the next sticky partition
 * is drawn with probability weight_i / Σ weight. Example from the source: queues 0, 3, 1 give
 * weights 4, 1, 3, probabilities 4/8, 1/8, 3/8.
 */
export function adaptivePartitionWeights(queueSizes: readonly number[]): {
  weights: number[];
  probabilities: number[];
} {
  if (!Array.isArray(queueSizes) || queueSizes.length === 0)
    throw new ParameterError('queueSizes', queueSizes, 'must be a non-empty list of integers >= 0');
  queueSizes.forEach((q, i) => requireInteger(`queueSizes[${i}]`, q, 0));
  const max = Math.max(...queueSizes);
  const weights = queueSizes.map((q) => max + 1 - q);
  const total = weights.reduce((a, b) => a + b, 0);
  return { weights, probabilities: weights.map((w) => w / total) };
}
