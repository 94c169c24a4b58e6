// Topology checks and groupings against Storm's semantics (../shared/reference/subsystems.md §5.1-5.2;
// apache/storm storm-client grouping/ShuffleGrouping.java, GrouperFactory's GlobalGrouper, AllGrouper,
// FieldsGrouper, TopologyBuilder).
import { ParameterError } from '../../../lib/errors';
import { Simulation } from '../../../lib/sim/simulation';
import { Deterministic } from '../../../lib/random/deterministic';
import { TopologyBuilder } from '../../../lib/systems/storm/topology';
import type { BoltSpec, SpoutSpec } from '../../../lib/systems/storm/topology';
import { StormSystem } from '../../../lib/systems/storm/system';
import { fieldsTaskIndex } from '../../../lib/systems/storm/groupings';
import { partitionFixed, placeExecutors } from '../../../lib/systems/storm/placement';

const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
/** Emits `n` keyed tuples per task, message id = sequence number. */
function keySpout(n: number): SpoutSpec<{ i: number }> {
  return {
    outputFields: ['key', 'seq'],
    open: () => ({ i: 0 }),
    nextTuple: (c, s) => {
      if (s.i >= n) return;
      c.emit([keys[s.i % keys.length], s.i], s.i);
      s.i++;
    },
    nextTupleInterval: new Deterministic(0.001),
  };
}
/** Records per task the keys it saw. */
const sinkBolt: BoltSpec<string[]> = {
  prepare: () => [],
  execute: (t, _c, seen) => void seen.push(t.getStringByField('key')),
};

function run(
  build: (b: TopologyBuilder) => void,
  options: Record<string, unknown> = {},
  until = 10,
): StormSystem {
  const b = new TopologyBuilder();
  build(b);
  const sim = new Simulation({ seed: 11 });
  const sys = new StormSystem(sim, { topology: b.createTopology(), ...options });
  sim.run({ until });
  return sys;
}

