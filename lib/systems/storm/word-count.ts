/**
 * Storm's word-count topology [S-wc] (storm-starter WordCountTopology): a sentence spout (5),
 * `split` (8, shuffle grouping from the spout) whose bolt really splits each sentence into words,
 * and `count` (12, fields grouping on "word") whose bolt keeps a real in-memory map and emits
 * (word, count) on each update. Here the spout reads a known corpus (data/storm/corpus.txt, one
 * sentence a line), each spout task its share (line i goes to task i mod spouts), each line once
 * with message id i, so the run ends with exact counts to compare with the corpus itself.
 *
 * Under fields grouping every occurrence of a word reaches one count task: per-task maps are
 * disjoint and the counts exact. Under shuffle grouping a word's count is split over up to 12
 * tasks (the classic bug): the union of the maps over-reports distinct words.
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../../project';
import type { Distribution } from '../../random/distribution';
import type { BoltSpec, SpoutSpec } from './topology';
import { TopologyBuilder } from './topology';
import type { StormTopology } from './topology';

/** The corpus's sentences (non-empty lines). */
export function loadCorpus(
  file: string = path.join(projectRoot(), 'data', 'storm', 'corpus.txt'),
): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** SplitSentence's rule: lower case, split on anything that is not a letter, digit or apostrophe. */
export function splitWords(sentence: string): string[] {
  return sentence
    .toLowerCase()
    .split(/[^a-z0-9']+/)
    .filter((w) => w.length > 0);
}

/** The true word counts of the sentences. */
export function trueCounts(sentences: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of sentences) for (const w of splitWords(s)) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/** A reliable spout over a fixed list of sentences: task k emits lines k, k + n, ..., message id = line. */
export function sentenceSpout(
  sentences: readonly string[],
  options: { repeat?: boolean; nextTupleInterval?: Distribution } = {},
): SpoutSpec<{ next: number; step: number }> {
  return {
    outputFields: ['sentence'],
    open: (ctx) => ({ next: ctx.taskIndex, step: ctx.componentTasks.length }),
    nextTuple: (collector, state) => {
      if (state.next >= sentences.length) {
        if (!options.repeat) return;
        state.next -= sentences.length * Math.floor(state.next / sentences.length);
      }
      const i = state.next;
      state.next += state.step;
      collector.emit([sentences[i]], i);
    },
    nextTupleInterval: options.nextTupleInterval,
  };
}

/** SplitSentence: one (word) tuple per word, anchored to the sentence. */
export function splitSentenceBolt(executeLatency?: Distribution): BoltSpec {
  return {
    outputFields: ['word'],
    execute: (tuple, collector) => {
      const words = splitWords(tuple.getString(0));
      for (let i = 0; i < words.length; i++) collector.emit([words[i]]);
    },
    executeLatency,
  };
}

/** WordCount: a map per task; emits (word, count) on each update. */
export function wordCountBolt(executeLatency?: Distribution): BoltSpec<Map<string, number>> {
  return {
    outputFields: ['word', 'count'],
    prepare: () => new Map<string, number>(),
    execute: (tuple, collector, counts) => {
      const word = tuple.getStringByField('word');
      const c = (counts.get(word) ?? 0) + 1;
      counts.set(word, c);
      collector.emit([word, c]);
    },
    executeLatency,
  };
}

export interface WordCountOptions {
  sentences: readonly string[];
  /** How `count` subscribes to `split` (default 'fields' on "word"). */
  grouping?: 'fields' | 'shuffle' | 'partialKey';
  spoutParallelism?: number;
  splitParallelism?: number;
  countParallelism?: number;
  splitLatency?: Distribution;
  countLatency?: Distribution;
  repeat?: boolean;
  nextTupleInterval?: Distribution;
}

/** The word-count topology with the course's parallelism (5, 8, 12) by default. */
export function wordCountTopology(o: WordCountOptions): StormTopology {
  const b = new TopologyBuilder();
  b.setSpout(
    'spout',
    sentenceSpout(o.sentences, { repeat: o.repeat, nextTupleInterval: o.nextTupleInterval }),
    o.spoutParallelism ?? 5,
  );
  b.setBolt('split', splitSentenceBolt(o.splitLatency), o.splitParallelism ?? 8).shuffleGrouping(
    'spout',
  );
  const count = b.setBolt('count', wordCountBolt(o.countLatency), o.countParallelism ?? 12);
  const g = o.grouping ?? 'fields';
  if (g === 'fields') count.fieldsGrouping('split', ['word']);
  else if (g === 'partialKey') count.partialKeyGrouping('split', ['word']);
  else count.shuffleGrouping('split');
  return b.createTopology();
}

/** What the count tasks report: distinct (task, word) entries, total count, each task's share. */
export function countReport(maps: ReadonlyArray<Map<string, number>>): {
  distinctReported: number;
  totalCount: number;
  merged: Map<string, number>;
  taskShares: number[];
} {
  const merged = new Map<string, number>();
  let distinct = 0;
  let total = 0;
  const perTask: number[] = [];
  for (const m of maps) {
    let t = 0;
    for (const [w, c] of m) {
      distinct++;
      total += c;
      t += c;
      merged.set(w, (merged.get(w) ?? 0) + c);
    }
    perTask.push(t);
  }
  return {
    distinctReported: distinct,
    totalCount: total,
    merged,
    taskShares: perTask.map((t) => (total > 0 ? t / total : 0)),
  };
}
