/** Shared pieces of lab 11's experiments: one DAG run to completion on a fresh simulation. */
import { Simulation } from '../../sim/simulation';
import { AirflowSystem } from '../../systems/airflow/system';
import type { AirflowConfig } from '../../systems/airflow/config';
import type { DAG } from '../../systems/airflow/dag';
import { workOf } from '../../experiment/work';
import type { WorkEstimate } from '../../experiment/work';
import { dagWork, makespanBounds } from '../../systems/airflow/theory';

export const lab = '11-airflow-dags';

/** Builds the deployment, triggers `runs` manual runs of the first DAG at t = 0 and runs until idle (or `limit` s). */
export function runOnce(
  dags: DAG[],
  config: Omit<AirflowConfig, 'dags'>,
  seed: number,
  runs = 1,
  limit = 30 * 86400,
): AirflowSystem {
  const sim = new Simulation({ seed });
  const sys = new AirflowSystem(sim, { ...config, dags });
  for (let i = 0; i < runs; i++) sys.trigger(dags[0].dag_id, 0);
  sys.runUntilIdle(limit);
  return sys;
}

/**
 * Work of running `dag` `runs` times on `slots` slots: the scheduler loops about once a second
 * while work remains (the makespan's upper bound W/s + CP, an event a loop) and each task
 * instance about 8 events (queued, started, finished, the scheduler's passes over it);
 * the parameter named is `slots` for the loops and `tasks` for the instances.
 */
export function dagRunWork(dag: DAG, slots: number, runs = 1, attempts = 1): WorkEstimate {
  const upper = makespanBounds(dagWork(dag), slots).upper;
  return workOf({ slots: upper, tasks: 8 * runs * attempts * dag.tasks.length });
}

export type Row = Record<string, number | string | boolean | null>;
