/**
 * One Kafka scenario as a component of the system contract (lib/systems/README.md): a cluster,
 * its topics, producers and consumer groups, built by `new KafkaSystem(sim, config)` on a
 * simulation it is handed, from one validated config (system-config.ts); broker failures through
 * the shared FailureProcess (one per broker, stream `broker<i>.failures`); every statistic
 * restarts on `sim.resetStatistics()`. `simulateKafka(config, { seed, duration, warmup })` runs one
 * replication through the shared runner and returns the summary (summary.ts).
 *
 * The clock is in seconds, like every system of the contract: `duration`, `warmup`, failures,
 * distributions and every summary time are seconds; Kafka's `*.ms` settings and the simulator's own
 * `...Ms` keys keep milliseconds and are converted once when the system is built.
 */
import type { Simulation } from '../../sim/simulation';
import { TimeSeries } from '../../sim/time-series';
import { FailureProcess } from '../common/failures';
import { measure } from '../common/runner';
import type { RunWindow } from '../common/runner';
import { KafkaCluster } from './cluster';
import { ConsumerGroup } from './consumer-group';
import { stalledPartitions, totalLagOf } from './group-lag';
import { Producer } from './producer';
import { summarizeKafka } from './summary';
import type { KafkaSummary } from './summary';
import { resolveKafkaConfig } from './system-config';
import type { KafkaConfig, KafkaGroupSpec, ResolvedKafkaConfig } from './system-config';

/** A group's sampled lag: total lag of its kind and stalled partitions, on one clock. */
export interface LagSeries {
  lag: TimeSeries;
  stalled: TimeSeries;
}

export class KafkaSystem {
  readonly config: ResolvedKafkaConfig;
  readonly cluster: KafkaCluster;
  readonly producers: Producer[];
  readonly groups: ConsumerGroup[];
  /** Broker b's failure process (crashes and restarts), or null when it never fails. */
  readonly brokerFailures: Array<FailureProcess | null>;
  /** Sampled lag per group (null without the group's `lag` option). */
  readonly lagSeries: Array<LagSeries | null>;
  /** Each group's backlog (records not yet processed) when statistics last restarted. */
  readonly backlogAtReset: number[];
  /** When statistics last restarted (s). */
  observedFrom: number;

  constructor(
    readonly sim: Simulation,
    config: KafkaConfig | ResolvedKafkaConfig,
  ) {
    const c = resolveKafkaConfig(config);
    this.config = c;
    this.cluster = new KafkaCluster(sim, {
      brokers: c.brokers,
      broker: c.broker,
      networkDelayMs: c.networkDelayMs,
    });
    for (const { name, ...settings } of c.topics) this.cluster.createTopic(name, settings);
    this.producers = c.producers.map((p) => new Producer(this.cluster, p));
    this.groups = c.groups.map((g) => new ConsumerGroup(this.cluster, g));
    this.brokerFailures = c.brokerFailures.map((spec, b) => {
      const s =
        c.brokersRestoredAt !== Infinity && spec.restoredAt === Infinity
          ? { ...spec, restoredAt: c.brokersRestoredAt }
          : spec;
      return s.outages.length > 0 || s.timeToFailure !== null
        ? new FailureProcess(sim, this.cluster.broker(b), s, { name: `broker${b}` })
        : null;
    });
    this.lagSeries = c.groups.map((g, i) => this.sampleLag(g, this.groups[i]));
    c.groups.forEach((g, i) => this.scheduleMembership(g, this.groups[i]));
    this.observedFrom = sim.now;
    this.backlogAtReset = this.groups.map((g) => g.totalBacklog());
    sim.onReset(() => {
      this.observedFrom = sim.now;
      this.groups.forEach((g, i) => (this.backlogAtReset[i] = g.totalBacklog()));
    });
  }

  /** The producer named `name`. */
  producer(name: string): Producer {
    const i = this.config.producers.findIndex((p) => p.name === name);
    if (i < 0)
      throw new RangeError(
        `no producer named ${name} (have ${this.config.producers.map((p) => p.name).join(', ')})`,
      );
    return this.producers[i];
  }

  /** The consumer group `groupId`. */
  group(groupId: string): ConsumerGroup {
    const g = this.groups.find((x) => x.groupId === groupId);
    if (!g)
      throw new RangeError(
        `no group ${groupId} (have ${this.groups.map((x) => x.groupId).join(', ')})`,
      );
    return g;
  }

  /** Everything measured since start or the last statistics reset. */
  summary(): KafkaSummary {
    return summarizeKafka(this);
  }

  private sampleLag(spec: KafkaGroupSpec, g: ConsumerGroup): LagSeries | null {
    if (spec.lag === undefined) return null;
    const kind = spec.lag.kind ?? 'backlog';
    const interval = spec.lag.intervalMs / 1000;
    return {
      lag: new TimeSeries(this.sim, () => totalLagOf(g, kind), { interval }),
      stalled: new TimeSeries(this.sim, () => stalledPartitions(g), { interval }),
    };
  }

  private scheduleMembership(spec: KafkaGroupSpec, g: ConsumerGroup): void {
    const changes = spec.membership ?? [];
    if (changes.length === 0) return;
    const h = this.sim.handler((j) => {
      const m = changes[j];
      if (m.action === 'join') g.addMember();
      else if (m.action === 'leave') g.leave(m.member ?? g.members.length - 1);
      else g.crash(m.member ?? g.members.length - 1);
    }, `group.${g.groupId}.membership`);
    changes.forEach((m, j) => this.sim.scheduleAt(Math.max(this.sim.now, m.atMs / 1000), h, j));
  }
}

/**
 * One replication of a Kafka scenario: `warmup` seconds discarded (statistics restart), then
 * `duration` seconds measured; the summary of the measured window.
 */
export function simulateKafka(config: KafkaConfig, options: RunWindow): KafkaSummary {
  const resolved = resolveKafkaConfig(config);
  return measure((sim) => new KafkaSystem(sim, resolved), options).system.summary();
}
