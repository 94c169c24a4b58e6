/**
 * Replication simulator against its oracles (subsystems.md §7.4 and §7.3; MySQL 8.4 Reference
 * Manual §19.4.10; PostgreSQL docs `synchronous_commit`): lag growth at λ − μ above the apply
 * capacity; steady-state replay lag = link latency + M/M/1 (P-K) sojourn of the apply queue;
 * exactly-once in-order apply through crashes and parallel workers; no acknowledged write lost
 * at failover in synchronous (and lossless semisync) mode, some lost in async; semisync stalls one
 * commit for rpl_semi_sync_source_timeout then falls back to async; PostgreSQL sync blocks while no
 * standby is available; typed errors for invalid configurations.
 */
import { ParameterError } from '../../../lib/errors';
import { Deterministic, Exponential } from '../../../lib/random';
import { Simulation } from '../../../lib/sim/simulation';
import { confidenceInterval } from '../../../lib/sim/confidence';
import {
  ReplicationCluster,
  applyLagQuantile,
  lagExceedanceProbability,
  meanApplyLag,
  resolveReplicationConfig,
  simulateReplication,
} from '../../../lib/systems/replication';
import type { ReplicationConfig } from '../../../lib/systems/replication';

describe('lag above the apply capacity', () => {
  it('grows at λ − μ transactions per second, and the oldest unapplied write ages at 1 − μ/λ', () => {
    const lambda = 300;
    const mu = 200;
    const T = 60;
    const sim = new Simulation({ seed: 11 });
    const cluster = new ReplicationCluster(sim, {
      replicas: 1,
      writeRate: lambda,
      applyTime: new Exponential(mu),
      linkLatency: new Deterministic(0.001),
    });
    sim.run({ until: T });
    const lag = cluster.lagNow(1);
    // committed N(T) ~ Poisson(λT) and applied ~ Poisson(μT) (the apply thread is never idle):
    // sd of the difference sqrt((λ + μ) T) = 224; allow 4 sd.
    const sdTx = Math.sqrt((lambda + mu) * T);
    expect(Math.abs(lag.transactions - (lambda - mu) * T)).toBeLessThan(4 * sdTx);
    // the oldest unapplied write is number ≈ μT, committed at ≈ μT/λ: lag ≈ T(1 − μ/λ);
    // sd ≈ sqrt(μT)/λ (its commit time) + sqrt(μT)/λ (how many were applied)
    const sdSec = (2 * Math.sqrt(mu * T)) / lambda;
    expect(Math.abs(lag.seconds - T * (1 - mu / lambda))).toBeLessThan(4 * sdSec);
    // the sampled series rises roughly linearly: the second half's mean exceeds the first's
    const s = cluster.lagSeries;
    expect(s.t.length).toBeGreaterThan(55);
    const tx = s.transactions[0];
    const mid = Math.floor(tx.length / 2);
    expect(tx[tx.length - 1]).toBeGreaterThan(tx[mid]);
    expect(tx[mid]).toBeGreaterThan(tx[5]);
  });
});

describe('link bandwidth', () => {
  it('a link of B bytes/s carries B/writeBytes writes/s: above that the lag grows at λ − B/writeBytes', () => {
    const lambda = 150;
    const linkRate = 100; // 1e5 bytes/s / 1000 bytes
    const T = 40;
    const sim = new Simulation({ seed: 12 });
    const cluster = new ReplicationCluster(sim, {
      replicas: 1,
      writeRate: lambda,
      writeBytes: 1000,
      linkBandwidth: 1e5,
      applyTime: new Exponential(1000),
    });
    sim.run({ until: T });
    // the link is never idle: it has sent exactly floor(100 T) writes (deterministic transmission)
    const lag = cluster.lagNow(1).transactions;
    const sd = Math.sqrt(lambda * T);
    expect(Math.abs(lag - (lambda - linkRate) * T)).toBeLessThan(4 * sd);
    expect(cluster.receivedPos[1]).toBeLessThanOrEqual(linkRate * T);
    expect(cluster.receivedPos[1]).toBeGreaterThanOrEqual(linkRate * T - 2);
  });
});

