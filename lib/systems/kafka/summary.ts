/**
 * What a Kafka scenario reports, since start or the last `sim.resetStatistics()`: per broker its
 * failures and availability, the cluster's elections and ISR changes, per topic the acknowledged
 * records no leader holds, per producer its counts, errors and produce latency, per group its
 * throughput, rebalances, lag growth, end-to-end latency, out-of-order deliveries and sampled lag.
 * Every time is in seconds (the clock's unit): latencies are the contract's LatencySummary in seconds;
 * rates are per second.
 *
 * `acknowledgedLost` looks at the logs as they are now (call it once leaders are settled).
 */
import type { LatencySummary } from '../common/latency';
import type { OverloadSummary } from '../common/overload';
import { growthTest } from '../../sim/overload';
import { outOfOrder, skipped } from './group-lag';
import type { OutOfOrder } from './group-lag';
import type { KafkaSystem } from './system';

export interface BrokerSummary {
  up: boolean;
  failures: number;
  /** Seconds down in the window. */
  downtime: number;
  availability: number;
}

export interface ProducerSummary {
  sent: number;
  acked: number;
  failed: number;
  requests: number;
  duplicatesAvoided: number;
  recordsWithErrors: number;
  /** Error responses by Kafka error code (each attempt counts). */
  errors: Record<string, number>;
  /** Acknowledged records per second. */
  throughput: number;
  /** Produce latency: acknowledgement − send() (s). */
  latency: LatencySummary;
}

export interface GroupSummary {
  processed: number;
  duplicates: number;
  rebalances: number;
  commits: number;
  commitFailures: number;
  pollTimeouts: number;
  expired: number;
  partitionsMoved: number;
  /** Records processed per second. */
  throughput: number;
  /** Members started so far, and those of them that processed nothing in the window. */
  members: number;
  idleMembers: number;
  /** Records produced and not yet processed, at the window's start and end, and its growth per second. */
  backlogStart: number;
  backlogEnd: number;
  lagGrowth: number;
  /**
   * The backlog grew without bound over the window: the kernel's growth test (lib/sim/overload.ts)
   * on G = backlogEnd − backlogStart against the records that arrived (processed + G) and those
   * processed; a group below its topic's produce rate.
   */
  overloaded: boolean;
  /** Records below the committed offsets the group never processed (at-most-once losses). */
  skipped: number;
  /** End-to-end latency: processing − send() (s), one per processing. */
  endToEnd: LatencySummary;
  /** Per subscribed topic: its partitions' backlog at the end and its records' end-to-end latency (the group's for a one-topic group). */
  topics: Record<string, { backlogEnd: number; endToEnd: LatencySummary }>;
  /** Out-of-order fractions (with `recordDeliveries`), else null. */
  outOfOrder: OutOfOrder | null;
  /** Sampled lag (with the group's `lag` option) from time 0 (a timeline, not reset): times (s), total lag, stalled partitions. */
  lagSeries: { t: number[]; lag: number[]; stalled: number[] } | null;
}

/** `overloaded`: some consumer group's backlog grew without bound (`overloadedAt`: `group <groupId>`). */
export interface KafkaSummary extends OverloadSummary {
  /** The observed window (s). */
  window: { start: number; end: number };
  brokers: BrokerSummary[];
  /** Elections, ISR changes, truncated records, and `offline`: partition-seconds without a reachable leader. */
  cluster: {
    elections: number;
    uncleanElections: number;
    isrShrinks: number;
    isrExpands: number;
    truncatedRecords: number;
    offline: number;
  };
  topics: Record<string, { partitions: number; acknowledgedLost: number }>;
  producers: Record<string, ProducerSummary>;
  groups: Record<string, GroupSummary>;
}

export function summarizeKafka(s: KafkaSystem): KafkaSummary {
  const now = s.sim.now;
  const seconds = now - s.observedFrom;
  const perSecond = (n: number): number => (seconds > 0 ? n / seconds : NaN);
  const brokers = s.brokerFailures.map((f) =>
    f === null
      ? { up: true, failures: 0, downtime: 0, availability: 1 }
      : { up: f.up, failures: f.failures, downtime: f.downtime, availability: f.availability },
  );
  const topics: KafkaSummary['topics'] = {};
  for (const t of s.cluster.topics.values())
    topics[t.name] = {
      partitions: t.partitions.length,
      acknowledgedLost: s.cluster.acknowledgedLost(t.name),
    };
  const producers: KafkaSummary['producers'] = {};
  s.producers.forEach((p, i) => {
    producers[s.config.producers[i].name as string] = {
      ...p.counts,
      errors: { ...p.errors },
      throughput: perSecond(p.counts.acked),
      latency: p.latencySummary(),
    };
  });
  const groups: KafkaSummary['groups'] = {};
  s.groups.forEach((g, i) => {
    const end = g.totalBacklog();
    const series = s.lagSeries[i];
    groups[g.groupId] = {
      ...g.stats,
      throughput: perSecond(g.stats.processed),
      members: g.members.length,
      idleMembers: g.members.filter((m) => m.processed === 0).length,
      backlogStart: s.backlogAtReset[i],
      backlogEnd: end,
      lagGrowth: perSecond(end - s.backlogAtReset[i]),
      overloaded: growthTest(
        end - s.backlogAtReset[i],
        g.stats.processed + end - s.backlogAtReset[i],
        g.stats.processed,
      ),
      skipped: skipped(g),
      endToEnd: g.endToEnd.summary(),
      topics: Object.fromEntries(
        g.topics.map((t) => [
          t.name,
          { backlogEnd: g.topicBacklog(t.name), endToEnd: g.endToEndOf(t.name).summary() },
        ]),
      ),
      outOfOrder: g.deliveries ? outOfOrder(g) : null,
      lagSeries: series
        ? {
            t: series.lag.times.slice(),
            lag: series.lag.values.slice(),
            stalled: series.stalled.values.slice(),
          }
        : null,
    };
  });
  const overloadedAt = Object.entries(groups)
    .filter(([, g]) => g.overloaded)
    .map(([id]) => `group ${id}`);
  return {
    overloaded: overloadedAt.length > 0,
    overloadedAt,
    window: { start: s.observedFrom, end: now },
    brokers,
    cluster: { ...s.cluster.stats, offline: s.cluster.offlineTime() },
    topics,
    producers,
    groups,
  };
}
