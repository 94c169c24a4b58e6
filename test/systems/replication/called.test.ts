/**
 * The replication cluster called by another component (clients 'external', called.ts): a caller's
 * requests come through common.Calls into `reads` and `writes`, and every child is answered exactly
 * once (to reply or error). Its own behaviour holds in called mode, with the oracles of its
 * standalone tests: ProxySQL's weights give each replica the read share w_i / Σ w (a binomial
 * proportion, checked within 4 standard errors), each replica is then an M/M/1 (Poisson splitting,
 * exponential reads, one connection) so its mean response is 1/(μ − λ_i) and the mean read time
 * Σ_i (w_i/Σw) / (μ − λ_i), inside the replications' intervals widened for the four checks
 * (test/labs/agreement.ts, family-wise 1 %); writes all go to the primary. A replica crash turns the reads inside
 * it into errors the caller sees, and a primary crash fails the writes until the promotion.
 */
import { Exponential } from '../../../lib/random/exponential';
import { Simulation } from '../../../lib/sim/simulation';
import { Source } from '../../../lib/sim/source';
import { target } from '../../../lib/sim/target';
import { CALL_OK, Calls } from '../../../lib/systems/common/calls';
import { ReplicationCluster } from '../../../lib/systems/replication/cluster';
import type { ReplicationConfig } from '../../../lib/systems/replication/config';
import { resolveReplicationConfig } from '../../../lib/systems/replication/resolve';
import { disagreements, replicationsCheck } from '../../labs/agreement';

interface Caller {
  cluster: ReplicationCluster;
  sim: Simulation;
  ok: number;
  errors: number;
  /** 1 while a parent waits; a `then` for a parent not waiting counts as a second answer. */
  pending: Uint8Array;
  twice: number;
  parents: number;
}

/** Poisson parents at `readRate` and `writeRate`, each calling the cluster once through Calls. */
function calledCluster(
  seed: number,
  config: ReplicationConfig,
  readRate: number,
  writeRate: number,
): Caller {
  const sim = new Simulation({ seed });
  const cluster = new ReplicationCluster(sim, { clients: 'external', ...config });
  const calls = Calls.of(sim);
  const out: Caller = {
    cluster,
    sim,
    ok: 0,
    errors: 0,
    pending: new Uint8Array(1 << 16),
    twice: 0,
    parents: 0,
  };
  const keys = sim.streams.get('test.keys');
  const then = target((parent) => {
    if (out.pending[parent] !== 1) out.twice++;
    out.pending[parent] = 0;
    if (calls.outcome[parent] === CALL_OK) out.ok++;
    else out.errors++;
    sim.jobs.free(parent);
  });
  const send = (entry: typeof cluster.reads) =>
    target((parent) => {
      out.parents++;
      out.pending[parent] = 1;
      calls.wait(parent, { then });
      const child = calls.child(parent);
      cluster.setKey(child, 1 + Math.floor(keys.next() * 100));
      cluster.setSession(child, parent % 10);
      entry.accept(child);
    });
  if (readRate > 0)
    new Source(sim, {
      name: 'test.reads',
      interarrival: new Exponential(readRate),
      to: send(cluster.reads),
    });
  if (writeRate > 0)
    new Source(sim, {
      name: 'test.writes',
      interarrival: new Exponential(writeRate),
      to: send(cluster.writes),
    });
  return out;
}

const base: ReplicationConfig = {
  replicas: 3,
  servers: 1,
  discipline: 'ps',
  keys: 100,
  sessions: 10,
  readTime: new Exponential(100), // 10 ms
  commitTime: new Exponential(200),
};

