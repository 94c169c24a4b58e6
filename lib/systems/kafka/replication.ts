/**
 * Replication inside a Kafka cluster: followers fetch (pull) from their partition's leader, the
 * leader tracks each follower's log end offset (LEO) from its fetches, the high watermark (HW)
 * advances to the smallest LEO over the in-sync replicas and completes acks=all requests, and a
 * periodic check removes followers that fell behind from the ISR.
 *
 * Semantics (Kafka design docs §4.7–4.8, KIP-101; Replica.updateFetchState):
 * - A follower's fetch at offset o reports LEO o; a follower that fetched at the leader's LEO, or
 *   at the leader's LEO of its previous fetch, counts as caught up now (lastCaughtUpTime).
 * - A follower stays in the ISR while it caught up within `replica.lag.time.max.ms` (checked every
 *   half of it, as Kafka's isr-expiration task); it rejoins once its LEO reaches the HW. The last
 *   ISR member is never removed.
 * - A follower of an older leader epoch truncates to the start offset of the next epoch before it
 *   fetches (KIP-101): how acknowledged records are lost after an election.
 * - An empty fetch parks at the leader for up to `replica.fetch.wait.max.ms` (long poll) and is
 *   answered as soon as the leader appends; with no leader, it retries after
 *   `replica.fetch.backoff.ms`. An election restarts every follower's fetching at once (Kafka's
 *   makeFollower moves the partition to the fetcher of the new leader with a fresh fetch state,
 *   ReplicaFetcherManager.addFetcherForPartitions): a backoff left from the dead leader does not
 *   delay the new leader's replication.
 */
import type { ClusterListener, KafkaCluster, Partition, Replica } from './cluster';

export class ReplicaFetcher {
  private readonly hFetchArrive: number;
  private readonly hFetchResponse: number;
  private readonly hParkTimeout: number;
  private readonly hIsrCheck: number;

  constructor(
    private readonly cluster: KafkaCluster,
    private readonly listeners: readonly ClusterListener[],
  ) {
    const sim = cluster.sim;
    this.hFetchArrive = sim.handler((r) => this.fetchArrive(r), 'kafka.fetchArrive');
    this.hFetchResponse = sim.handler((r) => this.fetchResponse(r), 'kafka.fetchResponse');
    this.hParkTimeout = sim.handler((r) => this.parkTimeout(r), 'kafka.fetchWaitTimeout');
    this.hIsrCheck = sim.handler(() => this.isrCheck(), 'kafka.isrCheck');
  }

  /** Starts the periodic ISR shrink check (every replica.lag.time.max.ms / 2). */
  startIsrCheck(): void {
    this.cluster.sim.schedule(this.cluster.times.replicaLagTimeMax / 2, this.hIsrCheck);
  }

  /** Sends the follower's next fetch unless one is outstanding, it is paused or its broker is down. */
  startFetching(r: Replica): void {
    if (r.fetching || r.paused || !this.cluster.alive[r.broker]) return;
    r.fetching = true;
    this.cluster.sim.schedule(this.cluster.networkDelay, this.hFetchArrive, r.id);
  }

  /** A new leader was elected: the follower drops a pending backoff retry and fetches now. */
  followNewLeader(r: Replica): void {
    if (r.backoffEvent >= 0) {
      this.cluster.sim.cancel(r.backoffEvent);
      r.backoffEvent = -1;
      r.fetching = false;
    }
    this.startFetching(r);
  }

  /** A follower's fetch request reaches the leader. */
  private fetchArrive(id: number): void {
    const c = this.cluster;
    const r = c.replicas[id];
    const p = r.partition;
    r.backoffEvent = -1;
    if (!c.alive[r.broker]) {
      r.fetching = false;
      return;
    }
    const leader = c.leaderOf(p);
    if (!leader || leader === r) {
      // no leader (or this replica became the leader): retry after replica.fetch.backoff.ms
      r.fetching = false;
      if (leader !== r) {
        r.fetching = true;
        r.backoffEvent = c.sim.schedule(c.times.replicaFetchBackoff, this.hFetchArrive, r.id);
      }
      return;
    }
    // KIP-101: a follower of an older epoch truncates to where the next epoch started
    if (r.epoch < p.epoch) {
      let end = r.log.length;
      for (let e = r.epoch + 1; e <= p.epoch; e++) end = Math.min(end, p.epochStart[e]);
      if (end < r.log.length) {
        c.stats.truncatedRecords += r.log.length - end;
        r.log.length = end;
      }
      r.epoch = p.epoch;
    }
    const fetchOffset = r.log.length;
    const leo = leader.log.length;
    const now = c.sim.now;
    // Kafka's Replica.updateFetchState: caught up if it fetched at the leader's LEO, or at the LEO of its previous fetch
    if (fetchOffset >= leo) r.lastCaughtUp = now;
    else if (fetchOffset >= r.lastFetchLeaderLeo)
      r.lastCaughtUp = Math.max(r.lastCaughtUp, r.lastFetch);
    r.lastFetchLeaderLeo = leo;
    r.lastFetch = now;
    r.knownLeo = fetchOffset;
    const idx = p.replicas.indexOf(r);
    if (!p.isr.has(idx) && fetchOffset >= p.highWatermark && fetchOffset >= p.epochStart[p.epoch]) {
      p.isr.add(idx);
      c.stats.isrExpands++;
    }
    this.updateHighWatermark(p);
    if (leo > fetchOffset) this.respond(r, leader);
    else {
      r.parked = true;
      r.parkEvent = c.sim.schedule(c.times.replicaFetchWaitMax, this.hParkTimeout, r.id);
    }
  }

