/**
 * The lab's measured topology: `spout` (s tasks, Poisson emission at λ/s each, message ids) →
 * `parse` (a executors, shuffle, one tuple out per input) → `work` (p executors, shuffle, `fanout`
 * tuples per spout tuple: the bottleneck of the parallelism experiment). The closed forms beside it:
 * - throughput bound [§5.6]: X ≤ min(λ, a·μ_parse / 1, p·μ_work / fanout);
 * - complete latency below saturation, Jackson's approximation: each executor an M/M/1 queue, a
 *   tree done when its slowest work child is (E[max of k exponentials] = H_k/θ), plus the hops of
 *   the critical path (spout→parse, parse→work, work→acker, acker→spout);
 * - under max.spout.pending M with the spout always ready, a closed network of N = s·M trees:
 *   exact MVA (Reiser and Lavenberg 1980) over the executors and the hops, and Little's
 *   X = s·M / L with L the measured complete latency [§5.6, models-for-new-labs.md].
 */
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import { mva } from '../../queueing/mva';
import type { MvaStation } from '../../queueing/mva-stations';
import { TopologyBuilder } from '../../systems/storm/topology';
import type { BoltSpec, SpoutSpec, StormTopology } from '../../systems/storm/topology';
import { placeExecutors } from '../../systems/storm/placement';

export interface ChainModel {
  spouts: number;
  /** Total spout rate λ (tuples/s); Infinity: the spout emits whenever max.spout.pending allows. */
  rate: number;
  parse: number;
  parseMs: number;
  work: number;
  workMs: number;
  fanout: number;
  workers: number;
  hopMs: number;
  /** Optional observers: a spout tuple emitted (its id), a work tuple executed (its tree's id). */
  onEmit?: (id: number) => void;
  onWork?: (id: number) => void;
}

/** An endless reliable spout of (key, seq) tuples. */
function keySpout(
  rate: number,
  spouts: number,
  onEmit?: (id: number) => void,
): SpoutSpec<{ seq: number; base: number }> {
  return {
    outputFields: ['key', 'id'],
    open: (ctx) => ({ seq: 0, base: ctx.taskIndex * 1e9 }),
    nextTuple: (c, s) => {
      const id = s.base + s.seq++;
      if (onEmit) onEmit(id);
      c.emit([id % 10007, id], id);
    },
    nextTupleInterval: Number.isFinite(rate)
      ? new Exponential(rate / spouts)
      : new Deterministic(0),
  };
}

export function chainTopology(m: ChainModel): StormTopology {
  const b = new TopologyBuilder();
  b.setSpout('spout', keySpout(m.rate, m.spouts, m.onEmit), m.spouts);
  const parse: BoltSpec = {
    outputFields: ['id', 'part'],
    execute: (t, c) => {
      for (let k = 0; k < m.fanout; k++) c.emit([t.getValue(1), k]);
    },
    executeLatency: Exponential.withMean(m.parseMs / 1000),
  };
  b.setBolt('parse', parse, m.parse).shuffleGrouping('spout');
  const onWork = m.onWork;
  b.setBolt(
    'work',
    {
      execute: onWork ? (t) => onWork(t.getValue(0) as number) : () => undefined,
      executeLatency: Exponential.withMean(m.workMs / 1000),
    },
    m.work,
  ).shuffleGrouping('parse');
  return b.createTopology();
}

/**
 * Probability that a tree avoids every down worker, when worker w is down with probability down[w]
 * independently and the tree's spout task is up: its parse tuple, its `fanout` work tuples and (with
 * acking) its acker must each land on a worker that is up (or on the spout's own worker).
 *
 * Over the set D of down workers (2^workers states, the spout's worker up):
 * P = Σ_D Pr(D) · (1 − a_D/a) · C(p − p_D, m)/C(p, m) · (1 − k_D/k), m = min(fanout, p), with
 * a_D, p_D, k_D the parse, work and acker tasks on D. The work factor is hypergeometric, not
 * ((p − p_D)/p)^fanout: Storm's ShuffleGrouping (storm-client grouping/ShuffleGrouping.java) is a
 * round robin over a permutation of the target tasks drawn once per sending task, so one parse
 * tuple's `fanout` consecutive emits reach `m` distinct work tasks, a uniformly random m-subset
 * over the permutation (at 4 work tasks on 4 workers and fanout 2: 1/2 avoid a dead worker, not
 * 9/16). The parse tuple's task is the spout's round robin (each task 1/a of the trees); the acker
 * is `floorMod(hash(rootId), ackers)` of a random 64-bit root id, independent of both.
 */
export function treeSurvival(m: ChainModel, down: readonly number[], acking: boolean): number {
  const per = treeSurvivalBySpout(m, down, acking);
  return per.reduce((a, x) => a + x.p, 0) / per.length;
}

/** C(n, k) / C(N, k): probability that k distinct draws from N items all fall among n of them. */
function allAmong(n: number, N: number, k: number): number {
  let q = 1;
  for (let i = 0; i < k; i++) q *= Math.max(0, n - i) / (N - i);
  return q;
}

