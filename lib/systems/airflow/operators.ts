/**
 * Operators: the tasks of a DAG, with Airflow's argument names (BaseOperator, sensors'
 * BaseSensorOperator; reference: subsystems.md §6.1-6.4). A simulated operator does no work: it
 * takes `duration` seconds (a number or a Distribution), fails with `failure_probability`, or
 * asks `python_callable(context)` for the outcome, which may return nothing (success), `false`
 * (a failure, retried while tries are left) or throw AirflowException (retried),
 * AirflowFailException (failed at once) or AirflowSkipException (skipped).
 *
 * Dependencies: `a.then(b)` is Airflow's `a >> b`, `a.then([b, c]).then(d)` fans out and in,
 * `b.after(a)` is `b << a`; see dag.ts for `chain` and task groups.
 */
import { ParameterError, requireInteger, requireNonNegative } from '../../errors';
import { Deterministic } from '../../random/deterministic';
import type { Distribution } from '../../random/distribution';
import type { Rng } from '../../random/xoshiro128';
import { knownKeys, rejectUnknownKeys } from '../common/config';
import type { DAG, TaskGroup } from './dag';
import { TRIGGER_RULES } from './trigger-rules';
import type { TriggerRule } from './trigger-rules';
import { requireDelayDistribution } from '../../sim/delays';

/** Raised by a python_callable: the attempt fails and is retried while tries are left. */
export class AirflowException extends Error {
  override name = 'AirflowException';
}
/** Raised by a python_callable: the task fails at once, without retries. */
export class AirflowFailException extends AirflowException {
  override name = 'AirflowFailException';
}
/** Raised by a python_callable: the task instance is skipped. */
export class AirflowSkipException extends AirflowException {
  override name = 'AirflowSkipException';
}

/** What a python_callable sees (Airflow's context: dag_id, run_id, ti.try_number, map_index, logical_date). */
export interface TaskContext {
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  try_number: number;
  /** The run's logical date, epoch milliseconds. */
  logical_date: number;
  /** The mapped item (dynamic task mapping), else undefined. */
  item: unknown;
  /** The task's own random stream. */
  rng: Rng;
}

export type WeightRule = 'downstream' | 'upstream' | 'absolute';
export type SensorMode = 'poke' | 'reschedule';

export interface BaseOperatorArgs {
  task_id: string;
  /** The DAG (or give `task_group`, whose DAG is used). */
  dag?: DAG;
  task_group?: TaskGroup;
  /** Run time of one attempt, seconds (default 0). */
  duration?: number | Distribution;
  /** Probability that an attempt fails (default 0). */
  failure_probability?: number;
  /** Decides the attempt's outcome (and, for a branch, the task_ids to follow). */
  python_callable?: (context: TaskContext) => unknown;
  retries?: number;
  /** Seconds. */
  retry_delay?: number;
  retry_exponential_backoff?: boolean;
  /** Seconds, or null. */
  max_retry_delay?: number | null;
  /** Seconds, or null: an attempt still running then fails (and is retried). */
  execution_timeout?: number | null;
  trigger_rule?: TriggerRule;
  depends_on_past?: boolean;
  wait_for_downstream?: boolean;
  pool?: string;
  pool_slots?: number;
  priority_weight?: number;
  weight_rule?: WeightRule;
  /** Running TIs of this task across all runs of the DAG, or null for no limit. */
  max_active_tis_per_dag?: number | null;
}

export interface SensorArgs extends BaseOperatorArgs {
  /** 'poke' holds a worker slot between pokes; 'reschedule' gives it back (up_for_reschedule). */
  mode?: SensorMode;
  /** Seconds between pokes (default 60). */
  poke_interval?: number;
  /** Seconds from the first poke until AirflowSensorTimeout (default 604800, 7 days): failed, not retried. */
  timeout?: number;
  /** On timeout, skip instead of failing (default false). */
  soft_fail?: boolean;
  /** When the sensed condition becomes true: seconds after the DAG run started (number or Distribution). */
  ready_after: number | Distribution;
}

