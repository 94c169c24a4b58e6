import { Simulation } from '../../../lib/sim/simulation';
import { AirflowSystem } from '../../../lib/systems/airflow';
import type { AirflowConfig, DAG } from '../../../lib/systems/airflow';

/** Builds a deployment, triggers each DAG once at t = 0 (unless told not to) and runs until idle or `limit`. */
export function runDags(
  dags: DAG[],
  config: Omit<AirflowConfig, 'dags'> = {},
  options: { seed?: number; limit?: number; trigger?: boolean } = {},
): AirflowSystem {
  const sim = new Simulation({ seed: options.seed ?? 1 });
  const sys = new AirflowSystem(sim, { ...config, dags });
  if (options.trigger ?? true) for (const d of dags) sys.trigger(d.dag_id, 0);
  sys.runUntilIdle(options.limit ?? 1e6);
  return sys;
}

/** Final state of one task instance of the first run of a DAG. */
export function stateOf(sys: AirflowSystem, dagId: string, taskId: string, mapIndex = -1): string {
  const ti = sys.tis.find(
    (t) => t.run.dag.dag.dag_id === dagId && t.task_id === taskId && t.map_index === mapIndex,
  );
  if (!ti) throw new Error(`no TI ${dagId}.${taskId}[${mapIndex}]`);
  return ti.state;
}

/** Most TIs running at once, from the attempt log. */
export function maxConcurrent(sys: AirflowSystem): number {
  const ev: Array<[number, number]> = [];
  for (const a of sys.attemptsLog) {
    ev.push([a.start, 1]);
    ev.push([a.end, -1]);
  }
  ev.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let n = 0;
  let m = 0;
  for (const [, d] of ev) m = Math.max(m, (n += d));
  return m;
}
