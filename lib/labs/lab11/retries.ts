/**
 * airflow-retries: the finish-time distribution of extract (300 s) >> transform (600 s, each
 * attempt failing with probability f) >> load (300 s) vs `retries` and the retry delay policy, and
 * the share of runs that miss a deadline.
 *
 * Theory (subsystems.md §6.5, retry delays from retry.ts): the run succeeds on try j ≤ r + 1 with
 * probability f^(j−1)·(1 − f), and then finishes at T_j = 300 + j·600 + 300 + Σ_{i<j} delay_i + the
 * scheduler's latency (≈ task_startup + (loop_duration + idle sleep)/2 per task start after the
 * first); it fails with probability f^(r+1). A fixed retry_delay d gives delay_i = d; exponential
 * backoff gives delay_i uniform on [d·2^(i−1), d·2^i) (the sha1 residue of a logical date is
 * uniform to a good approximation), so T_j is a sum of uniforms, computed by exact discrete
 * convolution on a 1 s grid.
 */
import { defineExperiment } from '../../experiment/experiment';
import type { Observation } from '../../experiment/experiment';
import { figure, line, markers } from '../../plot/builders';
import { Simulation } from '../../sim/simulation';
import { flakyPipeline } from '../../systems/airflow/examples';
import { AirflowSystem } from '../../systems/airflow/system';
import { lab, dagRunWork } from './common';
import type { Row } from './common';

const STARTUP = 1;
const LOOP = 0.2;
const SLEEP = 1;

/** P(finished successfully within t) for each t, and P(success), for retries r and policy. */
export function retryFinishCdf(
  o: { failure_probability: number; retries: number; retry_delay: number; backoff: boolean },
  ts: readonly number[],
): { cdf: number[]; success: number } {
  const f = o.failure_probability;
  const per = STARTUP + (LOOP + SLEEP) / 2;
  // distribution of the summed delays before try j, on a 1 s grid: dist[k] = P(sum = k)
  let dist = new Float64Array([1]);
  const cdf = ts.map(() => 0);
  for (let j = 1; j <= o.retries + 1; j++) {
    const pj = f ** (j - 1) * (1 - f);
    const base = 1200 + (j - 1) * 600 + STARTUP + (j + 1) * per;
    let acc = 0;
    const prefix = new Float64Array(dist.length + 1);
    for (let k = 0; k < dist.length; k++) prefix[k + 1] = prefix[k] + dist[k];
    ts.forEach((t, i) => {
      const k = Math.floor(t - base);
      acc = k < 0 ? 0 : prefix[Math.min(dist.length, k + 1)];
      cdf[i] += pj * acc;
    });
    // the delay after try j
    const m = o.backoff ? Math.max(1, Math.ceil(o.retry_delay * 2 ** (j - 1))) : 0;
    const fixed = o.backoff ? 0 : Math.round(o.retry_delay);
    const width = o.backoff ? m : 1;
    const shift = o.backoff ? m : fixed;
    const next = new Float64Array(dist.length + shift + width);
    let window = 0;
    for (let k = 0; k < next.length; k++) {
      // next[k] = (1/width) Σ_{u=0..width-1} dist[k − shift − u]
      const inIdx = k - shift;
      if (inIdx >= 0 && inIdx < dist.length) window += dist[inIdx];
      const outIdx = k - shift - width;
      if (outIdx >= 0 && outIdx < dist.length) window -= dist[outIdx];
      next[k] = window / width;
    }
    dist = next;
  }
  return { cdf, success: 1 - f ** (o.retries + 1) };
}

