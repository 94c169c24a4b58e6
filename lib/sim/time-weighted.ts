import type { Simulation } from './simulation';

/**
 * A time-weighted average of a piecewise-constant quantity (queue length, busy servers,
 * customers in system): mean = (1/(t - t0)) * integral of value dt, accumulated at each change
 * as area += value * (now - lastChange). Also tracks the maximum and the time-weighted variance.
 * Reads the clock from the simulation; registers itself for warm-up resets.
 *
 * The running sums live in a Float64Array: V8 updates typed-array elements in place, whereas a
 * double held in an object field may be re-boxed (heap-allocated) on every write.
 */
export class TimeWeighted {
  // [0] value, [1] max, [2] area, [3] area of value^2, [4] last change, [5] start
  private readonly s = new Float64Array(6);
  private readonly sim: Simulation;

  constructor(sim: Simulation, initial: number = 0) {
    this.sim = sim;
    const s = this.s;
    s[0] = initial;
    s[1] = initial;
    s[4] = sim.now;
    s[5] = sim.now;
    sim.onReset(() => this.reset());
  }

  /** Current value. */
  get value(): number {
    return this.s[0];
  }

  /** Maximum since start or reset. */
  get max(): number {
    return this.s[1];
  }

  /** Sets a new value from now on. */
  set(v: number): void {
    const s = this.s;
    const now = this.sim.now;
    const dt = now - s[4];
    const x = s[0];
    s[2] += x * dt;
    s[3] += x * x * dt;
    s[4] = now;
    s[0] = v;
    if (v > s[1]) s[1] = v;
  }

  /** Adds `delta` to the value from now on. */
  add(delta: number): void {
    this.set(this.s[0] + delta);
  }

  /** Observed duration (from the start or last reset to now). */
  get elapsed(): number {
    return this.sim.now - this.s[5];
  }

  /** Integral of the value over the observed period, up to now. */
  get integral(): number {
    const s = this.s;
    return s[2] + s[0] * (this.sim.now - s[4]);
  }

  /** Time-average up to now (NaN before any time has passed). */
  get mean(): number {
    const T = this.sim.now - this.s[5];
    return T > 0 ? this.integral / T : NaN;
  }

  /** Time-weighted variance up to now. */
  get variance(): number {
    const s = this.s;
    const T = this.sim.now - s[5];
    if (!(T > 0)) return NaN;
    const m = this.mean;
    const a2 = s[3] + s[0] * s[0] * (this.sim.now - s[4]);
    return Math.max(0, a2 / T - m * m);
  }

  /** Restarts the average now, from the current value. */
  reset(): void {
    const s = this.s;
    const now = this.sim.now;
    s[2] = 0;
    s[3] = 0;
    s[4] = now;
    s[5] = now;
    s[1] = s[0];
  }
}
