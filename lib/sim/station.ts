import { ParameterError, requireInteger } from '../errors';
import type { Distribution } from '../random/distribution';
import type { Rng } from '../random/xoshiro128';
import { OBSERVATION_BUFFER, Observations } from './observations';
import type { QuantileSketch } from './quantile-sketch';
import type { Simulation } from './simulation';
import { Tally } from './tally';
import type { JobTarget } from './target';
import { requireDelayDistribution } from './delays';
import { growthTest } from './overload';
import { LevelHistogram } from './level-histogram';
import type {
  CrashMode,
  Discipline,
  LevelStats,
  StationOptions,
  StationSummary,
} from './station-options';

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
 */
export class Station implements JobTarget {
  readonly name: string;
  readonly discipline: Discipline;
  readonly capacity: number;
  to: JobTarget | null;
  dropTo: JobTarget | null;
  /** Jobs in the station now (waiting + in service). */
  inSystem = 0;
  /** Jobs in the station at the start of the observation (construction or the last reset). */
  inSystemAtStart = 0;
  /** Busy servers now. */
  busy = 0;
  arrivals = 0;
  departures = 0;
  drops = 0;
  /** Jobs freed by crashes with `onCrash: 'lose'` since start or reset. */
  lost = 0;
  /** Jobs handed to `failTo` by crashes with `onCrash: 'fail'` since start or reset. */
  failed = 0;
  /** Arrivals refused while down since start or reset (also counted in `arrivals`, not in `drops`). */
  refused = 0;
  // time-weighted number in station and busy servers, integrated at each change. Doubles that
  // change per event live in a typed array: V8 stores them in place there, never boxing them.
  // [0] last change, [1] start of observation, [2] area of L, [3] area of busy, [4] sum of
  // arrival times of jobs present (for their ages at the end), [5] down time observed before the
  // current down period, [6] start of the current down period (or of observation, if later)
  private readonly acc = new Float64Array(7);
  private maxL = 0;
  private readonly resp: Observations;
  private readonly wait = new Observations(false);
  onArrival: ((job: number) => void) | null = null;
  onStart: ((job: number) => void) | null = null;
  onDeparture: ((job: number) => void) | null = null;
  onDrop: ((job: number) => void) | null = null;

  private c: number;
  // servers that serve now: c while up, 0 while down
  private cEff: number;
  // largest inSystem that still admits an arrival: capacity, or -1 while down and refusing
  private admit: number;
  private alive = true;
  // keep mode: jobs put back in the queue by a crash, whose waiting time was already recorded
  private restartJobs: number[] = [];
  private nRestart = 0;
  // time-weighted histogram of inSystem (null when off)
  private hist: LevelHistogram | null;
  private histBins: number;
  /** What a crash does to the jobs inside (see {@link StationOptions.onCrash}). */
  readonly onCrash: CrashMode;
  /** Where failed and refused jobs go (null: `dropTo`, else freed). */
  failTo: JobTarget | null;
  private readonly sim: Simulation;
  private readonly rng: Rng;
  private readonly dist: Distribution | null;
  private readonly fn: ((job: number, rng: Rng) => number) | null;
  private readonly departH: number;
  // waiting jobs: ring buffer (fifo), stack (lifo) or binary heap (priority, ps)
  private q: Int32Array;
  private qKey: Float64Array; // priority heap: seq; ps heap: finish tag
  private qHead = 0;
  private qLen = 0;
  private seq = 0;
  // priority heap keys of jobs a crash put back at the head (below every seq)
  private headSeq = -1;
  // processor sharing
  private vTime = 0;
  private vLast = 0;
  private psEvent = -1;

