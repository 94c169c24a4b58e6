/**
 * The scheduler's limits, against Airflow's semantics (scheduler_job_runner.py
 * `_executable_task_instances_to_queued`; defaults from config.yml: parallelism 32,
 * max_active_tasks_per_dag 16, default_pool 128 slots, max_tis_per_query 16; reference:
 * subsystems.md §6.4-6.5).
 */
import { Simulation } from '../../../lib/sim/simulation';
import {
  AirflowSystem,
  DAG,
  EmptyOperator,
  PythonOperator,
  BaseSensorOperator,
  DatabricksSubmitRunOperator,
} from '../../../lib/systems/airflow';
import { maxConcurrent, runDags, stateOf } from './helpers';

function wide(
  n: number,
  seconds: number,
  extra: Record<string, unknown> = {},
  dagArgs: Record<string, unknown> = {},
): DAG {
  const dag = new DAG({ dag_id: 'wide', ...dagArgs });
  for (let i = 0; i < n; i++)
    new PythonOperator({ task_id: `t${i}`, dag, duration: seconds, ...extra });
  return dag;
}

/** Distinct start waves: starts more than 10 s apart begin a new wave. */
function waves(starts: number[]): number {
  const s = [...starts].sort((a, b) => a - b);
  return s.filter((x, i) => i === 0 || x - s[i - 1] > 10).length;
}

describe('the 7-waves oracle (subsystems.md §6.5)', () => {
  it('100 independent 60 s tasks under the defaults run in 7 waves of 16: max_active_tasks binds before parallelism', () => {
    const sys = runDags([wide(100, 60)]);
    const run = sys.summary().runs[0];
    expect(run.state).toBe('success');
    expect(maxConcurrent(sys)).toBe(16);
    expect(waves(sys.attemptsLog.map((a) => a.start))).toBe(7);
    // ⌈100/16⌉·60 = 420 s plus per wave at most one start-up (1 s) and two loops (2 × 0.2 s + 1 s idle sleep)
    expect(run.duration).toBeGreaterThanOrEqual(420);
    expect(run.duration).toBeLessThanOrEqual(420 + 7 * (1 + 2 * 0.2 + 1) + 1);
  });

  it('with max_active_tasks 64 the parallelism of 32 binds: 4 waves', () => {
    const sys = runDags([wide(100, 60, {}, { max_active_tasks: 64 })]);
    expect(maxConcurrent(sys)).toBe(32);
    expect(waves(sys.attemptsLog.map((a) => a.start))).toBe(4);
  });

  it('a pool of 10 slots binds: 10 waves; pool_slots 2 halves it again', () => {
    const a = runDags([wide(100, 60, { pool: 'gpu' })], { pools: { gpu: 10 } });
    expect(maxConcurrent(a)).toBe(10);
    expect(waves(a.attemptsLog.map((x) => x.start))).toBe(10);
    const b = runDags([wide(20, 60, { pool: 'gpu', pool_slots: 2 })], { pools: { gpu: 10 } });
    expect(maxConcurrent(b)).toBe(5);
  });

  it('max_tis_per_query limits how many TIs one loop queues', () => {
    const sys = runDags([wide(16, 60)], { scheduler: { max_tis_per_query: 4 } });
    const starts = [...new Set(sys.attemptsLog.map((a) => a.queued))].sort((x, y) => x - y);
    expect(starts.length).toBe(4); // four loops of four
  });

  it('max_active_tis_per_dag caps one task across runs', () => {
    const dag = new DAG({ dag_id: 'capped' });
    new PythonOperator({ task_id: 'm', dag, duration: 60, max_active_tis_per_dag: 3 }).expand([
      ...Array(9).keys(),
    ]);
    const sys = runDags([dag]);
    expect(maxConcurrent(sys)).toBe(3);
    expect(sys.summary().tiStates.success).toBe(9);
  });

  it('max_active_runs: at most that many runs of a DAG at once', () => {
    const dag = new DAG({ dag_id: 'runs', max_active_runs: 2 });
    new PythonOperator({ task_id: 't', dag, duration: 100 });
    const sim = runDags([dag], {}, { trigger: false, limit: 0 });
    for (let i = 0; i < 6; i++) sim.trigger('runs', 0);
    sim.runUntilIdle(1e5);
    const runs = sim.summary().runs;
    expect(runs.length).toBe(6);
    for (const r of runs)
      expect(runs.filter((o) => o.start < r.end && o.end > r.start).length).toBeLessThanOrEqual(2);
  });
});

