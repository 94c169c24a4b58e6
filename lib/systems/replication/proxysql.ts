/**
 * Read routing by lag as ProxySQL does it (lib/MySQL_Monitor.cpp, the replication-lag check;
 * lib/Base_HostGroups_Manager.cpp, replication_lag_action_inner; ProxySQL docs "Global
 * variables"): every `mysql-monitor_replication_lag_interval` ms (default 10000) the monitor runs
 * SHOW SLAVE STATUS on each replica and reads `Seconds_Behind_Master` (MySQL's own computation,
 * state.ts: 0 while the applier has nothing in the relay log, whatever is on the wire), taking
 * `mysql-monitor_slave_lag_when_null` (60) when it is NULL. An ONLINE replica whose reading
 * exceeds `max_replication_lag` `mysql-monitor_replication_lag_count` (1) times in a row is
 * SHUNNED_REPLICATION_LAG; a shunned one whose reading is at or under it is ONLINE again.
 * Between checks ProxySQL routes on its last verdict, so a replica that falls behind keeps its
 * reads for up to one interval, and one that caught up waits for the next check.
 * A replica that is down answers no check (its verdict stands; the cluster skips down replicas).
 */
import { Part } from './parts';
import type { Parts } from './parts';
import type { ClusterState } from './state';
import type { ReplicationStats } from './statistics';

export class ProxySqlMonitor extends Part {
  /** Per node: 1 while SHUNNED_REPLICATION_LAG. */
  readonly shunned: Uint8Array;
  /** Per node: consecutive readings above max_replication_lag (cur_replication_lag_count). */
  private readonly over: Int32Array;
  /** Per node: the last Seconds_Behind_Master read (NaN: none yet or NULL). */
  readonly lastReading: Float64Array;
  private readonly checkH: number;

  constructor(state: ClusterState, stats: ReplicationStats, parts: Parts) {
    super(state, stats, parts);
    const n = state.nodeCount;
    this.shunned = new Uint8Array(n);
    this.over = new Int32Array(n);
    this.lastReading = new Float64Array(n).fill(NaN);
    this.checkH = state.sim.handler(() => this.check(), 'replication.proxysqlLagCheck');
    if (state.config.max_replication_lag > 0) state.sim.schedule(this.interval(), this.checkH);
  }

  private interval(): number {
    return this.state.config['mysql-monitor_replication_lag_interval'] / 1000;
  }

  /** One round of replication-lag checks over every replica. */
  private check(): void {
    const st = this.state;
    const c = st.config;
    const max = c.max_replication_lag;
    for (let r = 0; r < st.nodeCount; r++) {
      if (!st.isLiveReplica(r)) continue;
      const sbs = st.secondsBehindSource(r);
      this.lastReading[r] = sbs;
      const lag = sbs === sbs ? sbs : c['mysql-monitor_slave_lag_when_null'];
      if (this.shunned[r] === 0) {
        if (lag > max) {
          if (++this.over[r] >= c['mysql-monitor_replication_lag_count']) {
            this.shunned[r] = 1;
            this.stats.lagShuns++;
          }
        } else this.over[r] = 0;
      } else if (lag <= max) {
        this.shunned[r] = 0;
        this.over[r] = 0;
      }
    }
    this.sim.schedule(this.interval(), this.checkH);
  }
}
