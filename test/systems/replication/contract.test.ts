/**
 * The replication cluster on the systems' contract (issue 14, lib/systems/README.md): built on a
 * simulation it is handed, one run through `measure`, unknown keys at every level are typed errors
 * with a did-you-mean, latencies in the one LatencySummary shape, statistics that restart on
 * `sim.resetStatistics()`, faults through FailureProcess, and a crashed node that stops serving
 * (its station's jobs fail back at the crash, as a client of a dead MySQL/PostgreSQL replica gets
 * a connection error).
 */
import { ParameterError } from '../../../lib/errors';
import { Deterministic, Exponential } from '../../../lib/random';
import { Simulation } from '../../../lib/sim/simulation';
import { emptyLatency } from '../../../lib/systems/common/latency';
import {
  REPLICA_CRASH_KEYS,
  REPLICATION_CONFIG_KEYS,
  ReplicationCluster,
  WRITE_BURST_KEYS,
  nodeFailureSpecs,
  resolveReplicationConfig,
  simulateReplication,
} from '../../../lib/systems/replication';
import type { ReplicaCrash, ReplicationConfig, WriteBurst } from '../../../lib/systems/replication';

function errorOf(config: unknown): ParameterError {
  try {
    resolveReplicationConfig(config as ReplicationConfig);
  } catch (e) {
    expect(e).toBeInstanceOf(ParameterError);
    return e as ParameterError;
  }
  throw new Error('no error');
}

describe('configuration keys', () => {
  it.each([
    [{ replicas: 1, writeRte: 5 }, 'writeRte', 'writeRate'],
    [
      { replicas: 1, rpl_semi_sync_source_timeot: 5 },
      'rpl_semi_sync_source_timeot',
      'rpl_semi_sync_source_timeout',
    ],
    [
      { replicas: 1, mode: 'sync', synchronous_standby_names: { method: 'ANY', num: 1, nmu: 2 } },
      'synchronous_standby_names.nmu',
      'num',
    ],
    [{ replicas: 1, writeBurst: { start: 1, duration: 1, rat: 5 } }, 'writeBurst.rat', 'rate'],
    [
      {
        replicas: 2,
        replicaCrashes: [
          { replica: 1, at: 1, duration: 1 },
          { replica: 2, at: 1, durration: 2 },
        ],
      },
      'replicaCrashes[1].durration',
      'duration',
    ],
    [{ replicas: 2, replicaFailures: { mtff: 5, mttr: 1 } }, 'replicaFailures.mtff', 'mttf'],
    [
      { replicas: 2, replicaFailures: { outages: [{ at: 1, durtion: 1 }] } },
      'replicaFailures.outages[0].durtion',
      'duration',
    ],
  ])(
    'an unknown key is a ParameterError naming its path and the nearest known key (%#)',
    (config, parameter, near) => {
      const e = errorOf(config);
      expect(e.parameter).toBe(parameter);
      expect(e.message).toContain(`did you mean "${near}"?`);
    },
  );

  it('a config with every known key: the key lists are exactly the interfaces, and it resolves and runs', () => {
    // Required<>: the compiler insists on every key of the interfaces
    const burst: Required<WriteBurst> = { start: 1, duration: 1, rate: 50 };
    const crash: Required<ReplicaCrash> = { replica: 2, at: 0.5, duration: 0.5 };
    const every: Required<ReplicationConfig> = {
      replicas: 2,
      mode: 'sync',
      rpl_semi_sync_source_wait_for_replica_count: 1,
      rpl_semi_sync_source_timeout: 10000,
      rpl_semi_sync_master_timeout: 10000,
      rpl_semi_sync_source_wait_point: 'AFTER_SYNC',
      rpl_semi_sync_source_wait_no_replica: true,
      synchronous_commit: 'on',
      wal_writer_delay: 200,
      wal_writer_flush_after: 1048576,
      synchronous_standby_names: { method: 'ANY', num: 1 },
      clients: 'closed',
      name: 'replication',
      weights: [1, 1],
      discipline: 'fifo',
      writeRate: 100,
      readRate: 50,
      writeBurst: burst,
      sessions: 10,
      users: 20,
      thinkTime: 0.05,
      writeFraction: 0.3,
      keys: 100,
      keySkew: 0.8,
      servers: 4,
      commitTime: new Exponential(1000),
      readTime: new Exponential(500),
      applyTime: new Exponential(400),
      replica_parallel_workers: 2,
      linkLatency: new Deterministic(0.001),
      linkBandwidth: 1e7,
      writeBytes: 500,
      replicaFlushTime: new Deterministic(0.0002),
      readRouting: 'read-your-writes',
      rywMethod: 'wait-for-apply',
      rywWindow: 0.5,
      rywWaitTimeout: 0.2,
      max_replication_lag: 5,
      'mysql-monitor_replication_lag_interval': 1000,
      'mysql-monitor_replication_lag_count': 1,
      'mysql-monitor_slave_lag_when_null': 60,
      replicaCrashes: [crash],
      replicaFailures: { mttf: 30, mttr: 1 },
      primaryCrashAt: 1.5,
      detectionDelay: 0.2,
      sampleInterval: 0.5,
    };
    expect(Object.keys(every).sort()).toEqual([...REPLICATION_CONFIG_KEYS].sort());
    expect(Object.keys(burst).sort()).toEqual([...WRITE_BURST_KEYS].sort());
    expect(Object.keys(crash).sort()).toEqual([...REPLICA_CRASH_KEYS].sort());
    // the old and new names of the semisync timeout are one knob: give one of them
    expect(errorOf(every).parameter).toBe('rpl_semi_sync_master_timeout');
    for (const drop of ['rpl_semi_sync_source_timeout', 'rpl_semi_sync_master_timeout'] as const) {
      const config = { ...every, [drop]: undefined };
      expect(() => resolveReplicationConfig(config)).not.toThrow();
      const { summary } = simulateReplication(config, { seed: 1, duration: 3 });
      expect(summary.writesAcknowledged).toBeGreaterThan(0);
      expect(summary.promoted).toBeGreaterThan(0);
    }
  });
});

