import { ParameterError, requireInteger } from '../../errors';
import type { Simulation } from '../../sim/simulation';
import { Tally } from '../../sim/tally';
import { TimeWeighted } from '../../sim/time-weighted';

/** Longest queue the time-weighted queue-length histogram resolves; longer counts in its last bin. */
export const QUEUE_HISTOGRAM_BINS = 64;

export interface ServerOptions {
  /** Names the server's handlers in traces. */
  name: string;
  /** Concurrent workers c (HAProxy/NGINX worker slots, application threads). Default 1. */
  workers?: number;
  /** Most requests in the server at once, waiting plus in service (HAProxy `maxconn` on a frontend); beyond it a request is refused. Default Infinity. */
  capacity?: number;
  /** Service time of a request (e.g. its work divided by the server's speed). */
  serviceTime: (job: number) => number;
  /** A request finished service. */
  done: (job: number) => void;
  /** A request was refused (server full) or lost in a crash. */
  failed: (job: number, reason: 'refused' | 'crash') => void;
}

/**
 * A server that can crash: c workers in front of a FIFO queue, with an optional capacity.
 *
 * This is the kernel's {@link Station} discipline (FIFO, c servers, capacity K) plus what a
 * failure needs and a Station does not offer: `crash()` loses every request inside (waiting or in
 * service: their connections are reset) and cancels their completion events, and the server
 * refuses work until `recover()`. Balancer nodes and backends are both Servers.
 *
 * Each busy worker holds one pending completion event whose argument is the worker's slot, so a
 * crash cancels exactly the events it must. Streaming statistics: response-time tally, time-
 * weighted number in system and busy workers, and the time-weighted histogram of the number in
 * system (P(N >= i), for queue-length tails).
 */
export class Server {
  readonly name: string;
  readonly workers: number;
  readonly capacity: number;
  /** True while up. */
  alive = true;
  /** Requests inside now (waiting plus in service). */
  inSystem = 0;
  busy = 0;
  arrivals = 0;
  completions = 0;
  refused = 0;
  lost = 0;
  readonly numberInSystem: TimeWeighted;
  readonly busyWorkers: TimeWeighted;
  readonly responseTime = new Tally();
  private readonly sim: Simulation;
  private readonly opts: ServerOptions;
  private readonly completeH: number;
  private readonly slotJob: Int32Array;
  private readonly slotEvent: Int32Array;
  private readonly slotArrived: Float64Array;
  private freeSlots: number[];
  private q: Int32Array = new Int32Array(16);
  private qArrived: Float64Array = new Float64Array(16);
  private qHead = 0;
  private qLen = 0;
  private readonly hist = new Float64Array(QUEUE_HISTOGRAM_BINS + 1);
  private histLast: number;
  private histStart: number;

  constructor(sim: Simulation, options: ServerOptions) {
    if (options == null || typeof options.name !== 'string' || !options.name) throw new ParameterError('name', options?.name, 'must be a non-empty string');
    this.sim = sim;
    this.opts = options;
    this.name = options.name;
    this.workers = requireInteger(`${options.name}.workers`, options.workers ?? 1, 1, 100000);
    const k = options.capacity ?? Infinity;
    if (k !== Infinity) requireInteger(`${options.name}.capacity`, k, this.workers);
    this.capacity = k;
    this.slotJob = new Int32Array(this.workers).fill(-1);
    this.slotEvent = new Int32Array(this.workers).fill(-1);
    this.slotArrived = new Float64Array(this.workers);
    this.freeSlots = [];
    for (let i = this.workers - 1; i >= 0; i--) this.freeSlots.push(i);
    this.numberInSystem = new TimeWeighted(sim, 0);
    this.busyWorkers = new TimeWeighted(sim, 0);
    this.histLast = sim.now;
    this.histStart = sim.now;
    this.completeH = sim.handler((slot) => this.complete(slot), `${this.name}.complete`);
    sim.onReset(() => {
      this.arrivals = 0;
      this.completions = 0;
      this.refused = 0;
      this.lost = 0;
      this.responseTime.reset();
      this.hist.fill(0);
      this.histLast = sim.now;
      this.histStart = sim.now;
    });
  }

