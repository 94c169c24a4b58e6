/**
 * Makespan theory for a DAG run on s identical slots (reference: models-for-new-labs.md, Graham,
 * "Bounds on multiprocessing timing anomalies", SIAM J. Appl. Math. 17(2), 1969; subsystems.md
 * §6.5): with total work W (the sum of every task instance's run time) and critical path CP (the
 * longest chain of run times), every schedule takes at least max(CP, W/s), and any list schedule
 * (a scheduler that never leaves a slot idle while a task is ready, as Airflow's does up to its
 * loop latency) at most W/s + (1 − 1/s)·CP ≤ W/s + CP. s is the effective number of slots: the
 * smallest of parallelism, the DAG's max_active_tasks, the pool's slots / pool_slots, and the
 * executor's capacity. For n independent tasks of equal length d: ⌈n/s⌉ waves, ⌈n/s⌉·d.
 */
import type { DAG } from './dag';
import type { BaseOperator } from './operators';

export interface DagWork {
  /** W: sum of mean run times over task instances (a mapped task counts once per item). */
  totalWork: number;
  /** CP: the longest path of mean run times. */
  criticalPath: number;
  /** The tasks on one critical path, upstream first. */
  criticalTasks: string[];
  taskInstances: number;
}

/** W and CP of one run of `dag`, from each task's mean duration (or `duration(task)`). */
export function dagWork(
  dag: DAG,
  duration: (t: BaseOperator) => number = (t) => t.duration.mean,
): DagWork {
  const order = dag.topologicalOrder();
  const finish = new Map<BaseOperator, number>();
  const via = new Map<BaseOperator, BaseOperator | null>();
  let W = 0;
  let n = 0;
  for (const t of order) {
    const d = t.mapItems !== null && t.mapItems.length === 0 ? 0 : duration(t);
    const copies = t.mapItems === null ? 1 : t.mapItems.length;
    W += d * copies;
    n += Math.max(1, copies);
    let best = 0;
    let from: BaseOperator | null = null;
    for (const u of t.upstream) {
      const f = finish.get(u) as number;
      if (from === null || f > best) {
        best = f;
        from = u;
      }
    }
    finish.set(t, best + d);
    via.set(t, from);
  }
  let end: BaseOperator | null = null;
  for (const t of order)
    if (end === null || (finish.get(t) as number) > (finish.get(end) as number)) end = t;
  const path: string[] = [];
  for (let t = end; t !== null; t = via.get(t) ?? null) path.unshift(t.task_id);
  return {
    totalWork: W,
    criticalPath: end === null ? 0 : (finish.get(end) as number),
    criticalTasks: path,
    taskInstances: n,
  };
}

/** s = min(parallelism, max_active_tasks, ⌊pool slots / pool_slots⌋, executor capacity). */
export function effectiveSlots(o: {
  parallelism: number;
  max_active_tasks: number;
  poolSlots?: number;
  pool_slots?: number;
  executorCapacity?: number;
}): number {
  return Math.min(
    o.parallelism,
    o.max_active_tasks,
    Math.floor((o.poolSlots ?? Infinity) / (o.pool_slots ?? 1)),
    o.executorCapacity ?? Infinity,
  );
}

export interface MakespanBounds {
  /** max(CP, W/s) */
  lower: number;
  /** W/s + CP (the reference's form) */
  upper: number;
  /** W/s + (1 − 1/s)·CP (Graham's) */
  graham: number;
}

export function makespanBounds(
  work: { totalWork: number; criticalPath: number },
  slots: number,
): MakespanBounds {
  const per = work.totalWork / slots;
  return {
    lower: Math.max(work.criticalPath, per),
    upper: per + work.criticalPath,
    graham: per + (1 - 1 / slots) * work.criticalPath,
  };
}

/** n independent tasks of d seconds on s slots: ⌈n/s⌉ waves. */
export function independentWaves(
  n: number,
  d: number,
  s: number,
): { waves: number; makespan: number } {
  const waves = Math.ceil(n / s);
  return { waves, makespan: waves * d };
}