  constructor(sim: Simulation, options: StationOptions) {
    if (options == null || typeof options.name !== 'string' || !options.name)
      throw new ParameterError('name', options?.name, 'must be a non-empty string');
    this.sim = sim;
    this.name = options.name;
    this.c = requireInteger('servers', options.servers ?? 1, 1, 1e9);
    const d = options.discipline ?? 'fifo';
    if (d !== 'fifo' && d !== 'lifo' && d !== 'priority' && d !== 'ps') {
      throw new ParameterError('discipline', d, "must be 'fifo', 'lifo', 'priority' or 'ps'");
    }
    this.discipline = d;
    const k = options.capacity ?? Infinity;
    if (k !== Infinity) requireInteger('capacity', k, 1);
    if (k < this.c && d !== 'ps')
      throw new ParameterError('capacity', k, `must be >= servers (${this.c})`);
    this.capacity = k;
    const s = options.service;
    // fn, then dist, in both branches: fields are created in assignment order (useDefineForClassFields
    // is false), and one order keeps one hidden class for every instance
    if (typeof s === 'function') {
      this.fn = s;
      this.dist = null;
    } else if (s != null && typeof s.sample === 'function') {
      this.fn = null;
      this.dist = requireDelayDistribution(`${options.name}.service`, s, { positive: false });
    } else {
      throw new ParameterError(
        'service',
        s,
        'must be a Distribution or a function (job, rng) => number',
      );
    }
    this.to = options.to ?? null;
    this.dropTo = options.dropTo ?? null;
    const mode = options.onCrash ?? 'lose';
    if (mode !== 'lose' && mode !== 'fail' && mode !== 'keep')
      throw new ParameterError('onCrash', mode, "must be 'lose', 'fail' or 'keep'");
    this.onCrash = mode;
    this.failTo = options.failTo ?? null;
    const bins = requireInteger('queueHistogram', options.queueHistogram ?? 0, 0, 1e7);
    this.histBins = bins;
    this.hist = bins > 0 ? new LevelHistogram(bins) : null;
    this.cEff = this.c;
    this.admit = k;
    this.rng = options.stream ?? sim.streams.get(`${options.name}.service`);
    this.resp = new Observations(options.quantiles !== false);
    this.acc[0] = sim.now;
    this.acc[1] = sim.now;
    this.q = new Int32Array(16);
    this.qKey = new Float64Array(d === 'priority' || d === 'ps' ? 16 : 0);
    this.departH =
      d === 'ps'
        ? sim.handler(() => this.psComplete(), `${this.name}.complete`)
        : sim.handler((job) => this.depart(job), `${this.name}.depart`);
    sim.onReset(() => {
      this.integrate();
      this.acc[1] = this.sim.now;
      this.acc[2] = 0;
      this.acc[3] = 0;
      this.maxL = this.inSystem;
      this.inSystemAtStart = this.inSystem;
      this.arrivals = 0;
      this.departures = 0;
      this.drops = 0;
      this.lost = 0;
      this.failed = 0;
      this.refused = 0;
      this.acc[5] = 0;
      this.acc[6] = this.sim.now;
      if (this.hist !== null) this.hist.reset();
      this.resp.reset();
      this.wait.reset();
    });
  }

  /** Welford tally of response (sojourn) times of departed jobs. */
  get responseTime(): Tally {
    return this.resp.tallied();
  }

  /** Welford tally of waiting times (arrival to service start; 0 under PS). */
  get waitingTime(): Tally {
    return this.wait.tallied();
  }

  /** 1 % quantile sketch of response times (null if `quantiles: false`). */
  get responseQuantiles(): QuantileSketch | null {
    return this.resp.sketched();
  }

  /** Time-weighted number of jobs in the station (waiting + in service) since start or reset. */
  get numberInSystem(): LevelStats {
    return this.level(this.acc[2], this.inSystem, this.maxL);
  }

  /** Time-weighted number of busy servers since start or reset (utilisation = mean / c). */
  get busyServers(): LevelStats {
    return this.level(this.acc[3], this.busy, NaN);
  }

  private level(area: number, value: number, max: number): LevelStats {
    const now = this.sim.now;
    const elapsed = now - this.acc[1];
    const integral = area + value * (now - this.acc[0]);
    return { value, max, elapsed, integral, mean: elapsed > 0 ? integral / elapsed : NaN };
  }

  /** Accumulates the areas (and the histogram) up to now; called before every change of inSystem or busy. */
  private integrate(): void {
    const acc = this.acc;
    const now = this.sim.now;
    const dt = now - acc[0];
    const n = this.inSystem;
    acc[2] += n * dt;
    acc[3] += this.busy * dt;
    acc[0] = now;
    if (this.hist !== null) this.hist.add(n, dt);
  }

  /** True while the station is up (after construction and {@link recover}; false after {@link crash}). */
  get up(): boolean {
    return this.alive;
  }

  /** Fraction of the time since start or reset that the station was up (NaN before any time passed). */
  get availability(): number {
    const now = this.sim.now;
    const elapsed = now - this.acc[1];
    if (!(elapsed > 0)) return NaN;
    const down = this.acc[5] + (this.alive ? 0 : now - this.acc[6]);
    return 1 - down / elapsed;
  }

  /**
   * Time-weighted distribution of the number in station since start or reset (needs
   * `queueHistogram: B`): element i < B is the fraction of time with exactly i jobs inside,
   * element B the fraction with >= B; they sum to 1 (NaN before any time passed).
   */
  queueLengthDistribution(): Float64Array {
    const now = this.sim.now;
    return this.requireHistogram().distribution(
      now - this.acc[1],
      this.inSystem,
      now - this.acc[0],
    );
  }

