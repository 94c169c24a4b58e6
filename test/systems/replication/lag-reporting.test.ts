/**
 * Issue 16, point 16: the lag two ways, and read routing by lag as ProxySQL does it.
 *
 * Sources:
 * - mysql/mysql-server sql/rpl_replica.cc (SHOW REPLICA STATUS, `Seconds_Behind_Source`): when
 *   the applier (SQL) thread has executed everything the receiver (I/O) thread wrote to the relay
 *   log it reports 0 if the I/O thread is connected and NULL if not; otherwise
 *   time(0) − last_master_timestamp (the timestamp of the event being applied), in whole seconds,
 *   never below 0. So it is 0 whenever the applier is idle, however much is still on the wire.
 * - sysown/proxysql lib/MySQL_Monitor.cpp (replication-lag check every
 *   `mysql-monitor_replication_lag_interval`, default 10000 ms, reading Seconds_Behind_Master; NULL
 *   read as `mysql-monitor_slave_lag_when_null`, default 60) and lib/Base_HostGroups_Manager.cpp
 *   (replication_lag_action_inner: SHUNNED_REPLICATION_LAG after
 *   `mysql-monitor_replication_lag_count` readings above `max_replication_lag`, ONLINE again at the
 *   first reading at or under it).
 */
import { Deterministic, Exponential } from '../../../lib/random';
import { Simulation } from '../../../lib/sim/simulation';
import { ReplicationCluster, simulateReplication } from '../../../lib/systems/replication';
import type { ReplicationConfig } from '../../../lib/systems/replication';

describe('Seconds_Behind_Source as MySQL computes it, beside the true lag', () => {
  it('a link slower than the writes: the true lag grows, Seconds_Behind_Source is 0 whenever the applier is idle', () => {
    // 150 writes/s of 1000 bytes over a 100 kB/s link: the relay log fills at 100/s and the true
    // lag grows by 1/3 s a second; the applier (1000/s) is idle a fraction 1 − 100/1000 = 0.9 of the time
    // (the link spaces arrivals 10 ms apart: samples every 0.513 s fall at every phase of that grid)
    const { series } = simulateReplication(
      {
        replicas: 1,
        writeRate: 150,
        writeBytes: 1000,
        linkBandwidth: 100000,
        applyTime: new Exponential(1000),
        sampleInterval: 0.513,
      },
      { seed: 4, duration: 60 },
    );
    const { t, seconds, secondsBehindSource } = series;
    let zeros = 0;
    let n = 0;
    for (let i = 0; i < t.length; i++) {
      if (t[i] < 10) continue;
      n++;
      const L = seconds[0][i];
      const S = secondsBehindSource[0][i];
      expect(L).toBeGreaterThan(((t[i] * 50) / 150) * 0.8); // the true lag: (λ − B/bytes)/λ · t
      if (S === 0) zeros++;
      // busy: the event being applied is the oldest unapplied one, so S is ⌊t⌋ − ⌊commit⌋
      else expect(S === Math.floor(L) || S === Math.floor(L) + 1).toBe(true);
    }
    // idle fraction 0.9: a binomial of n samples, ±3.3 standard deviations
    const sd = Math.sqrt((0.9 * 0.1) / n);
    expect(Math.abs(zeros / n - 0.9)).toBeLessThan(3.3 * sd);
  });

  it('is NULL (NaN) while the replica is down, 0 once it has applied its relay log, and whole seconds', () => {
    const sim = new Simulation({ seed: 1 });
    const cluster = new ReplicationCluster(sim, {
      replicas: 1,
      writeRate: 150,
      applyTime: new Exponential(200),
      replicaCrashes: [{ replica: 1, at: 5, duration: 10 }],
    });
    sim.run({ until: 10 });
    expect(cluster.lagNow(1).secondsBehindSource).toBeNaN();
    sim.run({ until: 16 });
    // 1500 missed writes drain at 50/s: about 10 s behind, in whole seconds
    const now = cluster.lagNow(1);
    expect(Number.isInteger(now.secondsBehindSource)).toBe(true);
    expect(now.secondsBehindSource).toBeGreaterThan(8);
    expect(Math.abs(now.secondsBehindSource - now.seconds)).toBeLessThanOrEqual(1);
    cluster.stopClients();
    sim.run({ until: 80 });
    expect(cluster.lagNow(1)).toEqual({ seconds: 0, transactions: 0, secondsBehindSource: 0 });
  });
});

