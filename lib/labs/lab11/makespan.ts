/**
 * airflow-makespan and airflow-gantt: how long one DAG run takes on s worker slots, beside the
 * list-scheduling bounds max(CP, W/s) ≤ makespan ≤ W/s + CP (Graham; models-for-new-labs.md),
 * and what the schedule looks like, task instances as bars per executor slot.
 */
import { defineExperiment } from '../../experiment/experiment';
import type { Observation } from '../../experiment/experiment';
import { figure, line, markers } from '../../plot/builders';
import { etlMl, trainDeploy, wideDag } from '../../systems/airflow/examples';
import { ganttChart } from '../../systems/airflow/gantt';
import type { AttemptRecord } from '../../systems/airflow/instances';
import {
  dagWork,
  effectiveSlots,
  independentWaves,
  makespanBounds,
} from '../../systems/airflow/theory';
import type { DAG } from '../../systems/airflow/dag';
import { lab, runOnce, dagRunWork } from './common';
import type { Row } from './common';

const DAGS = ['wide-100', 'etl-ml'] as const;

function buildDag(name: string, scv: number): DAG {
  return name === 'wide-100'
    ? wideDag({ n: 100, seconds: 60, scv, max_active_tasks: undefined })
    : etlMl({ scv });
}

export const airflowMakespan = defineExperiment({
  name: 'airflow-makespan',
  title: 'Makespan of one DAG run vs worker slots, beside max(CP, W/s) and W/s + CP',
  description:
    "One manual run of a DAG of known total work W and critical path CP on a LocalExecutor with `parallelism` = slots, under the DAG's max_active_tasks (Airflow's default 16). " +
    "The effective slots are s = min(slots, max_active_tasks); any list schedule has max(CP, W/s) ≤ makespan ≤ W/s + CP. wide-100 is the reference's oracle (100 independent 60 s tasks: ⌈100/16⌉ = 7 waves = 420 s under the defaults, not 4 waves, because max_active_tasks binds before parallelism 32); " +
    "etl-ml (extract, 48 transforms, load, and train → evaluate → deploy beside them) reaches its critical path at a few slots. The simulation adds the scheduler's latency: a loop of loop_duration 0.2 s, a 1 s idle sleep and a 1 s task start-up per task.",
  lab,
  params: {
    dags: { type: 'choices', default: [...DAGS], choices: DAGS, doc: 'DAGs to run.' },
    slots: {
      type: 'numbers',
      default: [1, 2, 4, 8, 16, 32, 64],
      min: 1,
      max: 1024,
      integer: true,
      unit: 'slots',
      doc: 'Worker slots ([core] parallelism of the LocalExecutor).',
    },
    max_active_tasks: {
      type: 'integer',
      default: 16,
      min: 1,
      max: 1024,
      unit: 'tasks',
      doc: "The DAG's max_active_tasks ([core] max_active_tasks_per_dag, default 16).",
    },
    durationScv: {
      type: 'number',
      default: 0,
      min: 0,
      max: 4,
      doc: 'Squared coefficient of variation of task times (0: fixed, the known work; > 0: lognormal with the same means).',
    },
  },
  replications: 3,
  metrics: { makespan: 'nonNegative', slotBusy: 'proportion' },
  precisionMetrics: ['makespan'],
  statedPrecision: { makespan: 0.05 },
  units: {
    slots: 'slots',
    makespan: 's',
    slotBusy: 'fraction',
    lowerBound: 's',
    upperBound: 's',
    criticalPath: 's',
    totalWork: 'slot-seconds',
  },
  points: (p) => p.dags.flatMap((d) => p.slots.map((s) => ({ dag: d, slots: s }))),
  workEstimate: (point, p) =>
    dagRunWork(
      buildDag(point.dag as string, 0),
      effectiveSlots({ parallelism: point.slots as number, max_active_tasks: p.max_active_tasks }),
    ),
  simulate: (point, p, seed) => {
    const dag = buildDag(point.dag as string, p.durationScv);
    const sys = runOnce(
      [dag],
      {
        core: { parallelism: point.slots as number, max_active_tasks_per_dag: p.max_active_tasks },
      },
      seed,
    );
    const run = sys.summary().runs[0];
    const busy = sys.attemptsLog.reduce((s, a) => s + (a.end - a.start), 0);
    return {
      makespan: run.duration,
      slotBusy: busy / (run.duration * Math.min(point.slots as number, p.max_active_tasks)),
    };
  },
  theory: (point, p) => {
    const work = dagWork(buildDag(point.dag as string, 0));
    const s = effectiveSlots({
      parallelism: point.slots as number,
      max_active_tasks: p.max_active_tasks,
    });
    const b = makespanBounds(work, s);
    const waves = point.dag === 'wide-100' ? independentWaves(100, 60, s).waves : null;
    return {
      effectiveSlots: s,
      totalWork: work.totalWork,
      criticalPath: work.criticalPath,
      makespan_theory: b.lower,
      lowerBound: b.lower,
      upperBound: b.upper,
      waves: waves,
      slotBusy_theory: null,
    };
  },
  figures: (t, p) => {
    const rows = t.objects() as Row[];
    const traces = p.dags.flatMap((d) => {
      const rs = rows.filter((r) => r.dag === d);
      const x = rs.map((r) => r.slots as number);
      return [
        line(
          x,
          rs.map((r) => r.lowerBound as number),
          { name: `${d}: max(CP, W/s)`, group: d },
        ),
        line(
          x,
          rs.map((r) => r.upperBound as number),
          { name: `${d}: W/s + CP`, group: d, dash: 'dot' },
        ),
        markers(
          x,
          rs.map((r) => r.makespan as number),
          {
            name: `${d}: simulation (95% CI)`,
            group: d,
            lower: rs.map((r) => (r.makespan_lo ?? r.makespan) as number),
            upper: rs.map((r) => (r.makespan_hi ?? r.makespan) as number),
          },
        ),
      ];
    });
    return [
      figure(traces, {
        title: `Makespan vs worker slots (max_active_tasks = ${p.max_active_tasks}): flat at CP, or at s = max_active_tasks`,
        x: { title: 'worker slots ([core] parallelism)', log: true },
        y: { title: 'makespan (s)', log: true },
        layout: {
          xaxis: {
            type: 'log',
            title: { text: 'worker slots ([core] parallelism)' },
            tickvals: p.slots,
            ticktext: p.slots.map(String),
          },
        },
      }),
    ];
  },
});

