// Reliability as Storm does it (../shared/reference/subsystems.md §5.3-5.6; apache/storm
// docs/Guaranteeing-message-processing.md, storm-client daemon/Acker.java): XOR of 64-bit edge ids
// per tree, completion exactly when it returns to zero, fail/timeout after
// topology.message.timeout.secs, replay by a reliable spout, at-least-once duplicates; ackers = 0
// loses tuples on a crash; max.spout.pending caps un-acked trees; daemon failures
// (docs/Daemon-Fault-Tolerance.md). Word count [S-wc] exact under fields grouping.
import { Simulation } from '../../../lib/sim/simulation';
import { Deterministic } from '../../../lib/random/deterministic';
import { Exponential } from '../../../lib/random/exponential';
import { TopologyBuilder } from '../../../lib/systems/storm/topology';
import type { BoltSpec, SpoutSpec } from '../../../lib/systems/storm/topology';
import { StormSystem, simulateStorm } from '../../../lib/systems/storm/system';
import {
  countReport,
  loadCorpus,
  trueCounts,
  wordCountTopology,
} from '../../../lib/systems/storm/word-count';
import type { StormConfig } from '../../../lib/systems/storm/config';

const corpus = loadCorpus();
const truth = trueCounts(corpus);
const totalWords = [...truth.values()].reduce((a, b) => a + b, 0);

function wordCount(
  grouping: 'fields' | 'shuffle',
  extra: Partial<StormConfig> = {},
  until = 20,
  seed = 3,
  interval = 0,
): StormSystem {
  const sim = new Simulation({ seed });
  const topology = wordCountTopology({
    sentences: corpus,
    grouping,
    nextTupleInterval: new Deterministic(interval),
    splitLatency: Exponential.withMean(0.001),
    countLatency: Exponential.withMean(0.0002),
  });
  const sys = new StormSystem(sim, { topology, 'topology.workers': 3, ...extra });
  sim.run({ until });
  return sys;
}

describe('word count', () => {
  it('fields grouping: every word once, with its exact count; disjoint maps', () => {
    const sys = wordCount('fields');
    const r = countReport(sys.componentStates('count') as Map<string, number>[]);
    expect(r.distinctReported).toBe(truth.size);
    expect(r.totalCount).toBe(totalWords);
    for (const [w, c] of truth) expect(r.merged.get(w)).toBe(c);
    const s = sys.summary(20);
    expect(s.acked).toBe(corpus.length);
    expect(s.failed).toBe(0);
    expect(s.pending).toBe(0);
  });

  it('shuffle grouping: the same total, but a word split over several tasks (over-reported distinct words)', () => {
    const r = countReport(wordCount('shuffle').componentStates('count') as Map<string, number>[]);
    expect(r.totalCount).toBe(totalWords);
    expect(r.distinctReported).toBeGreaterThan(truth.size);
    // 'the' occurs often enough to land on many of the 12 tasks
    const maps = wordCount('shuffle').componentStates('count') as Map<string, number>[];
    expect(maps.filter((m) => m.has('the')).length).toBeGreaterThan(6);
  });

  it('same seed and config, same numbers', () => {
    const a = wordCount('shuffle', {}, 20, 9).summary(20);
    const b = wordCount('shuffle', {}, 20, 9).summary(20);
    expect(b).toEqual(a);
  });
});

/** A spout of `n` messages, recording ack/fail times per message id. */
function recordingSpout(
  n: number,
  log: { acked: Map<number, number>; failed: number[] },
  interval = 0.01,
  sim?: () => number,
): SpoutSpec<{ i: number; base: number }> {
  return {
    outputFields: ['n'],
    open: (ctx) => ({ i: 0, base: ctx.taskIndex * 1e6 }),
    nextTuple: (c, s) => {
      if (s.i >= n) return;
      c.emit([s.base + s.i], s.base + s.i);
      s.i++;
    },
    ack: (id) => void log.acked.set(id as number, sim ? sim() : 0),
    nextTupleInterval: new Deterministic(interval),
  };
}

