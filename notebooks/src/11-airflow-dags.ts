// ---
// jupyter:
//   jupytext:
//     text_representation:
//       extension: .ts
//       format_name: percent
//       format_version: '1.3'
//       jupytext_version: 1.16.4
//   kernelspec:
//     display_name: TypeScript (scalelab)
//     language: typescript
//     name: tslab
// ---

// %% [markdown]
// # 11 · Apache Airflow: DAGs as code, the scheduler, pools and priorities, retries, makespan
//
// **The question.** A pipeline is a DAG of tasks: train a model, then deploy it; extract, transform 48 partitions,
// load. How long does one run take on the slots you have, and which Airflow setting is the real limit? What do
// retries cost a run with a flaky task, and when does it miss its deadline? Which tasks go first when slots are
// scarce, and what do sensors do to a pool? What does the executor add per task?
//
// **The model** (`airflow` in scalelab, on the simulation kernel; every knob keeps Airflow's name and its 3.x default):
//
// - DAGs written as in a DAG file: operators with a duration, a failure probability or a `python_callable`;
//   `a.then(b)` for `a >> b`, lists for fan-out and fan-in, `chain`, task groups, `expand` (dynamic task
//   mapping), branching and sensors (`poke` and `reschedule` mode). Cycles are rejected.
// - The scheduler loop of `scheduler_job_runner.py`: create due DAG runs (cron or interval, `catchup`), apply the
//   trigger rules of `trigger_rule_dep.py` to make task instances `scheduled`, `skipped` or `upstream_failed`, then
//   queue at most `min(max_tis_per_query, parallelism − queued − running)` of them, highest `priority_weight` first,
//   within their pool's slots, the DAG's `max_active_tasks` and the task's `max_active_tis_per_dag`. A loop takes
//   `loop_duration` = 0.2 s and sleeps `scheduler_idle_sleep_time` = 1 s when it had nothing to do.
// - Retries as `next_retry_datetime` computes them: `retry_delay`, or with `retry_exponential_backoff`
//   `retry_delay · 2^(try−1)` plus a sha1 jitter of up to as much again, capped by `max_retry_delay`.
// - Executors: `LocalExecutor` (processes, a 1 s start-up), `CeleryExecutor` (a broker queue and a worker fleet of
//   `worker_concurrency` slots each, workers that fail), `KubernetesExecutor` (a pod per task, start-up ≈ 10 s).
//
// Assumptions worth doubting: task times do not depend on load (no shared database or cluster slowing down as more
// tasks run); the metadata database is never the bottleneck (a loop always takes 0.2 s); one scheduler.

// %% [markdown]
// ## Parameters
//
// Change them here, or rerun from a terminal, e.g.
// `npx scalelab notebooks run notebooks/11-airflow-dags.ipynb --param max_active_tasks=32`.

// %% tags=["parameters"]
const slots: number[] = [1, 2, 4, 8, 16, 32, 64]; // worker slots ([core] parallelism) for the makespan sweep
const max_active_tasks: number = 16; // the DAG's max_active_tasks (Airflow's default 16)
const durationScv: number = 0; // task-time variability in the makespan sweep (0: fixed times)
const ganttSlots: number = 8; // slots for the Gantt charts
const failure_probability: number = 0.3; // one attempt of the flaky transform fails
const retries: number[] = [0, 1, 2, 3];
const retry_delay: number = 300; // seconds (Airflow's default)
const deadline: number = 3600; // seconds after the run starts
const poolSlots: number = 8; // the pool shared by sensors and work
const taskSeconds: number[] = [1, 5, 15, 60, 240]; // task run times for the executor comparison
const seed: number = 1;

// %%
import * as aq from 'arquero';
import { show, findExperiment, airflow, Simulation } from 'scalelab';
const runOptions = { seed: seed };
const makespan = findExperiment('airflow-makespan');
const gantt = findExperiment('airflow-gantt');
const retriesExperiment = findExperiment('airflow-retries');
const priorityPools = findExperiment('airflow-priority-pools');
const executors = findExperiment('airflow-executors');

// %% [markdown]
// ## 1. A DAG as code
//
// The course's pipeline is a training job then a deploy job, each a `DatabricksSubmitRunOperator`:
// `t1 >> [t2]`. In scalelab the same file reads:

