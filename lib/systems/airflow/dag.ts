/**
 * DAGs as code, read like an Airflow DAG file (reference: subsystems.md §6.1):
 *
 * ```ts
 * const dag = new DAG({ dag_id: 'train_deploy', schedule: '@daily', start_date: '2025-01-01' });
 * const t1 = new DatabricksSubmitRunOperator({ task_id: 'train', dag, duration: 1800 });
 * const t2 = new DatabricksSubmitRunOperator({ task_id: 'deploy', dag, duration: 300 });
 * t1.then([t2]);                                   // t1 >> [t2]
 * ```
 *
 * `chain(a, [b, c], d)` as Airflow's `chain` (lists of equal length side by side are linked
 * pairwise), task groups (ids prefixed `group_id.`, a group depends and is depended on through its
 * roots and leaves), and `dag.check()`, which rejects cycles naming the cycle
 * (AirflowDagCycleException, as `airflow.utils.dag_cycle_tester.check_cycle` does).
 *
 * Effective priority (`weight_rule`, airflow/task/priority_strategy.py): `downstream` (default)
 * adds the priority_weight of every task downstream (transitively, each once), `upstream` of every
 * task upstream, `absolute` takes the task's own.
 */
import { ParameterError, requireInteger } from '../../errors';
import { knownKeys, rejectUnknownKeys } from '../common/config';
import { BaseOperator, TaskList, tasksOf } from './operators';
import type { BaseOperatorArgs, Dependable } from './operators';
import type { Schedule } from './timetable';

/** A cycle in a DAG: `value` is the cycle, e.g. "a -> b -> c -> a". */
export class AirflowDagCycleException extends ParameterError {
  constructor(dagId: string, cycle: string[]) {
    super(
      `dags.${dagId}`,
      cycle.join(' -> '),
      `has a cycle (${cycle.join(' -> ')}): a DAG must be acyclic`,
    );
  }
}

export interface DagArgs {
  dag_id: string;
  /** Cron string or preset, "@once", seconds between runs, or null (default: manual runs only, as Airflow 3). */
  schedule?: Schedule;
  /** ISO date-time (UTC), a Date, or seconds relative to the simulation's epoch (negative: before it). Default: the epoch. */
  start_date?: string | Date | number;
  /** No scheduled run with a logical date after this (same forms as start_date); default none. */
  end_date?: string | Date | number | null;
  /** Default: `[scheduler] catchup_by_default`. */
  catchup?: boolean;
  /** Default: `[core] max_active_tasks_per_dag` (16). */
  max_active_tasks?: number;
  /** Default: `[core] max_active_runs_per_dag` (16). */
  max_active_runs?: number;
  /** Arguments every task of this DAG gets unless it sets its own (retries, pool, ...). */
  default_args?: Partial<BaseOperatorArgs>;
  /** Seconds after the logical date's run start by which the run should be done (deadline misses are counted). */
  deadline?: number | null;
}

export const DAG_KEYS = knownKeys<DagArgs>()([
  'dag_id',
  'schedule',
  'start_date',
  'end_date',
  'catchup',
  'max_active_tasks',
  'max_active_runs',
  'default_args',
  'deadline',
]);

export class DAG {
  readonly dag_id: string;
  readonly schedule: Schedule;
  readonly start_date: string | Date | number;
  readonly end_date: string | Date | number | null;
  readonly catchup: boolean | undefined;
  readonly max_active_tasks: number | undefined;
  readonly max_active_runs: number | undefined;
  readonly default_args: Partial<BaseOperatorArgs>;
  readonly deadline: number | null;
  readonly tasks: BaseOperator[] = [];
  readonly task_dict = new Map<string, BaseOperator>();

  constructor(args: DagArgs) {
    if (args == null || typeof args.dag_id !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(args.dag_id))
      throw new ParameterError(
        'dag_id',
        args?.dag_id,
        'must be a non-empty string of letters, digits, _ . -',
      );
    rejectUnknownKeys(args, DAG_KEYS, `dags.${args.dag_id}`);
    const path = `dags.${args.dag_id}`;
    this.dag_id = args.dag_id;
    this.schedule = args.schedule === undefined ? null : args.schedule;
    this.start_date = args.start_date ?? 0;
    this.end_date = args.end_date ?? null;
    this.catchup = args.catchup;
    if (args.catchup !== undefined && typeof args.catchup !== 'boolean')
      throw new ParameterError(`${path}.catchup`, args.catchup, 'must be true or false');
    this.max_active_tasks =
      args.max_active_tasks === undefined
        ? undefined
        : requireInteger(`${path}.max_active_tasks`, args.max_active_tasks, 1);
    this.max_active_runs =
      args.max_active_runs === undefined
        ? undefined
        : requireInteger(`${path}.max_active_runs`, args.max_active_runs, 1);
    this.default_args = args.default_args ?? {};
    if (this.default_args === null || typeof this.default_args !== 'object')
      throw new ParameterError(
        `${path}.default_args`,
        args.default_args,
        'must be an object of operator arguments',
      );
    this.deadline = args.deadline ?? null;
    if (this.deadline !== null && !(this.deadline > 0))
      throw new ParameterError(`${path}.deadline`, this.deadline, 'must be seconds > 0 or null');
  }