export const airflowRetries = defineExperiment({
  name: 'airflow-retries',
  title: 'Finish time of a DAG with a flaky task vs retries and backoff, and deadline misses',
  description:
    'extract (300 s) >> transform (600 s, each attempt fails with failure_probability) >> load (300 s), `runs` independent runs per replication. ' +
    "With r retries a run succeeds with probability 1 − f^(r+1) and each retry adds 600 s plus its delay: retry_delay (fixed), or with retry_exponential_backoff a delay in [retry_delay·2^(try−1), 2·retry_delay·2^(try−1)) from Airflow's sha1 jitter. " +
    'The figures show the distribution of finish times (the share of runs finished successfully by t) beside the exact mixture, and the deadline-miss rate vs retries.',
  lab,
  params: {
    failure_probability: {
      type: 'number',
      default: 0.3,
      min: 0,
      max: 0.99,
      doc: 'Probability that one attempt of transform fails.',
    },
    retries: {
      type: 'numbers',
      default: [0, 1, 2, 3],
      min: 0,
      max: 10,
      integer: true,
      doc: 'retries of transform.',
    },
    policies: {
      type: 'choices',
      default: ['fixed', 'exponential'],
      choices: ['fixed', 'exponential'],
      doc: 'retry_exponential_backoff false (fixed retry_delay) or true.',
    },
    retry_delay: {
      type: 'number',
      default: 300,
      min: 0,
      max: 86400,
      unit: 's',
      doc: "retry_delay (Airflow's default 300 s).",
    },
    deadline: {
      type: 'number',
      default: 3600,
      min: 60,
      max: 864000,
      unit: 's',
      doc: 'Deadline after the run starts.',
    },
    runs: {
      type: 'integer',
      default: 400,
      min: 10,
      max: 5000,
      unit: 'runs',
      doc: 'DAG runs per replication.',
    },
    tMax: {
      type: 'number',
      default: 7200,
      min: 600,
      max: 864000,
      unit: 's',
      doc: 'Right end of the finish-time axis.',
    },
  },
  replications: 8,
  metrics: {
    finished: 'proportion',
    success: 'proportion',
    deadlineMiss: 'proportion',
    meanFinish: 'nonNegative',
  },
  precisionMetrics: ['deadlineMiss'],
  // 8 replications of 400 runs (3,200 runs a point, 4.5 s of CPU): the deadline-miss share,
  // 2.7-31 %, is within ±4-22 % (a share p of n runs is ±1.96·√((1 − p)/(n·p)) relative, ±18 %
  // at p = 2.7 %), the success share and the mean finish time within ±2 %
  statedPrecision: { deadlineMiss: 0.3, success: 0.05, meanFinish: 0.05 },
  units: {
    retries: 'retries',
    finished: 'fraction of runs',
    success: 'fraction of runs',
    deadlineMiss: 'fraction of runs',
    meanFinish: 's',
  },
  sharedSeedAcross: ['policy'],
  points: (p) => p.policies.flatMap((pol) => p.retries.map((r) => ({ policy: pol, retries: r }))),
  workEstimate: (point, p) =>
    dagRunWork(
      flakyPipeline({
        failure_probability: p.failure_probability,
        retries: point.retries as number,
        retry_delay: p.retry_delay,
        retry_exponential_backoff: point.policy === 'exponential',
        deadline: p.deadline,
      }),
      1e9,
      p.runs,
      1 + (point.retries as number),
    ),
  simulate: (point, p, seed) => {
    const dag = flakyPipeline({
      failure_probability: p.failure_probability,
      retries: point.retries as number,
      retry_delay: p.retry_delay,
      retry_exponential_backoff: point.policy === 'exponential',
      deadline: p.deadline,
    });
    const sim = new Simulation({ seed });
    const sys = new AirflowSystem(sim, {
      dags: [dag],
      core: { parallelism: 100000, default_pool_task_slot_count: 100000 },
      scheduler: { max_tis_per_query: 0, max_dagruns_per_loop_to_schedule: 100000 },
    });
    for (let i = 0; i < p.runs; i++) sys.trigger(dag.dag_id, i);
    sys.runUntilIdle(30 * 86400);
    const runs = sys.summary().runs;
    const ok = runs.filter((r) => r.state === 'success').map((r) => r.duration);
    const success = ok.length / runs.length;
    const deadlineMiss = 1 - ok.filter((d) => d <= p.deadline).length / runs.length;
    const meanFinish = ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
    const out: Observation[] = [];
    for (let t = 0; t <= p.tMax + 1e-9; t += p.tMax / 36)
      out.push({
        t: t,
        finished: ok.filter((d) => d <= t).length / runs.length,
        success,
        deadlineMiss,
        meanFinish,
      });
    return out;
  },
  theory: (point, p) => {
    const th = retryFinishCdf(
      {
        failure_probability: p.failure_probability,
        retries: point.retries as number,
        retry_delay: p.retry_delay,
        backoff: point.policy === 'exponential',
      },
      [p.deadline],
    );
    return { success_theory: th.success, deadlineMiss_theory: 1 - th.cdf[0] };
  },
  figures: (t, p) => {
    const rows = t.objects() as Row[];
    const cdfPanels = p.policies.map((pol) => {
      const traces = p.retries.flatMap((r) => {
        const rs = rows.filter((x) => x.policy === pol && x.retries === r);
        const ts = rs.map((x) => x.t as number);
        const fine = Array.from({ length: 721 }, (_, i) => (i * p.tMax) / 720);
        const th = retryFinishCdf(
          {
            failure_probability: p.failure_probability,
            retries: r,
            retry_delay: p.retry_delay,
            backoff: pol === 'exponential',
          },
          fine,
        );
        const g = `retries = ${r}`;
        return [
          line(fine, th.cdf, { name: `${g}: theory`, group: g }),
          markers(
            ts,
            rs.map((x) => x.finished as number),
            {
              name: `${g}: simulation (95% CI)`,
              group: g,
              size: 5,
              lower: rs.map((x) => (x.finished_lo ?? x.finished) as number),
              upper: rs.map((x) => (x.finished_hi ?? x.finished) as number),
            },
          ),
        ];
      });
      return figure(traces, {
        title: `Share of runs finished successfully by t: ${pol === 'exponential' ? 'retry_exponential_backoff' : 'fixed retry_delay'} ${p.retry_delay} s, f = ${p.failure_probability}`,
        x: { title: 'time since the run started (s)' },
        y: { title: 'P(finished successfully ≤ t)', range: [0, 1.02] },
        layout: {
          shapes: [
            {
              type: 'line',
              x0: p.deadline,
              x1: p.deadline,
              yref: 'paper',
              y0: 0,
              y1: 1,
              line: { dash: 'dot', color: '#888' },
            },
          ],
        },
      });
    });
    const one = rows.filter((x) => x.t === 0);
    const missTraces = p.policies.flatMap((pol) => {
      const rs = one.filter((x) => x.policy === pol);
      const x = rs.map((r) => r.retries as number);
      return [
        line(
          x,
          rs.map((r) => r.deadlineMiss_theory as number),
          { name: `${pol}: theory`, group: pol },
        ),
        markers(
          x,
          rs.map((r) => r.deadlineMiss as number),
          {
            name: `${pol}: simulation (95% CI)`,
            group: pol,
            lower: rs.map((r) => (r.deadlineMiss_lo ?? r.deadlineMiss) as number),
            upper: rs.map((r) => (r.deadlineMiss_hi ?? r.deadlineMiss) as number),
          },
        ),
      ];
    });
    return [
      ...cdfPanels,
      figure(missTraces, {
        title: `Runs not done by the ${p.deadline} s deadline (failed or late) vs retries`,
        x: { title: 'retries' },
        y: { title: 'deadline-miss rate', fromZero: true },
        layout: { xaxis: { title: { text: 'retries' }, dtick: 1 } },
      }),
    ];
  },
});
