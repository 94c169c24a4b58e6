/**
 * storm-word-count: the classic topology with the course's parallelism (spout 5, split 8 with
 * shuffle grouping, count 12 with fields grouping on "word", 3 workers) over the known corpus
 * data/storm/corpus.txt, run until every sentence is acked; then the count tasks' maps are read.
 * Theory: under fields grouping each word is on exactly one task with its exact count, and the
 * hottest task's share is Σ of the counts of the words Storm's hash puts on it (computed from the
 * corpus, exact); under shuffle grouping the tuples of a word spread round robin, so a word seen c
 * times sits on about 12·(1 − (1 − 1/12)^c) tasks (balls into bins, an approximation: each split
 * task cycles its own permutation) and the hottest task's share is about 1/12.
 */
import { defineExperiment } from '../../experiment/experiment';
import { figure, line, markers } from '../../plot/builders';
import { Exponential } from '../../random/exponential';
import { Simulation } from '../../sim/simulation';
import { fieldsTaskIndex } from '../../systems/storm/groupings';
import { StormSystem } from '../../systems/storm/system';
import {
  countReport,
  loadCorpus,
  trueCounts,
  wordCountTopology,
} from '../../systems/storm/word-count';
import type { ColumnTable } from 'arquero';
import { workOf } from '../../experiment/work';

const lab = '10-storm-topologies';

type Row = Record<string, number | string | null>;

/** Expected distinct (task, word) entries and hottest share for a grouping over `tasks` count tasks. */
export function wordCountTheory(
  grouping: string,
  counts: Map<string, number>,
  tasks: number,
): { distinct: number; maxShare: number } {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (grouping === 'fields') {
    const load = new Float64Array(tasks);
    for (const [w, c] of counts) load[fieldsTaskIndex([w], tasks)] += c;
    return { distinct: counts.size, maxShare: Math.max(...load) / total };
  }
  let d = 0;
  for (const c of counts.values()) d += tasks * (1 - Math.pow(1 - 1 / tasks, c));
  return { distinct: d, maxShare: 1 / tasks };
}

