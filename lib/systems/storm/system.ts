/**
 * The Storm system on the component contract: `new StormSystem(sim, config)` builds the cluster
 * and its daemons' failure processes on a Simulation; `simulateStorm(config, { seed, duration,
 * warmup })` runs one replication through the shared runner and returns the summary.
 *
 * Oracles the summary lets one check: conservation (spout tuples emitted = acked + failed +
 * pending, since start), Little's law on the spout side (pending ≈ throughput × complete latency),
 * and the throughput bound X ≤ min over components of executors × rate / tuples per spout tuple.
 */
import type { Simulation } from '../../sim/simulation';
import type { Station } from '../../sim/station';
import type { LatencySummary } from '../common/latency';
import { measure } from '../common/runner';
import type { RunWindow } from '../common/runner';
import { StormCluster } from './cluster';
import { resolveStormConfig } from './config';
import type { ResolvedStormConfig, StormConfig } from './config';
import { StormDaemons } from './daemons';
import { overloadOf } from '../common/overload';
import type { OverloadSummary } from '../common/overload';

export interface StormComponentSummary {
  id: string;
  kind: 'spout' | 'bolt';
  executors: number;
  tasks: number;
  /** Tuples executed (bolts) since start or reset; spouts: tuples emitted. */
  executed: number;
  /** Per task (in task id order). */
  executedPerTask: number[];
  /** Tuples emitted by the component's tasks. */
  emitted: number;
  /** Largest executor utilisation (Storm UI's "capacity"). */
  capacity: number;
  /** Tuples dropped at full receive queues, lost in crashes, refused by dead executors. */
  dropped: number;
  lost: number;
}

/**
 * `overloaded`: an executor's receive queue grew without bound (overloadOf). The queues are bounded
 * (topology.executor.receive.buffer.size) and max.spout.pending throttles the spouts, so a topology
 * below its input rate shows drops, timeouts and back-pressure rather than this flag.
 */
export interface StormSummary extends OverloadSummary {
  /** Observed seconds. */
  elapsed: number;
  /** Spout tuples emitted (tracked or not), acked, failed (timeouts, explicit fails, crashed spouts). */
  emitted: number;
  acked: number;
  failed: number;
  timedOut: number;
  explicitFails: number;
  /** Spout trees failed because their spout's worker died. */
  crashFails: number;
  /** Replays emitted by reliable spouts. */
  replayed: number;
  /** Messages acked on a second or later attempt (at-least-once: processed more than once). */
  ackedAfterReplay: number;
  /** Bolt executions in trees that later failed (work done again on replay: duplicates). */
  duplicateExecutions: number;
  /** Trees pending now. */
  pending: number;
  /** Acked trees per second. */
  throughput: number;
  /** Emit to ack of each tree (Storm UI's complete latency), seconds. */
  completeLatency: LatencySummary;
  components: StormComponentSummary[];
  transfersRemote: number;
  transfersLocal: number;
  /** Fraction of the time the spouts were throttled by backpressure. */
  backpressure: number;
  /** Availability of each worker (NaN when it never fails). */
  workerAvailability: number[];
  reassignments: number;
  /** Optional timeline: acked and failed trees per bin starting at t. */
  timeline?: { t: number[]; acked: number[]; failed: number[] };
}

export class StormSystem {
  readonly sim: Simulation;
  readonly config: ResolvedStormConfig;
  readonly cluster: StormCluster;
  readonly daemons: StormDaemons;

  /**
   * `options.timelineBinSecs`: acked and failed trees per bin in the summary; `options.onReplay`:
   * called with the message id each time the cluster replays a failed tuple of a spout without a
   * `fail` of its own (to follow a tree's attempts).
   */
  constructor(
    sim: Simulation,
    config: StormConfig,
    options: { timelineBinSecs?: number; onReplay?: (messageId: unknown) => void } = {},
  ) {
    this.sim = sim;
    this.config = resolveStormConfig(config);
    this.cluster = new StormCluster(sim, this.config);
    this.cluster.timelineBin = options.timelineBinSecs ?? 0;
    this.cluster.onReplay = options.onReplay ?? null;
    this.daemons = new StormDaemons(sim, this.cluster);
  }