describe('steady-state lag', () => {
  it('matches the link latency plus the apply queue sojourn (M/M/1) inside the 95% interval', () => {
    const lambda = 150;
    const mu = 200;
    const d = 0.002;
    const means: number[] = [];
    const p99s: number[] = [];
    for (let r = 0; r < 10; r++) {
      const { summary } = simulateReplication(
        {
          replicas: 1,
          writeRate: lambda,
          applyTime: new Exponential(mu),
          linkLatency: new Deterministic(d),
        },
        { seed: 100 + r, duration: 60, warmup: 5 },
      );
      means.push(summary.lag.mean);
      p99s.push(summary.lag.p99);
    }
    const ci = confidenceInterval(means);
    const theory = meanApplyLag({
      writeRate: lambda,
      applyMean: 1 / mu,
      applyScv: 1,
      linkLatency: d,
    });
    expect(theory).toBeCloseTo(d + 1 / (mu - lambda), 12);
    expect(ci.lower).toBeLessThan(theory);
    expect(ci.upper).toBeGreaterThan(theory);
    const ciP99 = confidenceInterval(p99s);
    const p99 = applyLagQuantile(lambda, mu, d, 0.99);
    // the sketch adds up to 1% relative error to each replication's p99
    expect(ciP99.lower * 0.99).toBeLessThan(p99);
    expect(ciP99.upper * 1.01).toBeGreaterThan(p99);
  });

  it('gives the stale-read probability of a read τ after the write as P(lag > τ)', () => {
    expect(lagExceedanceProbability(150, 200, 0.002, 0.001)).toBe(1);
    expect(lagExceedanceProbability(150, 200, 0.002, 0.002 + Math.log(2) / 50)).toBeCloseTo(
      0.5,
      12,
    );
  });
});

function drainAndCollect(config: ReplicationConfig, seed: number, until: number) {
  const sim = new Simulation({ seed });
  const cluster = new ReplicationCluster(sim, config);
  const applied: number[][] = Array.from({ length: cluster.nodeCount }, () => []);
  cluster.onApply = (node, seq) => applied[node].push(seq);
  sim.run({ until });
  cluster.stopClients();
  sim.run({ until: until + 200 });
  return { cluster, applied };
}

describe('apply: every write exactly once on every replica, in commit order', () => {
  const base: ReplicationConfig = {
    replicas: 3,
    writeRate: 180,
    applyTime: new Exponential(200),
    linkLatency: new Exponential(500),
    keys: 50,
  };

  it('single-threaded apply through a replica crash and catch-up', () => {
    const { cluster, applied } = drainAndCollect(
      { ...base, replicaCrashes: [{ replica: 2, at: 10, duration: 8 }] },
      5,
      30,
    );
    const n = cluster.lastSeq;
    expect(n).toBeGreaterThan(4500);
    for (const r of [1, 2, 3]) {
      expect(applied[r].length).toBe(n);
      for (let i = 0; i < n; i++)
        if (applied[r][i] !== i + 1)
          throw new Error(`replica ${r}: position ${i} holds ${applied[r][i]}`);
    }
  });

  it('parallel apply (4 workers, WRITESET conflicts on 50 keys, commit order preserved) with link jitter', () => {
    const { cluster, applied } = drainAndCollect(
      {
        ...base,
        replica_parallel_workers: 4,
        applyTime: new Exponential(60),
        replicaCrashes: [
          { replica: 1, at: 5, duration: 5 },
          { replica: 3, at: 15, duration: 2 },
        ],
      },
      6,
      25,
    );
    const n = cluster.lastSeq;
    for (const r of [1, 2, 3]) {
      expect(applied[r].length).toBe(n);
      for (let i = 0; i < n; i++)
        if (applied[r][i] !== i + 1)
          throw new Error(`replica ${r}: position ${i} holds ${applied[r][i]}`);
    }
  });

  it('parallel workers raise the apply capacity: at λ = 100/s, 60/s per worker, 1 worker diverges and 4 keep up', () => {
    const one = simulateReplication(
      { replicas: 1, writeRate: 100, applyTime: new Exponential(60), keys: 10000, keySkew: 0 },
      { seed: 3, duration: 60 },
    );
    const four = simulateReplication(
      {
        replicas: 1,
        writeRate: 100,
        applyTime: new Exponential(60),
        keys: 10000,
        keySkew: 0,
        replica_parallel_workers: 4,
      },
      { seed: 3, duration: 60 },
    );
    expect(one.cluster.lagNow(1).transactions).toBeGreaterThan(1500);
    expect(four.cluster.lagNow(1).transactions).toBeLessThan(200);
  });

  it('a replica down for D seconds catches up in about D λ / (μ − λ)', () => {
    const lambda = 100;
    const mu = 200;
    const sim = new Simulation({ seed: 8 });
    const cluster = new ReplicationCluster(sim, {
      replicas: 1,
      writeRate: lambda,
      applyTime: new Deterministic(1 / mu),
      linkLatency: new Deterministic(0.001),
      replicaCrashes: [{ replica: 1, at: 10, duration: 20 }],
    });
    sim.run({ until: 30 });
    const backlog = cluster.lagNow(1).transactions;
    // Poisson(λ · 20) writes were missed: 2000 ± 4·45
    expect(Math.abs(backlog - 2000)).toBeLessThan(4 * Math.sqrt(2000));
    sim.run({ stopWhen: () => cluster.lagNow(1).transactions <= 1 || sim.now > 100 });
    const caughtUp = sim.now - 30;
    const expected = backlog / (mu - lambda);
    // writes keep arriving (Poisson): the drain time is a first passage with sd ≈ sqrt(λ t)/(μ − λ)
    expect(Math.abs(caughtUp - expected)).toBeLessThan(
      (4 * Math.sqrt(lambda * expected)) / (mu - lambda) + 0.1,
    );
  });
});

