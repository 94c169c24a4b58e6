/**
 * Storm's stream groupings: which task(s) of the subscribing bolt get each tuple
 * (../shared/reference/subsystems.md §5.2; apache/storm storm-client: grouping/ShuffleGrouping.java,
 * GrouperFactory.FieldsGrouper, grouping/PartialKeyGrouping.java, daemon/GrouperFactory's
 * GlobalGrouper and AllGrouper).
 *
 * - shuffle (and none): round robin over a randomly permuted list of the target tasks, one list
 *   per sending task, so over every full cycle each target gets exactly one tuple (counts differ by
 *   at most one). Storm 2's load-aware shuffle is off here (`topology.disable.loadaware.messaging`).
 * - fields: `Math.floorMod(Arrays.asList(selected).hashCode(), numTasks)` with Java's List and
 *   String hash codes: equal keys always reach the same task.
 * - partialKey: two candidate tasks from `java.util.Random` seeded with `Arrays.hashCode` of the
 *   key's bytes (each field's hashCode, big-endian), the candidate with fewer tuples sent so far by
 *   this sender wins (Nasir et al., "The power of both choices", ICDE 2015).
 * - all: every task; global: the lowest task id; direct: the task the emitter names;
 *   localOrShuffle: shuffle over the target tasks in the sender's worker, else over all of them.
 */
import type { Rng } from '../../random/xoshiro128';
import { bytesHashCode, floorMod, javaHashCode, JavaRandom, listHashCode } from './java-hash';

export type GroupingType =
  'shuffle' | 'fields' | 'partialKey' | 'all' | 'global' | 'none' | 'direct' | 'localOrShuffle';

export const GROUPING_TYPES: readonly GroupingType[] = [
  'shuffle',
  'fields',
  'partialKey',
  'all',
  'global',
  'none',
  'direct',
  'localOrShuffle',
];

/** The task index Storm's fields grouping picks for the selected values among `numTasks` targets. */
export function fieldsTaskIndex(selected: readonly unknown[], numTasks: number): number {
  return floorMod(listHashCode(selected), numTasks);
}

/** PartialKeyGrouping's key bytes: each selected value's hashCode as a big-endian int. */
export function partialKeyBytes(selected: readonly unknown[]): Int8Array {
  const out = new Int8Array(selected.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < selected.length; i++) view.setInt32(4 * i, javaHashCode(selected[i]));
  return out;
}

/** RandomTwoTaskAssignmentCreator: the two candidate indices (distinct when n > 1) for a key. */
export function partialKeyCandidates(selected: readonly unknown[], n: number): [number, number] {
  const random = new JavaRandom(bytesHashCode(partialKeyBytes(selected)));
  const c1 = random.nextInt(n);
  let c2 = random.nextInt(n);
  c2 = c1 === c2 ? (c2 + 1) % n : c2;
  return [c1, c2];
}

/**
 * One sender task's grouper for one subscription: `choose(values, out)` writes the chosen target
 * task ids into `out` and returns how many. Stateful (round-robin position, partial-key counts),
 * as in Storm, where each sending task has its own grouper instance.
 */
export interface Grouper {
  choose(values: readonly unknown[], out: Int32Array): number;
}

/** Round robin over a permutation drawn once (Collections.shuffle). */
export class ShuffleGrouper implements Grouper {
  private readonly choices: Int32Array;
  private current = 0;

  constructor(targets: readonly number[], rng: Rng) {
    const c = Int32Array.from(targets);
    for (let i = c.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      const t = c[i];
      c[i] = c[j];
      c[j] = t;
    }
    this.choices = c;
  }

  choose(_values: readonly unknown[], out: Int32Array): number {
    if (this.current === this.choices.length) this.current = 0;
    out[0] = this.choices[this.current++];
    return 1;
  }
}

/** Fields grouping: Storm's hash of the selected fields' values, cached per key string. */
export class FieldsGrouper implements Grouper {
  private readonly targets: Int32Array;
  private readonly indices: Int32Array;
  private readonly cache = new Map<unknown, number>();

  /** `indices`: the positions of the grouping fields among the stream's output fields. */
  constructor(targets: readonly number[], indices: readonly number[]) {
    this.targets = Int32Array.from(targets);
    this.indices = Int32Array.from(indices);
  }

  choose(values: readonly unknown[], out: Int32Array): number {
    const idx = this.indices;
    if (idx.length === 1) {
      const key = values[idx[0]];
      let t = this.cache.get(key);
      if (t === undefined) {
        t = this.targets[fieldsTaskIndex([key], this.targets.length)];
        if (this.cache.size < 1 << 20) this.cache.set(key, t);
      }
      out[0] = t;
      return 1;
    }
    const sel: unknown[] = [];
    for (let i = 0; i < idx.length; i++) sel.push(values[idx[i]]);
    out[0] = this.targets[fieldsTaskIndex(sel, this.targets.length)];
    return 1;
  }
}

/** Partial key grouping: two candidates per key, the less loaded (by this sender's count) wins. */
export class PartialKeyGrouper implements Grouper {
  private readonly targets: Int32Array;
  private readonly indices: Int32Array;
  private readonly sent: Float64Array;
  private readonly cache = new Map<unknown, number>();

  constructor(targets: readonly number[], indices: readonly number[]) {
    this.targets = Int32Array.from(targets);
    this.indices = Int32Array.from(indices);
    this.sent = new Float64Array(targets.length);
  }

  choose(values: readonly unknown[], out: Int32Array): number {
    const idx = this.indices;
    const n = this.targets.length;
    let pair: number;
    const key = idx.length === 1 ? values[idx[0]] : undefined;
    const cached = key !== undefined ? this.cache.get(key) : undefined;
    if (cached !== undefined) pair = cached;
    else {
      const sel: unknown[] = [];
      for (let i = 0; i < idx.length; i++) sel.push(values[idx[i]]);
      const [a, b] = partialKeyCandidates(sel, n);
      pair = a * 65536 + b;
      if (key !== undefined && this.cache.size < 1 << 20) this.cache.set(key, pair);
    }
    const a = (pair / 65536) | 0;
    const b = pair - a * 65536;
    // BalancedTargetSelector: the first candidate with the strictly smallest count
    const pick = this.sent[b] < this.sent[a] ? b : a;
    this.sent[pick]++;
    out[0] = this.targets[pick];
    return 1;
  }
}

/** Every target task. */
export class AllGrouper implements Grouper {
  private readonly targets: Int32Array;
  constructor(targets: readonly number[]) {
    this.targets = Int32Array.from(targets);
  }
  choose(_values: readonly unknown[], out: Int32Array): number {
    out.set(this.targets);
    return this.targets.length;
  }
}

/** The lowest task id. */
export class GlobalGrouper implements Grouper {
  private readonly task: number;
  constructor(targets: readonly number[]) {
    this.task = Math.min(...targets);
  }
  choose(_values: readonly unknown[], out: Int32Array): number {
    out[0] = this.task;
    return 1;
  }
}