describe('acking', () => {
  it('a tree completes exactly when its last tuple is acked: never before any descendant executes', () => {
    const sim = new Simulation({ seed: 5 });
    const log = { acked: new Map<number, number>(), failed: [] as number[] };
    const lastExec = new Map<number, number>();
    const fan: BoltSpec = {
      outputFields: ['n'],
      execute: (t, c) => {
        for (let k = 0; k < 3; k++) c.emit([t.getValue(0)]);
      },
    };
    const leaf: BoltSpec = {
      execute: (t) =>
        void lastExec.set(
          t.getValue(0) as number,
          Math.max(lastExec.get(t.getValue(0) as number) ?? 0, sim.now),
        ),
      executeLatency: Exponential.withMean(0.01),
    };
    const b = new TopologyBuilder();
    b.setSpout(
      's',
      recordingSpout(200, log, 0.005, () => sim.now),
      2,
    );
    b.setBolt('fan', { ...fan, executeLatency: Exponential.withMean(0.002) }, 2).shuffleGrouping(
      's',
    );
    b.setBolt('leaf', leaf, 3).shuffleGrouping('fan');
    const sys = new StormSystem(sim, { topology: b.createTopology(), 'topology.workers': 2 });
    sim.run({ until: 30 });
    expect(log.acked.size).toBe(400);
    for (const [id, t] of log.acked) expect(t).toBeGreaterThanOrEqual(lastExec.get(id) as number);
    expect(sys.summary(30).components.find((c) => c.id === 'leaf')?.executed).toBe(1200);
  });

  it('an explicit fail reaches spout.fail; a reliable spout replays until acked (duplicates counted)', () => {
    const seen = new Map<number, number>();
    const flaky: BoltSpec = {
      execute: (t, c) => {
        const n = t.getValue(0) as number;
        seen.set(n, (seen.get(n) ?? 0) + 1);
        if (n % 5 === 0 && (seen.get(n) as number) === 1) c.fail();
      },
    };
    const b = new TopologyBuilder();
    b.setSpout('s', recordingSpout(50, { acked: new Map(), failed: [] }), 1);
    b.setBolt('f', flaky, 2).shuffleGrouping('s');
    const s = simulateStorm({ topology: b.createTopology() }, { seed: 2, duration: 10 });
    expect(s.explicitFails).toBe(10);
    expect(s.replayed).toBe(10);
    expect(s.acked).toBe(50);
    expect(s.ackedAfterReplay).toBe(10);
    expect(s.duplicateExecutions).toBe(10);
    expect(s.emitted).toBe(s.acked + s.failed + s.pending);
  });

  it("a timeout is Storm's RotatingMap of two buckets: a tree expires at the spout executor's second tick (every topology.message.timeout.secs) after its emit", () => {
    // SpoutExecutor's pending RotatingMap(2), rotated by the system tick every T = 2 s from the
    // executor's start (StormCommon: topology.tick.tuple.freq.secs = T): trees emitted at 0, 0.7,
    // 1.4 s expire at the tick at 4 s, those at 2.1, 2.8, 3.5 s at 6 s: (T, 2T] after their emit
    const sim = new Simulation({ seed: 2 });
    const failedAt = new Map<number, number>();
    const b = new TopologyBuilder();
    b.setSpout(
      's',
      {
        outputFields: ['n'],
        open: () => ({ i: 0 }),
        nextTuple: (c, st: { i: number }) => {
          if (st.i >= 6) return;
          c.emit([st.i], st.i);
          st.i++;
        },
        fail: (id) => void failedAt.set(id as number, sim.now),
        nextTupleInterval: new Deterministic(0.7),
      },
      1,
    );
    // a bolt that takes longer than any timeout: no tree completes in time
    b.setBolt(
      'slow',
      { execute: () => undefined, executeLatency: new Deterministic(60) },
      1,
    ).shuffleGrouping('s');
    new StormSystem(sim, { topology: b.createTopology(), 'topology.message.timeout.secs': 2 });
    sim.run({ until: 7 });
    expect([...failedAt.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const id of [0, 1, 2]) expect(failedAt.get(id)).toBeCloseTo(4, 9);
    for (const id of [3, 4, 5]) expect(failedAt.get(id)).toBeCloseTo(6, 9);
  });

  it('a tuple dropped at a full receive queue fails after topology.message.timeout.secs and is replayed', () => {
    const b = new TopologyBuilder();
    const log = { acked: new Map<number, number>(), failed: [] as number[] };
    b.setSpout('s', recordingSpout(40, log, 0.0001), 1);
    b.setBolt(
      'slow',
      { execute: () => undefined, executeLatency: new Deterministic(0.01) },
      1,
    ).shuffleGrouping('s');
    const s = simulateStorm(
      {
        topology: b.createTopology(),
        'topology.executor.receive.buffer.size': 8,
        'topology.backpressure.enable': false,
        'topology.message.timeout.secs': 2,
      },
      { seed: 4, duration: 20 },
    );
    expect(s.timedOut).toBeGreaterThan(0);
    expect(s.components.find((c) => c.id === 'slow')?.dropped).toBe(s.timedOut);
    expect(s.acked).toBe(40);
    expect(s.emitted).toBe(40 + s.replayed);
  });

  it("max.spout.pending caps each spout task's un-acked trees; conservation holds throughout", () => {
    const sim = new Simulation({ seed: 8 });
    const b = new TopologyBuilder();
    b.setSpout('s', recordingSpout(1e9, { acked: new Map(), failed: [] }, 0), 2);
    b.setBolt(
      'x',
      { execute: () => undefined, executeLatency: Exponential.withMean(0.01) },
      1,
    ).shuffleGrouping('s');
    const sys = new StormSystem(sim, {
      topology: b.createTopology(),
      'topology.max.spout.pending': 3,
    });
    let maxPending = 0;
    for (let t = 1; t <= 50; t++) {
      sim.run({ until: t / 10 });
      const s = sys.summary(t / 10);
      maxPending = Math.max(maxPending, s.pending);
      expect(s.emitted).toBe(s.acked + s.failed + s.pending);
    }
    expect(maxPending).toBe(6);
    // saturated: X = 1/E[S] = 100/s at the single bolt executor
    expect(sys.summary(5).acked / 5).toBeGreaterThan(80);
  });
});

describe('unanchored emits', () => {
  it('a tuple emitted unanchored is not in the tree: its loss is never noticed, the spout tuple is acked', () => {
    const b = new TopologyBuilder();
    b.setSpout('s', recordingSpout(100, { acked: new Map(), failed: [] }, 0.01), 1);
    b.setBolt(
      'a',
      { outputFields: ['n'], execute: (t, c) => void c.emitUnanchored([t.getValue(0)]) },
      1,
    ).shuffleGrouping('s');
    b.setBolt(
      'b',
      { execute: () => undefined, executeLatency: new Deterministic(0.005) },
      1,
    ).shuffleGrouping('a');
    // executors round robin over 3 workers, the acker first: acker 0, a 1, b 2, s 0; b's worker is down throughout
    const s = simulateStorm(
      {
        topology: b.createTopology(),
        'topology.workers': 3,
        'topology.acker.executors': 1,
        failures: { workers: [undefined, undefined, { outages: [{ at: 0, duration: Infinity }] }] },
      },
      { seed: 3, duration: 5 },
    );
    const comp = (id: string) =>
      s.components.find((c) => c.id === id) as { executed: number; lost: number };
    expect(comp('a').executed).toBe(100);
    expect(comp('b').executed).toBe(0);
    expect(comp('b').lost).toBe(100);
    expect(s.acked).toBe(100);
    expect(s.failed).toBe(0);
  });
});

describe('a spout that never stops', () => {
  it("with no interval, no max.spout.pending and no backpressure, is the kernel's stalled-time error rather than a hang", () => {
    const b = new TopologyBuilder();
    b.setSpout('s', { outputFields: ['n'], nextTuple: (c) => void c.emit([1]) }, 1);
    const sim = new Simulation({ seed: 1 });
    new StormSystem(sim, { topology: b.createTopology(), 'topology.backpressure.enable': false });
    expect(() => sim.run({ until: 1 })).toThrow(
      /simulated time stopped advancing.*storm.nextTuple/,
    );
  });
});

describe('backpressure', () => {
  it('a slow bolt fills its receive queue; the spouts stop above the high watermark, nothing is dropped', () => {
    const sim = new Simulation({ seed: 13 });
    const b = new TopologyBuilder();
    b.setSpout('s', recordingSpout(1e9, { acked: new Map(), failed: [] }, 0.001), 2);
    b.setBolt(
      'slow',
      { execute: () => undefined, executeLatency: Exponential.withMean(0.01) },
      1,
    ).shuffleGrouping('s');
    const sys = new StormSystem(sim, {
      topology: b.createTopology(),
      'topology.executor.receive.buffer.size': 64,
      'topology.message.timeout.secs': 600,
    });
    sim.run({ until: 20 });
    const s = sys.summary(20);
    const slow = s.components.find((c) => c.id === 'slow') as { dropped: number; capacity: number };
    expect(s.backpressure).toBeGreaterThan(0.1);
    expect(slow.dropped).toBe(0);
    expect(slow.capacity).toBeGreaterThan(0.95);
    // offered 2000/s, served 100/s: throughput is the bolt's rate
    expect(s.acked / 20).toBeGreaterThan(85);
    expect(s.acked / 20).toBeLessThan(115);
  });
});

describe('daemon failures', () => {
  const crashAt = { outages: [{ at: 2, duration: 1 }] };

  it('a worker crash with acking: its trees time out or are replayed, and every message is processed at least once', () => {
    // one sentence a second per spout task, so that trees are in flight when worker 1 dies at 2 s
    const sys = wordCount(
      'fields',
      { failures: { workers: [undefined, crashAt] }, 'topology.message.timeout.secs': 5 },
      40,
      3,
      1,
    );
    const s = sys.summary(40);
    expect(s.acked).toBe(corpus.length);
    expect(s.crashFails + s.timedOut).toBeGreaterThan(0);
    expect(s.pending).toBe(0);
    expect(s.emitted).toBe(s.acked + s.failed);
  });

  it('reliability off (ackers 0): a crash loses tuples, nothing is replayed', () => {
    // a slow, repeating spout so that tuples are in flight when worker 1 dies
    const sim = new Simulation({ seed: 6 });
    const topology = wordCountTopology({
      sentences: corpus,
      repeat: true,
      nextTupleInterval: new Deterministic(0.05),
      splitLatency: Exponential.withMean(0.02),
      countLatency: Exponential.withMean(0.002),
    });
    const sys = new StormSystem(sim, {
      topology,
      'topology.workers': 3,
      'topology.acker.executors': 0,
      failures: { workers: [undefined, crashAt] },
    });
    sim.run({ until: 6 });
    const s = sys.summary(6);
    const lost = s.components.reduce((a, c) => a + c.lost, 0);
    expect(lost).toBeGreaterThan(0);
    expect(s.replayed).toBe(0);
    expect(s.failed).toBe(0);
  });

  it('a node dies: Nimbus moves its workers after nimbus.task.timeout.secs; with Nimbus down nothing moves', () => {
    const base: Partial<StormConfig> = {
      supervisors: 2,
      'supervisor.slots.ports': [6700, 6701],
      'nimbus.task.timeout.secs': 3,
    };
    const nodeDown = { nodes: [{ outages: [{ at: 1, duration: Infinity }] }] };
    const moved = wordCount(
      'fields',
      { ...base, failures: nodeDown, 'topology.workers': 2 } as Partial<StormConfig>,
      60,
    );
    expect(moved.daemons.reassignments).toBe(1);
    expect(moved.cluster.workerNode[0]).toBe(1);
    const stuck = wordCount(
      'fields',
      {
        ...base,
        failures: { ...nodeDown, nimbus: { outages: [{ at: 0.5, duration: Infinity }] } },
        'topology.workers': 2,
      } as Partial<StormConfig>,
      60,
    );
    expect(stuck.daemons.reassignments).toBe(0);
    expect(stuck.cluster.workerNode[0]).toBe(0);
  });

  it('an acker dies: its trees time out and replay', () => {
    const sim = new Simulation({ seed: 12 });
    const b = new TopologyBuilder();
    b.setSpout('s', recordingSpout(300, { acked: new Map(), failed: [] }, 0.01), 1);
    b.setBolt(
      'x',
      { execute: () => undefined, executeLatency: Exponential.withMean(0.002) },
      1,
    ).shuffleGrouping('s');
    const sys = new StormSystem(sim, {
      topology: b.createTopology(),
      'topology.acker.executors': 2,
      'topology.message.timeout.secs': 1,
      failures: { ackers: [{ outages: [{ at: 1, duration: 0.5 }] }] },
    });
    sim.run({ until: 10 });
    const s = sys.summary(10);
    expect(s.timedOut).toBeGreaterThan(0);
    expect(s.acked).toBe(300);
  });
});
