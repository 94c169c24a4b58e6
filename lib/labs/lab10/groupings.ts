/**
 * storm-groupings: per-task load of one bolt (12 tasks) fed by 4 spout tasks whose tuples carry Zipf
 * keys, under each grouping, through the simulated cluster (Storm's own task selection). The
 * hottest task's share of the stream beside theory: shuffle 1/n (counts within one per sender's
 * cycle); fields max over tasks of Σ p_k over the keys Storm's hash puts on the task (exact from the
 * Zipf pmf and the hash); partial key at least max(p₁/2, 1/n) (the hottest key split over two tasks;
 * Nasir et al., ICDE 2015); global 1 (the lowest task id takes everything); all 1 per task, and n
 * deliveries per tuple.
 */
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Deterministic } from '../../random/deterministic';
import { Zipf } from '../../random/zipf';
import type { Rng } from '../../random/xoshiro128';
import { Simulation } from '../../sim/simulation';
import { fieldsTaskIndex } from '../../systems/storm/groupings';
import { StormSystem } from '../../systems/storm/system';
import { TopologyBuilder } from '../../systems/storm/topology';
import type { SpoutSpec } from '../../systems/storm/topology';
import { workOf } from '../../experiment/work';

const lab = '10-storm-topologies';

export const groupingNames = ['shuffle', 'fields', 'partialKey', 'global', 'all'] as const;

/** Zipf(n, s) probabilities of ranks 1..n. */
export function zipfPmf(n: number, s: number): number[] {
  const w = Array.from({ length: n }, (_, i) => Math.pow(i + 1, -s));
  const h = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / h);
}

/** Theory of the hottest task's share and of the deliveries per tuple. */
export function groupingTheory(
  grouping: string,
  keys: number,
  s: number,
  tasks: number,
): { share: number; traffic: number } {
  const p = zipfPmf(keys, s);
  switch (grouping) {
    case 'fields': {
      const load = new Float64Array(tasks);
      p.forEach((pk, i) => (load[fieldsTaskIndex([`key${i + 1}`], tasks)] += pk));
      return { share: Math.max(...load), traffic: 1 };
    }
    case 'partialKey':
      return { share: Math.max(p[0] / 2, 1 / tasks), traffic: 1 };
    case 'global':
      return { share: 1, traffic: 1 };
    case 'all':
      return { share: 1, traffic: tasks };
    default:
      return { share: 1 / tasks, traffic: 1 };
  }
}

/** Unreliable spout of Zipf keys, drawn from the run's `spout.keys` stream. */
function zipfSpout(keys: number, s: number, perTask: number, rng: Rng): SpoutSpec<{ i: number }> {
  const zipf = new Zipf(keys, s);
  return {
    outputFields: ['key'],
    open: () => ({ i: 0 }),
    nextTuple: (c, st) => {
      if (st.i >= perTask) return;
      st.i++;
      c.emit([`key${zipf.sample(rng)}`]);
    },
    nextTupleInterval: new Deterministic(0.0001),
  };
}

export const stormGroupings = defineExperiment({
  name: 'storm-groupings',
  title: "Hottest task's share of a Zipf-keyed stream under each grouping",
  description:
    'Four spout tasks emit tuples whose key follows Zipf(keys, s); one bolt of 12 tasks subscribes with shuffle, fields, partialKey, global or all grouping. ' +
    'Shuffle spreads evenly (1/12); fields puts every tuple of the hottest key on one task, so skew caps that task; partial key splits each key over two tasks; ' +
    'global sends everything to the lowest task id; all sends every tuple to every task (12 deliveries per tuple).',
  lab,
  params: {
    groupings: {
      type: 'choices',
      default: [...groupingNames],
      choices: groupingNames,
      doc: 'Groupings to compare.',
    },
    exponents: {
      type: 'numbers',
      default: [0, 0.7, 1.4],
      min: 0,
      max: 4,
      doc: 'Zipf exponents s of the key popularity.',
    },
    keys: { type: 'integer', default: 1000, min: 1, max: 1e6, unit: 'keys', doc: 'Distinct keys.' },
    tasks: {
      type: 'integer',
      default: 12,
      min: 2,
      max: 256,
      unit: 'tasks',
      doc: 'Tasks of the subscribing bolt.',
    },
    tuples: {
      type: 'integer',
      default: 8000,
      min: 100,
      max: 1e7,
      unit: 'tuples',
      doc: 'Spout tuples per run (4 spout tasks).',
    },
  },
  replications: 2,
  metrics: { hottestShare: 'proportion', traffic: 'nonNegative' },
  precisionMetrics: ['hottestShare'],
  // worst at the most skewed keys (s 1.4), two replications
  statedPrecision: { hottestShare: 0.25 },
  units: { hottestShare: 'fraction of tuples', traffic: 'deliveries per tuple' },
  points: (p) => p.groupings.flatMap((g) => p.exponents.map((s) => ({ grouping: g, s: s }))),
  workEstimate: (point, p) =>
    workOf({ tuples: 2 * p.tuples * (1 + (point.grouping === 'all' ? p.tasks : 1)) }),
  simulate: (point, p, seed) => {
    const sim = new Simulation({ seed });
    const b = new TopologyBuilder();
    b.setSpout(
      'spout',
      zipfSpout(p.keys, point.s as number, Math.ceil(p.tuples / 4), sim.streams.get('spout.keys')),
      4,
    );
    const bolt = b.setBolt(
      'bolt',
      { execute: () => undefined, executeLatency: new Deterministic(0.00001) },
      p.tasks,
    );
    const g = point.grouping as string;
    if (g === 'fields') bolt.fieldsGrouping('spout', ['key']);
    else if (g === 'partialKey') bolt.partialKeyGrouping('spout', ['key']);
    else if (g === 'global') bolt.globalGrouping('spout');
    else if (g === 'all') bolt.allGrouping('spout');
    else bolt.shuffleGrouping('spout');
    const sys = new StormSystem(sim, {
      topology: b.createTopology(),
      'topology.workers': 2,
      'topology.acker.executors': 0,
    });
    sim.run({ until: 1 + p.tuples * 0.0001 });
    const s = sys.summary(sim.now);
    const per = (s.components.find((c) => c.id === 'bolt') as { executedPerTask: number[] })
      .executedPerTask;
    const emitted = s.emitted;
    return {
      hottestShare: Math.max(...per) / emitted,
      traffic: per.reduce((a, x) => a + x, 0) / emitted,
    };
  },
  theory: (point, p) => {
    const t = groupingTheory(point.grouping as string, p.keys, point.s as number, p.tasks);
    return { hottestShare_theory: t.share, traffic_theory: t.traffic };
  },
  figures: (t) => [
    theoryVsSimulation(t, {
      x: 's',
      y: 'hottestShare',
      groupBy: 'grouping',
      title: "Hottest task's share of the stream vs key skew",
      theoryLabel: 'theory',
      simulationLabel: 'simulation (95% CI)',
      xAxis: { title: 'Zipf exponent s' },
      yAxis: { title: 'share of spout tuples at the hottest task', log: true },
    }),
  ],
});
