/**
 * Executors: where queued task instances run (reference: subsystems.md §6.4).
 *
 * - LocalExecutor: `parallelism` task processes on the scheduler's host; a queued TI starts
 *   running after the process start-up (`task_startup`).
 * - CeleryExecutor: queued TIs go to the broker (FIFO); a fleet of `workers`, each running up to
 *   `worker_concurrency` task processes, takes them as slots free up, then the process starts.
 *   Workers fail through the shared FailureProcess (`celery.worker_failures`): a TI running on a
 *   crashed worker becomes a zombie and keeps its slots until the scheduler notices the missing
 *   heartbeat (`task_instance_heartbeat_timeout`, 300 s), then fails (and retries if it may); a TI
 *   still starting on it goes back to the broker (Airflow's Celery tasks are acks_late).
 * - KubernetesExecutor: one pod per TI; it runs after the pod's start-up (`pod_startup`).
 *
 * Every executor also counts against `parallelism` (the scheduler never queues more than
 * parallelism − queued − running). Lanes number the slots for the Gantt chart.
 */
import type { Distribution } from '../../random/distribution';
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import { FailureProcess } from '../common/failures';
import type { ResolvedAirflowConfig } from './config';
import type { TaskInstance } from './instances';

/** What an executor needs from the scheduler. */
export interface ExecutorHost {
  sim: Simulation;
  /** Handler id: start the TI's attempt (arg = TI id). */
  startH: number;
  /** A TI on a crashed worker: a zombie from now on. */
  zombie(ti: TaskInstance): void;
}

export interface Executor {
  readonly name: string;
  /** Lanes (slots) for the Gantt chart. */
  readonly lanes: number;
  laneLabel(lane: number): string;
  /** A queued TI handed over (in priority order). */
  send(ti: TaskInstance): void;
  /** The TI's attempt ended (or it was failed while queued): free its lane. */
  release(ti: TaskInstance): void;
  /** TIs handed over but not yet started (for task_queued_timeout). */
  waiting(): readonly TaskInstance[];
  /** Removes a TI that waits (queued timeout). */
  drop(ti: TaskInstance): void;
  /** Worker failure processes (Celery), for availability. */
  readonly failures: FailureProcess[];
}

class Lanes {
  private readonly busy: Uint8Array;
  constructor(n: number) {
    this.busy = new Uint8Array(n);
  }
  take(from = 0, to = this.busy.length): number {
    for (let i = from; i < to; i++) if (this.busy[i] === 0) return ((this.busy[i] = 1), i);
    return -1;
  }
  free(i: number): void {
    if (i >= 0) this.busy[i] = 0;
  }
  used(from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) n += this.busy[i];
    return n;
  }
}

/** LocalExecutor, and KubernetesExecutor (the same shape: one lane per TI, a start-up delay). */
class LaneExecutor implements Executor {
  readonly failures: FailureProcess[] = [];
  private readonly free: Lanes;
  private readonly starting = new Set<TaskInstance>();
  constructor(
    readonly name: string,
    readonly lanes: number,
    private readonly host: ExecutorHost,
    private readonly startup: Distribution,
    private readonly rng: Rng,
    private readonly label: string,
  ) {
    this.free = new Lanes(lanes);
  }
  laneLabel(lane: number): string {
    return `${this.label} ${lane + 1}`;
  }
  send(ti: TaskInstance): void {
    ti.lane = this.free.take();
    this.starting.add(ti);
    ti.event = this.host.sim.schedule(this.startup.sample(this.rng), this.host.startH, ti.id);
  }
  release(ti: TaskInstance): void {
    this.starting.delete(ti);
    this.free.free(ti.lane);
  }
  waiting(): readonly TaskInstance[] {
    return [];
  }
  drop(ti: TaskInstance): void {
    this.release(ti);
  }
}