export const OPERATOR_KEYS = knownKeys<BaseOperatorArgs>()([
  'task_id',
  'dag',
  'task_group',
  'duration',
  'failure_probability',
  'python_callable',
  'retries',
  'retry_delay',
  'retry_exponential_backoff',
  'max_retry_delay',
  'execution_timeout',
  'trigger_rule',
  'depends_on_past',
  'wait_for_downstream',
  'pool',
  'pool_slots',
  'priority_weight',
  'weight_rule',
  'max_active_tis_per_dag',
]);
export const SENSOR_KEYS = [
  ...OPERATOR_KEYS,
  ...knownKeys<SensorArgs>()(['mode', 'poke_interval', 'timeout', 'soft_fail', 'ready_after']),
];

/** A task target of a dependency: one task, a task group, or a list of them. */
export type Dependable =
  BaseOperator | TaskGroup | TaskList | ReadonlyArray<BaseOperator | TaskGroup>;

function isDistribution(d: unknown): d is Distribution {
  return (
    d != null &&
    typeof (d as Distribution).sample === 'function' &&
    typeof (d as Distribution).mean === 'number'
  );
}

/** A duration given as a number of seconds or a Distribution, checked. */
export function durationOf(
  v: number | Distribution | undefined,
  path: string,
  fallback: number,
): Distribution {
  if (v === undefined) return new Deterministic(fallback);
  if (typeof v === 'number') return new Deterministic(requireNonNegative(path, v));
  if (!isDistribution(v))
    throw new ParameterError(path, v, 'must be a number of seconds >= 0 or a Distribution');
  return requireDelayDistribution(path, v, { positive: false });
}

/** Airflow's BaseOperator: one task of a DAG. */
export class BaseOperator {
  /** The operator's class name, as Airflow shows it. */
  readonly operatorName: string = 'BaseOperator';
  readonly task_id: string;
  readonly dag: DAG;
  readonly args: BaseOperatorArgs;
  readonly duration: Distribution;
  readonly upstream = new Set<BaseOperator>();
  readonly downstream = new Set<BaseOperator>();
  /** Items of dynamic task mapping (`expand`), or null for an unmapped task. */
  mapItems: unknown[] | null = null;
  /** True for a branch operator (its callable returns the task_ids to follow). */
  readonly isBranch: boolean = false;
  /** Set for sensors. */
  readonly sensor: {
    mode: SensorMode;
    poke_interval: number;
    timeout: number;
    soft_fail: boolean;
    ready_after: Distribution;
  } | null = null;

