import { ParameterError } from '../errors';
import type { Simulation } from './simulation';

/**
 * A condition processes can wait for: `yield signal` parks the process until `signal.fire()`,
 * which resumes every waiting process at the current time (in the order they started waiting).
 */
export class Signal {
  private waiters: number[] = [];
  constructor(private readonly sim: Simulation) {}

  /** Number of processes waiting. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Resumes all waiting processes now; returns how many. */
  fire(): number {
    const w = this.waiters;
    this.waiters = [];
    const runner = runnerOf(this.sim);
    for (const p of w) this.sim.schedule(0, runner.resumeH, p);
    return w.length;
  }

  /** @internal */
  park(pid: number): void {
    this.waiters.push(pid);
  }
}

/** What a process body yields: a delay (hold for that long) or a {@link Signal} to wait for. */
export type ProcessStep = number | Signal;

class Runner {
  readonly resumeH: number;
  private readonly procs: Array<Iterator<ProcessStep, unknown, void> | null> = [];
  constructor(private readonly sim: Simulation) {
    this.resumeH = sim.handler((pid) => this.step(pid), 'process.resume');
  }
  start(it: Iterator<ProcessStep, unknown, void>, delay: number): number {
    this.procs.push(it);
    const pid = this.procs.length - 1;
    this.sim.schedule(delay, this.resumeH, pid);
    return pid;
  }
  private step(pid: number): void {
    const it = this.procs[pid];
    if (!it) return;
    const r = it.next();
    if (r.done) {
      this.procs[pid] = null;
      return;
    }
    const v = r.value;
    if (typeof v === 'number') {
      if (!(v >= 0) || v === Infinity)
        throw new ParameterError('yielded delay', v, 'must be a finite number >= 0');
      this.sim.schedule(v, this.resumeH, pid);
    } else if (v instanceof Signal) {
      v.park(pid);
    } else {
      throw new ParameterError('yielded value', v, 'must be a delay (number) or a Signal');
    }
  }
}

const runners = new WeakMap<Simulation, Runner>();
function runnerOf(sim: Simulation): Runner {
  let r = runners.get(sim);
  if (!r) {
    r = new Runner(sim);
    runners.set(sim, r);
  }
  return r;
}

/**
 * A readable, SimPy-style process for notebooks and one-off logic (not the hot path: each step
 * resumes a generator). The body is a generator function that yields delays or signals:
 *
 * ```ts
 * process(sim, function* () {
 *   for (;;) {
 *     yield 60;                      // every minute
 *     station.setServers(station.busy > 12 ? 20 : 16);
 *   }
 * });
 * ```
 * Returns the process id. Starts after `delay` (default 0).
 */
export function process(
  sim: Simulation,
  body: () => Iterator<ProcessStep, unknown, void>,
  delay: number = 0,
): number {
  if (typeof body !== 'function')
    throw new ParameterError('body', body, 'must be a generator function');
  return runnerOf(sim).start(body(), delay);
}