describe('priority_weight and weight_rule', () => {
  // one slot; a root with a long chain below it and four independent tasks
  function contention(rule: 'downstream' | 'absolute' | 'upstream') {
    const dag = new DAG({ dag_id: 'p', default_args: { weight_rule: rule } });
    const leaves = [0, 1, 2, 3].map(
      (i) => new PythonOperator({ task_id: `leaf${i}`, dag, duration: 10 }),
    );
    const head = new PythonOperator({ task_id: 'head', dag, duration: 10 });
    let prev = head;
    for (let i = 0; i < 3; i++) {
      const t = new PythonOperator({ task_id: `chain${i}`, dag, duration: 10 });
      prev.then(t);
      prev = t;
    }
    void leaves;
    return runDags([dag], { pools: { one: 1 }, core: { parallelism: 1 } });
  }
  it('downstream: the task with most descendants starts first (effective weight = own + descendants)', () => {
    const sys = contention('downstream');
    expect(sys.attemptsLog[0].task_id).toBe('head');
    const weights = new Map(sys.tis.map((t) => [t.task_id, t.priority_weight]));
    expect(weights.get('head')).toBe(4);
    expect(weights.get('chain2')).toBe(1);
  });
  it('absolute: equal weights, so the DAG order decides; upstream: the deepest task has the largest weight', () => {
    expect(contention('absolute').attemptsLog[0].task_id).toBe('leaf0');
    const up = new Map(contention('upstream').tis.map((t) => [t.task_id, t.priority_weight]));
    expect(up.get('chain2')).toBe(4);
    expect(up.get('head')).toBe(1);
  });
  it('downstream weights shorten the makespan of a long chain competing with short tasks for few slots', () => {
    const build = (rule: 'downstream' | 'absolute') => {
      const dag = new DAG({ dag_id: `pr_${rule}`, default_args: { weight_rule: rule } });
      for (let i = 0; i < 8; i++) new PythonOperator({ task_id: `a_short${i}`, dag, duration: 30 });
      let prev = new PythonOperator({ task_id: 'z_chain0', dag, duration: 30 });
      for (let i = 1; i < 4; i++) {
        const t = new PythonOperator({ task_id: `z_chain${i}`, dag, duration: 30 });
        prev.then(t);
        prev = t;
      }
      return runDags([dag], { core: { parallelism: 2 } }).summary().runs[0].duration;
    };
    expect(build('downstream')).toBeLessThan(build('absolute'));
  });
});

describe('sensors', () => {
  function sensorDag(mode: 'poke' | 'reschedule') {
    const dag = new DAG({ dag_id: `s_${mode}` });
    for (let i = 0; i < 4; i++)
      new BaseSensorOperator({
        task_id: `wait${i}`,
        dag,
        mode,
        poke_interval: 60,
        ready_after: 1800,
        pool: 'p',
      });
    for (let i = 0; i < 4; i++)
      new PythonOperator({ task_id: `work${i}`, dag, duration: 60, pool: 'p' });
    return runDags([dag], { pools: { p: 4 } });
  }
  it('poke mode holds the pool slots, so the work waits for the sensors (starvation); reschedule mode frees them', () => {
    const poke = sensorDag('poke');
    const resched = sensorDag('reschedule');
    const workStart = (s: ReturnType<typeof runDags>) =>
      Math.min(...s.attemptsLog.filter((a) => a.task_id.startsWith('work')).map((a) => a.start));
    expect(workStart(poke)).toBeGreaterThanOrEqual(1800);
    expect(workStart(resched)).toBeLessThan(120);
    expect(resched.summary().tiStates.success).toBe(8);
    expect(resched.attemptsLog.some((a) => a.result === 'up_for_reschedule')).toBe(true);
    // the sensor succeeds at the first poke at or after 1800 s
    const pokeEnd = Math.max(
      ...poke.attemptsLog.filter((a) => a.task_id.startsWith('wait')).map((a) => a.end),
    );
    expect(pokeEnd).toBeGreaterThanOrEqual(1800);
    expect(pokeEnd).toBeLessThan(1800 + 60 + 5);
  });
  it('a sensor times out (AirflowSensorTimeout): failed without retry, or skipped with soft_fail', () => {
    const dag = new DAG({ dag_id: 'to' });
    new BaseSensorOperator({ task_id: 'hard', dag, timeout: 300, ready_after: 1e6, retries: 3 });
    new BaseSensorOperator({
      task_id: 'soft',
      dag,
      timeout: 300,
      ready_after: 1e6,
      soft_fail: true,
      mode: 'reschedule',
    });
    const sys = runDags([dag]);
    expect(stateOf(sys, 'to', 'hard')).toBe('failed');
    expect(stateOf(sys, 'to', 'soft')).toBe('skipped');
    expect(sys.attemptsLog.filter((a) => a.task_id === 'hard').length).toBe(1);
  });
});