class CeleryExecutor implements Executor {
  readonly name = 'CeleryExecutor';
  readonly lanes: number;
  readonly failures: FailureProcess[] = [];
  private readonly broker: TaskInstance[] = [];
  private readonly free: Lanes;
  private readonly up: boolean[];
  private readonly onWorker: Array<Set<TaskInstance>>;
  private next = 0;
  constructor(
    private readonly host: ExecutorHost,
    private readonly workers: number,
    private readonly concurrency: number,
    private readonly startup: Distribution,
    private readonly rng: Rng,
    config: ResolvedAirflowConfig,
  ) {
    this.lanes = workers * concurrency;
    this.free = new Lanes(this.lanes);
    this.up = new Array(workers).fill(true);
    this.onWorker = Array.from({ length: workers }, () => new Set<TaskInstance>());
    for (let w = 0; w < workers; w++) {
      this.failures.push(
        new FailureProcess(
          host.sim,
          { crash: () => this.crash(w), recover: () => this.recover(w) },
          config.celery.worker_failures[w],
          { name: `airflow.celery.worker${w}` },
        ),
      );
    }
  }
  laneLabel(lane: number): string {
    return `worker ${Math.floor(lane / this.concurrency) + 1} · slot ${(lane % this.concurrency) + 1}`;
  }
  send(ti: TaskInstance): void {
    ti.lane = -1;
    this.broker.push(ti);
    this.dispatch();
  }
  private dispatch(): void {
    while (this.broker.length > 0) {
      let lane = -1;
      let w = this.next;
      for (let k = 0; k < this.workers && lane < 0; k++, w = (w + 1) % this.workers) {
        if (this.up[w]) lane = this.free.take(w * this.concurrency, (w + 1) * this.concurrency);
      }
      if (lane < 0) return;
      this.next = w % this.workers; // round robin over workers
      const ti = this.broker.shift() as TaskInstance;
      ti.lane = lane;
      this.onWorker[Math.floor(lane / this.concurrency)].add(ti);
      ti.event = this.host.sim.schedule(this.startup.sample(this.rng), this.host.startH, ti.id);
    }
  }
  release(ti: TaskInstance): void {
    if (ti.lane >= 0) {
      const w = Math.floor(ti.lane / this.concurrency);
      if (this.onWorker[w].delete(ti)) this.free.free(ti.lane);
    }
    ti.lane = -1;
    this.dispatch();
  }
  waiting(): readonly TaskInstance[] {
    return this.broker;
  }
  drop(ti: TaskInstance): void {
    const i = this.broker.indexOf(ti);
    if (i >= 0) this.broker.splice(i, 1);
    else this.release(ti);
  }
  private crash(w: number): void {
    this.up[w] = false;
    const back: TaskInstance[] = [];
    for (const ti of this.onWorker[w]) {
      this.free.free(ti.lane);
      if (ti.state === 'running') this.host.zombie(ti);
      else {
        this.host.sim.cancel(ti.event);
        ti.event = -1;
        ti.lane = -1;
        back.push(ti);
      }
    }
    this.onWorker[w].clear();
    this.broker.unshift(...back);
    this.dispatch();
  }
  private recover(w: number): void {
    this.up[w] = true;
    this.dispatch();
  }
  /** Busy slots of worker w. */
  busy(w: number): number {
    return this.free.used(w * this.concurrency, (w + 1) * this.concurrency);
  }
}

export function createExecutor(config: ResolvedAirflowConfig, host: ExecutorHost): Executor {
  const rng = host.sim.streams.get('airflow.executor.startup');
  switch (config.core.executor) {
    case 'CeleryExecutor':
      return new CeleryExecutor(
        host,
        config.celery.workers,
        config.celery.worker_concurrency,
        config.task_startup,
        rng,
        config,
      );
    case 'KubernetesExecutor':
      return new LaneExecutor(
        'KubernetesExecutor',
        config.core.parallelism,
        host,
        config.pod_startup,
        rng,
        'pod',
      );
    default:
      return new LaneExecutor(
        'LocalExecutor',
        config.core.parallelism,
        host,
        config.task_startup,
        rng,
        'process',
      );
  }
}