  /** Takes a request; false (and `failed(job, 'refused')` already called) when full or down. */
  accept(job: number): boolean {
    this.arrivals++;
    if (!this.alive || this.inSystem >= this.capacity) {
      this.refused++;
      this.opts.failed(job, 'refused');
      return false;
    }
    this.setN(this.inSystem + 1);
    if (this.freeSlots.length > 0) this.start(job, this.sim.now);
    else this.enqueue(job);
    return true;
  }

  /** Crash: every request inside is lost (`failed(job, 'crash')`, in arrival order of service then queue); refuses work until {@link recover}. */
  crash(): void {
    if (!this.alive) return;
    this.alive = false;
    const lostJobs: number[] = [];
    for (let s = 0; s < this.workers; s++) {
      if (this.slotJob[s] >= 0) {
        this.sim.cancel(this.slotEvent[s]);
        lostJobs.push(this.slotJob[s]);
        this.slotJob[s] = -1;
        this.slotEvent[s] = -1;
        this.freeSlots.push(s);
      }
    }
    while (this.qLen > 0) lostJobs.push(this.dequeue().job);
    this.busyWorkers.set((this.busy = 0));
    this.setN(0);
    this.lost += lostJobs.length;
    for (const job of lostJobs) this.opts.failed(job, 'crash');
  }

  /** Back up, empty. */
  recover(): void {
    this.alive = true;
  }

  /** Time-average fraction of time with at least i requests inside, i = 0..bins. */
  tailFractions(): number[] {
    this.flushHist();
    const T = this.sim.now - this.histStart;
    const out: number[] = new Array(QUEUE_HISTOGRAM_BINS + 1).fill(NaN);
    if (!(T > 0)) return out;
    let acc = 0;
    for (let i = QUEUE_HISTOGRAM_BINS; i >= 0; i--) {
      acc += this.hist[i];
      out[i] = acc / T;
    }
    return out;
  }

  private setN(n: number): void {
    this.flushHist();
    this.inSystem = n;
    this.numberInSystem.set(n);
  }

  private flushHist(): void {
    const now = this.sim.now;
    this.hist[this.inSystem < QUEUE_HISTOGRAM_BINS ? this.inSystem : QUEUE_HISTOGRAM_BINS] += now - this.histLast;
    this.histLast = now;
  }

  private start(job: number, arrived: number): void {
    const slot = this.freeSlots.pop() as number;
    const s = this.opts.serviceTime(job);
    if (!(s >= 0) || s === Infinity) throw new ParameterError(`${this.name}.service time`, s, 'must be a finite number >= 0');
    this.slotJob[slot] = job;
    this.slotArrived[slot] = arrived;
    this.slotEvent[slot] = this.sim.schedule(s, this.completeH, slot);
    this.busyWorkers.set(++this.busy);
  }

  private complete(slot: number): void {
    const job = this.slotJob[slot];
    this.responseTime.add(this.sim.now - this.slotArrived[slot]);
    this.slotJob[slot] = -1;
    this.slotEvent[slot] = -1;
    this.freeSlots.push(slot);
    this.busyWorkers.set(--this.busy);
    this.completions++;
    this.setN(this.inSystem - 1);
    if (this.qLen > 0) {
      const next = this.dequeue();
      this.start(next.job, next.arrived);
    }
    this.opts.done(job);
  }

  private enqueue(job: number): void {
    if (this.qLen === this.q.length) {
      const n = this.q.length;
      const q = new Int32Array(n * 2);
      const a = new Float64Array(n * 2);
      for (let i = 0; i < this.qLen; i++) {
        q[i] = this.q[(this.qHead + i) & (n - 1)];
        a[i] = this.qArrived[(this.qHead + i) & (n - 1)];
      }
      this.q = q;
      this.qArrived = a;
      this.qHead = 0;
    }
    const i = (this.qHead + this.qLen) & (this.q.length - 1);
    this.q[i] = job;
    this.qArrived[i] = this.sim.now;
    this.qLen++;
  }

  private readonly head = { job: 0, arrived: 0 };

  private dequeue(): { job: number; arrived: number } {
    const h = this.head;
    h.job = this.q[this.qHead];
    h.arrived = this.qArrived[this.qHead];
    this.qHead = (this.qHead + 1) & (this.q.length - 1);
    this.qLen--;
    return h;
  }
}
