/**
 * The Airflow deployment a simulation runs: its DAGs and the settings of airflow.cfg that matter
 * for scheduling, by section and with Airflow's names and defaults (Airflow 3.x,
 * airflow-core/src/airflow/config_templates/config.yml; reference: subsystems.md §6.3-6.4).
 * Keys that are not Airflow settings but model costs a real deployment has (how long one
 * scheduler loop takes, a task process's start-up, a pod's start-up) are marked "model".
 */
import { ParameterError, requireInteger, requireNonNegative, requirePositive } from '../../errors';
import type { Distribution } from '../../random/distribution';
import { keyPath, knownKeys, rejectUnknownKeys } from '../common/config';
import { resolveFailureSpec } from '../common/failures';
import type { FailureSpec, ResolvedFailureSpec } from '../common/failures';
import { DAG } from './dag';
import { durationOf } from './operators';
import { Lognormal } from '../../random/lognormal';

export type ExecutorName = 'LocalExecutor' | 'CeleryExecutor' | 'KubernetesExecutor';
export const EXECUTORS: readonly ExecutorName[] = [
  'LocalExecutor',
  'CeleryExecutor',
  'KubernetesExecutor',
];

export interface CoreConfig {
  /** Max task instances queued or running at once (per scheduler), default 32. */
  parallelism?: number;
  /** Default of a DAG's max_active_tasks: its queued or running TIs across runs (16). */
  max_active_tasks_per_dag?: number;
  /** Default of a DAG's max_active_runs (16). */
  max_active_runs_per_dag?: number;
  /** Slots of `default_pool` (128). */
  default_pool_task_slot_count?: number;
  /** LocalExecutor (Airflow 3's default), CeleryExecutor or KubernetesExecutor. */
  executor?: ExecutorName;
  /** Default `retries` of a task (0). */
  default_task_retries?: number;
  /** Default `retry_delay`, seconds (300). */
  default_task_retry_delay?: number;
  /** Cap on any exponential-backoff retry delay, seconds (86400). */
  max_task_retry_delay?: number;
}

export interface SchedulerConfig {
  /** TIs examined and queued per scheduler loop (16); 0 means only the executor's free slots limit it. */
  max_tis_per_query?: number;
  /** Seconds the loop sleeps when a loop queued nothing and no task finished (1). */
  scheduler_idle_sleep_time?: number;
  /** DAG runs examined per loop, oldest scheduling decision first (20). */
  max_dagruns_per_loop_to_schedule?: number;
  /** DAGs that get a new run per loop (10); each gets at most one new run per loop. */
  max_dagruns_to_create_per_loop?: number;
  /** Default of a DAG's catchup (False in Airflow 3, True in 2.x). */
  catchup_by_default?: boolean;
  /** Cron strings as data intervals (CronDataIntervalTimetable) instead of CronTriggerTimetable (False in Airflow 3). */
  create_cron_data_intervals?: boolean;
  /** A TI queued longer than this, seconds, is failed (and retried if it has tries left) (600). */
  task_queued_timeout?: number;
  /** A running TI whose worker stopped heartbeating this long, seconds, is failed (a zombie) (300). */
  task_instance_heartbeat_timeout?: number;
  /** Model: seconds one busy scheduler loop takes (its database work), default 0.2. */
  loop_duration?: number;
}

export interface CeleryConfig {
  /** Model: Celery workers in the fleet (default 2). */
  workers?: number;
  /** Task processes per worker (16). */
  worker_concurrency?: number;
  /** Failures of the workers (the shared failure process, stream `airflow.celery.worker<i>.failures`): one spec for every worker, or a list, one per worker. */
  worker_failures?: FailureSpec | FailureSpec[];
}

export interface KubernetesConfig {
  /** Model: seconds from pod creation to the task running (default Lognormal mean 10 s, scv 0.25). */
  pod_startup?: number | Distribution;
}

export interface AirflowConfig {
  dags: DAG[];
  /** The simulation's time 0 as an ISO date-time (UTC), default 2025-01-01T00:00:00Z. */
  epoch?: string;
  core?: CoreConfig;
  scheduler?: SchedulerConfig;
  celery?: CeleryConfig;
  kubernetes_executor?: KubernetesConfig;
  /** Pools besides default_pool: name → slots. */
  pools?: Record<string, number>;
  /** Model: seconds from a TI being handed to a worker process to its running (`airflow tasks run` start-up), default 1. */
  task_startup?: number | Distribution;
}