describe('the contract', () => {
  const config: ReplicationConfig = {
    replicas: 2,
    writeRate: 150,
    readRate: 200,
    applyTime: new Exponential(200),
  };

  it('simulateReplication is the cluster built on a simulation, warmed up, reset and measured', () => {
    const run = simulateReplication(config, { seed: 5, duration: 10, warmup: 2 });
    const sim = new Simulation({ seed: 5 });
    const cluster = new ReplicationCluster(sim, config);
    sim.run({ until: 2 });
    sim.resetStatistics();
    sim.run({ until: 12 });
    expect(cluster.summary()).toEqual(run.summary);
    expect(cluster.lagSeries).toEqual(run.series);
    expect(simulateReplication(config, { seed: 5, duration: 10, warmup: 2 }).summary).toEqual(
      run.summary,
    );
    expect(() =>
      simulateReplication(config, { seed: 5, duration: 10, warmpu: 2 } as never),
    ).toThrow(/did you mean "warmup"/);
  });

  it('latencies are LatencySummary; statistics restart after the warm-up; the lag series is a timeline from 0', () => {
    const { summary, series } = simulateReplication(config, { seed: 6, duration: 20, warmup: 5 });
    const keys = Object.keys(emptyLatency()).sort();
    for (const l of [
      summary.writeLatency,
      summary.readLatency,
      summary.staleness,
      summary.lag,
      summary.replicas[0].lag,
    ])
      expect(Object.keys(l).sort()).toEqual(keys);
    expect(summary.elapsed).toBeCloseTo(20, 9);
    // Poisson(150 · 20) writes committed after the reset: 3000 ± 4 sd
    expect(Math.abs(summary.writesCommitted - 3000)).toBeLessThan(4 * Math.sqrt(3000));
    expect(summary.lag.count).toBe(summary.replicas[0].lag.count + summary.replicas[1].lag.count);
    expect(series.t[0]).toBe(0);
    expect(series.t.length).toBe(26); // 0, 1, ..., 25
    expect(series.nodes).toEqual([1, 2]);
  });

  it("replicaCrashes and primaryCrashAt are outages of each node's FailureProcess", () => {
    const c = {
      replicas: 2,
      replicaCrashes: [{ replica: 2, at: 4, duration: 3 }],
      primaryCrashAt: 10,
      detectionDelay: 1,
    };
    const sim = new Simulation({ seed: 1 });
    const cluster = new ReplicationCluster(sim, c);
    expect(nodeFailureSpecs(cluster.config)).toEqual([
      { outages: [{ at: 10, duration: Infinity }] },
      { outages: [] },
      { outages: [{ at: 4, duration: 3 }] },
    ]);
    sim.run({ until: 20 });
    expect(cluster.failures.map((f) => f.failures)).toEqual([1, 0, 1]);
    expect(cluster.failures[2].availability).toBeCloseTo(1 - 3 / 20, 12);
    expect(cluster.failures[0].availability).toBeCloseTo(10 / 20, 12);
    expect(
      (cluster.summary().replicas.find((r) => r.node === 2) as { availability: number })
        .availability,
    ).toBe(cluster.failures[2].availability);
    expect(cluster.primary).toBe(cluster.summary().promoted);
  });
});

