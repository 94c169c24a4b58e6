/**
 * The systems contract for Airflow: conservation (every task instance ends in exactly one final
 * state, every slot given back), reproducibility (same seed, same numbers), typed errors naming
 * the parameter, and the one-call runner.
 */
import { Bernoulli } from '../../../lib/random/bernoulli';
import { Lognormal } from '../../../lib/random/lognormal';
import { Simulation } from '../../../lib/sim/simulation';
import { ParameterError } from '../../../lib/errors';
import {
  AirflowSystem,
  BaseOperator,
  BranchPythonOperator,
  DAG,
  EmptyOperator,
  PythonOperator,
  BaseSensorOperator,
  FINISHED_STATES,
  simulateAirflow,
  resolveAirflowConfig,
} from '../../../lib/systems/airflow';
import type { AirflowConfig } from '../../../lib/systems/airflow';
import { runDags } from './helpers';

void Bernoulli;

/** A random layered DAG with flaky tasks, retries, a branch, a sensor and mixed trigger rules. */
function messy(id: string, seed: number): DAG {
  let s = seed;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const dag = new DAG({
    dag_id: id,
    schedule: 1800,
    start_date: 0,
    end_date: 6 * 3600,
    catchup: true,
    default_args: { retries: 1, retry_delay: 30 },
  });
  const rules = [
    'all_success',
    'all_done',
    'one_success',
    'none_failed',
    'none_failed_min_one_success',
    'one_failed',
  ] as const;
  let layer: BaseOperator[] = [new EmptyOperator({ task_id: 'start', dag })];
  for (let l = 0; l < 4; l++) {
    const next = Array.from(
      { length: 2 + Math.floor(rnd() * 3) },
      (_, i) =>
        new PythonOperator({
          task_id: `l${l}_${i}`,
          dag,
          duration: Lognormal.fit(60, 1),
          failure_probability: 0.2,
          trigger_rule: rules[Math.floor(rnd() * rules.length)],
        }),
    );
    for (const t of next) for (const u of layer) if (rnd() < 0.6 || u === layer[0]) u.then(t);
    layer = next;
  }
  const br = new BranchPythonOperator({
    task_id: 'pick',
    dag,
    python_callable: (c) => (c.rng.next() < 0.5 ? 'left' : 'right'),
  });
  br.after(layer);
  br.then([
    new EmptyOperator({ task_id: 'left', dag }),
    new EmptyOperator({ task_id: 'right', dag }),
  ]);
  new BaseSensorOperator({
    task_id: 'sense',
    dag,
    mode: 'reschedule',
    poke_interval: 30,
    ready_after: Lognormal.fit(100, 1),
    timeout: 400,
  }).after(br);
  return dag;
}

describe('conservation', () => {
  for (const executor of ['LocalExecutor', 'CeleryExecutor', 'KubernetesExecutor'] as const) {
    it(`${executor}: every TI of a finished run is in exactly one final state; no slot is leaked`, () => {
      const dags = [messy('m1', 1), messy('m2', 2)];
      const sim = new Simulation({ seed: 3 });
      const sys = new AirflowSystem(sim, {
        dags,
        core: { executor, parallelism: 8 },
        pools: { small: 2 },
        celery: { workers: 2, worker_concurrency: 3, worker_failures: { mttf: 3000, mttr: 200 } },
      });
      sim.run({ until: 6 * 3600 });
      // end_date: no more runs; let the active ones finish
      sim.run({ until: 30 * 3600, stopWhen: () => sys.active.length === 0 });
      expect(sys.active.length).toBe(0);
      const s = sys.summary();
      expect(s.runs.length).toBeGreaterThanOrEqual(20);
      for (const ti of sys.tis) expect(FINISHED_STATES).toContain(ti.state);
      const total = FINISHED_STATES.reduce((a, st) => a + s.tiStates[st], 0);
      expect(total).toBe(sys.tis.length);
      expect(sys.occupied).toBe(0);
      for (const used of sys.poolUsed.values()) expect(used).toBe(0);
      for (const d of sys.dags) expect(d.active).toBe(0);
      // a run failed iff one of its leaves failed or is upstream_failed
      for (const run of sys.runs) {
        const leafBad = run.tis
          .filter((t) => t.downstream.length === 0)
          .some((t) => t.state === 'failed' || t.state === 'upstream_failed');
        expect(run.state).toBe(leafBad ? 'failed' : 'success');
      }
      // attempts: one per start, each try_number once per TI
      expect(s.attempts).toBe(sys.attemptsLog.length);
    });
  }
});

