import { ParameterError, requireInteger, requirePositive } from '../errors';
import type { Simulation } from './simulation';

/**
 * Samples a probe (e.g. `() => station.inSystem`) every `interval` time units into arrays for
 * plots. Memory is bounded by `maxPoints` (default 10,000): when full, every second point is
 * dropped and the interval doubles, so a long run still spans its whole horizon. Each sample is
 * one event (priority 4095: after the model's own events at the same time).
 */
export class TimeSeries {
  readonly times: number[] = [];
  readonly values: number[] = [];
  interval: number;
  private readonly maxPoints: number;
  private readonly handlerId: number;
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly probe: () => number,
    options: { interval: number; maxPoints?: number; start?: number },
  ) {
    if (typeof probe !== 'function')
      throw new ParameterError('probe', probe, 'must be a function () => number');
    this.interval = requirePositive('interval', options.interval);
    this.maxPoints = requireInteger('maxPoints', options.maxPoints ?? 10000, 2);
    this.handlerId = sim.handler(() => this.sample(), 'TimeSeries.sample');
    sim.scheduleAt(Math.max(sim.now, options.start ?? sim.now), this.handlerId, 0, 4095);
  }

  /** Stops sampling after the next pending sample. */
  stop(): void {
    this.stopped = true;
  }

  private sample(): void {
    if (this.stopped) return;
    if (this.times.length >= this.maxPoints) {
      let j = 0;
      for (let i = 0; i < this.times.length; i += 2, j++) {
        this.times[j] = this.times[i];
        this.values[j] = this.values[i];
      }
      this.times.length = j;
      this.values.length = j;
      this.interval *= 2;
    }
    this.times.push(this.sim.now);
    this.values.push(this.probe());
    this.sim.schedule(this.interval, this.handlerId, 0, 4095);
  }
}