export const AIRFLOW_KEYS = knownKeys<AirflowConfig>()([
  'dags',
  'epoch',
  'core',
  'scheduler',
  'celery',
  'kubernetes_executor',
  'pools',
  'task_startup',
]);
export const CORE_KEYS = knownKeys<CoreConfig>()([
  'parallelism',
  'max_active_tasks_per_dag',
  'max_active_runs_per_dag',
  'default_pool_task_slot_count',
  'executor',
  'default_task_retries',
  'default_task_retry_delay',
  'max_task_retry_delay',
]);
export const SCHEDULER_KEYS = knownKeys<SchedulerConfig>()([
  'max_tis_per_query',
  'scheduler_idle_sleep_time',
  'max_dagruns_per_loop_to_schedule',
  'max_dagruns_to_create_per_loop',
  'catchup_by_default',
  'create_cron_data_intervals',
  'task_queued_timeout',
  'task_instance_heartbeat_timeout',
  'loop_duration',
]);
export const CELERY_KEYS = knownKeys<CeleryConfig>()([
  'workers',
  'worker_concurrency',
  'worker_failures',
]);
export const KUBERNETES_KEYS = knownKeys<KubernetesConfig>()(['pod_startup']);

export interface ResolvedAirflowConfig {
  dags: DAG[];
  epochMs: number;
  core: Required<CoreConfig>;
  scheduler: Required<SchedulerConfig>;
  celery: { workers: number; worker_concurrency: number; worker_failures: ResolvedFailureSpec[] };
  pod_startup: Distribution;
  pools: Map<string, number>;
  task_startup: Distribution;
}

/** Epoch milliseconds of a start_date given as ISO text, a Date, or seconds relative to the epoch. */
export function dateMs(v: string | Date | number, epochMs: number, path: string): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw new ParameterError(path, v, 'must be a finite number of seconds relative to the epoch');
    return epochMs + v * 1000;
  }
  const ms =
    v instanceof Date
      ? v.getTime()
      : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || !/T/.test(v) ? v : v + 'Z');
  if (!Number.isFinite(ms))
    throw new ParameterError(
      path,
      v,
      'must be an ISO date-time such as "2025-01-01T00:00:00Z", a Date, or seconds relative to the epoch',
    );
  return ms;
}

function bool(path: string, v: unknown, d: boolean): boolean {
  if (v === undefined) return d;
  if (typeof v !== 'boolean') throw new ParameterError(path, v, 'must be true or false');
  return v;
}