describe('replication cluster, called through common.Calls', () => {
  test('every child answered exactly once; ProxySQL weights give the read shares; the mean read time is the M/M/1 mixture', () => {
    const w = [1, 2, 3];
    const lambda = 120; // reads/s: λ_i = 20, 40, 60 against μ = 100
    const means: number[] = [];
    const perReplica: number[][] = [[], [], []];
    for (let rep = 0; rep < 8; rep++) {
      const c = calledCluster(10 + rep, { ...base, weights: w }, lambda, 30);
      c.sim.run({ until: 20 });
      c.sim.resetStatistics();
      c.sim.run({ until: 320 });
      const s = c.cluster.summary();
      means.push(s.readLatency.mean);
      for (let i = 0; i < 3; i++) perReplica[i].push(c.cluster.stations[i + 1].responseTime.mean);
      // every parent's wait ended once, no answer was late, no child lost
      const calls = Calls.of(c.sim);
      expect(calls.late).toBe(0);
      expect(c.twice).toBe(0);
      expect(c.errors).toBe(0);
      // the read shares: the replicas' departures (nodes 1..3) against w_i / Σ w
      const served = [1, 2, 3].map((i) => c.cluster.stations[i].departures);
      const n = served.reduce((a, b) => a + b, 0);
      served.forEach((x, i) => {
        const p = w[i] / 6;
        expect(Math.abs(x / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
      });
      // the writes only on the primary
      expect(c.cluster.stations[0].departures).toBe(s.writesCommitted);
    }
    const theory = w.reduce((t, wi) => t + wi / 6 / (100 - (lambda * wi) / 6), 0);
    const checks = [
      replicationsCheck('mean read time', means, theory),
      ...w.map((wi, i) =>
        replicationsCheck(`replica ${i + 1} M/M/1`, perReplica[i], 1 / (100 - (lambda * wi) / 6)),
      ),
    ];
    expect(disagreements(checks)).toEqual([]);
  });

  test('in-flight: answered + failed children = children sent, at the end of a run', () => {
    const c = calledCluster(3, base, 80, 20);
    c.sim.run({ until: 50 });
    const calls = Calls.of(c.sim);
    let waiting = 0;
    for (const p of c.pending) waiting += p;
    // each parent: answered once (ok or error) or still waiting; no answer twice, none late
    expect(c.twice).toBe(0);
    expect(calls.late).toBe(0);
    expect(c.ok + c.errors + waiting).toBe(c.parents);
    expect(calls.answered + calls.failed + waiting).toBe(calls.calls);
  });

  test('a replica crash turns the reads inside it into errors the caller sees; the others keep answering', () => {
    const c = calledCluster(
      5,
      { ...base, weights: [1, 1, 1], replicaCrashes: [{ replica: 1, at: 10, duration: 5 }] },
      150,
      10,
    );
    c.sim.run({ until: 30 });
    const s = c.cluster.summary();
    expect(c.errors).toBeGreaterThan(0);
    expect(c.errors).toBe(s.readsFailed + s.writesFailed);
    expect(c.ok).toBeGreaterThan(100 * c.errors);
  });

  test('a primary crash fails the writes until a replica is promoted', () => {
    const c = calledCluster(7, { ...base, primaryCrashAt: 10, detectionDelay: 2 }, 50, 50);
    c.sim.run({ until: 30 });
    const s = c.cluster.summary();
    // writes during the 2 s without a primary fail: about 50/s · 2 s
    expect(s.writesFailed).toBeGreaterThan(60);
    expect(s.writesFailed).toBeLessThan(150);
    expect(c.errors).toBe(s.writesFailed + s.readsFailed);
    expect(s.promoted).toBeGreaterThan(0);
  });

  test('a called cluster given a load of its own, or bad weights, keys or sessions, is a ParameterError naming it', () => {
    const param = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { parameter?: string }).parameter;
      }
      return 'no error';
    };
    expect(
      param(() => resolveReplicationConfig({ replicas: 1, clients: 'external', writeRate: 10 })),
    ).toBe('writeRate');
    expect(
      param(() => resolveReplicationConfig({ replicas: 1, clients: 'external', users: 10 })),
    ).toBe('users');
    expect(param(() => resolveReplicationConfig({ replicas: 2, weights: [1] }))).toBe('weights');
    expect(param(() => resolveReplicationConfig({ replicas: 2, weights: [1, 0] }))).toBe(
      'weights[1]',
    );
    const sim = new Simulation({ seed: 1 });
    const called = new ReplicationCluster(sim, {
      replicas: 1,
      clients: 'external',
      keys: 10,
      sessions: 2,
    });
    expect(param(() => called.setKey(0, 11))).toBe('key');
    expect(param(() => called.setSession(0, 2))).toBe('session');
    const own = new ReplicationCluster(new Simulation({ seed: 1 }), { replicas: 1 });
    expect(param(() => own.setKey(0, 1))).toBe('clients');
  });

  test('two named clusters in one simulation draw apart; the default name keeps the standalone streams', () => {
    const sim = new Simulation({ seed: 2 });
    const a = new ReplicationCluster(sim, {
      ...base,
      clients: 'open',
      readRate: 50,
      writeRate: 10,
      name: 'a',
    });
    const b = new ReplicationCluster(sim, {
      ...base,
      clients: 'open',
      readRate: 50,
      writeRate: 10,
      name: 'b',
    });
    sim.run({ until: 20 });
    expect(a.summary().readLatency.mean).not.toBe(b.summary().readLatency.mean);
    expect(a.stations[0].name).toBe('a.db0');
  });
});