describe('failover', () => {
  const load: ReplicationConfig = {
    replicas: 2,
    writeRate: 190,
    applyTime: new Exponential(200),
    linkLatency: new Deterministic(0.02), // a cross-zone link: ~4 writes in flight
    primaryCrashAt: 20,
    detectionDelay: 5,
  };

  it('async loses the acknowledged writes inside the lag window', () => {
    let lost = 0;
    for (let s = 0; s < 3; s++) {
      const { summary } = simulateReplication(
        { ...load, mode: 'async' },
        { seed: 20 + s, duration: 30 },
      );
      expect(summary.promoted).toBeGreaterThan(0);
      expect(summary.failoverAt).toBeGreaterThanOrEqual(25);
      lost += summary.lostAcknowledged;
    }
    expect(lost).toBeGreaterThan(0);
  });

  let summaryRuns = 0;
  it('PostgreSQL sync (FIRST 1, synchronous_commit on and remote_apply) loses no acknowledged write', () => {
    for (const level of ['on', 'remote_write', 'remote_apply'] as const) {
      const { summary, cluster } = simulateReplication(
        { ...load, mode: 'sync', synchronous_commit: level },
        { seed: 20 + summaryRuns++, duration: 30 },
      );
      expect(summary.promoted).toBeGreaterThan(0);
      expect(summary.lostAcknowledged).toBe(0);
      expect(summary.writesAcknowledged).toBeGreaterThan(1000);
      // writes go on after the failover (one standby left for FIRST 1)
      expect(cluster.lastSeq).toBeGreaterThan(190 * 22);
    }
  });

  it('MySQL semisync (AFTER_SYNC, no timeout reached) loses no acknowledged write', () => {
    for (let s = 0; s < 2; s++) {
      const { summary } = simulateReplication(
        { ...load, mode: 'semisync' },
        { seed: 20 + s, duration: 30 },
      );
      expect(summary.semiSyncTimeouts).toBe(0);
      expect(summary.lostAcknowledged).toBe(0);
    }
  });

  it('writes fail while no primary is available, and the promoted replica was the most up to date', () => {
    const sim = new Simulation({ seed: 4 });
    const cluster = new ReplicationCluster(sim, { ...load, replicas: 3, mode: 'async' });
    sim.run({ until: 20.0001 });
    const received = [1, 2, 3].map((r) => cluster.receivedPos[r]);
    sim.run({ until: 30 });
    const s = cluster.summary();
    expect(s.writesFailed).toBeGreaterThan(190 * 4);
    expect(received[s.promoted - 1]).toBe(Math.max(...received));
    expect(cluster.primary).toBe(s.promoted);
  });
});

