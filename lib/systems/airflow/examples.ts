/**
 * The lab's DAGs, written as Airflow DAG files are:
 * - `trainDeploy`: the course's example, a training job then a deploy job (`t1 >> [t2]`), each a
 *   DatabricksSubmitRunOperator;
 * - `wideDag`: n independent tasks of d seconds (the 7-waves oracle: 100 × 60 s);
 * - `etlMl`: a wider pipeline: extract, a mapped transform over 48 partitions, load, and beside it
 *   train → evaluate → deploy, joined by publish (known total work and critical path);
 * - `flakyPipeline`: extract >> transform (fails with a probability, retried) >> load.
 */
import type { Distribution } from '../../random/distribution';
import { Lognormal } from '../../random/lognormal';
import { DAG } from './dag';
import { DatabricksSubmitRunOperator, PythonOperator } from './operators';
import type { WeightRule } from './operators';

/** A duration of mean m: fixed when scv is 0, else lognormal with that scv. */
export function durationWith(mean: number, scv: number): number | Distribution {
  return scv > 0 ? Lognormal.fit(mean, scv) : mean;
}

export function trainDeploy(
  o: {
    trainSeconds?: number;
    deploySeconds?: number;
    scv?: number;
    dag_id?: string;
    schedule?: string | number | null;
  } = {},
): DAG {
  const dag = new DAG({
    dag_id: o.dag_id ?? 'train_then_deploy',
    schedule: o.schedule === undefined ? '@daily' : o.schedule,
    start_date: '2025-01-01T00:00:00Z',
  });
  const t1 = new DatabricksSubmitRunOperator({
    task_id: 'train',
    dag,
    duration: durationWith(o.trainSeconds ?? 1800, o.scv ?? 0),
  });
  const t2 = new DatabricksSubmitRunOperator({
    task_id: 'deploy',
    dag,
    duration: durationWith(o.deploySeconds ?? 300, o.scv ?? 0),
  });
  t1.then([t2]);
  return dag;
}

export function wideDag(
  o: {
    n?: number;
    seconds?: number;
    scv?: number;
    max_active_tasks?: number;
    dag_id?: string;
    pool?: string;
  } = {},
): DAG {
  const dag = new DAG({
    dag_id: o.dag_id ?? 'wide',
    ...(o.max_active_tasks ? { max_active_tasks: o.max_active_tasks } : {}),
  });
  for (let i = 0; i < (o.n ?? 100); i++)
    new PythonOperator({
      task_id: `task_${i}`,
      dag,
      duration: durationWith(o.seconds ?? 60, o.scv ?? 0),
      ...(o.pool ? { pool: o.pool } : {}),
    });
  return dag;
}

/** Transform durations: 60, 90, 120, 150 s in turn (mean 105 s). */
export const ETL_TRANSFORM_SECONDS = [60, 90, 120, 150];

export function etlMl(
  o: { scv?: number; max_active_tasks?: number; dag_id?: string; partitions?: number } = {},
): DAG {
  const scv = o.scv ?? 0;
  const dag = new DAG({
    dag_id: o.dag_id ?? 'etl_ml',
    ...(o.max_active_tasks ? { max_active_tasks: o.max_active_tasks } : {}),
  });
  const extract = new PythonOperator({ task_id: 'extract', dag, duration: durationWith(120, scv) });
  const n = o.partitions ?? 48;
  const transforms = Array.from(
    { length: n },
    (_, i) =>
      new PythonOperator({
        task_id: `transform_${i}`,
        dag,
        duration: durationWith(ETL_TRANSFORM_SECONDS[i % 4], scv),
      }),
  );
  const load = new PythonOperator({ task_id: 'load', dag, duration: durationWith(120, scv) });
  const train = new DatabricksSubmitRunOperator({
    task_id: 'train',
    dag,
    duration: durationWith(1500, scv),
  });
  const evaluate = new PythonOperator({
    task_id: 'evaluate',
    dag,
    duration: durationWith(300, scv),
  });
  const deploy = new DatabricksSubmitRunOperator({
    task_id: 'deploy',
    dag,
    duration: durationWith(300, scv),
  });
  const publish = new PythonOperator({ task_id: 'publish', dag, duration: durationWith(60, scv) });
  extract.then(transforms).then(load).then(publish);
  extract.then(train).then(evaluate).then(deploy).then(publish);
  return dag;
}

export function flakyPipeline(o: {
  failure_probability: number;
  retries: number;
  retry_delay?: number;
  retry_exponential_backoff?: boolean;
  max_retry_delay?: number | null;
  deadline?: number | null;
  dag_id?: string;
}): DAG {
  const dag = new DAG({
    dag_id: o.dag_id ?? 'flaky_pipeline',
    deadline: o.deadline ?? null,
    max_active_runs: 10000,
    max_active_tasks: 100000,
  });
  const extract = new PythonOperator({ task_id: 'extract', dag, duration: 300 });
  const transform = new PythonOperator({
    task_id: 'transform',
    dag,
    duration: 600,
    failure_probability: o.failure_probability,
    retries: o.retries,
    retry_delay: o.retry_delay ?? 300,
    retry_exponential_backoff: o.retry_exponential_backoff ?? false,
    max_retry_delay: o.max_retry_delay ?? null,
  });
  const load = new PythonOperator({ task_id: 'load', dag, duration: 300 });
  extract.then(transform).then(load);
  return dag;
}

/** Short tasks competing with a chain for few slots (weight_rule matters). */
export function chainAndShorts(o: {
  shorts?: number;
  chain?: number;
  seconds?: number;
  weight_rule: WeightRule;
  dag_id?: string;
}): DAG {
  const dag = new DAG({
    dag_id: o.dag_id ?? 'chain_and_shorts',
    default_args: { weight_rule: o.weight_rule },
  });
  const d = o.seconds ?? 60;
  for (let i = 0; i < (o.shorts ?? 24); i++)
    new PythonOperator({ task_id: `short_${i}`, dag, duration: d });
  let prev = new PythonOperator({ task_id: 'chain_0', dag, duration: d });
  for (let i = 1; i < (o.chain ?? 6); i++) {
    const t = new PythonOperator({ task_id: `chain_${i}`, dag, duration: d });
    prev.then(t);
    prev = t;
  }
  return dag;
}
