/**
 * The scheduler, as Airflow's scheduler job runs it (airflow-core/src/airflow/jobs/
 * scheduler_job_runner.py, `_run_scheduler_loop` / `_do_scheduling`; reference: subsystems.md
 * §6.4), on the kernel: one event per loop. Each loop
 * 1. creates the DAG runs that are due (one per DAG per loop, at most max_dagruns_to_create_per_loop
 *    DAGs, only while the DAG has fewer than max_active_runs running);
 * 2. examines up to max_dagruns_per_loop_to_schedule running runs (oldest decision first): TIs
 *    whose trigger rule (trigger-rules.ts), depends_on_past / wait_for_downstream and retry or
 *    reschedule time allow become `scheduled` (a new try: try_number + 1, except after a
 *    reschedule), or `skipped` / `upstream_failed` at once; finished runs end success or failed;
 * 3. the critical section (`_executable_task_instances_to_queued`): up to
 *    min(max_tis_per_query, parallelism − queued − running) scheduled TIs, by priority_weight
 *    (effective, per weight_rule), then the run's logical date, then map_index, become `queued`
 *    if their pool has the slots (pool_slots), the DAG is below max_active_tasks and the task
 *    below max_active_tis_per_dag; starved pools, DAGs and tasks are excluded and the query
 *    repeated when nothing could be queued;
 * 4. hands the queued TIs to the executor (executors.ts) and fails TIs queued longer than
 *    task_queued_timeout;
 * then sleeps scheduler_idle_sleep_time if it queued nothing and no task finished since the last
 * loop, and starts again after loop_duration (the loop's own database work, a model parameter).
 * Task attempts are in attempts.ts.
 */
import type { Simulation } from '../../sim/simulation';
import type { ResolvedAirflowConfig } from './config';
import { dateMs } from './config';
import type { Executor } from './executors';
import type { DagRun, DagState, TaskInstance } from './instances';
import { pythonDatetimeString } from './retry';
import { isFinished } from './states';
import type { TaskInstanceState } from './states';
import { Timetable } from './timetable';
import { evaluateTriggerRule } from './trigger-rules';

export class SchedulerCore {
  readonly dags: DagState[];
  readonly tis: TaskInstance[] = [];
  readonly runs: DagRun[] = [];
  /** Runs still running, in creation order. */
  readonly active: DagRun[] = [];
  /** Queued or running TIs (all DAGs): what parallelism caps. */
  occupied = 0;
  readonly poolUsed = new Map<string, number>();
  /** Task completions since the last loop (Airflow's num_finished_events). */
  finishedEvents = 0;
  loops = 0;
  executor!: Executor;
  protected readonly manual: Array<{ dag: DagState; at: number }> = [];
  private readonly loopH: number;

  constructor(
    readonly sim: Simulation,
    readonly config: ResolvedAirflowConfig,
  ) {
    this.dags = config.dags.map((dag, index) => ({
      dag,
      index,
      catchup: dag.catchup ?? config.scheduler.catchup_by_default,
      max_active_tasks: dag.max_active_tasks ?? config.core.max_active_tasks_per_dag,
      max_active_runs: dag.max_active_runs ?? config.core.max_active_runs_per_dag,
      weights: dag.priorityWeights(),
      timetable: new Timetable(
        dag.schedule,
        dateMs(dag.start_date, config.epochMs, `dags.${dag.dag_id}.start_date`),
        config.scheduler.create_cron_data_intervals,
        `dags.${dag.dag_id}.schedule`,
      ),
      endDate:
        dag.end_date === null
          ? Infinity
          : dateMs(dag.end_date, config.epochMs, `dags.${dag.dag_id}.end_date`),
      lastLogical: null,
      runs: [],
      running: 0,
      active: 0,
      activePerTask: new Map(),
    }));
    for (const p of config.pools.keys()) this.poolUsed.set(p, 0);
    this.loopH = sim.handler(() => this.loop(), 'airflow.scheduler.loop');
    sim.schedule(0, this.loopH);
  }

  /** Simulated seconds → epoch ms. */
  ms(t: number): number {
    return this.config.epochMs + t * 1000;
  }

