/**
 * Lab 11, Apache Airflow: DAGs as code, the scheduler and its limits, executors, pools and
 * priorities, retries, makespan and the critical path. The simulator is lib/systems/airflow.
 */
import type { Experiment } from '../../experiment/experiment';
import { airflowGantt, airflowMakespan } from './makespan';
import { airflowRetries } from './retries';
import { airflowPriorityPools } from './priority-pools';
import { airflowExecutors } from './executors';

export { airflowGantt, airflowMakespan, airflowRetries, airflowPriorityPools, airflowExecutors };
export { weightRuleSteps, sensorWorkSteps } from './priority-pools';
export { retryFinishCdf } from './retries';

export const lab11Experiments: ReadonlyArray<Experiment<any>> = [
  airflowMakespan,
  airflowGantt,
  airflowRetries,
  airflowPriorityPools,
  airflowExecutors,
];