export const stormWordCount = defineExperiment({
  name: 'storm-word-count',
  title:
    'Word count: fields grouping reports each word once with its exact count; shuffle splits it',
  description:
    'The storm-starter WordCountTopology: a sentence spout (5 executors), split (8, shuffle grouping from the spout) and count (12, fields grouping on "word"), 3 workers, ' +
    "over data/storm/corpus.txt (public domain: the Gettysburg Address, the opening of A Tale of Two Cities, the example spout's sentences). The bolts really split and count. " +
    "Fields grouping sends every occurrence of a word to one task, so the maps are disjoint and exact; with shuffle grouping a word's count is split over up to 12 tasks.",
  lab,
  params: {
    groupings: {
      type: 'choices',
      default: ['fields', 'shuffle', 'partialKey'],
      choices: ['fields', 'shuffle', 'partialKey'],
      doc: 'How count subscribes to split.',
    },
    spout: {
      type: 'integer',
      default: 5,
      min: 1,
      max: 64,
      unit: 'executors',
      doc: 'Spout parallelism hint.',
    },
    split: {
      type: 'integer',
      default: 8,
      min: 1,
      max: 64,
      unit: 'executors',
      doc: 'Split bolt parallelism hint.',
    },
    count: {
      type: 'integer',
      default: 12,
      min: 1,
      max: 64,
      unit: 'executors',
      doc: 'Count bolt parallelism hint (and tasks).',
    },
    workers: {
      type: 'integer',
      default: 3,
      min: 1,
      max: 64,
      unit: 'workers',
      doc: 'topology.workers.',
    },
  },
  replications: 3,
  metrics: {
    distinctWordsReported: 'count',
    distinctWordsTrue: 'count',
    totalCount: 'count',
    totalTrue: 'count',
    maxTaskShare: 'proportion',
    exactWords: 'proportion',
  },
  precisionMetrics: ['distinctWordsReported', 'maxTaskShare'],
  statedPrecision: { distinctWordsReported: 0.05, maxTaskShare: 0.1 },
  units: {
    distinctWordsReported: 'entries',
    distinctWordsTrue: 'words',
    totalCount: 'words',
    totalTrue: 'words',
    maxTaskShare: 'fraction of words',
    exactWords: 'fraction of words',
  },
  points: (p) => p.groupings.map((g) => ({ grouping: g })),
  // 60 s in which each spout executor polls nextTuple every millisecond once its sentences are out
  // (topology.sleep.spout.wait.strategy.time.ms = 1), and a few events per word of the corpus
  workEstimate: (_point, p) =>
    workOf({
      spout: 60 * 1000 * p.spout,
      corpus: 5 * loadCorpus().reduce((n, sentence) => n + sentence.split(/\s+/).length + 1, 0),
    }),
  simulate: (point, p, seed) => {
    const sentences = loadCorpus();
    const truth = trueCounts(sentences);
    const sim = new Simulation({ seed });
    const topology = wordCountTopology({
      sentences,
      grouping: point.grouping as 'fields' | 'shuffle' | 'partialKey',
      spoutParallelism: p.spout,
      splitParallelism: p.split,
      countParallelism: p.count,
      splitLatency: Exponential.withMean(0.001),
      countLatency: Exponential.withMean(0.0002),
    });
    const sys = new StormSystem(sim, { topology, 'topology.workers': p.workers });
    sim.run({ until: 60 });
    const r = countReport(sys.componentStates('count') as Array<Map<string, number>>);
    let exact = 0;
    for (const [w, c] of truth) if (r.merged.get(w) === c) exact++;
    // a word is reported exactly when one task holds all of it
    let single = 0;
    const maps = sys.componentStates('count') as Array<Map<string, number>>;
    for (const [w, c] of truth) if (maps.some((m) => m.get(w) === c)) single++;
    return {
      distinctWordsReported: r.distinctReported,
      distinctWordsTrue: truth.size,
      totalCount: r.totalCount,
      totalTrue: [...truth.values()].reduce((a, b) => a + b, 0),
      maxTaskShare: Math.max(...r.taskShares),
      exactWords: exact === truth.size ? single / truth.size : 0,
    };
  },
  theory: (point, p) => {
    const truth = trueCounts(loadCorpus());
    if (point.grouping === 'partialKey')
      return { distinctWordsReported_theory: null, maxTaskShare_theory: null };
    const t = wordCountTheory(point.grouping as string, truth, p.count);
    return { distinctWordsReported_theory: t.distinct, maxTaskShare_theory: t.maxShare };
  },
  figures: (t: ColumnTable) => {
    const rows = t.objects() as Row[];
    const x = rows.map((r) => r.grouping as string);
    const sim = (y: string, name: string) =>
      markers(
        x,
        rows.map((r) => r[y] as number),
        {
          name,
          lower: rows.map((r) => r[`${y}_lo`] as number),
          upper: rows.map((r) => r[`${y}_hi`] as number),
          size: 10,
        },
      );
    const th = (y: string, name: string) =>
      markers(
        x,
        rows.map((r) => (r[`${y}_theory`] as number | null) ?? null),
        { name, symbol: 'line-ew-open', size: 22 },
      );
    return [
      figure(
        [
          sim('distinctWordsReported', '(task, word) entries reported (95% CI)'),
          th('distinctWordsReported', 'theory'),
          line(
            x,
            rows.map((r) => r.distinctWordsTrue as number),
            { name: 'distinct words in the corpus', dash: 'dot' },
          ),
        ],
        {
          title: 'Distinct words reported by the 12 count tasks',
          x: { title: 'grouping of count on split' },
          y: { title: 'entries', fromZero: true },
        },
      ),
      figure(
        [
          sim('maxTaskShare', 'hottest count task (95% CI)'),
          th('maxTaskShare', 'theory'),
          line(
            x,
            x.map(() => 1 / 12),
            { name: '1/12', dash: 'dot' },
          ),
        ],
        {
          title: "Hottest count task's share of the words",
          x: { title: 'grouping of count on split' },
          y: { title: 'share of all words', fromZero: true },
        },
      ),
    ];
  },
});
