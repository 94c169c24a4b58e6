/**
 * The scheduler's records: DAG runs and their task instances (TIs), as plain objects (a DAG's
 * structures are not a per-event hot path; events carry the TI's integer id). One TI per task and
 * map index per run, with its state, try_number and the times of its current attempt.
 */
import type { Rng } from '../../random/xoshiro128';
import type { DAG } from './dag';
import type { BaseOperator } from './operators';
import type { DagRunState, TaskInstanceState } from './states';
import type { Timetable } from './timetable';

/** A DAG as the scheduler holds it: resolved limits, weights, timetable, its runs. */
export interface DagState {
  dag: DAG;
  index: number;
  catchup: boolean;
  max_active_tasks: number;
  max_active_runs: number;
  weights: Map<BaseOperator, number>;
  timetable: Timetable;
  /** Epoch ms of end_date, or Infinity. */
  endDate: number;
  /** Logical date (epoch ms) of the last scheduled run created, or null. */
  lastLogical: number | null;
  /** Runs by creation order. */
  runs: DagRun[];
  running: number;
  /** Queued or running TIs of this DAG, all runs. */
  active: number;
  /** Queued or running TIs per task. */
  activePerTask: Map<BaseOperator, number>;
}

export interface DagRun {
  dag: DagState;
  run_id: string;
  run_type: 'scheduled' | 'manual';
  /** Epoch ms. */
  logical_date: number;
  state: DagRunState;
  /** Simulated seconds. */
  start: number;
  end: number;
  tis: TaskInstance[];
  byTask: Map<BaseOperator, TaskInstance[]>;
  unfinished: number;
  /** Loop time of the last scheduling decision (runs examined oldest first). */
  lastDecision: number;
  /** The DAG's previous run (by logical date), for depends_on_past. */
  previous: DagRun | null;
}

export type Outcome = 'success' | 'fail' | 'fail_fast' | 'skip' | 'reschedule' | 'timeout';

export interface TaskInstance {
  id: number;
  run: DagRun;
  task: BaseOperator;
  task_id: string;
  map_index: number;
  state: TaskInstanceState;
  try_number: number;
  max_tries: number;
  priority_weight: number;
  pool: string;
  pool_slots: number;
  upstream: TaskInstance[];
  downstream: TaskInstance[];
  rng: Rng;
  /** Simulated seconds: when deps were last met, when queued, when the attempt started. */
  scheduledAt: number;
  queuedAt: number;
  startedAt: number;
  /** First poke's start (a sensor's timeout runs from it). */
  firstStartAt: number;
  endedAt: number;
  /** Earliest retry / reschedule time (up_for_retry, up_for_reschedule). */
  notBefore: number;
  /** When a sensor's condition holds (simulated seconds). */
  readyAt: number;
  /** The pending start or end event, or -1. */
  event: number;
  /** Executor lane (slot) of the current attempt, or -1. */
  lane: number;
  /** What the current attempt will end in. */
  outcome: Outcome;
  /** Index of the current attempt's record in the system's attempt list, or -1. */
  record: number;
  /** A branch's chosen task_ids. */
  follow: Set<string> | null;
}

/** One attempt of one TI, for the Gantt chart and the timeline. */
export interface AttemptRecord {
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
  try_number: number;
  lane: number;
  laneLabel: string;
  queued: number;
  start: number;
  end: number;
  /** success, failed, up_for_retry, skipped, up_for_reschedule, or zombie. */
  result: string;
}
