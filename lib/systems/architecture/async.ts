/**
 * The analytic side of an architecture's asynchronous work through Kafka (types.ts `kafka`): the
 * load on the topic and its consumer group, and the produce latency a write waits for when the
 * acknowledgement is on the response path.
 *
 * - Records: every write publishes `recordsPerWrite` records, λ_rec = X · (1 − s)(1 − r) · k per
 *   datacenter (X its throughput, s the static share, r the read share), each with one of
 *   KAFKA_KEYS uniform keys `key-<i>`; Kafka's default partitioner puts key i on partition
 *   murmur2(key) mod P (lib/systems/kafka/murmur2.ts), so partition p gets the share w_p of the
 *   keys it holds (about 1/P; the exact shares are computed, not assumed).
 * - The group: min(m, P) members own partitions (the rest idle); Kafka's default assignor
 *   (RangeAssignor: contiguous ranges, the first P mod m' members one partition more) gives member
 *   i the load λ_i = λ_rec Σ_{p of i} w_p. A member is one consumer thread processing records one
 *   at a time (mean S = processingTime): its utilisation is ρ_i = λ_i S; the lag is stable iff the
 *   busiest member's ρ < 1, and grows at Σ_i max(0, λ_i − 1/S) records/s otherwise (lab 09's
 *   λ − min(C, P)·μ, per member).
 * - Produce latency (lab 09's produceLatencyTheory, lib/labs/lab09/produce-latency.ts): the
 *   linger wait of a Poisson stream of rate λ_p = λ_rec / P per partition in a batch that closes
 *   `linger.ms` = L after its first record, L(1 + λ_p L/2)/(1 + λ_p L), plus the round trips of
 *   acks: 0 none, 1 one (2d), all two (4d: the follower's fetch reports the record), d the
 *   one-way network delay. An approximation (the batch does not fill; a follower in mid-fetch
 *   adds up to 2d more).
 */
import { partitionForKey } from '../kafka/murmur2';
import type { Architecture, KafkaSpec } from './types';

/** Keys the writes' records carry (uniform): enough that murmur2 spreads them nearly evenly over the partitions. */
export const KAFKA_KEYS = 4096;

const shareMemo = new Map<number, Float64Array>();

/** Share of the KAFKA_KEYS keys on each of P partitions (Kafka's default partitioner). */
export function partitionShares(P: number): Float64Array {
  let w = shareMemo.get(P);
  if (w === undefined) {
    w = new Float64Array(P);
    for (let i = 0; i < KAFKA_KEYS; i++) w[partitionForKey(`key-${i}`, P)] += 1 / KAFKA_KEYS;
    shareMemo.set(P, w);
  }
  return w;
}

export interface KafkaEvaluation {
  /** Records published per second, per datacenter. */
  recordRate: number;
  /** Members that own partitions: min(members, partitions). */
  activeMembers: number;
  /** Utilisation of the busiest member, and the mean over active members. */
  utilisation: number;
  meanUtilisation: number;
  /** The consumer lag stays bounded (busiest member's utilisation < 1). */
  stable: boolean;
  /** Growth of the lag, records/s per datacenter (0 when stable). */
  lagGrowth: number;
  /** Mean produce latency (s). */
  produceLatency: number;
  /** Produce latency on the response path (s): produceLatency with awaitAck, else 0. */
  responseDelay: number;
}

/** Mean produce latency (s) at `recordRate` records/s over the topic's partitions. */
export function produceLatencyOf(k: KafkaSpec, recordRate: number): number {
  const L = k['linger.ms'] / 1000;
  const d = k.networkDelayMs / 1000;
  const lp = recordRate / k.partitions;
  const wait = L === 0 ? 0 : (L * (1 + (lp * L) / 2)) / (1 + lp * L);
  return wait + (k.acks === '0' ? 0 : k.acks === '1' ? 2 * d : 4 * d);
}

/** Writes per second of a datacenter with throughput `x` requests/s. */
export function writeRateOf(a: Architecture, x: number): number {
  return x * (1 - a.mix.static) * (1 - a.mix.reads);
}

/** The topic and group at a datacenter throughput of `x` requests/s (null without kafka). */
export function kafkaEvaluation(a: Architecture, x: number): KafkaEvaluation | null {
  const k = a.kafka;
  if (!k) return null;
  const rate = writeRateOf(a, x) * k.recordsPerWrite;
  const P = k.partitions;
  const m = Math.min(k.group.members, P);
  const S = k.group.processingTime;
  const lo = Math.floor(P / m);
  const extra = P - lo * m; // RangeAssignor: the first `extra` members get one partition more
  const w = partitionShares(P);
  let busiest = 0;
  let growth = 0;
  for (let i = 0, start = 0; i < m; i++) {
    const count = lo + (i < extra ? 1 : 0);
    let share = 0;
    for (let q = start; q < start + count; q++) share += w[q];
    start += count;
    const load = rate * share;
    busiest = Math.max(busiest, load * S);
    growth += Math.max(0, load - 1 / S);
  }
  const produce = produceLatencyOf(k, rate);
  return {
    recordRate: rate,
    activeMembers: m,
    utilisation: busiest,
    meanUtilisation: (rate * S) / m,
    stable: busiest < 1,
    lagGrowth: growth,
    produceLatency: produce,
    responseDelay: k.awaitAck ? produce : 0,
  };
}