// %%
const dag = new airflow.DAG({
  dag_id: 'train_then_deploy',
  schedule: '@daily',
  start_date: '2025-01-01T00:00:00Z',
});
const t1 = new airflow.DatabricksSubmitRunOperator({ task_id: 'train', dag: dag, duration: 1800 });
const t2 = new airflow.DatabricksSubmitRunOperator({
  task_id: 'deploy',
  dag: dag,
  duration: 300,
  retries: 2,
});
t1.then([t2]); // t1 >> [t2]
const work = airflow.dagWork(dag);
console.log(
  `tasks: ${dag.tasks.map((t) => t.task_id).join(', ')}; total work W = ${work.totalWork} s; critical path CP = ${work.criticalPath} s (${work.criticalTasks.join(' → ')})`,
);
// a cycle is rejected, naming it
const bad = new airflow.DAG({ dag_id: 'loop' });
const [a, b, c] = ['a', 'b', 'c'].map((id) => new airflow.EmptyOperator({ task_id: id, dag: bad }));
a.then(b).then(c).then(a);
try {
  bad.check();
} catch (e) {
  console.log((e as Error).message);
}

// %% [markdown]
// **Trigger rules** decide, from the states of a task's *direct* upstreams, whether it runs, waits, or is set
// `skipped` or `upstream_failed` at once. The table is `airflow.evaluateTriggerRule`, the same decision code the
// scheduler uses (transcribed from `trigger_rule_dep.py`), for three upstreams (S success, F failed, K skipped,
// U upstream_failed, R still running):

// %%
const vectors = ['SSS', 'SFS', 'SKS', 'KKK', 'FFF', 'SRR', 'FRR', 'KRR', 'USS', 'UUU'];
const count = (v: string, ch: string) => [...v].filter((x) => x === ch).length;
const ruleTable: Record<string, string[]> = { rule: [...airflow.TRIGGER_RULES] };
for (const v of vectors) {
  ruleTable[v] = airflow.TRIGGER_RULES.map((rule) =>
    airflow.evaluateTriggerRule(rule, {
      upstream: 3,
      success: count(v, 'S'),
      failed: count(v, 'F'),
      skipped: count(v, 'K'),
      upstream_failed: count(v, 'U'),
    }),
  );
}
show(aq.table(ruleTable));

// %% [markdown]
// The documented pitfall: after a branch, the join with the default `all_success` is skipped, because the branch
// not taken is skipped and a skip cascades through `all_success`. `none_failed_min_one_success` is the right join.

// %%
function branchJoin(rule: airflow.TriggerRule) {
  const d = new airflow.DAG({ dag_id: `branch_${rule}` });
  const pick = new airflow.BranchPythonOperator({
    task_id: 'pick',
    dag: d,
    python_callable: () => 'a',
  });
  const join = new airflow.EmptyOperator({ task_id: 'join', dag: d, trigger_rule: rule });
  pick
    .then([
      new airflow.EmptyOperator({ task_id: 'a', dag: d }),
      new airflow.EmptyOperator({ task_id: 'b', dag: d }),
    ])
    .then(join);
  return d;
}
const dags = [branchJoin('all_success'), branchJoin('none_failed_min_one_success')];
const sim = new Simulation({ seed: seed });
const deployment = new airflow.AirflowSystem(sim, { dags: dags });
for (const d of dags) deployment.trigger(d.dag_id, 0);
deployment.runUntilIdle(3600);
show(
  aq.from(
    deployment.tis.map((ti) => ({
      dag_id: ti.run.dag.dag.dag_id,
      task_id: ti.task_id,
      state: ti.state,
    })),
  ),
);

// %% [markdown]
// ## 2. One run as a Gantt chart (`airflow-gantt`)
//
// Every bar is one task-instance attempt on the executor slot (a `LocalExecutor` process) that ran it. It is one
// sample path, one replication of one run, so it has no confidence interval; the makespan's precision is section
// 3's.

// %%
const ganttTable = await gantt.run({ slots: ganttSlots }, runOptions);
const [ganttPipeline, ganttWide] = gantt.figures(ganttTable, gantt.resolve({ slots: ganttSlots }));
show(ganttPipeline);
show(ganttWide);
const ganttRows = ganttTable.objects() as any[];
const makespanOf = (d: string) => ganttRows.find((r) => r.dag === d).makespan;
const busyOf = (d: string) =>
  ganttRows.filter((r) => r.dag === d).reduce((s, r) => s + r.end - r.start, 0);
for (const d of ['train_then_deploy', 'etl_ml']) {
  console.log(
    `${d}: makespan ${(makespanOf(d) / 60).toFixed(1)} min, slots busy ${((100 * busyOf(d)) / (ganttSlots * makespanOf(d))).toFixed(0)}% of ${ganttSlots} × makespan`,
  );
}