describe("random replica failures (replicaFailures: mttf/mttr on each replica's own stream)", () => {
  it('every replica fails and recovers independently, and still applies every write exactly once, in order', () => {
    const sim = new Simulation({ seed: 21 });
    const cluster = new ReplicationCluster(sim, {
      replicas: 2,
      writeRate: 100,
      applyTime: new Exponential(300),
      replicaFailures: { mttf: 10, mttr: 2 },
    });
    const applied: number[][] = [[], [], []];
    cluster.onApply = (node, seq) => applied[node].push(seq);
    sim.run({ until: 60 });
    cluster.stopClients();
    sim.run({ until: 200 });
    const f = cluster.failures;
    expect(f[0].failures).toBe(0);
    for (const r of [1, 2]) {
      expect(f[r].spec.timeToFailure?.mean).toBe(10);
      expect(f[r].failures).toBeGreaterThan(3); // Poisson with mean ≈ 200/12 ≈ 17
      const a = applied[r];
      for (let i = 0; i < a.length; i++)
        if (a[i] !== i + 1) throw new Error(`replica ${r}: position ${i} holds ${a[i]}`);
    }
    expect(f[1].intervals[0].at).not.toBe(f[2].intervals[0].at); // independent substreams
    expect(Math.max(applied[1].length, applied[2].length)).toBe(cluster.lastSeq);
  });
});

describe('small latencies are reported as they are', () => {
  it('a replay lag of exactly 0 (no link latency, instant apply) has p50 = p99 = max = 0, not the old sketch floor 1e-7', () => {
    const { summary } = simulateReplication(
      {
        replicas: 1,
        writeRate: 50,
        applyTime: new Deterministic(0),
        linkLatency: new Deterministic(0),
      },
      { seed: 1, duration: 5 },
    );
    expect(summary.lag.count).toBeGreaterThan(100);
    expect([summary.lag.p50, summary.lag.p99, summary.lag.max, summary.lag.mean]).toEqual([
      0, 0, 0, 0,
    ]);
  });
});

describe('a crashed replica stops serving', () => {
  it('its queued and in-service reads fail back at the crash, nothing is left in service at recovery, and reads go elsewhere meanwhile', () => {
    // one replica, overloaded with slow reads so that many wait and all 2 servers are busy at the crash
    const sim = new Simulation({ seed: 3 });
    const cluster = new ReplicationCluster(sim, {
      replicas: 1,
      writeRate: 50,
      readRate: 30,
      servers: 2,
      readTime: Exponential.withMean(0.2),
      replicaCrashes: [{ replica: 1, at: 5, duration: 5 }],
    });
    const replica = cluster.stations[1];
    const apply = cluster.applyStations[1];
    let inside = -1;
    let busy = -1;
    const snapshot = sim.handler(() => {
      inside = replica.inSystem;
      busy = replica.busy;
    });
    sim.scheduleAt(5, snapshot, 0, -1); // just before the crash event at t = 5
    const atCrash: number[] = [];
    const atRecovery: number[] = [];
    cluster.failures[1].onCrash(() =>
      atCrash.push(replica.inSystem, replica.busy, apply.inSystem, cluster.summary().readsFailed),
    );
    cluster.failures[1].onRecover(() =>
      atRecovery.push(replica.inSystem, replica.busy, replica.arrivals),
    );
    const arrivalsBefore = { n: 0 };
    cluster.failures[1].onCrash(() => (arrivalsBefore.n = replica.arrivals));
    sim.run({ until: 12 });
    expect(inside).toBeGreaterThan(10); // λS/c = 3: the queue grows
    expect(busy).toBe(2);
    expect(atCrash).toEqual([0, 0, 0, inside]);
    expect(replica.failed).toBe(inside);
    expect(atRecovery).toEqual([0, 0, arrivalsBefore.n]); // no reads were sent to it while down
    expect(replica.refused).toBe(0);
    // while it was down, reads went to the primary and were served there
    expect(cluster.summary().readsCompleted).toBeGreaterThan(0);
    expect(cluster.stations[0].arrivals).toBeGreaterThan(50 * 12 * 0.9 + 30 * 5 * 0.7); // 750 expected, sd 27
    // after recovery it serves again
    expect(replica.arrivals).toBeGreaterThan(arrivalsBefore.n);
  });
});
