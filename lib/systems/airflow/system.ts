/**
 * An Airflow deployment on the kernel: the scheduler (scheduler.ts), an executor (executors.ts)
 * and the task attempts, built on a Simulation it is handed (the systems contract). Task
 * attempts: a queued TI starts when its executor has started it; it runs `duration` (capped by
 * execution_timeout, which fails the attempt), ends `success`, `skipped`, or fails: with tries
 * left (`try_number ≤ retries`) it becomes `up_for_retry` until end + retry delay (retry.ts),
 * else `failed`. A branch skips the direct downstream tasks it did not choose. A sensor pokes
 * every poke_interval: in poke mode inside one attempt that holds its slots throughout, in
 * reschedule mode as short attempts with `up_for_reschedule` (slots free) in between; after
 * `timeout` seconds from its first poke it fails without retry (or is skipped with soft_fail).
 *
 * `simulateAirflow(config, { seed, duration, warmup })` runs one replication through the shared
 * runner; `system.trigger(dag_id)` makes a manual run; `system.runUntilIdle(limit)` runs until no
 * run is active or due.
 */
import { Latency } from '../common/latency';
import { measure } from '../common/runner';
import type { RunWindow } from '../common/runner';
import { ParameterError, requireNonNegative } from '../../errors';
import type { Simulation } from '../../sim/simulation';
import type { AirflowConfig, ResolvedAirflowConfig } from './config';
import { resolveAirflowConfig } from './config';
import { createExecutor } from './executors';
import type { AttemptRecord, DagRun, DagState, TaskInstance } from './instances';
import { AirflowFailException, AirflowSkipException } from './operators';
import { retryDelay } from './retry';
import { SchedulerCore } from './scheduler';
import { TI_STATES, isFinished } from './states';
import type { TaskInstanceState } from './states';
import type { AirflowSummary, RunSummary } from './summary';

export class AirflowSystem extends SchedulerCore {
  readonly attemptsLog: AttemptRecord[] = [];
  readonly startH: number;
  private readonly endH: number;
  private readonly zombieH: number;
  private attempts = 0;
  /** When statistics last restarted: runs that started before are left out of the run statistics. */
  private resetAt = 0;
  private retries = 0;
  private zombies = 0;
  private readonly queueDelay: Latency;
  private readonly runDuration: Latency;

  constructor(sim: Simulation, config: AirflowConfig | ResolvedAirflowConfig) {
    super(sim, 'epochMs' in config ? config : resolveAirflowConfig(config));
    this.startH = sim.handler((id) => this.start(this.tis[id]), 'airflow.ti.start');
    this.endH = sim.handler((id) => this.end(this.tis[id]), 'airflow.ti.end');
    this.zombieH = sim.handler((id) => this.zombieDetected(this.tis[id]), 'airflow.ti.zombie');
    this.queueDelay = new Latency(sim);
    this.runDuration = new Latency(sim);
    this.executor = createExecutor(this.config, this);
    sim.onReset(() => {
      this.resetAt = sim.now;
      this.attempts = 0;
      this.retries = 0;
      this.zombies = 0;
    });
  }

  /** A manual run of `dag_id` (run_type manual), created by the first scheduler loop at or after `at` (default now). */
  trigger(dagId: string, at: number = this.sim.now): void {
    const dag = this.dags.find((d) => d.dag.dag_id === dagId);
    if (dag === undefined)
      throw new ParameterError(
        'dag_id',
        dagId,
        `is not a DAG of this deployment (${this.dags.map((d) => d.dag.dag_id).join(', ')})`,
      );
    this.manual.push({ dag, at: requireNonNegative('at', at) });
  }

  /** True when no run is active, no manual run is pending and no scheduled run is due yet. */
  idle(): boolean {
    if (this.active.length > 0 || this.manual.length > 0 || this.runs.length === 0) return false;
    const nowMs = this.ms(this.sim.now);
    return this.dags.every((d) => {
      const n = d.timetable.next(d.lastLogical, nowMs, d.catchup);
      return n === null || n.createAt > nowMs || n.logicalDate > d.endDate;
    });
  }

  /** Runs until idle (every run done) or `limit` simulated seconds; returns the clock. */
  runUntilIdle(limit: number): number {
    this.sim.run({ until: limit, stopWhen: () => this.active.length === 0 && this.idle() });
    return this.sim.now;
  }