describe('reproducibility', () => {
  const config = (): AirflowConfig => ({
    dags: [messy('r', 7)],
    core: { executor: 'CeleryExecutor' },
    celery: { worker_failures: { mttf: 5000, mttr: 300 } },
  });
  it('same seed and config: the same numbers; another seed: others', () => {
    const a = simulateAirflow(config(), { seed: 11, duration: 5 * 3600 });
    const b = simulateAirflow(config(), { seed: 11, duration: 5 * 3600 });
    const c = simulateAirflow(config(), { seed: 12, duration: 5 * 3600 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a.attemptsLog)).not.toBe(JSON.stringify(c.attemptsLog));
    expect(a.runs.length).toBeGreaterThan(5);
    expect(a.queueDelay.count).toBeGreaterThan(0);
  });
  it('warm-up: statistics restart on resetStatistics', () => {
    const w = simulateAirflow(config(), { seed: 11, duration: 2 * 3600, warmup: 3 * 3600 });
    const full = simulateAirflow(config(), { seed: 11, duration: 5 * 3600 });
    expect(w.attempts).toBeLessThan(full.attempts);
    expect(w.queueDelay.count).toBe(w.attempts);
  });
});

describe('typed errors', () => {
  const dag = () => {
    const d = new DAG({ dag_id: 'e' });
    new EmptyOperator({ task_id: 't', dag: d });
    return d;
  };
  const bad = (config: object, re: RegExp) => {
    let err: unknown;
    try {
      resolveAirflowConfig(config as AirflowConfig);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParameterError);
    expect(String((err as Error).message)).toMatch(re);
  };
  it('unknown keys, with the nearest known key suggested', () => {
    bad(
      { dags: [dag()], core: { paralelism: 4 } },
      /core\.paralelism .*did you mean "parallelism"/,
    );
    bad({ dags: [dag()], scheduler: { max_tis_per_qeury: 4 } }, /did you mean "max_tis_per_query"/);
    bad({ dags: [dag()], celery: { worker_concurency: 4 } }, /did you mean "worker_concurrency"/);
    const d = new DAG({ dag_id: 'k' });
    expect(() => new PythonOperator({ task_id: 't', dag: d, retires: 2 } as never)).toThrow(
      /k\.t\.retires .*did you mean "retries"/,
    );
    expect(() => new DAG({ dag_id: 'x', shedule: '@daily' } as never)).toThrow(
      /did you mean "schedule"/,
    );
  });
  it('bad values name the parameter, the value and the range', () => {
    bad({ dags: [dag()], core: { parallelism: 0 } }, /core\.parallelism = 0 .*integer >= 1/);
    bad({ dags: [dag()], core: { executor: 'SequentialExecutor' } }, /core\.executor/);
    bad({ dags: [] }, /dags/);
    const d = new DAG({ dag_id: 'p' });
    new EmptyOperator({ task_id: 't', dag: d, pool: 'gpu' });
    bad({ dags: [d] }, /p\.t\.pool = "gpu" .*not a pool/);
    const d2 = new DAG({ dag_id: 'p2' });
    new EmptyOperator({ task_id: 't', dag: d2, pool: 'gpu', pool_slots: 3 });
    bad({ dags: [d2], pools: { gpu: 2 } }, /pool_slots = 3/);
    const d3 = new DAG({ dag_id: 'c', schedule: '1 2 3' });
    new EmptyOperator({ task_id: 't', dag: d3 });
    expect(() => new AirflowSystem(new Simulation(), { dags: [d3] })).toThrow(/c\.schedule/);
    expect(
      () => new PythonOperator({ task_id: 'u', dag: d, trigger_rule: 'all_sucess' as never }),
    ).toThrow(/trigger_rule/);
    expect(() => new PythonOperator({ task_id: 'v', dag: d, failure_probability: 2 })).toThrow(
      /failure_probability = 2/,
    );
    expect(() => new EmptyOperator({ task_id: 't', dag: d })).toThrow(/duplicate/);
    expect(() => runDags([dag()]).trigger('nope')).toThrow(/dag_id = "nope"/);
  });
});