  /** Every state change goes through here: it keeps the slot counters of EXECUTION_STATES. */
  setState(ti: TaskInstance, s: TaskInstanceState): void {
    const was = ti.state === 'queued' || ti.state === 'running';
    const is = s === 'queued' || s === 'running';
    if (was !== is) {
      const d = is ? 1 : -1;
      this.occupied += d;
      this.poolUsed.set(ti.pool, (this.poolUsed.get(ti.pool) as number) + d * ti.pool_slots);
      const dag = ti.run.dag;
      dag.active += d;
      dag.activePerTask.set(ti.task, (dag.activePerTask.get(ti.task) ?? 0) + d);
    }
    if (!isFinished(ti.state) && isFinished(s)) {
      ti.run.unfinished--;
      this.onFinished(ti, s);
    }
    ti.state = s;
  }

  /** Hook for statistics (overridden by the system). */
  protected onFinished(_ti: TaskInstance, _s: TaskInstanceState): void {}
  protected onRunEnd(_run: DagRun): void {}
  protected createRun(_dag: DagState, _logical: number, _type: 'scheduled' | 'manual'): DagRun {
    throw new Error('abstract');
  }
  protected failAttempt(_ti: TaskInstance, _why: 'fail' | 'fail_fast' | 'timeout'): void {}

  private loop(): void {
    const now = this.sim.now;
    this.loops++;
    const finished = this.finishedEvents;
    this.finishedEvents = 0;
    this.createDueRuns(now);
    const running = [...this.active].sort((a, b) => a.lastDecision - b.lastDecision);
    for (const run of running.slice(0, this.config.scheduler.max_dagruns_per_loop_to_schedule))
      this.scheduleRun(run, now);
    const queued = this.criticalSection();
    for (const ti of queued) this.executor.send(ti);
    const timeout = this.config.scheduler.task_queued_timeout;
    for (const ti of [...this.executor.waiting()]) {
      if (now - ti.queuedAt > timeout) {
        this.executor.drop(ti);
        this.failAttempt(ti, 'fail');
      }
    }
    const idle = queued.length === 0 && finished === 0;
    this.sim.schedule(
      this.config.scheduler.loop_duration +
        (idle ? this.config.scheduler.scheduler_idle_sleep_time : 0),
      this.loopH,
    );
  }

  private createDueRuns(now: number): void {
    const nowMs = this.ms(now);
    let created = 0;
    const limit = this.config.scheduler.max_dagruns_to_create_per_loop;
    for (const dag of this.dags) {
      if (created >= limit) break;
      if (dag.running >= dag.max_active_runs) continue;
      const m = this.manual.findIndex((x) => x.dag === dag && x.at <= now);
      if (m >= 0) {
        const { at } = this.manual.splice(m, 1)[0];
        this.createRun(dag, this.ms(at), 'manual');
        created++;
        continue;
      }
      const next = dag.timetable.next(dag.lastLogical, nowMs, dag.catchup);
      if (next !== null && next.createAt <= nowMs && next.logicalDate <= dag.endDate) {
        dag.lastLogical = next.logicalDate;
        this.createRun(dag, next.logicalDate, 'scheduled');
        created++;
      }
    }
  }

  /** A run id as Airflow writes them: `scheduled__2025-01-01T00:00:00+00:00`. */
  runId(type: string, logical: number): string {
    return `${type}__${pythonDatetimeString(logical).replace(' ', 'T')}`;
  }

  private pastMet(ti: TaskInstance): boolean {
    const a = ti.task.args;
    if (!a.depends_on_past && !a.wait_for_downstream) return true;
    const prev = ti.run.previous;
    if (prev === null) return true;
    const ok = (s: TaskInstanceState) => s === 'success' || s === 'skipped';
    const prevTis = prev.byTask.get(ti.task) ?? [];
    if (!prevTis.every((p) => ok(p.state))) return false;
    if (a.wait_for_downstream) return prevTis.every((p) => p.downstream.every((d) => ok(d.state)));
    return true;
  }

