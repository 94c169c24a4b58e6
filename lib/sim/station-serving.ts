import { ParameterError, requireInteger } from '../errors';
import type { Distribution } from '../random/distribution';
import type { Rng } from '../random/xoshiro128';
import { OBSERVATION_BUFFER } from './observations';
import type { Simulation } from './simulation';
import { StationStatistics } from './station-statistics';
import type { CrashMode, Discipline, ResolvedStationOptions } from './station-options';
import type { JobTarget } from './target';
import { WaitingQueue } from './waiting-queue';

/**
 * A station's service (the base of {@link Station}, which adds crash and recovery): admission
 * up to capacity K, c servers, the waiting queue of its discipline, one departure event per
 * service start (FIFO, LIFO, priority), and processor sharing.
 *
 * Under PS the station keeps one pending completion event, rescheduled at each arrival and
 * departure, and tracks attained service with a virtual clock V (dV/dt = min(1, c/n), the rate
 * every job is served at; Kleinrock, Queueing Systems II, 1976, section 4.4): each job finishes
 * when V reaches V_arrival + work, so the heap of finish tags gives the next completion.
 */
export class ServingStation extends StationStatistics implements JobTarget {
  readonly discipline: Discipline;
  to: JobTarget | null;
  dropTo: JobTarget | null;
  onArrival: ((job: number) => void) | null = null;
  onStart: ((job: number) => void) | null = null;
  onDeparture: ((job: number) => void) | null = null;
  onDrop: ((job: number) => void) | null = null;
  /** What a crash does to the jobs inside (see {@link StationOptions.onCrash}). */
  readonly onCrash: CrashMode;
  /** Where failed and refused jobs go (null: `dropTo`, else freed). */
  failTo: JobTarget | null;
  protected c: number;
  // servers that serve now: c while up, 0 while down
  protected cEff: number;
  // largest inSystem that still admits an arrival: capacity, or -1 while down and refusing
  protected admit: number;
  // keep mode: jobs put back in the queue by a crash, whose waiting time was already recorded
  protected restartJobs: number[] = [];
  protected nRestart = 0;
  private readonly rng: Rng;
  private readonly dist: Distribution | null;
  private readonly fn: ((job: number, rng: Rng) => number) | null;
  protected readonly departH: number;
  // waiting jobs: ring buffer (fifo), stack (lifo) or binary heap (priority, ps)
  protected readonly queue: WaitingQueue;
  // processor sharing
  private vTime = 0;
  private vLast = 0;
  protected psEvent = -1;

  constructor(sim: Simulation, o: ResolvedStationOptions) {
    super(sim, o.name, o.capacity, o.quantiles, o.queueHistogram);
    this.discipline = o.discipline;
    this.c = o.servers;
    // fn, then dist, on every path: fields are created in assignment order (useDefineForClassFields
    // is false), and one order keeps one hidden class for every instance
    this.fn = o.fn;
    this.dist = o.dist;
    this.to = o.to;
    this.dropTo = o.dropTo;
    this.onCrash = o.onCrash;
    this.failTo = o.failTo;
    this.cEff = this.c;
    this.admit = o.capacity;
    this.rng = o.stream;
    this.queue = new WaitingQueue(o.discipline, sim.jobs);
    this.departH =
      o.discipline === 'ps'
        ? sim.handler(() => this.psComplete(), `${this.name}.complete`)
        : sim.handler((job) => this.depart(job), `${this.name}.depart`);
    sim.onReset(() => this.restartStatistics());
  }

  /** Number of servers c. */
  get servers(): number {
    return this.c;
  }

  /** Jobs waiting (not in service). */
  get queueLength(): number {
    return this.discipline === 'ps' ? 0 : this.queue.length;
  }

  /** Expected service time E[S] when the service is a Distribution (NaN for a function). */
  get meanService(): number {
    return this.dist ? this.dist.mean : NaN;
  }

  accept(job: number): void {
    const sim = this.sim;
    this.arrivals++;
    if (this.inSystem >= this.admit) {
      if (this.admit < 0) {
        this.refuse(job);
        return;
      }
      this.drops++;
      if (this.onDrop !== null) this.onDrop(job);
      if (this.dropTo !== null) this.dropTo.accept(job);
      else sim.jobs.free(job);
      return;
    }
    sim.jobs.arrived[job] = sim.now;
    this.acc[4] += sim.now;
    this.integrate();
    if (++this.inSystem > this.maxL) this.maxL = this.inSystem;
    if (this.onArrival !== null) this.onArrival(job);
    if (this.discipline === 'ps') {
      this.psArrive(job);
      return;
    }
    if (this.busy < this.cEff) {
      this.busy++;
      this.start(job);
    } else {
      this.queue.push(job);
    }
  }

  /** An arrival while down (not 'keep'): counted in `refused`, sent to failTo, else dropTo, else freed. */
  private refuse(job: number): void {
    this.refused++;
    this.fail(job);
  }

  protected fail(job: number): void {
    if (this.failTo !== null) this.failTo.accept(job);
    else if (this.dropTo !== null) this.dropTo.accept(job);
    else this.sim.jobs.free(job);
  }

