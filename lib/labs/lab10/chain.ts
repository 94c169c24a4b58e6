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
}

/** An endless reliable spout of (key, seq) tuples. */
function keySpout(rate: number, spouts: number): SpoutSpec<{ seq: number; base: number }> {
  return {
    outputFields: ['key', 'seq'],
    open: (ctx) => ({ seq: 0, base: ctx.taskIndex * 1e9 }),
    nextTuple: (c, s) => {
      const id = s.base + s.seq++;
      c.emit([id % 10007, id], id);
    },
    nextTupleInterval: Number.isFinite(rate) ? new Exponential(rate / spouts) : new Deterministic(0),
  };
}

export function chainTopology(m: ChainModel): StormTopology {
  const b = new TopologyBuilder();
  b.setSpout('spout', keySpout(m.rate, m.spouts), m.spouts);
  const parse: BoltSpec = {
    outputFields: ['key', 'part'],
    execute: (t, c) => {
      for (let k = 0; k < m.fanout; k++) c.emit([t.getValue(0), k]);
    },
    executeLatency: Exponential.withMean(m.parseMs / 1000),
  };
  b.setBolt('parse', parse, m.parse).shuffleGrouping('spout');
  b.setBolt('work', { execute: () => undefined, executeLatency: Exponential.withMean(m.workMs / 1000) }, m.work).shuffleGrouping('parse');
  return b.createTopology();
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
  const ex = placeExecutors(t.components.map((c) => ({ id: c.id, parallelism: c.parallelism, tasks: t.tasks[c.id] })), ackers, m.workers);
  const worker = new Map<number, number>();
  for (const e of ex) for (const task of e.tasks) worker.set(task, e.worker);
  const remote = (from: readonly number[], to: readonly number[]) => {
    let r = 0;
    for (const f of from) for (const g of to) if (worker.get(f) !== worker.get(g)) r++;
    return r / (from.length * to.length);
  };
  return remote(t.tasks.spout, t.tasks.parse) + remote(t.tasks.parse, t.tasks.work) + remote(t.tasks.work, ackers) + remote(ackers, t.tasks.spout);
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
  for (let i = 0; i < m.parse; i++) st.push({ name: `parse${i}`, visits: 1 / m.parse, serviceTime: m.parseMs / 1000 });
  for (let i = 0; i < m.work; i++) st.push({ name: `work${i}`, visits: 1 / m.work, serviceTime: m.workMs / 1000 });
  st.push({ name: 'hops', kind: 'delay', demand: Math.max(1e-9, (criticalPathHops(m) * m.hopMs) / 1000) });
  const r = mva({ stations: st, users: m.spouts * maxSpoutPending });
  return { X: r.throughput, L: r.responseTime };
}
