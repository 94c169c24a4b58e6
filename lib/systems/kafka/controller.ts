/**
 * The controller's share of a Kafka cluster: broker crashes and restarts, fencing, and clean or
 * unclean leader election.
 *
 * Semantics (KRaft; Kafka design docs §4.8 "Unclean leader election", KIP-101):
 * - A crashed broker stops serving at once; the controller fences it after
 *   `broker.session.timeout.ms` without a heartbeat: it leaves every ISR (never the last member),
 *   and each partition it led elects the first live ISR replica in assignment order.
 * - With no live ISR replica the partition stays offline until an ISR member returns, or, with
 *   `unclean.leader.election.enable`, takes the first live replica, losing what it lacked.
 * - A new leader starts a new leader epoch; its HW cannot exceed its log; followers (and a
 *   returning old leader) truncate to the epoch's start offset before fetching again.
 * - A broker restarted before the controller fenced it cannot register until it has: KRaft refuses
 *   the new incarnation's BrokerRegistrationRequest while the old session is valid
 *   (DuplicateBrokerRegistrationException, metadata ClusterControlManager.registerBroker), so the
 *   old incarnation is fenced first (out of every ISR, its partitions led elsewhere) and the
 *   restarted broker comes back as a follower that rejoins an ISR only once caught up. (Keeping its
 *   ISR places instead let a replica that could not fetch while its leader was down be elected
 *   "cleanly" with a stale log.)
 */
import { requireInteger } from '../../errors';
import type { KafkaCluster, Partition } from './cluster';
import type { ReplicaFetcher } from './replication';

export class Controller {
  private readonly crashCount: number[];
  private readonly fenced: boolean[];
  /** Per broker: a restart waits for the fence of its old incarnation (which then registers it). */
  private readonly restartWaiting: boolean[];
  private readonly hFence: number;

  constructor(
    private readonly cluster: KafkaCluster,
    private readonly fetcher: ReplicaFetcher,
  ) {
    this.crashCount = new Array(cluster.brokers).fill(0);
    this.fenced = new Array(cluster.brokers).fill(false);
    this.restartWaiting = new Array(cluster.brokers).fill(false);
    this.hFence = cluster.sim.handler((b) => this.fence(b), 'kafka.fenceBroker');
  }

  /** Crashes a broker now: it stops serving; the controller fences it after broker.session.timeout.ms. */
  crashBroker(broker: number): void {
    const c = this.cluster;
    requireInteger('broker', broker, 0, c.brokers - 1);
    if (!c.alive[broker]) {
      // the restarted process died again before it could register: still down, fenced as scheduled
      this.restartWaiting[broker] = false;
      return;
    }
    c.alive[broker] = false;
    this.crashCount[broker]++;
    this.fenced[broker] = false;
    for (const r of c.replicas) {
      if (r.broker !== broker) continue;
      if (r.parkEvent >= 0) c.sim.cancel(r.parkEvent);
      r.parkEvent = -1;
      if (r.backoffEvent >= 0) c.sim.cancel(r.backoffEvent);
      r.backoffEvent = -1;
      r.parked = false;
      r.fetching = false;
    }
    // pending acks=all requests on partitions it led are never answered (the producer times out)
    for (const t of c.topics.values())
      for (const p of t.partitions)
        if (p.leader >= 0 && p.replicas[p.leader].broker === broker) p.pendingAcks = [];
    c.sim.schedule(
      c.times.brokerSessionTimeout,
      this.hFence,
      broker * 65536 + (this.crashCount[broker] & 0xffff),
    );
  }

  /**
   * The controller fences a broker that missed its session: ISR removal and leader elections; a
   * restart that waited for this fence registers now.
   */
  private fence(arg: number): void {
    const c = this.cluster;
    const broker = Math.floor(arg / 65536);
    if (c.alive[broker] || (this.crashCount[broker] & 0xffff) !== arg % 65536) return;
    this.fenced[broker] = true;
    for (const t of c.topics.values()) {
      for (const p of t.partitions) {
        const idx = p.replicas.findIndex((r) => r.broker === broker);
        if (idx < 0) continue;
        if (p.isr.has(idx) && p.isr.size > 1) p.isr.delete(idx);
        if (p.leader === idx) this.elect(p);
      }
    }
    if (this.restartWaiting[broker]) {
      this.restartWaiting[broker] = false;
      this.register(broker);
    }
    c.recountOffline();
  }

  private elect(p: Partition): void {
    const c = this.cluster;
    const clean = p.replicas.findIndex((r, i) => p.isr.has(i) && c.alive[r.broker]);
    let chosen = clean;
    let unclean = false;
    if (chosen < 0 && p.topic.config['unclean.leader.election.enable']) {
      chosen = p.replicas.findIndex((r) => c.alive[r.broker]);
      unclean = chosen >= 0;
    }
    if (chosen < 0) {
      p.leader = -1; // offline until an ISR member returns
      return;
    }
    const r = p.replicas[chosen];
    p.leader = chosen;
    p.epoch++;
    p.epochStart.push(r.log.length);
    r.epoch = p.epoch;
    r.knownLeo = r.log.length;
    if (unclean) {
      p.isr = new Set([chosen]);
      c.stats.uncleanElections++;
    } else p.isr.add(chosen);
    c.stats.elections++;
    // the new leader's HW cannot exceed its log; followers report their LEO on their next fetch
    p.highWatermark = Math.min(p.highWatermark, r.log.length);
    for (const i of p.isr)
      if (i !== chosen) p.replicas[i].knownLeo = Math.min(p.replicas[i].knownLeo, p.highWatermark);
    for (const f of p.replicas) if (f !== r) this.fetcher.followNewLeader(f);
    this.fetcher.updateHighWatermark(p);
    this.fetcher.announceHighWatermark(p);
    c.announceLeadership(p);
  }

  /**
   * Restarts a crashed broker: its replicas follow (truncating by epoch) or, for an offline
   * partition, may lead. Before the controller has fenced the old incarnation (broker.session.timeout.ms
   * after the crash) it does not register: the fence registers it.
   */
  recoverBroker(broker: number): void {
    const c = this.cluster;
    requireInteger('broker', broker, 0, c.brokers - 1);
    if (c.alive[broker]) return;
    if (!this.fenced[broker]) this.restartWaiting[broker] = true;
    else this.register(broker);
  }

  private register(broker: number): void {
    const c = this.cluster;
    c.alive[broker] = true;
    this.crashCount[broker]++; // any fence event of the last crash is stale now
    for (const t of c.topics.values()) {
      for (const p of t.partitions) {
        const idx = p.replicas.findIndex((r) => r.broker === broker);
        if (idx < 0) continue;
        const r = p.replicas[idx];
        if (p.leader < 0 || !c.alive[p.replicas[p.leader].broker]) {
          if (p.leader >= 0) continue; // the old leader is down but not fenced yet: wait for the controller
          if (p.isr.has(idx) || p.topic.config['unclean.leader.election.enable']) this.elect(p);
          continue;
        }
        this.fetcher.startFetching(r);
      }
    }
  }
}