/** {@link treeSurvival} for each spout task, with the worker it runs on. */
export function treeSurvivalBySpout(
  m: ChainModel,
  down: readonly number[],
  acking: boolean,
): Array<{ worker: number; p: number }> {
  const t = chainTopology({ ...m, onEmit: undefined, onWork: undefined });
  const ackers = acking ? Array.from({ length: m.workers }, (_, i) => t.totalTasks + 1 + i) : [];
  const ex = placeExecutors(
    t.components.map((c) => ({ id: c.id, parallelism: c.parallelism, tasks: t.tasks[c.id] })),
    ackers,
    m.workers,
  );
  const workerOf = new Map<number, number>();
  for (const e of ex) for (const task of e.tasks) workerOf.set(task, e.worker);
  /** Tasks of `tasks` on the workers of bit set `set`. */
  const on = (tasks: readonly number[], set: number) =>
    tasks.filter((task) => set & (1 << (workerOf.get(task) as number))).length;
  const parse = t.tasks.parse;
  const work = t.tasks.work;
  const distinct = Math.min(m.fanout, work.length);
  const out: Array<{ worker: number; p: number }> = [];
  for (const sp of t.tasks.spout) {
    const sw = workerOf.get(sp) as number;
    let p = 0;
    for (let set = 0; set < 1 << m.workers; set++) {
      if (set & (1 << sw)) continue;
      let pr = 1;
      for (let w = 0; w < m.workers; w++)
        if (w !== sw) pr *= set & (1 << w) ? down[w] : 1 - down[w];
      if (pr === 0) continue;
      let s = pr * (1 - on(parse, set) / parse.length);
      s *= allAmong(work.length - on(work, set), work.length, distinct);
      if (acking) s *= 1 - on(ackers, set) / ackers.length;
      p += s;
    }
    out.push({ worker: sw, p: p });
  }
  return out;
}

/** Per-component capacity in spout tuples per second: executors × rate / tuples per spout tuple. */
export function chainBounds(m: ChainModel): { parse: number; work: number; X: number } {
  const parse = (m.parse * 1000) / m.parseMs;
  const work = (m.work * 1000) / m.workMs / m.fanout;
  return { parse, work, X: Math.min(m.rate, parse, work) };
}

/** Mean remote hops on the critical path of a tree, from the placement (shuffle: uniform targets). */
export function criticalPathHops(m: ChainModel): number {
  const t = chainTopology(m);
  const ackers = Array.from({ length: m.workers }, (_, i) => t.totalTasks + 1 + i);
  const ex = placeExecutors(
    t.components.map((c) => ({ id: c.id, parallelism: c.parallelism, tasks: t.tasks[c.id] })),
    ackers,
    m.workers,
  );
  const worker = new Map<number, number>();
  for (const e of ex) for (const task of e.tasks) worker.set(task, e.worker);
  const remote = (from: readonly number[], to: readonly number[]) => {
    let r = 0;
    for (const f of from) for (const g of to) if (worker.get(f) !== worker.get(g)) r++;
    return r / (from.length * to.length);
  };
  return (
    remote(t.tasks.spout, t.tasks.parse) +
    remote(t.tasks.parse, t.tasks.work) +
    remote(t.tasks.work, ackers) +
    remote(ackers, t.tasks.spout)
  );
}

function harmonic(k: number): number {
  let h = 0;
  for (let i = 1; i <= k; i++) h += 1 / i;
  return h;
}

/** Jackson approximation of the complete latency (s) below saturation; null at or above it. */
export function chainLatency(m: ChainModel): number | null {
  const lp = m.rate / m.parse;
  const lw = (m.rate * m.fanout) / m.work;
  const mp = 1000 / m.parseMs;
  const mw = 1000 / m.workMs;
  if (lp >= mp || lw >= mw) return null;
  return 1 / (mp - lp) + harmonic(m.fanout) / (mw - lw) + (criticalPathHops(m) * m.hopMs) / 1000;
}

/** Exact MVA of the closed network of N = s·M trees (fanout 1: one tuple per executor stage). */
export function chainMva(m: ChainModel, maxSpoutPending: number): { X: number; L: number } {
  const st: MvaStation[] = [];
  for (let i = 0; i < m.parse; i++)
    st.push({ name: `parse${i}`, visits: 1 / m.parse, serviceTime: m.parseMs / 1000 });
  for (let i = 0; i < m.work; i++)
    st.push({ name: `work${i}`, visits: 1 / m.work, serviceTime: m.workMs / 1000 });
  st.push({
    name: 'hops',
    kind: 'delay',
    demand: Math.max(1e-9, (criticalPathHops(m) * m.hopMs) / 1000),
  });
  const r = mva({ stations: st, users: m.spouts * maxSpoutPending });
  return { X: r.throughput, L: r.responseTime };
}
