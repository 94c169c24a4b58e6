/**
 * How the parts of a replication cluster reach one another: each part (primary, replicas,
 * read-your-writes, failover) is built with the shared state, the statistics and this table,
 * filled in once every part exists, so no part depends on the cluster class or on the order the
 * others were built in.
 */
import type { Simulation } from '../../sim/simulation';
import type { Failover } from './failover';
import type { Primary } from './primary';
import type { ReadYourWrites } from './read-your-writes';
import type { ProxySqlMonitor } from './proxysql';
import type { Replicas } from './replicas';
import type { ClusterState } from './state';
import type { ReplicationStats } from './statistics';
import type { WalWriter } from './wal-writer';

/** Where requests go once a part is done with them (the cluster's routing). */
export interface Routing {
  /** Serve `job` on `node`'s request station. */
  toNode(node: number, job: number): void;
  /** Serve `job` on the primary, or fail it when there is none. */
  toPrimary(job: number): void;
  /** The request failed: counted, and handed back to its client. */
  fail(job: number): void;
  /** The request is done: a closed client thinks again, an open one's job is freed. */
  finish(job: number): void;
}

export interface Parts {
  primary: Primary;
  replicas: Replicas;
  ryw: ReadYourWrites;
  failover: Failover;
  walWriter: WalWriter;
  proxysql: ProxySqlMonitor;
  routing: Routing;
}

/** A part of the cluster: the simulation, the shared state, the statistics and the other parts. */
export abstract class Part {
  protected readonly sim: Simulation;
  protected readonly state: ClusterState;
  protected readonly stats: ReplicationStats;
  protected readonly parts: Parts;

  constructor(state: ClusterState, stats: ReplicationStats, parts: Parts) {
    this.sim = state.sim;
    this.state = state;
    this.stats = stats;
    this.parts = parts;
  }
}
