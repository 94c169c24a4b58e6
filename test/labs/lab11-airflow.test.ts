/**
 * Lab 11 (Airflow) experiments against their theory: Graham's list-scheduling bounds and the
 * 7-waves oracle (models-for-new-labs.md, subsystems.md §6.5), the retry mixture
 * P(success) = 1 − f^(r+1) and its deadline-miss rate (CI agreement, Bonferroni-widened:
 * agreement.ts), the exact unit-step list schedules of the weight-rule and sensor experiments,
 * and the executors' start-up.
 */
import { labExperiments } from '../../lib/labs';
import {
  airflowExecutors,
  airflowGantt,
  airflowMakespan,
  airflowPriorityPools,
  airflowRetries,
  lab11Experiments,
  retryFinishCdf,
  sensorWorkSteps,
  weightRuleSteps,
} from '../../lib/labs/lab11';
import { checksFor, disagreements } from './agreement';

type Row = Record<string, number | string | null>;
// the scheduler's latency per task start, at most: task_startup 1 s + two loops of 0.2 s + the 1 s idle sleep
const PER_START = 1 + 2 * 0.2 + 1;

describe('lab 11 experiments', () => {
  it('are in the catalog', () => {
    const names = labExperiments.map((e) => e.name);
    for (const e of lab11Experiments) expect(names).toContain(e.name);
    expect(names).toEqual(expect.arrayContaining(['airflow-makespan', 'airflow-gantt']));
  });

  it('airflow-makespan: between max(CP, W/s) and W/s + CP plus the per-start latency; 7 waves of 16 under the defaults', async () => {
    const t = await airflowMakespan.run({ slots: [1, 4, 16, 32] }, { seed: 1, replications: 1 });
    const rows = t.objects() as Row[];
    expect(t.columnNames()).toEqual(
      expect.arrayContaining(['slots', 'makespan', 'criticalPath', 'totalWork']),
    );
    for (const r of rows) {
      const s = r.effectiveSlots as number;
      const n = r.dag === 'wide-100' ? 100 : 53;
      expect(r.makespan as number).toBeGreaterThanOrEqual(r.lowerBound as number);
      expect(r.makespan as number).toBeLessThanOrEqual(
        (r.upperBound as number) + (Math.ceil(n / s) + 5) * PER_START,
      );
    }
    const oracle = rows.find((r) => r.dag === 'wide-100' && r.slots === 32) as Row;
    expect(oracle.effectiveSlots).toBe(16);
    expect(oracle.waves).toBe(7);
    expect(oracle.makespan as number).toBeGreaterThanOrEqual(420);
    expect(oracle.makespan as number).toBeLessThanOrEqual(420 + 7 * PER_START);
    const etl = rows.find((r) => r.dag === 'etl-ml' && r.slots === 16) as Row;
    expect([etl.totalWork, etl.criticalPath]).toEqual([7440, 2280]);
    expect(airflowMakespan.figures(t, airflowMakespan.resolve({}))).toHaveLength(1);
  });

  it('airflow-gantt: one bar per attempt, bars with a base, one row per slot', async () => {
    const t = await airflowGantt.run({}, { seed: 2 });
    const figs = airflowGantt.figures(t, airflowGantt.resolve({}));
    expect(figs).toHaveLength(2);
    const bars = figs[0].data;
    expect(
      bars.every((b) => b.type === 'bar' && b.orientation === 'h' && Array.isArray(b.base)),
    ).toBe(true);
    const rows = t.objects() as Row[];
    const td = rows.filter((r) => r.dag === 'train_then_deploy');
    expect(td.map((r) => r.task_id)).toEqual(['train', 'deploy']);
    expect(td[1].start as number).toBeGreaterThanOrEqual(td[0].end as number);
    expect(figs[1].data.reduce((a, b) => a + (b.x as number[]).length, 0)).toBe(
      rows.filter((r) => r.dag === 'etl_ml').length,
    );
  });

  it('airflow-retries: success 1 − f^(r+1) and deadline misses agree with the mixture', async () => {
    const t = await airflowRetries.run(
      { retries: [0, 2], tMax: 3600, runs: 100 },
      { seed: 4, replications: 5 },
    );
    const rows = (t.objects() as Row[]).filter((r) => r.t === 0);
    const label = (r: Record<string, unknown>) => `${r.policy} r=${r.retries}`;
    expect(
      disagreements([
        ...checksFor(rows, 'success', label),
        ...checksFor(rows, 'deadlineMiss', label),
      ]),
    ).toEqual([]);
    expect(
      retryFinishCdf(
        { failure_probability: 0.3, retries: 2, retry_delay: 300, backoff: false },
        [1e6],
      ).cdf[0],
    ).toBeCloseTo(1 - 0.3 ** 3, 12);
    expect(
      airflowRetries.figures(t, airflowRetries.resolve({ retries: [0, 2], tMax: 3600, runs: 100 })),
    ).toHaveLength(3);
  });

  it('airflow-priority-pools: the unit-step list schedules, plus at most the per-start latency of each step', async () => {
    expect([1, 2, 3, 4, 6, 8].map((s) => weightRuleSteps('downstream', s))).toEqual([
      30, 15, 10, 8, 6, 6,
    ]);
    expect([1, 2, 3, 4, 6, 8].map((s) => weightRuleSteps('absolute', s))).toEqual([
      30, 18, 14, 12, 10, 9,
    ]);
    expect(sensorWorkSteps('poke', 8, 8)).toBe(32);
    const t = await airflowPriorityPools.run({ slots: [1, 4, 8], sensors: [0, 6, 8] }, { seed: 3 });
    for (const r of t.objects() as Row[]) {
      const y = r.part === 'weight_rule' ? 'makespan' : 'workDone';
      const th = r[`${y}_theory`] as number;
      expect(r[y] as number).toBeGreaterThanOrEqual(th);
      // a reschedule-mode poke also takes a slot for its start-up and its 1 s poke each step
      const perStep = PER_START + (r.mode === 'reschedule' && (r.sensors as number) > 0 ? 2 : 0);
      expect(r[y] as number).toBeLessThanOrEqual(th + (th / 60 + 1) * perStep);
    }
  });

  it('airflow-executors: start-up per task (1 s for processes, ≈ 10 s for pods), efficiency lowest on Kubernetes for short tasks', async () => {
    const t = await airflowExecutors.run({ durations: [1, 60], tasks: 160 }, { seed: 5 });
    const rows = t.objects() as Row[];
    for (const r of rows) {
      if (r.executor !== 'KubernetesExecutor') expect(r.startup as number).toBeCloseTo(1, 9);
    }
    const pods = rows.filter((r) => r.executor === 'KubernetesExecutor');
    // pod start-ups are lognormal (mean 10 s, scv 0.25): 160 per replication, 3 replications
    expect(disagreements(checksFor(pods, 'startup', (r) => `d=${r.d}`))).toEqual([]);
    const eff = (e: string, d: number) =>
      rows.find((r) => r.executor === e && r.d === d)!.efficiency as number;
    expect(eff('KubernetesExecutor', 1)).toBeLessThan(eff('LocalExecutor', 1) / 3);
    expect(eff('LocalExecutor', 60)).toBeGreaterThan(0.9);
  });
});
