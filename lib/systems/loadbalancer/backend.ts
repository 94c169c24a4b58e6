/**
 * A backend server: the kernel's Station (c workers, FIFO, or processor sharing with `discipline:
 * 'ps'`: a web server's threads sharing its CPUs) whose service time is the request's work divided
 * by the server's speed, crashing and recovering through the shared failure process
 * (scheduled `failures`, or exponential `mttf`/`mttr`, on its own substream
 * `<pool>.<backend>.failures`). While down the Station holds nothing: the requests inside at the
 * failure are handed back to the balancer (`onCrash: 'fail'`) and so is every connection tried
 * until it recovers; what the balancer sees depends on `failure_mode` (dispatch.ts): with
 * `'crash'` (the process died, the host answers RST) the requests inside fail and connections are
 * refused at once; with `'blackhole'` (the host is dead or cut off, nothing answers) the requests
 * inside fail after `timeout_server` and connections after `timeout_connect`. A failed connection
 * may be retried at L7; a request lost mid-service is not.
 */
import { Station } from '../../sim/station';
import type { Simulation } from '../../sim/simulation';
import type { JobTarget } from '../../sim/target';
import { FailureProcess } from '../common/failures';
import type { Failable } from '../common/failures';
import type { FailureMode, ResolvedBackend } from './config';

/** Longest queue the first pool's queue-length histogram resolves (`queueTail` has i = 0..64, the last for >= 64). */
export const QUEUE_HISTOGRAM_BINS = 64;

/** Where a backend's requests go: answered ones to `done`, failed ones to `failed(job, crash)`. */
export interface BackendLinks {
  done: JobTarget;
  failed(job: number, crash: boolean): void;
}

export class Backend implements Failable {
  readonly name: string;
  /** Global index over all pools' backends. */
  readonly index: number;
  readonly station: Station;
  readonly failures: FailureProcess;
  /** What the balancer sees of a failure: timeouts (`blackhole`) or resets (`crash`). */
  readonly failureMode: FailureMode;
  /** When the current outage began (NaN while up, or once the balancer has noticed it). */
  crashAt = NaN;
  private crashing = false;
  private readonly sim: Simulation;

  constructor(
    sim: Simulation,
    pool: string,
    cfg: ResolvedBackend,
    index: number,
    links: BackendLinks,
    histogram: boolean,
  ) {
    this.sim = sim;
    this.name = cfg.name;
    this.index = index;
    this.failureMode = cfg.failure_mode;
    const speed = cfg.speed;
    this.station = new Station(sim, {
      name: `${pool}.${cfg.name}`,
      servers: cfg.workers,
      discipline: cfg.discipline,
      service: (job) => sim.jobs.size[job] / speed,
      to: links.done,
      onCrash: 'fail',
      failTo: { accept: (job: number) => links.failed(job, this.crashing) },
      quantiles: false,
      queueHistogram: histogram ? QUEUE_HISTOGRAM_BINS : 0,
    });
    this.failures = new FailureProcess(sim, this, cfg.failure, { name: `${pool}.${cfg.name}` });
  }

  crash(): void {
    this.crashAt = this.sim.now;
    this.crashing = true;
    this.station.crash();
    this.crashing = false;
  }

  recover(): void {
    this.station.recover();
    this.crashAt = NaN;
  }

  /** P(N >= i) for i = 0..QUEUE_HISTOGRAM_BINS (time fractions; needs the histogram). */
  tailFractions(): number[] {
    const d = this.station.queueLengthDistribution();
    const out: number[] = new Array(d.length);
    let acc = 0;
    for (let i = d.length - 1; i >= 0; i--) {
      acc += d[i];
      out[i] = acc;
    }
    return out;
  }
}