  protected override createRun(
    dag: DagState,
    logical: number,
    type: 'scheduled' | 'manual',
  ): DagRun {
    const now = this.sim.now;
    const run: DagRun = {
      dag,
      run_id: this.runId(type, logical),
      run_type: type,
      logical_date: logical,
      state: 'running',
      start: now,
      end: NaN,
      tis: [],
      byTask: new Map(),
      unfinished: 0,
      lastDecision: -Infinity,
      previous: dag.runs.length ? dag.runs[dag.runs.length - 1] : null,
    };
    const core = this.config.core;
    const empty: TaskInstance[] = [];
    for (const task of dag.dag.tasks) {
      const items = task.mapItems;
      const n = items === null ? 1 : Math.max(1, items.length);
      const list: TaskInstance[] = [];
      for (let i = 0; i < n; i++) {
        const mapIndex = items === null || items.length === 0 ? -1 : i;
        const rng = this.sim.streams.get(
          `airflow.${dag.dag.dag_id}.${task.task_id}${mapIndex >= 0 ? `[${mapIndex}]` : ''}`,
        );
        const ti: TaskInstance = {
          id: this.tis.length,
          run,
          task,
          task_id: task.task_id,
          map_index: mapIndex,
          state: 'none',
          try_number: 0,
          max_tries: task.args.retries ?? core.default_task_retries,
          priority_weight: dag.weights.get(task) as number,
          pool: task.args.pool ?? 'default_pool',
          pool_slots: task.args.pool_slots ?? 1,
          upstream: [],
          downstream: [],
          rng,
          scheduledAt: NaN,
          queuedAt: NaN,
          startedAt: NaN,
          firstStartAt: NaN,
          endedAt: NaN,
          notBefore: -Infinity,
          readyAt: task.sensor ? now + task.sensor.ready_after.sample(rng) : NaN,
          event: -1,
          lane: -1,
          outcome: 'success',
          record: -1,
          follow: null,
        };
        this.tis.push(ti);
        run.tis.push(ti);
        run.unfinished++;
        list.push(ti);
        if (items !== null && items.length === 0) empty.push(ti);
      }
      run.byTask.set(task, list);
    }
    for (const ti of run.tis) {
      for (const u of ti.task.upstream) ti.upstream.push(...(run.byTask.get(u) as TaskInstance[]));
      for (const d of ti.task.downstream)
        ti.downstream.push(...(run.byTask.get(d) as TaskInstance[]));
    }
    dag.runs.push(run);
    this.runs.push(run);
    this.active.push(run);
    dag.running++;
    for (const ti of empty) this.setState(ti, 'skipped');
    return run;
  }

  private start(ti: TaskInstance): void {
    const now = this.sim.now;
    ti.event = -1;
    this.setState(ti, 'running');
    ti.startedAt = now;
    if (Number.isNaN(ti.firstStartAt)) ti.firstStartAt = now;
    this.attempts++;
    this.queueDelay.record(now - ti.scheduledAt);
    ti.record = this.attemptsLog.length;
    this.attemptsLog.push({
      dag_id: ti.run.dag.dag.dag_id,
      run_id: ti.run.run_id,
      task_id: ti.task_id,
      map_index: ti.map_index,
      try_number: ti.try_number,
      lane: ti.lane,
      laneLabel: this.executor.laneLabel(ti.lane),
      queued: ti.queuedAt,
      start: now,
      end: NaN,
      result: 'running',
    });
    const task = ti.task;
    let d = task.duration.sample(ti.rng);
    if (!(d >= 0 && d !== Infinity))
      throw new ParameterError(
        `${task.dag.dag_id}.${task.task_id}.duration sample`,
        d,
        'must be a finite number >= 0',
      );
    const s = task.sensor;
    if (s !== null) {
      if (s.mode === 'poke') {
        const k = Math.max(0, Math.ceil((ti.readyAt - now) / s.poke_interval));
        const lastPoke = now + k * s.poke_interval;
        if (lastPoke - ti.firstStartAt > s.timeout) {
          ti.outcome = s.soft_fail ? 'skip' : 'fail_fast';
          d = ti.firstStartAt + s.timeout - now;
        } else {
          ti.outcome = 'success';
          d += lastPoke - now;
        }
      } else {
        ti.outcome =
          now >= ti.readyAt
            ? 'success'
            : now - ti.firstStartAt > s.timeout
              ? s.soft_fail
                ? 'skip'
                : 'fail_fast'
              : 'reschedule';
      }
    } else {
      const u = ti.rng.next();
      ti.outcome = u < (task.args.failure_probability ?? 0) ? 'fail' : 'success';
      const fn = task.args.python_callable;
      if (fn !== undefined) {
        try {
          const r = fn({
            dag_id: task.dag.dag_id,
            run_id: ti.run.run_id,
            task_id: ti.task_id,
            map_index: ti.map_index,
            try_number: ti.try_number,
            logical_date: ti.run.logical_date,
            item: task.mapItems && ti.map_index >= 0 ? task.mapItems[ti.map_index] : undefined,
            rng: ti.rng,
          });
          if (r === false) ti.outcome = 'fail';
          else if (task.isBranch) {
            ti.follow = new Set(r == null ? [] : Array.isArray(r) ? r.map(String) : [String(r)]);
            // Airflow: "'branch_task_ids' must contain only valid task_ids" (an AirflowException: retried)
            for (const id of ti.follow)
              if (![...task.downstream].some((d) => d.task_id === id)) ti.outcome = 'fail';
          }
        } catch (e) {
          ti.outcome =
            e instanceof AirflowSkipException
              ? 'skip'
              : e instanceof AirflowFailException
                ? 'fail_fast'
                : 'fail';
        }
      }
      const et = task.args.execution_timeout;
      if (et != null && d > et) {
        d = et;
        ti.outcome = 'timeout';
      }
    }
    ti.event = this.sim.schedule(d, this.endH, ti.id);
  }