// %% [markdown]
// The train-then-deploy run is a chain: one slot works, the others idle, and its makespan is its critical path
// (train, then deploy, plus the scheduler's few seconds between them). The wider DAG fills the slots with the 48
// transforms while the training chain runs alongside; once the transforms and the load are done, only the chain
// (train → evaluate → deploy → publish) is left, and that chain decides the makespan.
//
// ## 3. Makespan vs worker slots (`airflow-makespan`)
//
// For total work W and critical path CP on s effective slots, every schedule takes at least **max(CP, W/s)** and a
// list schedule (one that never leaves a slot idle while a task is ready, as Airflow's does up to its loop latency) at
// most **W/s + CP** (Graham). Here the slots are `parallelism`, but the DAG's `max_active_tasks` also caps its running
// task instances: s = min(parallelism, max_active_tasks). Lines: the two bounds; markers: simulation.

// %%
const makespanParams = {
  slots: slots,
  max_active_tasks: max_active_tasks,
  durationScv: durationScv,
};
const makespanTable = await makespan.run(makespanParams, runOptions);
show(makespan.figures(makespanTable, makespan.resolve(makespanParams))[0]);
show(
  makespanTable.select(
    'dag',
    'slots',
    'effectiveSlots',
    'totalWork',
    'criticalPath',
    'lowerBound',
    'makespan',
    'upperBound',
    'waves',
  ),
);

// %% [markdown]
// The reference's oracle is the wide-100 row at 32 slots: 100 independent 60 s tasks under the defaults run
// with s = min(32, 16) = 16, in ⌈100/16⌉ = **7 waves**, 420 s plus the scheduler's latency, *not* the 4 waves that
// `parallelism` = 32 would allow: `max_active_tasks_per_dag` binds first, and 64 slots do no better than 16.
// etl-ml (W = 7,440 s, CP = 2,280 s) reaches its critical path at 4 slots; beyond that the extra slots idle.
// With one slot wide-100's simulated makespan (6,140 s) lies above W/s + CP = 6,060 s: the bounds count task time
// only, and each of the 100 tasks also holds its slot for the 1 s start-up and waits for a loop, about 1.4 s a task.
//
// ## 4. Retries, backoff and deadlines (`airflow-retries`)
//
// `extract` (300 s) >> `transform` (600 s, each attempt fails with probability f = `failure_probability`) >>
// `load` (300 s). With r retries the run succeeds with probability **1 − f^(r+1)** (0.7, 0.91, 0.973, 0.992 for
// r = 0..3 at f = 0.3); on try j it finishes at 1,200 s + (j − 1)·600 s + the delays before it. The lines are that
// mixture (fixed delays, or the uniform jitter of exponential backoff), the markers the share of 400 runs per
// replication finished successfully by t (eight replications).

// %%
const retryParams = {
  failure_probability: failure_probability,
  retries: retries,
  retry_delay: retry_delay,
  deadline: deadline,
};
const retryTable = await retriesExperiment.run(retryParams, runOptions);
const [cdfFixed, cdfBackoff, missFigure] = retriesExperiment.figures(
  retryTable,
  retriesExperiment.resolve(retryParams),
);
show(cdfFixed);
show(cdfBackoff);

// %%
show(missFigure);
show(
  retryTable
    .filter((d) => d.t === 0)
    .select(
      'policy',
      'retries',
      'success',
      'success_theory',
      'deadlineMiss',
      'deadlineMiss_lo',
      'deadlineMiss_hi',
      'deadlineMiss_theory',
      'meanFinish',
    ),
);

// %% [markdown]
// Each retry buys a factor f fewer failed runs, but the late successes pile up after the deadline: with a fixed
// 300 s delay a success on try 3 still lands at about 3,000 s, inside the hour, so a third retry changes little
// (it rescues runs that would fail, but try 4 ends near 3,900 s, after the deadline). Exponential backoff waits
// [300, 600) s, then [600, 1,200) s, then [1,200, 2,400) s: a success on try 3 lands between about 3,300 and 4,200 s,
// so with backoff two or three retries miss the deadline *more often* than with a fixed delay (0.075 against 0.027 in
// theory). Backoff protects a struggling downstream system; it does not help a deadline.
//
// Measured (eight replications of 400 runs): fixed 0.029 [0.024, 0.035] and 0.027 [0.023, 0.033] at r = 2
// and 3, backoff 0.078 [0.071, 0.086] and 0.082 [0.071, 0.094]. The deadline-miss shares are within ±4-22 %
// (a share p of n runs is ±1.96·√((1 − p)/(n·p)) relative: ±18 % at p = 2.7 % of n = 3,200), so at r = 2 and
// 3 the fixed and backoff intervals are disjoint and the measured ordering is the theory's; the success
// shares and the mean finish times are within ±2 %.
//
// ## 5. Priorities and pools (`airflow-priority-pools`)
//
// (a) A chain of 6 tasks and 24 independent short tasks, all 60 s, on s slots. `weight_rule="downstream"` (the
// default) gives each task its own weight plus its descendants', so the chain's head (weight 6) goes first; with
// `"absolute"` all weights are 1 and the shorts, first in the DAG, take the slots. The lines are the unit-step list
// schedules: max(6, ⌈30/s⌉) steps chain-first, ⌊24/s⌋ + 6 shorts-first.
//
// (b) k sensors waiting 30 minutes for a file and 16 work tasks of 60 s share a pool of `poolSlots` slots.

