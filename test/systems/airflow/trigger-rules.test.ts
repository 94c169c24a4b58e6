/**
 * The trigger-rule truth table, against Airflow's own decision code:
 * airflow-core/src/airflow/ti_deps/deps/trigger_rule_dep.py (`_evaluate_direct_relatives`, with
 * flag_upstream_failed as the scheduler sets it) and the rule table of
 * airflow-core/docs/core-concepts/dags.rst (reference: subsystems.md §6.2). Each vector is three
 * direct upstreams: S success, F failed, K skipped, U upstream_failed, R still running. Every
 * cell is checked twice: on evaluateTriggerRule, and end to end through the scheduler (a join
 * task after three upstream tasks forced into those states).
 */
import {
  DAG,
  EmptyOperator,
  PythonOperator,
  AirflowFailException,
  AirflowSkipException,
  TRIGGER_RULES,
  evaluateTriggerRule,
} from '../../../lib/systems/airflow';
import type { RuleDecision, TriggerRule } from '../../../lib/systems/airflow';
import { runDags, stateOf } from './helpers';

const vectors = [
  'SSS',
  'SFS',
  'SKS',
  'KKK',
  'FFF',
  'SRR',
  'FRR',
  'KRR',
  'USS',
  'FUF',
  'SFK',
  'UUU',
] as const;
const r = 'run',
  w = 'wait',
  k = 'skipped',
  u = 'upstream_failed';
// rows: rules; columns: the vectors above, in order
const table: Record<TriggerRule, RuleDecision[]> = {
  all_success: [r, u, k, k, u, w, u, k, u, u, u, u],
  all_failed: [k, k, k, k, r, k, w, k, k, r, k, r],
  all_done: [r, r, r, r, r, w, w, w, r, r, r, r],
  all_done_min_one_success: [r, r, k, k, u, w, w, k, r, u, k, u],
  all_skipped: [k, k, k, r, k, k, k, w, k, k, k, k],
  one_failed: [k, r, k, k, r, w, r, w, r, r, r, r],
  one_success: [r, r, r, k, u, r, w, w, r, u, r, u],
  one_done: [r, r, r, k, r, r, r, w, r, r, r, k],
  none_failed: [r, u, r, r, u, w, u, w, u, u, u, u],
  none_failed_min_one_success: [r, u, r, k, u, w, u, w, u, u, u, u],
  none_skipped: [r, r, k, k, r, w, w, k, r, r, k, r],
  always: [r, r, r, r, r, r, r, r, r, r, r, r],
};

function counts(v: string) {
  const c = (x: string) => [...v].filter((ch) => ch === x).length;
  return {
    upstream: v.length,
    success: c('S'),
    failed: c('F'),
    skipped: c('K'),
    upstream_failed: c('U'),
  };
}

describe('trigger rules (trigger_rule_dep.py)', () => {
  it('the table covers every rule', () => {
    expect(Object.keys(table).sort()).toEqual([...TRIGGER_RULES].sort());
  });

  for (const rule of TRIGGER_RULES) {
    it(`${rule}: decision for every upstream-state vector`, () => {
      expect(vectors.map((v) => evaluateTriggerRule(rule, counts(v)))).toEqual(table[rule]);
    });
  }

  it('no upstream at all: every rule runs', () => {
    for (const rule of TRIGGER_RULES)
      expect(
        evaluateTriggerRule(rule, {
          upstream: 0,
          success: 0,
          failed: 0,
          skipped: 0,
          upstream_failed: 0,
        }),
      ).toBe('run');
  });

  it('end to end through the scheduler: the join ends as the table says (run → success, wait → still none)', () => {
    const dags: DAG[] = [];
    const expected: Array<[string, string]> = [];
    for (const rule of TRIGGER_RULES) {
      vectors.forEach((v, col) => {
        const dag = new DAG({ dag_id: `${rule}_${v}` });
        const ups = [...v].map((ch, i) => {
          const id = `u${i}`;
          if (ch === 'S') return new PythonOperator({ task_id: id, dag, duration: 1 });
          if (ch === 'F')
            return new PythonOperator({
              task_id: id,
              dag,
              duration: 1,
              python_callable: () => {
                throw new AirflowFailException('boom');
              },
            });
          if (ch === 'K')
            return new PythonOperator({
              task_id: id,
              dag,
              duration: 1,
              python_callable: () => {
                throw new AirflowSkipException('nothing to do');
              },
            });
          if (ch === 'R') return new PythonOperator({ task_id: id, dag, duration: 1e5 });
          const pre = new PythonOperator({
            task_id: `pre${i}`,
            dag,
            duration: 1,
            python_callable: () => false,
          });
          const t = new PythonOperator({ task_id: id, dag, duration: 1 });
          pre.then(t);
          return t;
        });
        new EmptyOperator({ task_id: 'join', dag, trigger_rule: rule }).after(ups);
        dags.push(dag);
        const d = table[rule][col];
        expected.push([dag.dag_id, d === 'run' ? 'success' : d === 'wait' ? 'none' : d]);
      });
    }
    const sys = runDags(
      dags,
      {
        core: { parallelism: 1024, default_pool_task_slot_count: 1024 },
        scheduler: { max_tis_per_query: 0 },
      },
      { limit: 600 },
    );
    const got = expected.map(([id]) => [id, stateOf(sys, id, 'join')]);
    expect(got).toEqual(expected);
  });
});
