/** What an Airflow simulation reports (AirflowSystem.summary, simulateAirflow). */
import type { LatencySummary } from '../common/latency';
import type { TaskInstanceState } from './states';

export interface RunSummary {
  dag_id: string;
  run_id: string;
  run_type: 'scheduled' | 'manual';
  logical_date: string;
  state: string;
  /** Simulated seconds. */
  start: number;
  end: number;
  duration: number;
}

export interface AirflowSummary {
  executor: string;
  loops: number;
  /** Every DAG run created since time 0, a timeline (end NaN while running). */
  runs: RunSummary[];
  /** Runs started since the last statistics reset that finished (the run statistics below count only these). */
  runsFinished: number;
  runsFailed: number;
  /** Mean duration of the runs that finished (their makespan), seconds. */
  makespan: number;
  /** Finished runs that took longer than their DAG's deadline. */
  deadlineMisses: number;
  /** TIs of every run by current state. */
  tiStates: Record<TaskInstanceState, number>;
  attempts: number;
  retries: number;
  zombies: number;
  /** From scheduled (dependencies met) to running, per attempt: scheduling plus queueing plus start-up. */
  queueDelay: LatencySummary;
  runDuration: LatencySummary;
  /** Celery workers' availability (NaN for other executors). */
  workerAvailability: number;
}