describe('TopologyBuilder', () => {
  it('numbers tasks from 1 in sorted component order; executors <= tasks; setNumTasks', () => {
    const b = new TopologyBuilder();
    b.setSpout('spout', keySpout(1), 2);
    b.setBolt('green', { ...sinkBolt, outputFields: ['key'] }, 2)
      .setNumTasks(4)
      .shuffleGrouping('spout');
    b.setBolt('yellow', sinkBolt, 6).shuffleGrouping('green');
    const t = b.createTopology();
    expect(t.tasks.green).toEqual([1, 2, 3, 4]);
    expect(t.tasks.spout).toEqual([5, 6]);
    expect(t.tasks.yellow).toEqual([7, 8, 9, 10, 11, 12]);
    expect(t.totalTasks).toBe(12);
    // the parallelism doc's example: 10 executors over 2 workers, 5 each (ackers aside)
    const ex = placeExecutors(
      t.components.map((c) => ({ id: c.id, parallelism: c.parallelism, tasks: t.tasks[c.id] })),
      [],
      2,
    );
    expect(ex).toHaveLength(10);
    expect(ex.filter((e) => e.worker === 0)).toHaveLength(5);
    expect(partitionFixed(2, [1, 2, 3, 4, 5])).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('rejects a cycle, an unknown source, an unknown stream or field, parallelism above the task count', () => {
    const cyc = new TopologyBuilder();
    cyc.setSpout('s', keySpout(1));
    cyc
      .setBolt('a', { ...sinkBolt, outputFields: ['key'] })
      .shuffleGrouping('s')
      .shuffleGrouping('b');
    cyc.setBolt('b', { ...sinkBolt, outputFields: ['key'] }).shuffleGrouping('a');
    expect(() => cyc.createTopology()).toThrow(/has a cycle/);
    const unk = new TopologyBuilder();
    unk.setSpout('s', keySpout(1));
    unk.setBolt('a', sinkBolt).shuffleGrouping('spuot');
    expect(() => unk.createTopology()).toThrow(ParameterError);
    expect(() => unk.createTopology()).toThrow(/a.inputs = "spuot".*not a component/);
    const fld = new TopologyBuilder();
    fld.setSpout('s', keySpout(1));
    fld.setBolt('a', sinkBolt).fieldsGrouping('s', ['word']);
    expect(() => fld.createTopology()).toThrow(/"word".*not a field of s:default/);
    const str = new TopologyBuilder();
    str.setSpout('s', keySpout(1));
    str.setBolt('a', sinkBolt).shuffleGrouping('s', 'other');
    expect(() => str.createTopology()).toThrow(/not a stream/);
    const par = new TopologyBuilder();
    par.setSpout('s', keySpout(1));
    par.setBolt('a', sinkBolt, 4).setNumTasks(2).shuffleGrouping('s');
    expect(() => par.createTopology()).toThrow(/a.parallelism_hint = 4.*<= its task count/);
    expect(() => new TopologyBuilder().setBolt('x', sinkBolt, 0)).toThrow(ParameterError);
  });

  it('rejects unknown config keys with a suggestion, and bad values naming the key', () => {
    const b = new TopologyBuilder();
    b.setSpout('s', keySpout(1));
    const topology = b.createTopology();
    const sim = new Simulation({ seed: 1 });
    expect(
      () => new StormSystem(sim, { topology, 'topology.max.spout.pendin': 5 } as never),
    ).toThrow(/did you mean "topology.max.spout.pending"/);
    expect(() => new StormSystem(sim, { topology, 'topology.workers': 0 })).toThrow(
      /topology.workers/,
    );
    expect(() => new StormSystem(sim, { topology, 'topology.workers': 9, supervisors: 2 })).toThrow(
      /supervisors/,
    );
    expect(() => new StormSystem(sim, { topology, failures: { worker: {} } as never })).toThrow(
      /failures.worker.*did you mean "workers"/,
    );
  });
});

describe('stream groupings', () => {
  it('shuffle: per-task counts differ by at most one per full cycle of each sender', () => {
    const sys = run((b) => {
      b.setSpout('s', keySpout(103), 1);
      b.setBolt('x', sinkBolt, 5).shuffleGrouping('s');
    });
    const counts = sys.componentStates('x').map((s) => (s as string[]).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(103);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('global: 100 % to the lowest task id; all: every task gets every tuple (traffic × tasks)', () => {
    const sys = run((b) => {
      b.setSpout('s', keySpout(50), 2);
      b.setBolt('g', sinkBolt, 4).globalGrouping('s');
      b.setBolt('h', sinkBolt, 3).allGrouping('s');
    });
    const g = sys.componentStates('g').map((s) => (s as string[]).length);
    expect(g).toEqual([100, 0, 0, 0]);
    expect(Math.min(...sys.config.topology.tasks.g)).toBe(sys.config.topology.tasks.g[0]);
    const h = sys.componentStates('h').map((s) => (s as string[]).length);
    expect(h).toEqual([100, 100, 100]);
    const s = sys.summary(10);
    expect(s.acked).toBe(100);
    expect(s.components.find((c) => c.id === 's')?.emitted).toBe(100 * (1 + 3));
  });

  it("fields: equal keys reach one task, the one Storm's floorMod(List.hashCode) picks", () => {
    const sys = run((b) => {
      b.setSpout('s', keySpout(70), 3);
      b.setBolt('f', sinkBolt, 4).setNumTasks(6).fieldsGrouping('s', ['key']);
    });
    const states = sys.componentStates('f') as string[][];
    states.forEach((seen, i) => {
      for (const k of seen) expect(fieldsTaskIndex([k], 6)).toBe(i);
    });
    expect(states.flat()).toHaveLength(210);
  });

  it('several streams per component: each subscriber gets only its stream', () => {
    const router: BoltSpec = {
      outputFields: { even: ['key', 'seq'], odd: ['key', 'seq'] },
      execute: (t, c) =>
        void c.emit(
          [t.getValue(0), t.getValue(1)],
          (t.getValue(1) as number) % 2 === 0 ? 'even' : 'odd',
        ),
    };
    const seqBolt: BoltSpec<number[]> = {
      prepare: () => [],
      execute: (t, _c, seen) => void seen.push(t.getValue(1) as number),
    };
    const sys = run((b) => {
      b.setSpout('s', keySpout(40), 1);
      b.setBolt('r', router, 2).shuffleGrouping('s');
      b.setBolt('e', seqBolt, 2).shuffleGrouping('r', 'even');
      b.setBolt('o', seqBolt, 1).globalGrouping('r', 'odd');
    });
    const even = (sys.componentStates('e') as number[][]).flat().sort((x, y) => x - y);
    const odd = (sys.componentStates('o') as number[][]).flat().sort((x, y) => x - y);
    expect(even).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i));
    expect(odd).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i + 1));
    expect(sys.summary(10).acked).toBe(40);
    const bad = new TopologyBuilder();
    bad.setSpout('s', keySpout(1));
    bad
      .setBolt('r', { ...router, execute: (_t, c) => void c.emit(['x', 1], 'nope') })
      .shuffleGrouping('s');
    const sim = new Simulation({ seed: 1 });
    new StormSystem(sim, { topology: bad.createTopology() });
    expect(() => sim.run({ until: 1 })).toThrow(/r.emit stream = "nope".*not declared/);
  });

  it('partialKey: each key on at most two tasks, direct: the named task, localOrShuffle: no remote hop when co-located', () => {
    const sys = run((b) => {
      b.setSpout('s', keySpout(70), 1);
      b.setBolt('p', sinkBolt, 6).partialKeyGrouping('s', ['key']);
      b.setBolt(
        'd',
        {
          outputFields: ['key'],
          execute: (t, c) => c.emitDirect(sys0Task, [t.getStringByField('key')]),
        },
        1,
      ).shuffleGrouping('s');
      b.setBolt('e', sinkBolt, 3).directGrouping('d');
    });
    const byKey = new Map<string, Set<number>>();
    (sys.componentStates('p') as string[][]).forEach((seen, i) =>
      seen.forEach((k) => byKey.set(k, (byKey.get(k) ?? new Set()).add(i))),
    );
    for (const set of byKey.values()) expect(set.size).toBeLessThanOrEqual(2);
    expect([...byKey.values()].some((s) => s.size === 2)).toBe(true);
    expect((sys.componentStates('e') as string[][]).map((s) => s.length)).toEqual([0, 70, 0]);
    const local = run(
      (b) => {
        b.setSpout('s', keySpout(40), 2);
        b.setBolt('x', sinkBolt, 2).localOrShuffleGrouping('s');
      },
      { 'topology.workers': 2, 'topology.acker.executors': 0 },
    );
    expect(local.summary(10).transfersRemote).toBe(0);
    const shuffled = run(
      (b) => {
        b.setSpout('s', keySpout(40), 2);
        b.setBolt('x', sinkBolt, 2).shuffleGrouping('s');
      },
      { 'topology.workers': 2, 'topology.acker.executors': 0 },
    );
    expect(shuffled.summary(10).transfersRemote).toBe(40);
  });
});

// the direct grouping test's target: the second task of component 'e' (tasks sorted: d, e, p, s)
const sys0Task = 3;