  constructor(
    args: BaseOperatorArgs,
    keys: readonly string[] = OPERATOR_KEYS,
    defaultDuration = 0,
  ) {
    if (
      args == null ||
      typeof args.task_id !== 'string' ||
      !/^[A-Za-z0-9_.-]+$/.test(args.task_id)
    ) {
      throw new ParameterError(
        'task_id',
        args?.task_id,
        'must be a non-empty string of letters, digits, _ . -',
      );
    }
    const dag = args.task_group?.dag ?? args.dag;
    if (dag == null)
      throw new ParameterError(
        `${args.task_id}.dag`,
        dag,
        'give the DAG (dag: ...) or a task_group',
      );
    const merged = { ...dag.default_args, ...args } as BaseOperatorArgs;
    const id = args.task_group ? args.task_group.prefix + args.task_id : args.task_id;
    const path = `${dag.dag_id}.${id}`;
    rejectUnknownKeys(merged, keys, path);
    this.task_id = id;
    this.dag = dag;
    this.args = merged;
    this.duration = durationOf(merged.duration, `${path}.duration`, defaultDuration);
    const p = merged.failure_probability;
    if (p !== undefined && !(typeof p === 'number' && p >= 0 && p <= 1))
      throw new ParameterError(`${path}.failure_probability`, p, 'must be a probability in [0, 1]');
    if (merged.python_callable !== undefined && typeof merged.python_callable !== 'function')
      throw new ParameterError(
        `${path}.python_callable`,
        merged.python_callable,
        'must be a function (context) => outcome',
      );
    if (merged.retries !== undefined) requireInteger(`${path}.retries`, merged.retries, 0, 1000);
    if (merged.retry_delay !== undefined)
      requireNonNegative(`${path}.retry_delay`, merged.retry_delay);
    if (merged.max_retry_delay != null)
      requireNonNegative(`${path}.max_retry_delay`, merged.max_retry_delay);
    if (merged.execution_timeout != null && !(merged.execution_timeout > 0))
      throw new ParameterError(
        `${path}.execution_timeout`,
        merged.execution_timeout,
        'must be a number of seconds > 0, or null',
      );
    if (merged.trigger_rule !== undefined && !TRIGGER_RULES.includes(merged.trigger_rule))
      throw new ParameterError(
        `${path}.trigger_rule`,
        merged.trigger_rule,
        `must be one of ${TRIGGER_RULES.join(', ')}`,
      );
    if (merged.pool !== undefined && (typeof merged.pool !== 'string' || !merged.pool))
      throw new ParameterError(`${path}.pool`, merged.pool, 'must be a pool name');
    if (merged.pool_slots !== undefined) requireInteger(`${path}.pool_slots`, merged.pool_slots, 1);
    if (merged.priority_weight !== undefined)
      requireInteger(`${path}.priority_weight`, merged.priority_weight, -(2 ** 31), 2 ** 31 - 1);
    if (
      merged.weight_rule !== undefined &&
      !['downstream', 'upstream', 'absolute'].includes(merged.weight_rule)
    )
      throw new ParameterError(
        `${path}.weight_rule`,
        merged.weight_rule,
        'must be downstream, upstream or absolute',
      );
    if (merged.max_active_tis_per_dag != null)
      requireInteger(`${path}.max_active_tis_per_dag`, merged.max_active_tis_per_dag, 1);
    dag.addTask(this, args.task_group);
  }

  /** `this >> other`: other runs after this; returns what can be chained on (`a.then([b, c]).then(d)`). */
  then(other: Dependable): TaskList {
    return new TaskList([this]).then(other);
  }

  /** `this << other`: this runs after other. */
  after(other: Dependable): this {
    for (const u of tasksOf(other, 'leaves')) link(u, this);
    return this;
  }

  /** Airflow's set_downstream / set_upstream. */
  set_downstream(other: Dependable): void {
    this.then(other);
  }
  set_upstream(other: Dependable): void {
    this.after(other);
  }

  /** Dynamic task mapping: one task instance per item (map_index 0..n−1); zero items skip the task. */
  expand(items: readonly unknown[]): this {
    if (!Array.isArray(items))
      throw new ParameterError(
        `${this.dag.dag_id}.${this.task_id}.expand`,
        items,
        'must be a list',
      );
    this.mapItems = [...items];
    return this;
  }
}

/** A list of tasks on the left of `>>`: `[a, b].then(c)` is written `tasks([a, b]).then(c)`. */
export class TaskList {
  constructor(readonly tasks: BaseOperator[]) {}
  then(other: Dependable): TaskList {
    const to = tasksOf(other, 'roots');
    for (const a of this.tasks) for (const b of to) link(a, b);
    return new TaskList(tasksOf(other, 'leaves'));
  }
}

/** Wraps tasks or groups so that a list can start a chain: `tasks([a, b]).then(c)`. */
export function tasks(list: ReadonlyArray<BaseOperator | TaskGroup>): TaskList {
  return new TaskList(tasksOf(list, 'leaves'));
}

