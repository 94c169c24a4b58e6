/**
 * DAGs as code (reference: subsystems.md §6.1): dependencies, lists, chain, task groups, dynamic
 * task mapping, branching (the branch-join pitfall of dags.rst), cycles rejected with the cycle
 * named, depends_on_past, and DAG runs on a schedule with catchup (§6.5's catchup oracle).
 */
import {
  DAG,
  EmptyOperator,
  PythonOperator,
  BranchPythonOperator,
  TaskGroup,
  chain,
  tasks,
  AirflowDagCycleException,
  Cron,
  Timetable,
} from '../../../lib/systems/airflow';
import { Simulation } from '../../../lib/sim/simulation';
import { AirflowSystem } from '../../../lib/systems/airflow';
import { runDags, stateOf } from './helpers';

const ids = (s: Set<{ task_id: string }>) => [...s].map((t) => t.task_id).sort();

describe('dependencies', () => {
  it('then / after / lists / chain / task groups', () => {
    const dag = new DAG({ dag_id: 'd' });
    const [a, b, c, d, e, f] = ['a', 'b', 'c', 'd', 'e', 'f'].map(
      (id) => new EmptyOperator({ task_id: id, dag }),
    );
    a.then([b, c]).then(d); // a >> [b, c] >> d
    e.after(d); // e << d
    chain(e, [f]);
    expect(() => chain([a, b], [c])).toThrow(/same length/);
    expect(ids(a.downstream)).toEqual(['b', 'c']);
    expect(ids(d.upstream)).toEqual(['b', 'c']);
    expect(ids(e.upstream)).toEqual(['d']);
    expect(ids(f.upstream)).toEqual(['e']);
    const g = new TaskGroup({ group_id: 'etl', dag });
    const x = new EmptyOperator({ task_id: 'extract', task_group: g });
    const y = new EmptyOperator({ task_id: 'load', task_group: g });
    x.then(y);
    f.then(g);
    g.then(new EmptyOperator({ task_id: 'report', dag }));
    expect(x.task_id).toBe('etl.extract');
    expect(ids(x.upstream)).toEqual(['f']);
    expect(ids(y.downstream)).toEqual(['report']);
    const p = [1, 2].map((i) => new EmptyOperator({ task_id: `p${i}`, dag }));
    const q = [1, 2].map((i) => new EmptyOperator({ task_id: `q${i}`, dag }));
    chain(p, q); // pairwise
    expect(ids(q[0].upstream)).toEqual(['p1']);
    tasks(q).then(a.dag.task_dict.get('report') as EmptyOperator);
    expect(ids((a.dag.task_dict.get('report') as EmptyOperator).upstream)).toEqual([
      'etl.load',
      'q1',
      'q2',
    ]);
  });

  it('the course pipeline: train >> [deploy], deploy after train', () => {
    const dag = new DAG({ dag_id: 'train_deploy' });
    const t1 = new PythonOperator({ task_id: 'train', dag, duration: 1800 });
    const t2 = new PythonOperator({ task_id: 'deploy', dag, duration: 300 });
    t1.then([t2]);
    const sys = runDags([dag]);
    const [train, deploy] = sys.attemptsLog;
    expect(deploy.start).toBeGreaterThanOrEqual(train.end);
    expect(sys.summary().runs[0].duration).toBeGreaterThanOrEqual(2100);
  });

  it('cycles are rejected with the cycle named (AirflowDagCycleException)', () => {
    const dag = new DAG({ dag_id: 'cyc' });
    const [a, b, c] = ['a', 'b', 'c'].map((id) => new EmptyOperator({ task_id: id, dag }));
    a.then(b).then(c).then(a);
    expect(() => dag.check()).toThrow(AirflowDagCycleException);
    expect(() => dag.check()).toThrow(/a -> b -> c -> a/);
    expect(() => new AirflowSystem(new Simulation(), { dags: [dag] })).toThrow(/cycle/);
    expect(() => a.then(a)).toThrow(/itself/);
  });

  it('dynamic task mapping: one TI per item, the downstream waits for all; zero items skip', () => {
    const dag = new DAG({ dag_id: 'm' });
    const seen: unknown[] = [];
    const m = new PythonOperator({
      task_id: 'm',
      dag,
      duration: 10,
      python_callable: (c) => void seen.push(c.item),
    }).expand(['a', 'b', 'c']);
    const z = new PythonOperator({ task_id: 'z', dag }).expand([]);
    m.then(new EmptyOperator({ task_id: 'reduce', dag }));
    z.then(new EmptyOperator({ task_id: 'after_z', dag }));
    const sys = runDags([dag]);
    expect(seen.sort()).toEqual(['a', 'b', 'c']);
    expect([0, 1, 2].map((i) => stateOf(sys, 'm', 'm', i))).toEqual([
      'success',
      'success',
      'success',
    ]);
    const reduce = sys.attemptsLog.find((a) => a.task_id === 'reduce')!;
    expect(reduce.start).toBeGreaterThanOrEqual(
      Math.max(...sys.attemptsLog.filter((a) => a.task_id === 'm').map((a) => a.end)),
    );
    expect(stateOf(sys, 'm', 'z')).toBe('skipped');
    expect(stateOf(sys, 'm', 'after_z')).toBe('skipped');
  });
});