  /** Step 2 for one run: trigger rules to a fixpoint, then the run's own state. */
  scheduleRun(run: DagRun, now: number): void {
    run.lastDecision = now;
    for (let changed = true; changed;) {
      changed = false;
      for (const ti of run.tis) {
        const s = ti.state;
        if (s !== 'none' && s !== 'up_for_retry' && s !== 'up_for_reschedule') continue;
        if (s !== 'none' && now < ti.notBefore) continue;
        let success = 0,
          failed = 0,
          skipped = 0,
          upFailed = 0;
        for (const u of ti.upstream) {
          const us = u.state;
          if (us === 'success') success++;
          else if (us === 'failed') failed++;
          else if (us === 'skipped') skipped++;
          else if (us === 'upstream_failed') upFailed++;
        }
        const d = evaluateTriggerRule(ti.task.args.trigger_rule ?? 'all_success', {
          upstream: ti.upstream.length,
          success,
          failed,
          skipped,
          upstream_failed: upFailed,
        });
        if (d === 'skipped' || d === 'upstream_failed') {
          ti.endedAt = now;
          this.setState(ti, d);
          changed = true;
        } else if (d === 'run' && this.pastMet(ti)) {
          if (s !== 'up_for_reschedule') ti.try_number++;
          ti.scheduledAt = now;
          this.setState(ti, 'scheduled');
        }
      }
    }
    if (run.unfinished === 0) {
      const leaves = run.tis.filter((t) => t.downstream.length === 0);
      run.state = leaves.some((t) => t.state === 'failed' || t.state === 'upstream_failed')
        ? 'failed'
        : 'success';
      run.end = now;
      run.dag.running--;
      this.active.splice(this.active.indexOf(run), 1);
      this.onRunEnd(run);
    }
  }

  /** Step 3: which scheduled TIs become queued this loop. */
  criticalSection(): TaskInstance[] {
    const cfg = this.config;
    const slots = cfg.core.parallelism - this.occupied;
    let maxTis =
      cfg.scheduler.max_tis_per_query === 0
        ? slots
        : Math.min(cfg.scheduler.max_tis_per_query, slots);
    let poolFree = 0;
    for (const [p, total] of cfg.pools)
      poolFree += Math.max(0, total - (this.poolUsed.get(p) as number));
    maxTis = Math.min(maxTis, poolFree);
    if (maxTis <= 0) return [];
    const candidates: TaskInstance[] = [];
    for (const run of this.active)
      for (const ti of run.tis) if (ti.state === 'scheduled') candidates.push(ti);
    candidates.sort(
      (a, b) =>
        b.priority_weight - a.priority_weight ||
        a.run.logical_date - b.run.logical_date ||
        a.map_index - b.map_index ||
        a.id - b.id,
    );
    const starvedPools = new Set<string>();
    const starvedDags = new Set<DagState>();
    const starvedTasks = new Set<unknown>();
    const out: TaskInstance[] = [];
    for (;;) {
      const sizes = starvedPools.size + starvedDags.size + starvedTasks.size;
      const query = candidates
        .filter(
          (t) =>
            t.state === 'scheduled' &&
            !starvedPools.has(t.pool) &&
            !starvedDags.has(t.run.dag) &&
            !starvedTasks.has(t.task),
        )
        .slice(0, maxTis);
      if (query.length === 0) break;
      for (const ti of query) {
        const open = (cfg.pools.get(ti.pool) as number) - (this.poolUsed.get(ti.pool) as number);
        if (open <= 0) {
          starvedPools.add(ti.pool);
          continue;
        }
        if (ti.pool_slots > open) {
          starvedTasks.add(ti.task);
          continue;
        }
        const dag = ti.run.dag;
        if (dag.active >= dag.max_active_tasks) {
          starvedDags.add(dag);
          continue;
        }
        const lim = ti.task.args.max_active_tis_per_dag;
        if (lim != null && (dag.activePerTask.get(ti.task) ?? 0) >= lim) {
          starvedTasks.add(ti.task);
          continue;
        }
        ti.queuedAt = this.sim.now;
        this.setState(ti, 'queued');
        out.push(ti);
      }
      const done = out.length > 0 || query.length < maxTis;
      if (done || starvedPools.size + starvedDags.size + starvedTasks.size === sizes) break;
    }
    return out;
  }
}