describe('executors', () => {
  const job = () => {
    const dag = new DAG({ dag_id: 'short' });
    for (let i = 0; i < 64; i++) new EmptyOperator({ task_id: `t${i}`, dag, duration: 2 });
    return dag;
  };
  it('KubernetesExecutor pays a pod start-up per task; Local a process start-up', () => {
    const local = runDags([job()], { core: { executor: 'LocalExecutor' } }).summary();
    const k8s = runDags([job()], { core: { executor: 'KubernetesExecutor' } }).summary();
    expect(k8s.queueDelay.mean - local.queueDelay.mean).toBeGreaterThan(5);
    expect(k8s.executor).toBe('KubernetesExecutor');
  });
  it('CeleryExecutor: a worker fleet of workers × worker_concurrency slots', () => {
    const dag = new DAG({ dag_id: 'c', max_active_tasks: 100 });
    for (let i = 0; i < 40; i++) new PythonOperator({ task_id: `t${i}`, dag, duration: 60 });
    const sys = runDags([dag], {
      core: { executor: 'CeleryExecutor' },
      celery: { workers: 2, worker_concurrency: 4 },
    });
    expect(maxConcurrent(sys)).toBe(8);
    expect(new Set(sys.attemptsLog.map((a) => a.laneLabel)).size).toBe(8);
  });
  it('a Celery worker crash turns its running TIs into zombies, failed after task_instance_heartbeat_timeout and retried', () => {
    const dag = new DAG({ dag_id: 'z', default_args: { retries: 1, retry_delay: 10 } });
    for (let i = 0; i < 4; i++)
      new DatabricksSubmitRunOperator({ task_id: `t${i}`, dag, duration: 600 });
    const sys = runDags([dag], {
      core: { executor: 'CeleryExecutor' },
      celery: {
        workers: 2,
        worker_concurrency: 2,
        worker_failures: [{ outages: [{ at: 100, duration: 50 }] }, {}],
      },
    });
    const s = sys.summary();
    expect(s.zombies).toBe(2);
    expect(s.tiStates.success).toBe(4);
    const zombies = sys.attemptsLog.filter((a) => a.result === 'zombie');
    expect(zombies.length).toBe(2);
    const retried = sys.attemptsLog.filter((a) => a.try_number === 2);
    // the scheduler sees the zombie 300 s after the crash, then waits retry_delay 10 s
    for (const a of retried) expect(a.start).toBeGreaterThanOrEqual(100 + 300 + 10);
    expect(s.workerAvailability).toBeLessThan(1);
  });
});

describe('the loop: batch limits and timeouts', () => {
  it('one new run per DAG per loop: a catchup of 10 intervals takes 10 loops', () => {
    const dag = new DAG({
      dag_id: 'cu',
      schedule: '@daily',
      start_date: -10 * 86400,
      catchup: true,
    });
    new PythonOperator({ task_id: 't', dag, duration: 1 });
    const sim = new Simulation({ seed: 1 });
    const sys = new AirflowSystem(sim, {
      dags: [dag],
      scheduler: { create_cron_data_intervals: true },
    });
    sim.run({ until: 600 });
    const starts = sys.summary().runs.map((r: { start: number }) => r.start);
    expect(starts.length).toBe(10);
    for (let i = 1; i < starts.length; i++)
      expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(0.2 - 1e-9);
  });
  it('task_queued_timeout: TIs stuck in the Celery broker (every worker down) fail, then retry when workers are back', () => {
    const dag = new DAG({ dag_id: 'stuck', default_args: { retries: 1, retry_delay: 60 } });
    for (let i = 0; i < 3; i++) new PythonOperator({ task_id: `t${i}`, dag, duration: 30 });
    const sys = runDags([dag], {
      core: { executor: 'CeleryExecutor' },
      celery: { workers: 1, worker_failures: { outages: [{ at: 0, duration: 900 }] } },
      scheduler: { task_queued_timeout: 600 },
    });
    const first = sys.attemptsLog.map((a) => a.start);
    expect(Math.min(...first)).toBeGreaterThan(600 + 60);
    expect(sys.attemptsLog.every((a) => a.try_number === 2)).toBe(true);
    expect(sys.summary().tiStates.success).toBe(3);
  });
});