describe('semisync timeout and PostgreSQL blocking', () => {
  it('semisync with its only replica down stalls one commit for rpl_semi_sync_source_timeout, then runs async and returns when the replica catches up', () => {
    const sim = new Simulation({ seed: 9 });
    const cluster = new ReplicationCluster(sim, {
      replicas: 1,
      mode: 'semisync',
      writeRate: 20,
      replicaCrashes: [{ replica: 1, at: 10, duration: 30 }],
    });
    sim.run({ until: 39 });
    let s = cluster.summary();
    expect(s.semiSyncTimeouts).toBe(1);
    expect(cluster.semiSyncOn).toBe(false);
    // the writes that waited: the first after the crash waited the whole 10 s, later ones less
    expect(s.writeLatency.mean).toBeGreaterThan(0.1);
    sim.run({ until: 60 });
    s = cluster.summary();
    expect(cluster.semiSyncOn).toBe(true);
    expect(s.semiSyncTimeouts).toBe(1);
    expect(s.waitingCommits).toBe(0);
    // rpl_semi_sync_master_timeout (old name) is the same knob
    expect(
      resolveReplicationConfig({ replicas: 1, rpl_semi_sync_master_timeout: 500 })
        .rpl_semi_sync_source_timeout,
    ).toBe(500);
  });

  it('the longest semisync wait is the timeout (10 s default)', () => {
    const { summary } = simulateReplication(
      {
        replicas: 1,
        mode: 'semisync',
        writeRate: 5,
        replicaCrashes: [{ replica: 1, at: 5, duration: 100 }],
      },
      { seed: 2, duration: 40 },
    );
    expect(summary.writeLatency.p99).toBeLessThan(10.2);
    // with 5 writes/s for the 10 s stall, ~50 writes waited: their latencies are spread over [0, 10]
    expect(summary.semiSyncTimeouts).toBe(1);
  });

  it('PostgreSQL sync with the standby down blocks commits (no fallback) until it is back', () => {
    const sim = new Simulation({ seed: 9 });
    const cluster = new ReplicationCluster(sim, {
      replicas: 1,
      mode: 'sync',
      writeRate: 20,
      replicaCrashes: [{ replica: 1, at: 10, duration: 30 }],
    });
    sim.run({ until: 39 });
    const acked = cluster.summary().writesAcknowledged;
    expect(cluster.summary().waitingCommits).toBeGreaterThan(20 * 25);
    expect(acked).toBeLessThan(20 * 12);
    sim.run({ until: 45 });
    expect(cluster.summary().waitingCommits).toBeLessThan(5);
    expect(cluster.summary().writesAcknowledged).toBeGreaterThan(20 * 40);
  });

  it('FIRST 1 with two standbys: the second becomes synchronous when the first is down', () => {
    const { summary } = simulateReplication(
      {
        replicas: 2,
        mode: 'sync',
        writeRate: 20,
        replicaCrashes: [{ replica: 1, at: 10, duration: 30 }],
      },
      { seed: 3, duration: 50 },
    );
    expect(summary.waitingCommits).toBeLessThan(3);
    expect(summary.writeLatency.p99).toBeLessThan(0.05);
  });
});