  private respond(r: Replica, leader: Replica): void {
    r.inFlight = leader.log.slice(r.log.length);
    r.inFlightFrom = r.log.length;
    r.inFlightEpoch = r.partition.epoch;
    this.cluster.sim.schedule(this.cluster.networkDelay, this.hFetchResponse, r.id);
  }

  /** The leader appended: a parked fetch is answered now. */
  answerParked(r: Replica): void {
    const c = this.cluster;
    r.parked = false;
    if (r.parkEvent >= 0) c.sim.cancel(r.parkEvent);
    r.parkEvent = -1;
    const leader = c.leaderOf(r.partition);
    if (!leader || !c.alive[r.broker]) {
      r.fetching = false;
      return;
    }
    this.respond(r, leader);
  }

  private parkTimeout(id: number): void {
    const r = this.cluster.replicas[id];
    r.parkEvent = -1;
    if (!r.parked) return;
    r.parked = false;
    r.inFlight = [];
    r.inFlightFrom = r.log.length;
    r.inFlightEpoch = r.partition.epoch;
    this.cluster.sim.schedule(this.cluster.networkDelay, this.hFetchResponse, r.id);
  }

  /** A fetch response reaches the follower: append, then fetch again. */
  private fetchResponse(id: number): void {
    const c = this.cluster;
    const r = c.replicas[id];
    r.fetching = false;
    if (!c.alive[r.broker]) return;
    if (r.paused) {
      r.inFlight = []; // cut off from the leader: the response never arrives
      return;
    }
    if (r.inFlightFrom === r.log.length && r.inFlightEpoch === r.partition.epoch)
      for (const x of r.inFlight) r.log.push(x);
    r.inFlight = [];
    if (r.partition.leader >= 0 && r.partition.replicas[r.partition.leader] === r) return;
    this.startFetching(r);
  }

  /** HW = min LEO over the ISR (the leader's own LEO and its followers' last fetch offsets); completes acks=all. */
  updateHighWatermark(p: Partition): void {
    const leader = this.cluster.leaderOf(p);
    if (!leader) return;
    let hw = leader.log.length;
    for (const i of p.isr) {
      const r = p.replicas[i];
      if (r !== leader) hw = Math.min(hw, r.knownLeo);
    }
    if (hw > p.highWatermark) {
      p.highWatermark = hw;
      this.completeAcks(p);
      this.announceHighWatermark(p);
    } else if (p.pendingAcks.length > 0) this.completeAcks(p);
  }

  /** Tells the listeners (consumer groups) that the partition's HW moved. */
  announceHighWatermark(p: Partition): void {
    for (const l of this.listeners) if (l.onHighWatermark) l.onHighWatermark(p);
  }

  /**
   * Answers the acks=all requests whose records are all below the HW now. As Kafka's
   * Partition.checkEnoughReplicasReachOffset (core/src/main/scala/kafka/cluster/Partition.scala):
   * once the HW reaches the request's offset it succeeds only if the ISR still has at least
   * `min.insync.replicas` members; otherwise the records were appended but the answer is
   * NOT_ENOUGH_REPLICAS_AFTER_APPEND (the producer retries; the retry is refused with
   * NOT_ENOUGH_REPLICAS while the ISR stays short). So acks=all with min.insync.replicas=2 never
   * acknowledges a record only the leader holds.
   */
  completeAcks(p: Partition): void {
    if (p.pendingAcks.length === 0) return;
    const keep: Partition['pendingAcks'] = [];
    const enough = p.isr.size >= p.topic.config['min.insync.replicas'];
    for (const a of p.pendingAcks) {
      if (a.until <= p.highWatermark)
        this.listeners[a.producer].onIsrAck?.(
          a.request,
          enough,
          enough ? undefined : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
        );
      else keep.push(a);
    }
    p.pendingAcks = keep;
  }

  /** Periodic ISR shrink (every replica.lag.time.max.ms / 2, as Kafka's isr-expiration task). */
  private isrCheck(): void {
    const c = this.cluster;
    const lagMax = c.times.replicaLagTimeMax;
    for (const t of c.topics.values()) {
      for (const p of t.partitions) {
        const leader = c.leaderOf(p);
        if (!leader) continue;
        for (const i of [...p.isr]) {
          const r = p.replicas[i];
          if (r === leader || p.isr.size <= 1) continue;
          if (c.sim.now - r.lastCaughtUp > lagMax) {
            p.isr.delete(i);
            c.stats.isrShrinks++;
          }
        }
        this.updateHighWatermark(p);
      }
    }
    c.sim.schedule(lagMax / 2, this.hIsrCheck);
  }
}