  private end(ti: TaskInstance): void {
    const now = this.sim.now;
    ti.event = -1;
    ti.endedAt = now;
    this.finishedEvents++;
    this.executor.release(ti);
    const rec = this.attemptsLog[ti.record];
    rec.end = now;
    switch (ti.outcome) {
      case 'success':
        this.setState(ti, 'success');
        if (ti.follow !== null) {
          for (const d of ti.downstream) {
            if (!ti.follow.has(d.task_id) && !isFinished(d.state)) {
              d.endedAt = now;
              this.setState(d, 'skipped');
            }
          }
        }
        break;
      case 'skip':
        this.setState(ti, 'skipped');
        break;
      case 'reschedule':
        ti.notBefore = now + (ti.task.sensor as { poke_interval: number }).poke_interval;
        this.setState(ti, 'up_for_reschedule');
        break;
      case 'fail_fast':
        this.setState(ti, 'failed');
        break;
      default:
        this.handleFailure(ti);
    }
    rec.result = ti.state;
  }

  /** A failed attempt: up_for_retry while tries are left (Airflow's is_eligible_to_retry), else failed. */
  private handleFailure(ti: TaskInstance): void {
    const a = ti.task.args;
    if (ti.max_tries > 0 && ti.try_number <= ti.max_tries) {
      const policy = {
        retry_delay: a.retry_delay ?? this.config.core.default_task_retry_delay,
        retry_exponential_backoff: a.retry_exponential_backoff ?? false,
        max_retry_delay: a.max_retry_delay ?? null,
      };
      ti.notBefore =
        this.sim.now +
        retryDelay(
          policy,
          ti.run.dag.dag.dag_id,
          ti.task_id,
          ti.run.logical_date,
          ti.try_number,
          this.config.core.max_task_retry_delay,
        );
      this.retries++;
      this.setState(ti, 'up_for_retry');
    } else {
      this.setState(ti, 'failed');
    }
  }

  protected override failAttempt(ti: TaskInstance): void {
    ti.endedAt = this.sim.now;
    this.finishedEvents++;
    this.handleFailure(ti);
  }

  /** Called by the Celery executor for a TI running on a worker that crashed. */
  zombie(ti: TaskInstance): void {
    this.sim.cancel(ti.event);
    ti.event = this.sim.schedule(
      this.config.scheduler.task_instance_heartbeat_timeout,
      this.zombieH,
      ti.id,
    );
    const rec = this.attemptsLog[ti.record];
    rec.end = this.sim.now;
    rec.result = 'zombie';
  }

  private zombieDetected(ti: TaskInstance): void {
    ti.event = -1;
    if (ti.state !== 'running') return;
    this.zombies++;
    ti.endedAt = this.sim.now;
    this.finishedEvents++;
    this.executor.release(ti);
    this.handleFailure(ti);
  }

  protected override onRunEnd(run: DagRun): void {
    this.runDuration.record(run.end - run.start);
  }

  summary(): AirflowSummary {
    const runs: RunSummary[] = this.runs.map((r) => ({
      dag_id: r.dag.dag.dag_id,
      run_id: r.run_id,
      run_type: r.run_type,
      logical_date: new Date(r.logical_date).toISOString(),
      state: r.state,
      start: r.start,
      end: r.end,
      duration: r.end - r.start,
    }));
    const finished = this.runs.filter(
      (r) => (r.state === 'success' || r.state === 'failed') && r.start >= this.resetAt,
    );
    const tiStates = Object.fromEntries(TI_STATES.map((s) => [s, 0])) as Record<
      TaskInstanceState,
      number
    >;
    for (const ti of this.tis) tiStates[ti.state]++;
    const fp = this.executor.failures;
    return {
      executor: this.executor.name,
      loops: this.loops,
      runs,
      runsFinished: finished.length,
      runsFailed: finished.filter((r) => r.state === 'failed').length,
      makespan: finished.length
        ? finished.reduce((s, r) => s + r.end - r.start, 0) / finished.length
        : NaN,
      deadlineMisses: finished.filter(
        (r) => r.dag.dag.deadline !== null && r.end - r.start > (r.dag.dag.deadline as number),
      ).length,
      tiStates,
      attempts: this.attempts,
      retries: this.retries,
      zombies: this.zombies,
      queueDelay: this.queueDelay.summary(),
      runDuration: this.runDuration.summary(),
      workerAvailability: fp.length ? fp.reduce((s, f) => s + f.availability, 0) / fp.length : NaN,
    };
  }
}

/** One replication: the deployment built on a fresh simulation, warm-up, then `duration` seconds measured. */
export function simulateAirflow(
  config: AirflowConfig,
  window: RunWindow,
): AirflowSummary & { attemptsLog: AttemptRecord[] } {
  const resolved = resolveAirflowConfig(config);
  const { system } = measure((sim) => new AirflowSystem(sim, resolved), window);
  return { ...system.summary(), attemptsLog: system.attemptsLog };
}