// %%
const ppParams = { poolSlots: poolSlots };
const ppTable = await priorityPools.run(ppParams, runOptions);
const [weightFigure, sensorFigure] = priorityPools.figures(
  ppTable,
  priorityPools.resolve(ppParams),
);
show(weightFigure);
show(sensorFigure);
show(
  ppTable.select(
    'part',
    'weight_rule',
    'slots',
    'makespan',
    'makespan_theory',
    'mode',
    'sensors',
    'workDone',
    'workDone_theory',
  ),
);

// %% [markdown]
// With few slots, running the critical path first is what shortens the run: at 4 slots the chain-first schedule
// takes 8 steps (480 s) and the shorts-first 12 (720 s). With one slot or with slots to spare both orders give the same
// makespan. In poke mode every sensor holds a pool slot for its whole wait: 6 sensors in 8 slots leave the work 2 slots
// (8 steps), and 8 or more sensors starve the work until the file arrives at 1,800 s. In reschedule mode a sensor
// returns its slot between pokes (`up_for_reschedule`) and the work finishes in about 2 steps whatever k.
//
// ## 6. Executors: the overhead of short tasks (`airflow-executors`)
//
// 320 independent tasks on 32 slots. Every task also pays its executor's start-up (a process: 1 s; a pod: lognormal,
// mean 10 s) and about one loop of the scheduler, so a slot does useful work for a share ≈ d / (d + start-up + 0.7 s).

// %%
const exParams = { durations: taskSeconds };
const exTable = await executors.run(exParams, runOptions);
const [efficiencyFigure, startupFigure] = executors.figures(exTable, executors.resolve(exParams));
show(efficiencyFigure);
show(startupFigure);
show(
  exTable.select(
    'executor',
    'd',
    'efficiency',
    'efficiency_theory',
    'startup',
    'startup_theory',
    'makespan',
  ),
);

// %% [markdown]
// For 1 s tasks a process-based executor keeps a slot busy about a third of the time, a pod-based one under a tenth;
// for 4-minute tasks all three are above 0.93 (three replications: ±34 % for the pods' 1 s tasks, where a
// start-up of lognormal length dwarfs the work, ±13 % at 5 s and a few per cent above). Celery's markers cover Local's here: both start a task process, and
// this model gives the broker no latency; what Celery adds is capacity beyond one host, and workers that can fail (a
// task on a crashed worker is a zombie until `task_instance_heartbeat_timeout`, 300 s, then retried). Kubernetes stays
// below its steady-state line because a finite DAG waits for its slowest slot, and pod start-ups vary.
//
// ## What to take away
//
// - The makespan of a run lies between **max(CP, W/s)** and **W/s + CP**, with s the *effective* slots:
//   min(parallelism, max_active_tasks, pool slots / pool_slots, executor capacity). Under the defaults
//   `max_active_tasks` = 16 binds before `parallelism` = 32: 100 one-minute tasks take 7 waves, not 4.
// - Past W/CP slots, more slots buy nothing: shorten the critical path instead.
// - `weight_rule="downstream"` starts long chains first, which is what you want when slots are scarce.
// - Poke-mode sensors hold slots while they wait and can starve a pool; use `mode="reschedule"` (or deferrable operators).
// - Retries raise the success rate to 1 − f^(r+1), but each retry costs a task time plus its delay; exponential backoff makes
//   late retries miss deadlines.
// - Short tasks pay the executor's start-up on every run: batch them, or avoid one pod per 1-second task.
//
// ## Exercises
//
// 1. Set `max_active_tasks = 32` and rerun section 3: how many waves does wide-100 take at 32 and 64 slots now, and which limit binds?
// 2. Set `durationScv = 0.5`: does the simulated makespan stay between the bounds, and why is the lower bound still a bound?
// 3. Set `failure_probability = 0.5` and `deadline = 5400`: how many retries minimise the deadline-miss rate with a fixed delay, and with backoff?
// 4. Set `poolSlots = 4`: from the formulas, how many poke-mode sensors starve the work entirely? Check it.
// 5. In code: build your own DAG with `airflow.DAG`, `chain` and a `TaskGroup`, and compute its W and CP with `airflow.dagWork`. How many slots does it need to run at its critical path?