export const airflowGantt = defineExperiment({
  name: 'airflow-gantt',
  title: 'Gantt chart of one run: the train-then-deploy pipeline and a wider DAG',
  description:
    "One run of each DAG, every task-instance attempt a bar on the executor slot (a LocalExecutor process) that ran it: the course's pipeline (train >> [deploy], DatabricksSubmitRunOperator jobs of 30 and 5 minutes) leaves all but one slot idle, and its makespan is its critical path; " +
    "the wider etl-ml DAG fills the slots with transforms while the training chain runs beside them. The gaps between bars are the scheduler's latency (loop, idle sleep, task start-up).",
  lab,
  params: {
    slots: {
      type: 'integer',
      default: 8,
      min: 1,
      max: 256,
      unit: 'slots',
      doc: 'Worker slots ([core] parallelism).',
    },
    durationScv: {
      type: 'number',
      default: 0.1,
      min: 0,
      max: 4,
      doc: 'Squared coefficient of variation of task times (lognormal).',
    },
  },
  replications: 1,
  metrics: { start: 'nonNegative', end: 'nonNegative' },
  precisionMetrics: ['start', 'end'],
  // no statedPrecision, and none applies: the chart draws one sample path, one replication of one
  // run, each row one task attempt with its start and end, so a row has no interval (its _lo and
  // _hi are null, which the check reads as ±0 %); a second replication's j-th attempt may be
  // another task on another slot, so rows are not averaged across runs. The makespan these bars
  // add up to is stated in airflow-makespan (±5 %)
  units: { start: 's', end: 's' },
  points: () => [{ dag: 'train_then_deploy' }, { dag: 'etl_ml' }],
  workEstimate: (point, p) =>
    dagRunWork(
      point.dag === 'train_then_deploy'
        ? trainDeploy({ scv: 0, schedule: null })
        : etlMl({ scv: 0 }),
      p.slots,
    ),
  simulate: (point, p, seed) => {
    const dag =
      point.dag === 'train_then_deploy'
        ? trainDeploy({ scv: p.durationScv, schedule: null })
        : etlMl({ scv: p.durationScv });
    const sys = runOnce([dag], { core: { parallelism: p.slots } }, seed);
    const run = sys.summary().runs[0];
    return sys.attemptsLog.map((a): Observation => ({
      task_id: a.task_id,
      try_number: a.try_number,
      lane: a.lane,
      laneLabel: a.laneLabel,
      run_id: a.run_id,
      result: a.result,
      makespan: run.duration,
      start: a.start,
      end: a.end,
    }));
  },
  figures: (t) => {
    const rows = t.objects() as Row[];
    return ['train_then_deploy', 'etl_ml'].map((d) => {
      const attempts = rows
        .filter((r) => r.dag === d)
        .map(
          (r) =>
            ({
              dag_id: d,
              run_id: String(r.run_id),
              task_id: String(r.task_id),
              map_index: -1,
              try_number: r.try_number as number,
              lane: r.lane as number,
              laneLabel: String(r.laneLabel),
              queued: NaN,
              start: r.start as number,
              end: r.end as number,
              result: String(r.result),
            }) as AttemptRecord,
        );
      const makespan = rows.find((r) => r.dag === d)?.makespan as number;
      return ganttChart(attempts, {
        title: `${d}: one run, makespan ${(makespan / 60).toFixed(1)} min`,
        unit: 'min',
      });
    });
  },
});
