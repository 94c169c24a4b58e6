/**
 * airflow-priority-pools: (a) a chain of 6 tasks and 24 short independent tasks (all 60 s)
 * competing for s slots, under weight_rule downstream (the chain's head has the largest
 * effective priority, 6, so it starts first) vs absolute (equal weights: the scheduler's order,
 * here the shorts first). In 60 s steps a list schedule that starts the chain first takes
 * max(6, ⌈30/s⌉) steps; one that starts the shorts first ⌊24/s⌋ + 6 (exact for unit tasks).
 * (b) k sensors (ready after 1800 s, poke_interval 60 s) and 16 work tasks of 60 s share a pool
 * of P slots: in poke mode each sensor holds its slot between pokes, so the work gets P − k
 * slots, ⌈16/(P − k)⌉ steps, or none until the sensors finish when k ≥ P; in reschedule mode a
 * sensor holds a slot only for its poke, and the work takes ⌈16/P⌉ steps.
 */
import { defineExperiment } from '../../experiment/experiment';
import { figure, line, markers } from '../../plot/builders';
import { BaseSensorOperator, PythonOperator } from '../../systems/airflow/operators';
import { DAG } from '../../systems/airflow/dag';
import { workOf } from '../../experiment/work';
import { chainAndShorts } from '../../systems/airflow/examples';
import type { WeightRule } from '../../systems/airflow/operators';
import { lab, runOnce, dagRunWork } from './common';
import type { Row } from './common';

const STEP = 60;

export function weightRuleSteps(rule: string, s: number, shorts = 24, chain = 6): number {
  return rule === 'downstream'
    ? Math.max(chain, Math.ceil((shorts + chain) / s))
    : Math.floor(shorts / s) + chain;
}

export function sensorWorkSteps(
  mode: string,
  k: number,
  P: number,
  work = 16,
  readyAfter = 1800,
): number {
  if (mode === 'reschedule' || k === 0) return Math.ceil(work / P);
  if (k < P) return Math.min(Math.ceil(work / (P - k)), readyAfter / STEP + Math.ceil(work / P));
  return readyAfter / STEP + Math.ceil(work / P);
}