  /** Bolt task state (e.g. a count bolt's map), by task id. */
  taskState(taskId: number): unknown {
    return this.cluster.taskState[taskId];
  }

  /** States of every task of a component, in task order. */
  componentStates(componentId: string): unknown[] {
    const tasks = this.config.topology.tasks[componentId];
    return tasks ? tasks.map((t) => this.cluster.taskState[t]) : [];
  }

  summary(elapsed: number): StormSummary {
    const cl = this.cluster;
    const comps: StormComponentSummary[] = cl.components.map((c) => {
      const execs = cl.executors
        .map((e, i) => ({ e, i }))
        .filter((x) => x.e.component === c.def.id);
      const stations = execs.map((x) => cl.stations[x.i]).filter((s): s is Station => s !== null);
      const sums = stations.map((s) => s.summary());
      const perTask = c.tasks.map((t) =>
        c.def.kind === 'bolt' ? cl.taskExecuted[t] : cl.taskEmitted[t],
      );
      return {
        id: c.def.id,
        kind: c.def.kind,
        executors: execs.length,
        tasks: c.tasks.length,
        executed: perTask.reduce((a, b) => a + b, 0),
        executedPerTask: perTask,
        emitted: c.tasks.reduce((a, t) => a + cl.taskEmitted[t], 0),
        capacity: sums.length > 0 ? Math.max(...sums.map((s) => s.utilisation)) : NaN,
        dropped: sums.reduce((a, s) => a + s.drops, 0),
        lost: sums.reduce((a, s) => a + s.lost + s.refused, 0),
      };
    });
    let pending = 0;
    for (let t = 0; t < cl.spouts.spPending.length; t++) pending += cl.spouts.spPending[t];
    const out: StormSummary = {
      ...overloadOf(cl.stations.filter((st): st is Station => st !== null)),
      elapsed,
      emitted: cl.spoutEmitted,
      acked: cl.acked,
      failed: cl.failed,
      timedOut: cl.timedOut,
      explicitFails: cl.explicitFails,
      crashFails: cl.crashFails,
      replayed: cl.replayed,
      ackedAfterReplay: cl.ackedAfterReplay,
      duplicateExecutions: cl.replayedExecutions,
      pending,
      throughput: elapsed > 0 ? cl.acked / elapsed : NaN,
      completeLatency: cl.completeLatency.summary(),
      components: comps,
      transfersRemote: cl.transfersRemote,
      transfersLocal: cl.transfersLocal,
      backpressure: cl.throttledFraction,
      workerAvailability: this.config.failures.workers.map((_, w) => {
        const p = this.daemons.workers.find((f) => f.name === `storm.worker${w}`);
        return p ? p.availability : NaN;
      }),
      reassignments: this.daemons.reassignments,
    };
    if (cl.timelineBin > 0) {
      const n = Math.max(
        cl.timelineAcked.length,
        cl.timelineFailed.length,
        Math.ceil(this.sim.now / cl.timelineBin),
      );
      out.timeline = {
        t: Array.from({ length: n }, (_, i) => i * cl.timelineBin),
        acked: Array.from({ length: n }, (_, i) => cl.timelineAcked[i] ?? 0),
        failed: Array.from({ length: n }, (_, i) => cl.timelineFailed[i] ?? 0),
      };
    }
    return out;
  }
}

/** One replication: warm-up, statistics reset, `duration` seconds measured. */
export function simulateStorm(
  config: StormConfig,
  window: RunWindow & { timelineBinSecs?: number },
): StormSummary & { system: StormSystem } {
  const { timelineBinSecs, ...w } = window;
  const m = measure((sim) => new StormSystem(sim, config, { timelineBinSecs }), w);
  return { ...m.system.summary(m.window.end - m.window.start), system: m.system };
}
