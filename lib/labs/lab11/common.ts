/** Shared pieces of lab 11's experiments: one DAG run to completion on a fresh simulation. */
import { Simulation } from '../../sim/simulation';
import { AirflowSystem } from '../../systems/airflow/system';
import type { AirflowConfig } from '../../systems/airflow/config';
import type { DAG } from '../../systems/airflow/dag';

export const lab = '11-airflow-dags';

/** Builds the deployment, triggers `runs` manual runs of the first DAG at t = 0 and runs until idle (or `limit` s). */
export function runOnce(dags: DAG[], config: Omit<AirflowConfig, 'dags'>, seed: number, runs = 1, limit = 30 * 86400): AirflowSystem {
  const sim = new Simulation({ seed });
  const sys = new AirflowSystem(sim, { ...config, dags });
  for (let i = 0; i < runs; i++) sys.trigger(dags[0].dag_id, 0);
  sys.runUntilIdle(limit);
  return sys;
}

export type Row = Record<string, number | string | boolean | null>;