export const airflowPriorityPools = defineExperiment({
  name: 'airflow-priority-pools',
  title:
    'Priorities and pools: weight_rule downstream vs absolute with scarce slots; sensors in poke mode starving a pool',
  description:
    "(a) A chain of 6 tasks and 24 short tasks, all 60 s, on s slots: weight_rule downstream gives the chain's head the effective priority 6 (itself and its 5 descendants), so the critical path starts first and the makespan is max(6, ⌈30/s⌉) steps of 60 s; absolute (equal weights) runs the shorts first and takes ⌊24/s⌋ + 6 steps. " +
    '(b) k sensors waiting 30 minutes and 16 work tasks of 60 s share a pool of `poolSlots` slots: poke-mode sensors hold their slots, so the work finishes after ⌈16/(P − k)⌉ steps, or only after the sensors when k ≥ P; reschedule-mode sensors give the slots back between pokes and the work takes ⌈16/P⌉ steps.',
  lab,
  params: {
    slots: {
      type: 'numbers',
      default: [1, 2, 3, 4, 6, 8],
      min: 1,
      max: 64,
      integer: true,
      unit: 'slots',
      doc: '(a) worker slots ([core] parallelism).',
    },
    weightRules: {
      type: 'choices',
      default: ['downstream', 'absolute'],
      choices: ['downstream', 'absolute', 'upstream'],
      doc: '(a) weight_rule values to compare.',
    },
    sensors: {
      type: 'numbers',
      default: [0, 2, 4, 6, 8, 10],
      min: 0,
      max: 64,
      integer: true,
      unit: 'sensors',
      doc: '(b) sensors sharing the pool with the work.',
    },
    poolSlots: {
      type: 'integer',
      default: 8,
      min: 1,
      max: 64,
      unit: 'slots',
      doc: '(b) slots of the shared pool.',
    },
    modes: {
      type: 'choices',
      default: ['poke', 'reschedule'],
      choices: ['poke', 'reschedule'],
      doc: '(b) sensor modes to compare.',
    },
  },
  replications: 2,
  metrics: { makespan: 'nonNegative', workDone: 'nonNegative' },
  precisionMetrics: ['makespan', 'workDone'],
  statedPrecision: { makespan: 0.05, workDone: 0.05 },
  units: { slots: 'slots', sensors: 'sensors', makespan: 's', workDone: 's' },
  points: (p) => [
    ...p.weightRules.flatMap((r) =>
      p.slots.map((s) => ({ part: 'weight_rule', weight_rule: r, slots: s })),
    ),
    ...p.modes.flatMap((m) => p.sensors.map((k) => ({ part: 'sensors', mode: m, sensors: k }))),
  ],
  workEstimate: (point, p) =>
    point.part === 'weight_rule'
      ? dagRunWork(
          chainAndShorts({ weight_rule: point.weight_rule as WeightRule }),
          point.slots as number,
        )
      : workOf({
          sensors:
            1800 +
            (16 * 60) / p.poolSlots +
            60 +
            8 * (16 + (point.mode === 'reschedule' ? 31 : 1) * (point.sensors as number)),
        }),
  simulate: (point, p, seed) => {
    if (point.part === 'weight_rule') {
      const sys = runOnce(
        [chainAndShorts({ weight_rule: point.weight_rule as WeightRule })],
        { core: { parallelism: point.slots as number } },
        seed,
      );
      return { makespan: sys.summary().runs[0].duration, workDone: null };
    }
    const dag = new DAG({ dag_id: 'sensors_and_work', max_active_tasks: 1000 });
    for (let i = 0; i < (point.sensors as number); i++)
      new BaseSensorOperator({
        task_id: `wait_for_file_${i}`,
        dag,
        mode: point.mode as 'poke' | 'reschedule',
        poke_interval: 60,
        ready_after: 1800,
        duration: 1,
        pool: 'shared',
      });
    for (let i = 0; i < 16; i++)
      new PythonOperator({ task_id: `work_${i}`, dag, duration: 60, pool: 'shared' });
    const sys = runOnce(
      [dag],
      { pools: { shared: p.poolSlots }, core: { parallelism: 1000 } },
      seed,
    );
    const done = Math.max(
      ...sys.attemptsLog.filter((a) => a.task_id.startsWith('work')).map((a) => a.end),
    );
    return { makespan: sys.summary().runs[0].duration, workDone: done };
  },
  theory: (point, p) =>
    point.part === 'weight_rule'
      ? {
          makespan_theory:
            STEP * weightRuleSteps(point.weight_rule as string, point.slots as number),
          workDone_theory: null,
        }
      : {
          makespan_theory: null,
          workDone_theory:
            STEP * sensorWorkSteps(point.mode as string, point.sensors as number, p.poolSlots),
        },
  figures: (t, p) => {
    const rows = t.objects() as Row[];
    // the list schedule's time is a step function of an integer count: drawn at every integer
    // between the simulated counts, holding its value up to the next one (shape 'hv')
    const series = (
      filter: (r: Row) => boolean,
      x: string,
      y: string,
      name: string,
      theory: (count: number) => number,
    ) => {
      const rs = rows.filter(filter);
      const xs = rs.map((r) => r[x] as number);
      const every = xs.length
        ? Array.from(
            { length: Math.max(...xs) - Math.min(...xs) + 1 },
            (_, i) => Math.min(...xs) + i,
          )
        : [];
      return [
        {
          ...line(
            every,
            every.map((c) => STEP * theory(c)),
            { name: `${name}: list schedule (theory)`, group: name, shape: 'hv' },
          ),
          mode: 'lines+markers',
          marker: { size: 5 },
        },
        markers(
          xs,
          rs.map((r) => r[y] as number),
          {
            name: `${name}: simulation (95% CI)`,
            group: name,
            lower: rs.map((r) => (r[`${y}_lo`] ?? r[y]) as number),
            upper: rs.map((r) => (r[`${y}_hi`] ?? r[y]) as number),
          },
        ),
      ];
    };
    return [
      figure(
        p.weightRules.flatMap((w) =>
          series(
            (r) => r.part === 'weight_rule' && r.weight_rule === w,
            'slots',
            'makespan',
            `weight_rule = ${w}`,
            (s) => weightRuleSteps(w, s),
          ),
        ),
        {
          title: 'A 6-task chain and 24 short tasks (60 s each): makespan vs slots',
          x: { title: 'worker slots', integer: true },
          y: { title: 'makespan (s)', fromZero: true },
        },
      ),
      figure(
        p.modes.flatMap((m) =>
          series(
            (r) => r.part === 'sensors' && r.mode === m,
            'sensors',
            'workDone',
            `mode = ${m}`,
            (k) => sensorWorkSteps(m, k, p.poolSlots),
          ),
        ),
        {
          title: `Sensors sharing a pool of ${p.poolSlots} slots with 16 work tasks: when the work is done`,
          x: { title: 'sensors in the pool', integer: true },
          y: { title: 'last work task done (s)', fromZero: true },
        },
      ),
    ];
  },
});