describe('branching: the branch-join pitfall (dags.rst)', () => {
  function branchJoin(rule?: 'none_failed_min_one_success') {
    const dag = new DAG({ dag_id: 'b' });
    const br = new BranchPythonOperator({ task_id: 'branch', dag, python_callable: () => 'a' });
    const a = new EmptyOperator({ task_id: 'a', dag });
    const b = new EmptyOperator({ task_id: 'b', dag });
    const join = new EmptyOperator({
      task_id: 'join',
      dag,
      ...(rule ? { trigger_rule: rule } : {}),
    });
    br.then([a, b]).then(join);
    return runDags([dag]);
  }
  it('with the default all_success the join is skipped', () => {
    const sys = branchJoin();
    expect([stateOf(sys, 'b', 'a'), stateOf(sys, 'b', 'b'), stateOf(sys, 'b', 'join')]).toEqual([
      'success',
      'skipped',
      'skipped',
    ]);
  });
  it('with none_failed_min_one_success the join runs', () => {
    const sys = branchJoin('none_failed_min_one_success');
    expect([stateOf(sys, 'b', 'a'), stateOf(sys, 'b', 'b'), stateOf(sys, 'b', 'join')]).toEqual([
      'success',
      'skipped',
      'success',
    ]);
  });
});

describe('schedules, catchup and depends_on_past', () => {
  it('cron: next and previous ticks, presets, day-of-week', () => {
    const t0 = Date.parse('2025-01-01T10:17:00Z'); // a Wednesday
    expect(new Date(new Cron('@daily').nextAtOrAfter(t0)).toISOString()).toBe(
      '2025-01-02T00:00:00.000Z',
    );
    expect(new Date(new Cron('*/15 * * * *').nextAtOrAfter(t0)).toISOString()).toBe(
      '2025-01-01T10:30:00.000Z',
    );
    expect(new Date(new Cron('0 9 * * 1-5').prevAtOrBefore(t0)).toISOString()).toBe(
      '2025-01-01T09:00:00.000Z',
    );
    expect(new Date(new Cron('0 0 * * 0').nextAtOrAfter(t0)).toISOString()).toBe(
      '2025-01-05T00:00:00.000Z',
    );
    expect(new Date(new Cron('@monthly').prevAtOrBefore(t0)).toISOString()).toBe(
      '2025-01-01T00:00:00.000Z',
    );
    expect(() => new Cron('61 * * * *')).toThrow(/outside/);
  });

  function catchup(catchupOn: boolean, dataIntervals: boolean, maxActiveRuns = 16) {
    const dag = new DAG({
      dag_id: 'daily',
      schedule: '@daily',
      start_date: -10 * 86400,
      catchup: catchupOn,
      max_active_runs: maxActiveRuns,
    });
    new PythonOperator({ task_id: 't', dag, duration: 600 });
    const sim = new Simulation({ seed: 1 });
    const sys = new AirflowSystem(sim, {
      dags: [dag],
      scheduler: { create_cron_data_intervals: dataIntervals },
    });
    sim.run({ until: 3600 });
    return sys.summary().runs;
  }
  it('catchup=True, data intervals (@daily, start 10 days ago): one run per complete interval, 10', () => {
    const runs = catchup(true, true);
    expect(runs.length).toBe(10);
    expect(runs[0].logical_date).toBe('2024-12-22T00:00:00.000Z');
    expect(runs[9].logical_date).toBe('2024-12-31T00:00:00.000Z');
  });
  it('catchup=True, CronTriggerTimetable (Airflow 3 default): one run per tick up to now, 11', () => {
    expect(catchup(true, false).length).toBe(11);
  });
  it('catchup=False: only the latest one', () => {
    const a = catchup(false, true);
    expect(a.length).toBe(1);
    expect(a[0].logical_date).toBe('2024-12-31T00:00:00.000Z');
    expect(catchup(false, false).map((r) => r.logical_date)).toEqual(['2025-01-01T00:00:00.000Z']);
  });
  it('catchup with max_active_runs=3: never more than 3 runs at once, all 10 created in the end', () => {
    const runs = catchup(true, true, 3);
    expect(runs.length).toBe(10);
    for (const r of runs)
      expect(
        runs.filter(
          (o) =>
            o.start < (Number.isNaN(r.end) ? Infinity : r.end) &&
            (Number.isNaN(o.end) || o.end > r.start),
        ).length,
      ).toBeLessThanOrEqual(3);
  });
  it('an interval schedule in seconds runs every interval after it ends', () => {
    const tt = new Timetable(3600, Date.parse('2025-01-01T00:00:00Z'), false);
    const n = tt.next(null, Date.parse('2025-01-01T00:30:00Z'), true)!;
    expect(n.createAt - n.logicalDate).toBe(3600000);
  });
  it('depends_on_past: a run waits for the previous run of the same task to succeed', () => {
    const dag = new DAG({ dag_id: 'dop', schedule: 3600, start_date: 0, catchup: true });
    new PythonOperator({ task_id: 't', dag, duration: 5000, depends_on_past: true });
    const sim = new Simulation({ seed: 1 });
    const sys = new AirflowSystem(sim, { dags: [dag] });
    sim.run({ until: 4 * 3600 });
    const a = sys.attemptsLog;
    for (let i = 1; i < a.length; i++) expect(a[i].start).toBeGreaterThanOrEqual(a[i - 1].end);
    expect(sys.summary().runs.length).toBeGreaterThanOrEqual(3);
  });
});

describe('branch validation', () => {
  it('a branch returning a task_id that is not a direct downstream fails (AirflowException)', () => {
    const dag = new DAG({ dag_id: 'bad_branch' });
    new BranchPythonOperator({ task_id: 'pick', dag, python_callable: () => 'nowhere' }).then(
      new EmptyOperator({ task_id: 'a', dag }),
    );
    const sys = runDags([dag]);
    expect(stateOf(sys, 'bad_branch', 'pick')).toBe('failed');
    expect(stateOf(sys, 'bad_branch', 'a')).toBe('upstream_failed');
  });
});
