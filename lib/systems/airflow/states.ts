/**
 * Task-instance and DAG-run states, with Airflow's names (airflow/utils/state.py,
 * `TaskInstanceState`, `DagRunState`; reference: subsystems.md §6.1):
 * `none` → `scheduled` (dependencies met) → `queued` (handed to the executor) → `running` →
 * `success`, and `failed`, `skipped`, `upstream_failed`, `up_for_retry` (failed with tries left,
 * waiting for its retry delay), `up_for_reschedule` (a sensor in reschedule mode between pokes).
 * (`deferred`, `restarting` and `removed` are not modelled.)
 */
export const TI_STATES = [
  'none',
  'scheduled',
  'queued',
  'running',
  'success',
  'failed',
  'skipped',
  'upstream_failed',
  'up_for_retry',
  'up_for_reschedule',
] as const;
export type TaskInstanceState = (typeof TI_STATES)[number];

/** The states a task instance ends in (airflow/utils/state.py `State.finished`, less `removed`). */
export const FINISHED_STATES: readonly TaskInstanceState[] = [
  'success',
  'failed',
  'skipped',
  'upstream_failed',
];

/** States that hold an executor slot, a pool slot and count against max_active_tasks (`EXECUTION_STATES`). */
export const EXECUTION_STATES: readonly TaskInstanceState[] = ['queued', 'running'];

export function isFinished(s: TaskInstanceState): boolean {
  return s === 'success' || s === 'failed' || s === 'skipped' || s === 'upstream_failed';
}

export type DagRunState = 'queued' | 'running' | 'success' | 'failed';
