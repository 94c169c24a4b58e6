// Apache Airflow on the kernel: DAGs as code, the scheduler, executors, pools, retries (README.md).
export { DAG, TaskGroup, chain, AirflowDagCycleException, DAG_KEYS } from './dag';
export type { DagArgs } from './dag';
export {
  BaseOperator,
  EmptyOperator,
  PythonOperator,
  BashOperator,
  DatabricksSubmitRunOperator,
  BranchPythonOperator,
  BaseSensorOperator,
  FileSensor,
  ExternalTaskSensor,
  TaskList,
  tasks,
  AirflowException,
  AirflowFailException,
  AirflowSkipException,
  OPERATOR_KEYS,
  SENSOR_KEYS,
} from './operators';
export type {
  BaseOperatorArgs,
  SensorArgs,
  TaskContext,
  WeightRule,
  SensorMode,
  Dependable,
} from './operators';
export { TRIGGER_RULES, evaluateTriggerRule } from './trigger-rules';
export type { TriggerRule, UpstreamStates, RuleDecision } from './trigger-rules';
export { TI_STATES, FINISHED_STATES, EXECUTION_STATES, isFinished } from './states';
export type { TaskInstanceState, DagRunState } from './states';
export { retryDelay, pythonDatetimeString, sha1Mod, MAX_TASK_RETRY_DELAY } from './retry';
export type { RetryPolicy } from './retry';
export { Cron, Timetable } from './timetable';
export type { Schedule, NextRun } from './timetable';
export {
  resolveAirflowConfig,
  EXECUTORS,
  AIRFLOW_KEYS,
  CORE_KEYS,
  SCHEDULER_KEYS,
  CELERY_KEYS,
  KUBERNETES_KEYS,
} from './config';
export type {
  AirflowConfig,
  ResolvedAirflowConfig,
  CoreConfig,
  SchedulerConfig,
  CeleryConfig,
  KubernetesConfig,
  ExecutorName,
} from './config';
export { AirflowSystem, simulateAirflow } from './system';
export type { AirflowSummary, RunSummary } from './summary';
export type { AttemptRecord, TaskInstance, DagRun } from './instances';
export { dagWork, effectiveSlots, makespanBounds, independentWaves } from './theory';
export type { DagWork, MakespanBounds } from './theory';
export { ganttChart } from './gantt';
export type { GanttOptions } from './gantt';
export * as examples from './examples';
