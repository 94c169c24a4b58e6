/**
 * Retries against Airflow's formula (airflow-core/src/airflow/models/taskinstance.py,
 * `next_retry_datetime`, Airflow ≥ 2.10: min_backoff = ceil(retry_delay · 2^(try_number − 1)),
 * plus sha1("dag_id#task_id#logical_date#try_number") mod min_backoff, capped by
 * max_task_retry_delay and max_retry_delay; reference: subsystems.md §6.3) and the oracle of §6.5:
 * a task that fails k times then succeeds, with `retries` r, succeeds on try k+1 iff k ≤ r.
 * The sha1 residues below were computed with Python's hashlib, independently of this code.
 */
import {
  AirflowFailException,
  DAG,
  PythonOperator,
  EmptyOperator,
  retryDelay,
  pythonDatetimeString,
} from '../../../lib/systems/airflow';
import { runDags, stateOf } from './helpers';

const LD = Date.parse('2025-01-01T00:00:00Z');

describe('retry delay (next_retry_datetime)', () => {
  it("logical_date enters the hash as Python's str(datetime)", () => {
    expect(pythonDatetimeString(LD)).toBe('2025-01-01 00:00:00+00:00');
    expect(pythonDatetimeString(LD + 1500)).toBe('2025-01-01 00:00:01.500000+00:00');
  });
  it('without backoff: retry_delay; max_retry_delay is not applied (the code caps only the exponential branch)', () => {
    expect(
      retryDelay(
        { retry_delay: 300, retry_exponential_backoff: false, max_retry_delay: 10 },
        'flaky',
        't',
        LD,
        3,
      ),
    ).toBe(300);
  });
  it('with backoff: min_backoff + sha1 residue, as hashlib computes it', () => {
    const p = { retry_delay: 300, retry_exponential_backoff: true, max_retry_delay: null };
    // python3: int(hashlib.sha1(b"flaky#t#2025-01-01 00:00:00+00:00#1").hexdigest(), 16) % 300 == 82, #2 % 600 == 41, #3 % 1200 == 777
    expect(retryDelay(p, 'flaky', 't', LD, 1)).toBe(300 + 82);
    expect(retryDelay(p, 'flaky', 't', LD, 2)).toBe(600 + 41);
    expect(retryDelay(p, 'flaky', 't', LD, 3)).toBe(1200 + 777);
  });
  it('in [min_backoff, 2·min_backoff), capped by max_retry_delay and [core] max_task_retry_delay', () => {
    const p = { retry_delay: 60, retry_exponential_backoff: true, max_retry_delay: null };
    for (let n = 1; n <= 8; n++) {
      const d = retryDelay(p, 'd', 't', LD, n);
      expect(d).toBeGreaterThanOrEqual(60 * 2 ** (n - 1));
      expect(d).toBeLessThan(2 * 60 * 2 ** (n - 1));
    }
    expect(retryDelay({ ...p, max_retry_delay: 500 }, 'd', 't', LD, 8)).toBe(500);
    expect(retryDelay(p, 'd', 't', LD, 40)).toBe(86400);
    expect(
      retryDelay(
        { retry_delay: 0, retry_exponential_backoff: true, max_retry_delay: null },
        'd',
        't',
        LD,
        1,
      ),
    ).toBe(1); // min_backoff ≥ 1
  });
});

describe('retries in the scheduler', () => {
  function flaky(k: number, r: number, backoff: boolean) {
    const dag = new DAG({ dag_id: 'flaky', start_date: 0 });
    const t = new PythonOperator({
      task_id: 't',
      dag,
      duration: 30,
      retries: r,
      retry_delay: 300,
      retry_exponential_backoff: backoff,
      python_callable: (c) => c.try_number > k,
    });
    t.then(new EmptyOperator({ task_id: 'after', dag }));
    return runDags([dag]);
  }
  for (const [k, r] of [
    [0, 0],
    [2, 2],
    [2, 3],
    [3, 2],
    [1, 0],
  ] as const) {
    it(`fails ${k} times with retries=${r}: ${k <= r ? 'succeeds on try ' + (k + 1) : 'failed, downstream upstream_failed'}`, () => {
      const sys = flaky(k, r, true);
      const attempts = sys.attemptsLog.filter((a) => a.task_id === 't');
      expect(attempts.length).toBe(Math.min(k, r) + 1);
      expect(stateOf(sys, 'flaky', 't')).toBe(k <= r ? 'success' : 'failed');
      expect(stateOf(sys, 'flaky', 'after')).toBe(k <= r ? 'success' : 'upstream_failed');
      expect(sys.summary().runs[0].state).toBe(k <= r ? 'success' : 'failed');
    });
  }
  it('each retry starts after end + delay, within one loop (0.2 s + 1 s sleep + 0.2 s) and the 1 s start-up', () => {
    for (const backoff of [false, true]) {
      const sys = flaky(3, 3, backoff);
      const a = sys.attemptsLog.filter((x) => x.task_id === 't');
      for (let i = 1; i < a.length; i++) {
        const d = retryDelay(
          { retry_delay: 300, retry_exponential_backoff: backoff, max_retry_delay: null },
          'flaky',
          't',
          LD,
          i,
        );
        const gap = a[i].start - (a[i - 1].end + d);
        expect(gap).toBeGreaterThanOrEqual(1);
        expect(gap).toBeLessThanOrEqual(1 + 0.2 + 1 + 0.2 + 1e-9);
        expect(a[i].try_number).toBe(i + 1);
      }
    }
  });
  it('execution_timeout fails the attempt at the timeout, and it is retried', () => {
    const dag = new DAG({ dag_id: 'slow' });
    new PythonOperator({
      task_id: 't',
      dag,
      duration: 100,
      execution_timeout: 40,
      retries: 1,
      retry_delay: 5,
    });
    const sys = runDags([dag]);
    const a = sys.attemptsLog;
    expect(a.length).toBe(2);
    expect(a[0].end - a[0].start).toBeCloseTo(40, 9);
    expect(a[0].result).toBe('up_for_retry');
    expect(stateOf(sys, 'slow', 't')).toBe('failed');
  });
  it('AirflowFailException fails without retrying', () => {
    const dag = new DAG({ dag_id: 'ff' });
    new PythonOperator({
      task_id: 't',
      dag,
      retries: 5,
      python_callable: () => {
        throw new AirflowFailException('bad input');
      },
    });
    const sys = runDags([dag]);
    expect(sys.attemptsLog.length).toBe(1);
    expect(stateOf(sys, 'ff', 't')).toBe('failed');
  });
});