describe('read routing', () => {
  const cfg: ReplicationConfig = {
    replicas: 2,
    writeRate: 150,
    readRate: 300,
    sessions: 20,
    keys: 100,
    applyTime: new Exponential(200),
  };

  it('all reads on the primary are never stale; reads on replicas are, with lag', () => {
    const p = simulateReplication(
      { ...cfg, readRouting: 'primary' },
      { seed: 1, duration: 20 },
    ).summary;
    expect(p.staleReads).toBe(0);
    expect(p.replicaReads).toBe(0);
    const r = simulateReplication(
      { ...cfg, readRouting: 'replicas' },
      { seed: 1, duration: 20 },
    ).summary;
    expect(r.replicaReads).toBeGreaterThanOrEqual(r.readsCompleted); // counted at service start
    expect(r.replicaReads).toBeLessThan(r.readsCompleted + 20);
    expect(r.staleReads).toBeGreaterThan(0);
    expect(r.rywViolations).toBeGreaterThan(0);
  });

  it('read-your-writes: pinning for a window longer than the lag, or waiting for apply, removes violations', () => {
    const pin = simulateReplication(
      { ...cfg, readRouting: 'read-your-writes', rywMethod: 'pin-primary', rywWindow: 2 },
      { seed: 1, duration: 20 },
    ).summary;
    expect(pin.rywViolations).toBe(0);
    expect(pin.replicaReads).toBeLessThan(pin.readsCompleted);
    const wait = simulateReplication(
      { ...cfg, readRouting: 'read-your-writes', rywMethod: 'wait-for-apply' },
      { seed: 1, duration: 20 },
    ).summary;
    expect(wait.rywViolations).toBe(0);
    expect(wait.rywWaits).toBeGreaterThan(0);
    expect(wait.replicaReads).toBeGreaterThanOrEqual(wait.readsCompleted);
    const plain = simulateReplication(
      { ...cfg, readRouting: 'replicas' },
      { seed: 1, duration: 20 },
    ).summary;
    expect(wait.readLatency.mean).toBeGreaterThan(plain.readLatency.mean);
  });

  it('wait-for-apply on a replica catching up: reads wait, or go to the primary after rywWaitTimeout', () => {
    const crash = {
      readRouting: 'read-your-writes' as const,
      rywMethod: 'wait-for-apply' as const,
      sessions: 30,
      replicaCrashes: [{ replica: 2, at: 5, duration: 10 }],
    };
    const sim = new Simulation({ seed: 2 });
    const cluster = new ReplicationCluster(sim, { ...cfg, ...crash, rywWaitTimeout: 0.5 });
    sim.run({ until: 30 });
    const s = cluster.summary();
    expect(s.rywTimeouts).toBeGreaterThan(0);
    expect(s.rywViolations).toBe(0);
    // a read waits at most the timeout, then queues briefly at the primary
    expect(s.readLatency.p99).toBeLessThan(0.5 * 1.01 + 0.05);
  });

  it('ProxySQL max_replication_lag: a replica further behind at the last check gets no reads (checks every second here; see proxysql.test.ts)', () => {
    const sim = new Simulation({ seed: 2 });
    const cluster = new ReplicationCluster(sim, {
      ...cfg,
      max_replication_lag: 1,
      'mysql-monitor_replication_lag_interval': 1000,
      replicaCrashes: [{ replica: 2, at: 5, duration: 10 }],
    });
    sim.run({ until: 16.5 });
    expect(cluster.shunnedForLag(2)).toBe(true);
    const before = cluster.stations[2].arrivals;
    sim.run({ until: 25 });
    // 10 s of missed writes (1500) drain at 50/s: replica 2 is still seconds behind at t = 25
    expect(cluster.lagNow(2).seconds).toBeGreaterThan(1);
    expect(cluster.stations[2].arrivals).toBe(before);
    expect(cluster.summary().readsFailed).toBe(0);
  });

  it('is reproducible: same seed, same numbers', () => {
    const a = simulateReplication({ ...cfg }, { seed: 7, duration: 10 }).summary;
    const b = simulateReplication({ ...cfg }, { seed: 7, duration: 10 }).summary;
    expect(b).toEqual(a);
  });
});

describe('invalid configurations give typed errors', () => {
  const bad: Array<[string, ReplicationConfig]> = [
    [
      'rpl_semi_sync_source_wait_for_replica_count',
      { replicas: 2, mode: 'semisync', rpl_semi_sync_source_wait_for_replica_count: 3 },
    ],
    [
      'synchronous_standby_names.num',
      { replicas: 1, mode: 'sync', synchronous_standby_names: { method: 'ANY', num: 2 } },
    ],
    ['writeRate', { replicas: 1, writeRate: -5 }],
    ['readRate', { replicas: 1, readRate: -1 }],
    ['replicas', { replicas: -1 }],
    ['replicas', { replicas: 2.5 }],
    ['rpl_semi_sync_source_timeout', { replicas: 1, rpl_semi_sync_source_timeout: -1 }],
    ['replica_parallel_workers', { replicas: 1, replica_parallel_workers: 0 }],
    ['linkBandwidth', { replicas: 1, linkBandwidth: 0 }],
    ['mode', { replicas: 1, mode: 'quorum' as never }],
    ['synchronous_commit', { replicas: 1, synchronous_commit: 'maybe' as never }],
    [
      'replicaCrashes[0].replica',
      { replicas: 2, replicaCrashes: [{ replica: 3, at: 1, duration: 1 }] },
    ],
    [
      'writeFraction',
      { replicas: 1, clients: 'closed', users: 10, thinkTime: 1, writeFraction: 1.5 },
    ],
    ['applyTime', { replicas: 1, applyTime: 5 as never }],
  ];
  it.each(bad)('%s', (parameter, config) => {
    let error: unknown;
    try {
      new ReplicationCluster(new Simulation(), config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as ParameterError).parameter).toBe(parameter);
  });
});