  /** True (once) if `job` is one a crash put back in the queue: its wait was already recorded. */
  private takeRestart(job: number): boolean {
    const r = this.restartJobs;
    const i = r.indexOf(job);
    if (i < 0) return false;
    r[i] = r[r.length - 1];
    r.pop();
    this.nRestart = r.length;
    return true;
  }

  /**
   * Changes the number of servers. More servers start waiting jobs at once; fewer let jobs in
   * service finish (no preemption) and start no new ones until busy < c.
   */
  setServers(c: number): void {
    requireInteger('servers', c, this.discipline === 'ps' ? 0 : 1, 1e9);
    if (this.discipline === 'ps') {
      this.psAdvance();
      this.integrate();
      this.c = c;
      this.cEff = this.alive ? c : 0;
      this.busy = Math.min(this.inSystem, this.cEff);
      this.psReschedule();
      return;
    }
    this.c = c;
    this.cEff = this.alive ? c : 0;
    this.startWaiting();
  }

  /** Starts waiting jobs while a server is free (after more servers or a recovery). */
  protected startWaiting(): void {
    while (this.busy < this.cEff && this.queue.length > 0) {
      this.integrate();
      this.busy++;
      this.start(this.queue.pop());
    }
  }

  // ---- FIFO / LIFO / priority ---------------------------------------------------------------------

  private serviceTime(job: number): number {
    const s =
      this.dist !== null
        ? this.dist.sample(this.rng)
        : (this.fn as (job: number, rng: Rng) => number)(job, this.rng);
    if (!(s >= 0 && s !== Infinity)) this.badServiceTime(s);
    return s;
  }

  private badServiceTime(s: number): never {
    throw new ParameterError(`${this.name}.service time`, s, 'must be a finite number >= 0');
  }

  protected start(job: number): void {
    const sim = this.sim;
    const jobs = sim.jobs;
    jobs.serviceStart[job] = sim.now;
    if (this.nRestart === 0 || !this.takeRestart(job)) {
      const w = this.wait;
      w.values[w.n++] = sim.now - jobs.arrived[job];
      if (w.n === OBSERVATION_BUFFER) w.flush();
    }
    if (this.onStart !== null) this.onStart(job);
    if (this.dist !== null) {
      sim.scheduleSample(this.dist, this.rng, this.departH, job);
      return;
    }
    const st = (this.fn as (job: number, rng: Rng) => number)(job, this.rng);
    if (!(st >= 0 && st !== Infinity)) this.badServiceTime(st);
    sim.delay = st;
    sim.scheduleDelay(this.departH, job);
  }

  private depart(job: number): void {
    this.recordDeparture(job);
    if (this.queue.length > 0 && this.busy <= this.cEff) this.start(this.queue.pop());
    else this.busy--;
    this.forward(job);
  }

  /** A job leaves: its response time, the departure count, L's integral and the age sum. */
  private recordDeparture(job: number): void {
    const sim = this.sim;
    const a = sim.jobs.arrived[job];
    const r = sim.now - a;
    this.acc[4] -= a;
    this.departures++;
    const o = this.resp;
    o.values[o.n++] = r;
    if (o.n === OBSERVATION_BUFFER) o.flush();
    this.integrate();
    if (--this.inSystem === 0) this.acc[4] = 0;
  }

  /** Hands a departed job on (the hook, then `to`), or frees it. */
  private forward(job: number): void {
    if (this.onDeparture !== null) this.onDeparture(job);
    if (this.to !== null) this.to.accept(job);
    else this.sim.jobs.free(job);
  }

  // ---- processor sharing --------------------------------------------------------------------------

  private psRate(): number {
    const n = this.inSystem;
    const c = this.cEff;
    return n <= c ? 1 : c / n;
  }

  protected psAdvance(): void {
    const now = this.sim.now;
    if (this.inSystem > 0) this.vTime += (now - this.vLast) * this.psRate();
    this.vLast = now;
  }

  protected psReschedule(): void {
    const sim = this.sim;
    if (this.queue.length === 0 || this.cEff === 0) {
      if (this.psEvent >= 0) sim.cancel(this.psEvent);
      this.psEvent = -1;
      return;
    }
    const dt = Math.max(0, (this.queue.minKey - this.vTime) / this.psRate());
    if (this.psEvent >= 0 && sim.isPending(this.psEvent))
      sim.reschedule(this.psEvent, sim.now + dt);
    else this.psEvent = sim.schedule(dt, this.departH, 0);
  }

  private psArrive(job: number): void {
    // inSystem was already incremented: advance with the old rate
    this.inSystem--;
    this.psAdvance();
    this.inSystem++;
    this.sim.jobs.serviceStart[job] = this.sim.now;
    this.wait.add(0);
    if (this.onStart !== null) this.onStart(job);
    this.queue.heapPush(job, this.vTime + this.serviceTime(job));
    this.busy = Math.min(this.inSystem, this.cEff);
    this.psReschedule();
  }

  private psComplete(): void {
    this.psEvent = -1;
    this.psAdvance();
    const job = this.queue.heapPop();
    this.recordDeparture(job);
    this.busy = Math.min(this.inSystem, this.cEff);
    this.psReschedule();
    this.forward(job);
  }
}