function link(a: BaseOperator, b: BaseOperator): void {
  if (a.dag !== b.dag)
    throw new ParameterError(
      `${a.dag.dag_id}.${a.task_id}`,
      b.task_id,
      `cannot depend on a task of another DAG (${b.dag.dag_id})`,
    );
  if (a === b)
    throw new ParameterError(
      `${a.dag.dag_id}.${a.task_id}`,
      'self',
      'cannot depend on itself (a cycle of one)',
    );
  a.downstream.add(b);
  b.upstream.add(a);
}

/** The tasks a dependable stands for on one side of an edge (a group: its roots or its leaves). */
export function tasksOf(d: Dependable, side: 'roots' | 'leaves'): BaseOperator[] {
  if (d instanceof BaseOperator) return [d];
  if (d instanceof TaskList) return d.tasks;
  if (Array.isArray(d)) return d.flatMap((x) => tasksOf(x, side));
  const g = d as TaskGroup;
  if (typeof g.roots === 'function') return side === 'roots' ? g.roots() : g.leaves();
  throw new ParameterError('dependency', d, 'must be a task, a task group or a list of them');
}

/** Runs nothing (Airflow's EmptyOperator): a join or a placeholder. */
export class EmptyOperator extends BaseOperator {
  override readonly operatorName: string = 'EmptyOperator';
}
export class PythonOperator extends BaseOperator {
  override readonly operatorName: string = 'PythonOperator';
}
export class BashOperator extends BaseOperator {
  override readonly operatorName: string = 'BashOperator';
}
/** A Databricks job run (the course's training and deploy jobs): just its duration here. */
export class DatabricksSubmitRunOperator extends BaseOperator {
  override readonly operatorName: string = 'DatabricksSubmitRunOperator';
}
/** `@task.branch`: python_callable returns the task_id(s) to follow; the other direct downstreams are skipped. */
export class BranchPythonOperator extends BaseOperator {
  override readonly operatorName: string = 'BranchPythonOperator';
  override readonly isBranch = true;
}

/** A sensor (BaseSensorOperator): pokes every poke_interval until its condition holds. */
export class BaseSensorOperator extends BaseOperator {
  override readonly operatorName: string = 'BaseSensorOperator';
  override readonly sensor: {
    mode: SensorMode;
    poke_interval: number;
    timeout: number;
    soft_fail: boolean;
    ready_after: Distribution;
  };
  constructor(args: SensorArgs) {
    super(args, SENSOR_KEYS);
    const path = `${this.dag.dag_id}.${this.task_id}`;
    const mode = args.mode ?? 'poke';
    if (mode !== 'poke' && mode !== 'reschedule')
      throw new ParameterError(`${path}.mode`, mode, 'must be "poke" or "reschedule"');
    const poke = args.poke_interval ?? 60;
    if (!(typeof poke === 'number' && poke > 0 && Number.isFinite(poke)))
      throw new ParameterError(`${path}.poke_interval`, poke, 'must be a number of seconds > 0');
    const timeout = args.timeout ?? 604800;
    if (!(typeof timeout === 'number' && timeout > 0))
      throw new ParameterError(`${path}.timeout`, timeout, 'must be a number of seconds > 0');
    if (args.ready_after === undefined)
      throw new ParameterError(
        `${path}.ready_after`,
        undefined,
        'a simulated sensor needs ready_after: seconds after the run starts when its condition holds',
      );
    this.sensor = {
      mode,
      poke_interval: poke,
      timeout,
      soft_fail: args.soft_fail ?? false,
      ready_after: durationOf(args.ready_after, `${path}.ready_after`, 0),
    };
  }
}
/** Waits for a file (FileSensor); simulated by ready_after. */
export class FileSensor extends BaseSensorOperator {
  override readonly operatorName: string = 'FileSensor';
}
/** Waits for a task of another DAG (ExternalTaskSensor); simulated by ready_after. */
export class ExternalTaskSensor extends BaseSensorOperator {
  override readonly operatorName: string = 'ExternalTaskSensor';
}
