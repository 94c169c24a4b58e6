import type { Simulation } from './simulation';

/**
 * A time-weighted average of a piecewise-constant quantity (queue length, busy servers,
 * customers in system): mean = (1/(t - t0)) * integral of value dt, accumulated at each change
 * as area += value * (now - lastChange). Also tracks the maximum and the time-weighted variance.
 * Reads the clock from the simulation; registers itself for warm-up resets.
 */
export class TimeWeighted {
  /** Current value. */
  value: number;
  max: number;
  private area = 0;
  private area2 = 0;
  private last: number;
  private start: number;
  private readonly sim: Simulation;

  constructor(sim: Simulation, initial: number = 0) {
    this.sim = sim;
    this.value = initial;
    this.max = initial;
    this.last = sim.now;
    this.start = sim.now;
    sim.onReset(() => this.reset());
  }

  /** Sets a new value from now on. */
  set(v: number): void {
    const now = this.sim.now;
    const dt = now - this.last;
    const x = this.value;
    this.area += x * dt;
    this.area2 += x * x * dt;
    this.last = now;
    this.value = v;
    if (v > this.max) this.max = v;
  }

  /** Adds `delta` to the value from now on. */
  add(delta: number): void {
    this.set(this.value + delta);
  }

  /** Observed duration (from the start or last reset to now). */
  get elapsed(): number {
    return this.sim.now - this.start;
  }

  /** Integral of the value over the observed period, up to now. */
  get integral(): number {
    return this.area + this.value * (this.sim.now - this.last);
  }

  /** Time-average up to now (NaN before any time has passed). */
  get mean(): number {
    const T = this.sim.now - this.start;
    return T > 0 ? this.integral / T : NaN;
  }

  /** Time-weighted variance up to now. */
  get variance(): number {
    const T = this.sim.now - this.start;
    if (!(T > 0)) return NaN;
    const m = this.mean;
    const a2 = this.area2 + this.value * this.value * (this.sim.now - this.last);
    return Math.max(0, a2 / T - m * m);
  }

  /** Restarts the average now, from the current value. */
  reset(): void {
    this.area = 0;
    this.area2 = 0;
    this.last = this.sim.now;
    this.start = this.sim.now;
    this.max = this.value;
  }
}
