import { ServingStation } from './station-serving';
import type { Simulation } from './simulation';
import { resolveStationOptions } from './station-options';
import type { StationOptions, StationSummary } from './station-options';
import { stationSummary } from './station-summary';

export type {
  CrashMode,
  Discipline,
  LevelStats,
  ServiceSpec,
  StationOptions,
  StationSummary,
} from './station-options';

/**
 * A station of c identical servers with a queue (FIFO, LIFO, priority or processor sharing) and
 * an optional capacity K (drops beyond it). Jobs arrive by `accept(job)` and leave to `to`.
 *
 * Statistics, all streaming: arrivals, departures, drops; time-weighted number in station and
 * busy servers (so utilisation, L, Lq); Welford tallies of response and waiting time; a 1 %
 * quantile sketch of response times. `resetStatistics()` on the simulation restarts them.
 *
 * Hooks `onArrival`, `onStart`, `onDeparture`, `onDrop` (null by default, so free when unused) let a
 * subsystem observe or tag jobs; `setServers(c)` changes capacity mid-run (failures, autoscaling).
 *
 * Failures: `crash()` stops all service and cancels the station's pending departures; what
 * happens to the jobs inside is `onCrash` ('lose', 'fail' or 'keep'); while down, arrivals are
 * refused (to `failTo`) unless `onCrash` is 'keep'; `recover()` resumes service. Counters `lost`,
 * `failed`, `refused` and the availability (time-weighted fraction up) are in the summary.
 * Optionally (`queueHistogram: B`) a time-weighted histogram of the number in station.
 *
 * Each service start (FIFO/LIFO/priority) schedules one departure event; PS keeps one pending
 * completion event, rescheduled at each arrival and departure, and tracks attained service with a
 * virtual clock V (dV/dt = min(1, c/n)), each job finishing when V reaches V_arrival + work.
 * While down the station serves with 0 servers (so PS's V stands still).
 *
 * The parts, one file each: the options and their checks (station-options.ts), the statistics
 * (station-statistics.ts), the service and disciplines (station-serving.ts, with the queue of
 * waiting-queue.ts), the summary (station-summary.ts); crash and recovery are here.
 */
export class Station extends ServingStation {
  constructor(sim: Simulation, options: StationOptions) {
    super(sim, resolveStationOptions(sim, options));
  }

  /**
   * The station goes down: no service progresses and its pending departure events are cancelled.
   * With `onCrash` 'lose' every job inside (waiting and in service) is freed and counted in
   * `lost`; with 'fail' each is handed to `failTo` (else `dropTo`, else freed) and counted in
   * `failed` (jobs in service first, in the order they started, then the queue in service order);
   * with 'keep' they stay: jobs in service go back to the head of the queue in the order they
   * started (their service restarts from scratch with a fresh sample at recovery), and under PS
   * every job keeps its remaining work. Until {@link recover}, arrivals are refused (`refused`,
   * to `failTo`) unless `onCrash` is 'keep', in which case they queue up to capacity. A no-op
   * while already down.
   */
  crash(): void {
    if (!this.alive) return;
    const sim = this.sim;
    const ps = this.discipline === 'ps';
    if (ps) this.psAdvance();
    this.integrate();
    this.alive = false;
    this.acc[6] = sim.now;
    this.cEff = 0;
    const queue = this.queue;
    if (this.onCrash === 'keep') {
      if (ps) {
        if (this.psEvent >= 0) sim.cancel(this.psEvent);
        this.psEvent = -1;
      } else {
        const inService = sim.cancelHandler(this.departH);
        for (let i = inService.length - 1; i >= 0; i--) queue.pushFront(inService[i]);
        for (let i = 0; i < inService.length; i++) this.restartJobs.push(inService[i]);
        this.nRestart = this.restartJobs.length;
      }
      this.busy = 0;
      return;
    }
    this.admit = -1;
    let out: number[];
    if (ps) {
      if (this.psEvent >= 0) sim.cancel(this.psEvent);
      this.psEvent = -1;
      out = [];
      while (queue.length > 0) out.push(queue.heapPop());
    } else {
      out = sim.cancelHandler(this.departH);
      while (queue.length > 0) out.push(queue.pop());
    }
    this.busy = 0;
    this.inSystem = 0;
    this.acc[4] = 0;
    if (this.onCrash === 'lose') {
      this.lost += out.length;
      for (let i = 0; i < out.length; i++) sim.jobs.free(out[i]);
    } else {
      this.failed += out.length;
      for (let i = 0; i < out.length; i++) this.fail(out[i]);
    }
  }

  /**
   * The station comes back up with its c servers: waiting jobs start service (with 'keep', those
   * a crash interrupted first, with fresh service samples; under PS every job resumes its
   * remaining work) and arrivals are admitted again. A no-op while up.
   */
  recover(): void {
    if (this.alive) return;
    const now = this.sim.now;
    this.acc[5] += now - this.acc[6];
    if (this.discipline === 'ps') {
      this.psAdvance(); // V stood still while down (0 servers)
      this.integrate();
      this.alive = true;
      this.admit = this.capacity;
      this.cEff = this.c;
      this.busy = Math.min(this.inSystem, this.c);
      this.psReschedule();
      return;
    }
    this.alive = true;
    this.admit = this.capacity;
    this.cEff = this.c;
    this.startWaiting();
  }

  /** Results so far; pass `offeredLoad` (lambda E[S]/c) to flag an unstable open station. */
  summary(options: { offeredLoad?: number } = {}): StationSummary {
    return stationSummary(this, options);
  }
}
