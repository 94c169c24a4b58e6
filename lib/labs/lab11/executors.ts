/**
 * airflow-executors: the scheduling overhead of many short tasks on LocalExecutor,
 * CeleryExecutor and KubernetesExecutor. n independent tasks of d seconds on s slots take
 * ⌈n/s⌉ waves; each wave also pays the task's start-up (a process: task_startup 1 s; a pod:
 * pod_startup, lognormal mean 10 s) and about one scheduler loop to notice the finished wave and
 * queue the next (loop_duration 0.2 s plus, when the loop was idle, up to the idle sleep of 1 s).
 * Efficiency = n·d / (s·makespan) ≈ d / (d + start-up + loop), so short tasks waste most of a
 * Kubernetes slot on pod start-up, and long ones make the executor irrelevant.
 */
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { wideDag } from '../../systems/airflow/examples';
import type { ExecutorName } from '../../systems/airflow/config';
import { lab, runOnce, dagRunWork } from './common';

const EXECUTORS = ['LocalExecutor', 'CeleryExecutor', 'KubernetesExecutor'] as const;
const STARTUP: Record<string, number> = {
  LocalExecutor: 1,
  CeleryExecutor: 1,
  KubernetesExecutor: 10,
};
const LOOP = 0.2 + 0.5;

export const airflowExecutors = defineExperiment({
  name: 'airflow-executors',
  title:
    'Scheduling overhead for many short tasks: LocalExecutor vs CeleryExecutor vs KubernetesExecutor',
  description:
    '`tasks` independent tasks of d seconds, with 32 slots (parallelism 32, max_active_tasks 32; Celery: 2 workers × worker_concurrency 16). ' +
    "Every task pays a start-up (a task process, 1 s, for Local and Celery; a pod, lognormal with mean 10 s, for Kubernetes) and the scheduler loop's latency, so the slot efficiency n·d/(s·makespan) ≈ d/(d + start-up + loop) falls for short tasks, most for Kubernetes. " +
    'That is the steady-state rate; a finite DAG also waits for the slowest slot at the end (with random pod start-ups, the last of 32 slots), so Kubernetes stays below it.',
  lab,
  params: {
    executors: {
      type: 'choices',
      default: [...EXECUTORS],
      choices: EXECUTORS,
      doc: '[core] executor values to compare.',
    },
    durations: {
      type: 'numbers',
      default: [1, 5, 15, 60, 240],
      min: 0.1,
      max: 86400,
      unit: 's',
      doc: 'Task run times d.',
    },
    tasks: {
      type: 'integer',
      default: 320,
      min: 1,
      max: 10000,
      unit: 'tasks',
      doc: 'Independent tasks in the DAG.',
    },
  },
  replications: 3,
  metrics: { efficiency: 'nonNegative', makespan: 'nonNegative', startup: 'nonNegative' },
  precisionMetrics: ['efficiency', 'startup'],
  // efficiency is worst for 1 s tasks on the KubernetesExecutor (7.5 %, a pod start dwarfs the work)
  statedPrecision: { efficiency: 0.4, startup: 0.15 },
  units: { d: 's', efficiency: 'fraction', makespan: 's', startup: 's' },
  sharedSeedAcross: ['executor'],
  points: (p) => p.executors.flatMap((e) => p.durations.map((d) => ({ executor: e, d: d }))),
  workEstimate: (point, p) =>
    dagRunWork(wideDag({ n: p.tasks, seconds: point.d as number, max_active_tasks: 32 }), 32),
  simulate: (point, p, seed) => {
    const d = point.d as number;
    const sys = runOnce(
      [wideDag({ n: p.tasks, seconds: d, max_active_tasks: 32 })],
      {
        core: { executor: point.executor as ExecutorName, parallelism: 32 },
        celery: { workers: 2, worker_concurrency: 16 },
      },
      seed,
    );
    const s = sys.summary();
    const startup =
      sys.attemptsLog.reduce((a, x) => a + x.start - x.queued, 0) / sys.attemptsLog.length;
    return {
      efficiency: (p.tasks * d) / (32 * s.runs[0].duration),
      makespan: s.runs[0].duration,
      startup: startup,
    };
  },
  theory: (point) => {
    const d = point.d as number;
    return {
      efficiency_theory: d / (d + STARTUP[point.executor as string] + LOOP),
      makespan_theory: null,
      startup_theory: STARTUP[point.executor as string],
    };
  },
  figures: (t) => [
    theoryVsSimulation(t, {
      x: 'd',
      y: 'efficiency',
      groupBy: 'executor',
      title:
        'Slot efficiency n·d/(s·makespan) vs task run time: start-up and loop latency per wave',
      xAxis: { title: 'task run time d (s)', log: true },
      yAxis: { title: 'efficiency', range: [0, 1.02] },
      theoryLabel: 'd/(d + start-up + loop)',
      simulationLabel: 'simulation (95% CI)',
    }),
    theoryVsSimulation(t, {
      x: 'd',
      y: 'startup',
      groupBy: 'executor',
      title: 'Start-up per task: from queued to running',
      xAxis: { title: 'task run time d (s)', log: true },
      yAxis: { title: 'queued → running (s)', fromZero: true },
      theoryLabel: 'mean start-up',
      simulationLabel: 'simulation (95% CI)',
    }),
  ],
});