describe('ProxySQL max_replication_lag reads Seconds_Behind_Master every mysql-monitor_replication_lag_interval', () => {
  const cfg: ReplicationConfig = {
    replicas: 2,
    writeRate: 150,
    readRate: 300,
    sessions: 20,
    keys: 100,
    applyTime: new Exponential(200),
    max_replication_lag: 1,
  };
  const crash = { replicaCrashes: [{ replica: 2, at: 5, duration: 10 }] };

  it('default 10 s checks: a replica back 10 s behind gets reads (stale ones) until the next check, then none until a check finds it caught up', () => {
    const sim = new Simulation({ seed: 2 });
    const cluster = new ReplicationCluster(sim, { ...cfg, ...crash });
    sim.run({ until: 15 }); // the check at t = 10 found replica 2 down: its verdict (ONLINE) stands
    const a15 = cluster.stations[2].arrivals;
    const stale15 = cluster.summary().staleReads;
    sim.run({ until: 19.99 });
    expect(cluster.shunnedForLag(2)).toBe(false);
    expect(cluster.stations[2].arrivals - a15).toBeGreaterThan(300); // half of 300 reads/s for 5 s
    expect(cluster.summary().staleReads - stale15).toBeGreaterThan(100);
    sim.run({ until: 20.01 }); // the check at t = 20 reads about 15 s
    expect(cluster.shunnedForLag(2)).toBe(true);
    const a20 = cluster.stations[2].arrivals;
    sim.run({ until: 39.99 }); // 1500 writes drain at 50/s: still behind at the checks at 30 s
    expect(cluster.stations[2].arrivals).toBe(a20);
    sim.run({ until: 60.01 }); // caught up near t = 45; the check at 50 puts it ONLINE
    expect(cluster.shunnedForLag(2)).toBe(false);
    expect(cluster.stations[2].arrivals).toBeGreaterThan(a20);
    expect(cluster.summary().lagShuns).toBe(1);
  });

  it('mysql-monitor_replication_lag_count = 3: shunned at the third reading above the limit', () => {
    const sim = new Simulation({ seed: 2 });
    // back at 15.5, its relay log still holding what it had not applied at the crash: about 10 s behind at once
    const cluster = new ReplicationCluster(sim, {
      ...cfg,
      replicaCrashes: [{ replica: 2, at: 5, duration: 10.5 }],
      'mysql-monitor_replication_lag_interval': 1000,
      'mysql-monitor_replication_lag_count': 3,
    });
    sim.run({ until: 17.5 }); // readings at 16 and 17
    expect(cluster.shunnedForLag(2)).toBe(false);
    sim.run({ until: 18.5 }); // and 18
    expect(cluster.shunnedForLag(2)).toBe(true);
  });

  it('a NULL reading (the primary is gone) counts as mysql-monitor_slave_lag_when_null', () => {
    const run = (whenNull: number) => {
      const sim = new Simulation({ seed: 3 });
      const cluster = new ReplicationCluster(sim, {
        ...cfg,
        max_replication_lag: 30,
        'mysql-monitor_replication_lag_interval': 1000,
        'mysql-monitor_slave_lag_when_null': whenNull,
        primaryCrashAt: 5,
        detectionDelay: 100,
      });
      sim.run({ until: 8 });
      return cluster.shunnedForLag(1) && cluster.shunnedForLag(2);
    };
    expect(run(60)).toBe(true);
    expect(run(0)).toBe(false);
  });

  it('behind a slow link Seconds_Behind_Master is mostly 0, so ProxySQL keeps sending reads to a replica seconds behind', () => {
    const { summary, series } = simulateReplication(
      {
        replicas: 1,
        writeRate: 150,
        readRate: 200,
        keys: 10,
        linkBandwidth: 100000,
        applyTime: new Exponential(1000),
        max_replication_lag: 1,
        'mysql-monitor_replication_lag_interval': 1000,
      },
      { seed: 5, duration: 40, warmup: 10 },
    );
    expect(series.seconds[0][series.seconds[0].length - 1]).toBeGreaterThan(10); // the true lag
    expect(summary.replicaReads).toBeGreaterThan(0.5 * summary.readsCompleted); // mostly ONLINE
    expect(summary.staleReadRate).toBeGreaterThan(0.4);
    expect(summary.lagShuns).toBeGreaterThan(0); // the checks that land while the applier is busy
  });
});

describe('per-replica links', () => {
  it('a link latency per replica: each replica lags by its own link', () => {
    const { summary } = simulateReplication(
      {
        replicas: 2,
        writeRate: 50,
        applyTime: new Deterministic(0),
        linkLatency: [new Deterministic(0.03), new Deterministic(0.002)],
      },
      { seed: 1, duration: 10, warmup: 1 },
    );
    expect(summary.replicas[0].lag.mean).toBeCloseTo(0.03, 9);
    expect(summary.replicas[1].lag.mean).toBeCloseTo(0.002, 9);
  });
});