/** Validates a configuration once; every bad value is a ParameterError naming its path. */
export function resolveAirflowConfig(config: AirflowConfig): ResolvedAirflowConfig {
  rejectUnknownKeys(config, AIRFLOW_KEYS, '');
  if (
    !Array.isArray(config.dags) ||
    config.dags.length === 0 ||
    !config.dags.every((d) => d instanceof DAG)
  ) {
    throw new ParameterError(
      'dags',
      config.dags,
      'must be a non-empty list of DAGs (new DAG({...}))',
    );
  }
  const ids = new Set<string>();
  for (const d of config.dags) {
    if (ids.has(d.dag_id))
      throw new ParameterError('dags', d.dag_id, 'holds two DAGs with the same dag_id');
    ids.add(d.dag_id);
    if (d.tasks.length === 0) throw new ParameterError(`dags.${d.dag_id}`, 0, 'has no tasks');
    d.check();
  }
  const epochMs = dateMs(config.epoch ?? '2025-01-01T00:00:00Z', 0, 'epoch');
  const c = config.core ?? {};
  rejectUnknownKeys(c, CORE_KEYS, 'core');
  const executor = c.executor ?? 'LocalExecutor';
  if (!EXECUTORS.includes(executor))
    throw new ParameterError('core.executor', executor, `must be one of ${EXECUTORS.join(', ')}`);
  const core: Required<CoreConfig> = {
    parallelism: requireInteger('core.parallelism', c.parallelism ?? 32, 1),
    max_active_tasks_per_dag: requireInteger(
      'core.max_active_tasks_per_dag',
      c.max_active_tasks_per_dag ?? 16,
      1,
    ),
    max_active_runs_per_dag: requireInteger(
      'core.max_active_runs_per_dag',
      c.max_active_runs_per_dag ?? 16,
      1,
    ),
    default_pool_task_slot_count: requireInteger(
      'core.default_pool_task_slot_count',
      c.default_pool_task_slot_count ?? 128,
      0,
    ),
    executor,
    default_task_retries: requireInteger(
      'core.default_task_retries',
      c.default_task_retries ?? 0,
      0,
    ),
    default_task_retry_delay: requireNonNegative(
      'core.default_task_retry_delay',
      c.default_task_retry_delay ?? 300,
    ),
    max_task_retry_delay: requirePositive(
      'core.max_task_retry_delay',
      c.max_task_retry_delay ?? 86400,
    ),
  };
  const s = config.scheduler ?? {};
  rejectUnknownKeys(s, SCHEDULER_KEYS, 'scheduler');
  const scheduler: Required<SchedulerConfig> = {
    max_tis_per_query: requireInteger('scheduler.max_tis_per_query', s.max_tis_per_query ?? 16, 0),
    scheduler_idle_sleep_time: requireNonNegative(
      'scheduler.scheduler_idle_sleep_time',
      s.scheduler_idle_sleep_time ?? 1,
    ),
    max_dagruns_per_loop_to_schedule: requireInteger(
      'scheduler.max_dagruns_per_loop_to_schedule',
      s.max_dagruns_per_loop_to_schedule ?? 20,
      1,
    ),
    max_dagruns_to_create_per_loop: requireInteger(
      'scheduler.max_dagruns_to_create_per_loop',
      s.max_dagruns_to_create_per_loop ?? 10,
      1,
    ),
    catchup_by_default: bool('scheduler.catchup_by_default', s.catchup_by_default, false),
    create_cron_data_intervals: bool(
      'scheduler.create_cron_data_intervals',
      s.create_cron_data_intervals,
      false,
    ),
    task_queued_timeout: requirePositive(
      'scheduler.task_queued_timeout',
      s.task_queued_timeout ?? 600,
    ),
    task_instance_heartbeat_timeout: requirePositive(
      'scheduler.task_instance_heartbeat_timeout',
      s.task_instance_heartbeat_timeout ?? 300,
    ),
    loop_duration: requirePositive('scheduler.loop_duration', s.loop_duration ?? 0.2),
  };
  const ce = config.celery ?? {};
  rejectUnknownKeys(ce, CELERY_KEYS, 'celery');
  const workers = requireInteger('celery.workers', ce.workers ?? 2, 1, 10000);
  const wf = ce.worker_failures;
  if (Array.isArray(wf) && wf.length !== workers)
    throw new ParameterError(
      'celery.worker_failures',
      `${wf.length} specs`,
      `must be one spec, or a list of one per worker (${workers})`,
    );
  const celery = {
    workers,
    worker_concurrency: requireInteger('celery.worker_concurrency', ce.worker_concurrency ?? 16, 1),
    worker_failures: Array.from({ length: workers }, (_, w) =>
      Array.isArray(wf)
        ? resolveFailureSpec(wf[w], `celery.worker_failures[${w}]`)
        : resolveFailureSpec(wf, 'celery.worker_failures'),
    ),
  };
  const k = config.kubernetes_executor ?? {};
  rejectUnknownKeys(k, KUBERNETES_KEYS, 'kubernetes_executor');
  const pod_startup =
    k.pod_startup === undefined
      ? Lognormal.fit(10, 0.25)
      : durationOf(k.pod_startup, 'kubernetes_executor.pod_startup', 0);
  const pools = new Map<string, number>([['default_pool', core.default_pool_task_slot_count]]);
  const p = config.pools ?? {};
  if (p === null || typeof p !== 'object' || Array.isArray(p))
    throw new ParameterError('pools', p, 'must be an object { name: slots }');
  for (const [name, slots] of Object.entries(p))
    pools.set(name, requireInteger(keyPath('pools', name), slots, 0));
  for (const d of config.dags) {
    for (const t of d.tasks) {
      const pool = t.args.pool ?? 'default_pool';
      const total = pools.get(pool);
      if (total === undefined)
        throw new ParameterError(
          `dags.${d.dag_id}.${t.task_id}.pool`,
          pool,
          `is not a pool (pools: ${[...pools.keys()].join(', ')})`,
        );
      const slots = t.args.pool_slots ?? 1;
      if (slots > total)
        throw new ParameterError(
          `dags.${d.dag_id}.${t.task_id}.pool_slots`,
          slots,
          `must be <= the ${total} slots of pool ${pool} (else it never runs)`,
        );
    }
  }
  return {
    dags: config.dags,
    epochMs,
    core,
    scheduler,
    celery,
    pod_startup,
    pools,
    task_startup: durationOf(config.task_startup, 'task_startup', 1),
  };
}