  /** Called by each operator's constructor. */
  addTask(task: BaseOperator, group?: TaskGroup): void {
    if (this.task_dict.has(task.task_id))
      throw new ParameterError(
        `dags.${this.dag_id}.${task.task_id}`,
        task.task_id,
        'is a duplicate task_id in this DAG',
      );
    this.tasks.push(task);
    this.task_dict.set(task.task_id, task);
    for (let g = group; g; g = g.parent) g.children.push(task);
  }

  /** Throws AirflowDagCycleException naming a cycle, if there is one. */
  check(): void {
    const colour = new Map<BaseOperator, number>(); // 1 on the stack, 2 done
    const stack: BaseOperator[] = [];
    const visit = (t: BaseOperator): void => {
      colour.set(t, 1);
      stack.push(t);
      for (const d of t.downstream) {
        const c = colour.get(d);
        if (c === 1) {
          const cycle = stack.slice(stack.indexOf(d)).map((x) => x.task_id);
          throw new AirflowDagCycleException(this.dag_id, [...cycle, d.task_id]);
        }
        if (c === undefined) visit(d);
      }
      stack.pop();
      colour.set(t, 2);
    };
    for (const t of this.tasks) if (!colour.has(t)) visit(t);
  }

  /** Tasks in a topological order (upstreams first); checks for cycles first. */
  topologicalOrder(): BaseOperator[] {
    this.check();
    const indeg = new Map(this.tasks.map((t) => [t, t.upstream.size]));
    const ready = this.tasks.filter((t) => t.upstream.size === 0);
    const out: BaseOperator[] = [];
    while (ready.length) {
      const t = ready.shift() as BaseOperator;
      out.push(t);
      for (const d of t.downstream) {
        const n = (indeg.get(d) as number) - 1;
        indeg.set(d, n);
        if (n === 0) ready.push(d);
      }
    }
    return out;
  }

  /** Effective priority of every task under its weight_rule. */
  priorityWeights(): Map<BaseOperator, number> {
    const order = this.topologicalOrder();
    const closure = (t: BaseOperator, dir: 'downstream' | 'upstream'): Set<BaseOperator> => {
      const seen = new Set<BaseOperator>();
      const todo = [...t[dir]];
      while (todo.length) {
        const x = todo.pop() as BaseOperator;
        if (seen.has(x)) continue;
        seen.add(x);
        todo.push(...x[dir]);
      }
      return seen;
    };
    const out = new Map<BaseOperator, number>();
    for (const t of order) {
      const own = t.args.priority_weight ?? 1;
      const rule = t.args.weight_rule ?? 'downstream';
      if (rule === 'absolute') out.set(t, own);
      else {
        let w = own;
        for (const x of closure(t, rule)) w += x.args.priority_weight ?? 1;
        out.set(t, w);
      }
    }
    return out;
  }
}

/** A task group: tasks created with `task_group: g` get ids `group_id.task_id`. */
export class TaskGroup {
  readonly group_id: string;
  readonly dag: DAG;
  readonly parent: TaskGroup | undefined;
  readonly prefix: string;
  readonly children: BaseOperator[] = [];

  constructor(args: { group_id: string; dag?: DAG; parent_group?: TaskGroup }) {
    rejectUnknownKeys(args, ['group_id', 'dag', 'parent_group'], 'TaskGroup');
    const dag = args.parent_group?.dag ?? args.dag;
    if (dag == null)
      throw new ParameterError(`${args.group_id}.dag`, dag, 'give the DAG or a parent_group');
    if (typeof args.group_id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(args.group_id))
      throw new ParameterError(
        'group_id',
        args.group_id,
        'must be a non-empty string of letters, digits, _ -',
      );
    this.group_id = args.group_id;
    this.dag = dag;
    this.parent = args.parent_group;
    this.prefix = (args.parent_group ? args.parent_group.prefix : '') + args.group_id + '.';
  }

  /** Tasks of the group with no upstream inside it. */
  roots(): BaseOperator[] {
    const inside = new Set(this.children);
    return this.children.filter((t) => ![...t.upstream].some((u) => inside.has(u)));
  }

  /** Tasks of the group with no downstream inside it. */
  leaves(): BaseOperator[] {
    const inside = new Set(this.children);
    return this.children.filter((t) => ![...t.downstream].some((d) => inside.has(d)));
  }

  then(other: Dependable): TaskList {
    return new TaskList(this.leaves()).then(other);
  }
}

/**
 * Airflow's `chain(*tasks)`: each element downstream of the one before; two lists of the same
 * length next to each other are linked pairwise (a[i] >> b[i]); a task next to a list fans out or in.
 */
export function chain(...elements: Dependable[]): void {
  for (let i = 0; i + 1 < elements.length; i++) {
    const a = elements[i];
    const b = elements[i + 1];
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length)
        throw new ParameterError(
          `chain[${i}]`,
          `${a.length} and ${b.length} tasks`,
          'two lists next to each other must have the same length',
        );
      a.forEach((x, k) => new TaskList(tasksOf(x, 'leaves')).then(b[k]));
    } else {
      new TaskList(tasksOf(a, 'leaves')).then(b);
    }
  }
}