  /** P(N >= i): time fraction with at least i jobs inside, i an integer in [0, B] (needs `queueHistogram: B`). */
  probabilityAtLeast(i: number): number {
    requireInteger('i', i, 0, this.requireHistogram().bins);
    const d = this.queueLengthDistribution();
    let p = 0;
    for (let j = d.length - 1; j >= i; j--) p += d[j];
    return p;
  }

  private requireHistogram(): LevelHistogram {
    if (this.hist === null)
      throw new ParameterError(
        'queueHistogram',
        this.histBins,
        `must be >= 1 (bins) on station ${this.name} to read its queue-length distribution`,
      );
    return this.hist;
  }

  /** Number of servers c. */
  get servers(): number {
    return this.c;
  }

  /** Jobs waiting (not in service). */
  get queueLength(): number {
    return this.discipline === 'ps' ? 0 : this.qLen;
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
      this.enqueue(job);
    }
  }

  /** An arrival while down (not 'keep'): counted in `refused`, sent to failTo, else dropTo, else freed. */
  private refuse(job: number): void {
    this.refused++;
    this.fail(job);
  }

  private fail(job: number): void {
    if (this.failTo !== null) this.failTo.accept(job);
    else if (this.dropTo !== null) this.dropTo.accept(job);
    else this.sim.jobs.free(job);
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
    if (this.onCrash === 'keep') {
      if (ps) {
        if (this.psEvent >= 0) sim.cancel(this.psEvent);
        this.psEvent = -1;
      } else {
        const inService = sim.cancelHandler(this.departH);
        for (let i = inService.length - 1; i >= 0; i--) this.pushFront(inService[i]);
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
      while (this.qLen > 0) out.push(this.heapPop());
    } else {
      out = sim.cancelHandler(this.departH);
      while (this.qLen > 0) out.push(this.dequeue());
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
    while (this.busy < this.cEff && this.qLen > 0) {
      this.integrate();
      this.busy++;
      this.start(this.dequeue());
    }
  }

  /** Puts a job at the head of the queue (the next to start); a priority job first in its class. */
  private pushFront(job: number): void {
    if (this.qLen === this.q.length) this.growQueue();
    if (this.discipline === 'fifo') {
      this.qHead = (this.qHead - 1) & (this.q.length - 1);
      this.q[this.qHead] = job;
      this.qLen++;
    } else if (this.discipline === 'lifo') {
      this.q[this.qLen++] = job;
    } else {
      this.heapPush(job, this.headSeq--);
    }
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
    while (this.busy < this.cEff && this.qLen > 0) {
      this.integrate();
      this.busy++;
      this.start(this.dequeue());
    }
  }

  /**
   * The station's own overload verdict since start or reset, without the caller passing the load:
   * an unbounded station whose number inside grew by more than a stable queue shows (the growth
   * test of `overload.ts` on n_now - n_start, the accepted arrivals and the departures). O(1): the
   * summary's `overloaded` reads it (with `unstable`), and so does `common.overloadOf`.
   */
  get overloaded(): boolean {
    return (
      this.capacity === Infinity &&
      growthTest(
        this.inSystem - this.inSystemAtStart,
        this.arrivals - this.drops - this.refused,
        this.departures,
      )
    );
  }

  /** Results so far; pass `offeredLoad` (lambda E[S]/c) to flag an unstable open station. */
  summary(options: { offeredLoad?: number } = {}): StationSummary {
    const sim = this.sim;
    const elapsed = this.numberInSystem.elapsed;
    const offered = options.offeredLoad ?? NaN;
    const unstable = offered >= 1 && this.capacity === Infinity;
    const ageSum = this.inSystem * sim.now - this.acc[4];
    const n = this.inSystem;
    const nan = unstable;
    const W = this.responseTime.meanOrNaN;
    const lambdaAccepted =
      elapsed > 0 ? (this.arrivals - this.drops - this.refused) / elapsed : NaN;
    const q = (p: number) => this.resp.quantile(p);
    const L = this.numberInSystem.mean;
    const B = this.busyServers.mean;
    return {
      name: this.name,
      servers: this.c,
      elapsed,
      arrivals: this.arrivals,
      departures: this.departures,
      drops: this.drops,
      blockingProbability: this.arrivals > 0 ? this.drops / this.arrivals : NaN,
      inSystemAtEnd: this.inSystem,
      meanAgeAtEnd: n > 0 ? ageSum / n : NaN,
      throughput: elapsed > 0 ? this.departures / elapsed : NaN,
      utilisation: nan ? NaN : B / this.c,
      meanInSystem: nan ? NaN : L,
      meanInQueue: nan ? NaN : L - B,
      meanResponse: nan ? NaN : W,
      meanWait: nan ? NaN : this.waitingTime.meanOrNaN,
      responseStdDev: nan ? NaN : this.responseTime.stdDev,
      p50: nan ? NaN : q(0.5),
      p95: nan ? NaN : q(0.95),
      p99: nan ? NaN : q(0.99),
      p999: nan ? NaN : q(0.999),
      littleL: nan ? NaN : lambdaAccepted * W,
      offeredLoad: offered,
      unstable,
      overloaded: unstable || this.overloaded,
      growthRate: elapsed > 0 ? (n - this.inSystemAtStart) / elapsed : NaN,
      lost: this.lost,
      failed: this.failed,
      refused: this.refused,
      up: this.alive,
      availability: this.availability,
    };
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

  private start(job: number): void {
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
    if (this.qLen > 0 && this.busy <= this.cEff) this.start(this.dequeue());
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

  private enqueue(job: number): void {
    if (this.qLen === this.q.length) this.growQueue();
    if (this.discipline === 'fifo') {
      this.q[(this.qHead + this.qLen) & (this.q.length - 1)] = job;
      this.qLen++;
    } else if (this.discipline === 'lifo') {
      this.q[this.qLen++] = job;
    } else {
      // priority heap keyed by (priority, seq)
      this.heapPush(job, this.seq++);
    }
  }

  private dequeue(): number {
    if (this.discipline === 'fifo') {
      const job = this.q[this.qHead];
      this.qHead = (this.qHead + 1) & (this.q.length - 1);
      this.qLen--;
      return job;
    }
    if (this.discipline === 'lifo') return this.q[--this.qLen];
    return this.heapPop();
  }

  private growQueue(): void {
    const n = this.q.length;
    const q = new Int32Array(n * 2);
    if (this.discipline === 'fifo') {
      for (let i = 0; i < this.qLen; i++) q[i] = this.q[(this.qHead + i) & (n - 1)];
      this.qHead = 0;
    } else {
      q.set(this.q);
      const k = new Float64Array(n * 2);
      k.set(this.qKey);
      this.qKey = k;
    }
    this.q = q;
  }

  /** Heap order: priority stations compare (jobs.priority, seq); PS compares the finish tag. */
  private before(a: number, ka: number, b: number, kb: number): boolean {
    if (this.discipline === 'priority') {
      const pr = this.sim.jobs.priority;
      const pa = pr[a];
      const pb = pr[b];
      return pa < pb || (pa === pb && ka < kb);
    }
    return ka < kb || (ka === kb && a < b);
  }

  private heapPush(job: number, key: number): void {
    if (this.qLen === this.q.length) this.growQueue();
    let i = this.qLen++;
    const q = this.q;
    const k = this.qKey;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(job, key, q[p], k[p])) break;
      q[i] = q[p];
      k[i] = k[p];
      i = p;
    }
    q[i] = job;
    k[i] = key;
  }

  private heapPop(): number {
    const q = this.q;
    const k = this.qKey;
    const top = q[0];
    const n = --this.qLen;
    if (n > 0) {
      const job = q[n];
      const key = k[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && this.before(q[c + 1], k[c + 1], q[c], k[c])) c++;
        if (!this.before(q[c], k[c], job, key)) break;
        q[i] = q[c];
        k[i] = k[c];
        i = c;
      }
      q[i] = job;
      k[i] = key;
    }
    return top;
  }

  // ---- processor sharing --------------------------------------------------------------------------

  private psRate(): number {
    const n = this.inSystem;
    const c = this.cEff;
    return n <= c ? 1 : c / n;
  }

  private psAdvance(): void {
    const now = this.sim.now;
    if (this.inSystem > 0) this.vTime += (now - this.vLast) * this.psRate();
    this.vLast = now;
  }

  private psReschedule(): void {
    const sim = this.sim;
    if (this.qLen === 0 || this.cEff === 0) {
      if (this.psEvent >= 0) sim.cancel(this.psEvent);
      this.psEvent = -1;
      return;
    }
    const dt = Math.max(0, (this.qKey[0] - this.vTime) / this.psRate());
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
    this.heapPush(job, this.vTime + this.serviceTime(job));
    this.busy = Math.min(this.inSystem, this.cEff);
    this.psReschedule();
  }

  private psComplete(): void {
    this.psEvent = -1;
    this.psAdvance();
    const job = this.heapPop();
    this.recordDeparture(job);
    this.busy = Math.min(this.inSystem, this.cEff);
    this.psReschedule();
    this.forward(job);
  }
}
