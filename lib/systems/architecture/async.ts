/**
 * The analytic side of an architecture's asynchronous work through Kafka (types.ts `kafka`): the
 * load on the topic and its consumer group, and the produce latency a write waits for when the
 * acknowledgement is on the response path.
 *
 * - Records: every write publishes `recordsPerWrite` records, λ_rec = X · (1 − s)(1 − r) · k per
 *   datacenter (X its throughput, s the static share, r the read share). Keys are uniform, so
 *   Kafka's default partitioner (murmur2 of the key mod P) gives each partition λ_rec / P.
 * - The group: min(m, P) members own partitions (the rest idle); Kafka's default assignor for one
 *   topic (RangeAssignor, KIP-429's cooperative-sticky gives the same counts) gives the first
 *   P mod m' members ⌈P/m'⌉ partitions and the others ⌊P/m'⌋. A member is one consumer thread
 *   processing records one at a time (mean S = processingTime): its utilisation is
 *   ρ = partitions · λ_rec / P · S; the lag is stable iff the busiest member's ρ < 1, and grows at
 *   Σ_members max(0, partitions · λ_rec / P − 1/S) records/s otherwise (lab 09's
 *   λ − min(C, P)·μ, per member).
 * - Produce latency (lab 09's produceLatencyTheory, lib/labs/lab09/produce-latency.ts): the
 *   linger wait of a Poisson stream of rate λ_p = λ_rec / P per partition in a batch that closes
 *   `linger.ms` = L after its first record, L(1 + λ_p L/2)/(1 + λ_p L), plus the round trips of
 *   acks: 0 none, 1 one (2d), all two (4d: the follower's fetch reports the record), d the
 *   one-way network delay. An approximation (the batch does not fill; a follower in mid-fetch
 *   adds up to 2d more).
 */
import type { Architecture, KafkaSpec } from './types';

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
  const hi = Math.ceil(P / m);
  const lo = Math.floor(P / m);
  const nHi = P - lo * m; // members with ⌈P/m⌉ partitions (all of them when m divides P: nHi = 0, hi = lo)
  const perPartition = rate / P;
  const busiest = (nHi > 0 ? hi : lo) * perPartition * S;
  const growth = nHi * Math.max(0, hi * perPartition - 1 / S) + (m - nHi) * Math.max(0, lo * perPartition - 1 / S);
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
