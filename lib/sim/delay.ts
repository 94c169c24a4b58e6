import { ParameterError } from '../errors';
import type { Rng } from '../random/xoshiro128';
import type { Simulation } from './simulation';
import type { ServiceSpec } from './station';
import { Tally } from './tally';
import type { JobTarget } from './target';
import { TimeWeighted } from './time-weighted';

/**
 * An infinite-server (delay, M/G/inf) station: every job is delayed independently by a draw
 * from `delay` (a network link's latency, a think stage, a timer). Mean number present
 * L = lambda E[D] for any delay distribution.
 */
export class Delay implements JobTarget {
  readonly name: string;
  to: JobTarget | null;
  inSystem = 0;
  arrivals = 0;
  departures = 0;
  readonly numberInSystem: TimeWeighted;
  readonly delayTime = new Tally();
  onDeparture: ((job: number) => void) | null = null;
  private readonly sim: Simulation;
  private readonly rng: Rng;
  private readonly dist: { sample(rng: Rng): number } | null;
  private readonly fn: ((job: number, rng: Rng) => number) | null;
  private readonly departH: number;

  constructor(
    sim: Simulation,
    options: { name: string; delay: ServiceSpec; to?: JobTarget; stream?: Rng },
  ) {
    if (options == null || typeof options.name !== 'string' || !options.name)
      throw new ParameterError('name', options?.name, 'must be a non-empty string');
    this.sim = sim;
    this.name = options.name;
    const d = options.delay;
    // fn, then dist, in both branches: fields are created in assignment order (useDefineForClassFields
    // is false), and one order keeps one hidden class for every instance
    if (typeof d === 'function') {
      this.fn = d;
      this.dist = null;
    } else if (d != null && typeof d.sample === 'function') {
      this.fn = null;
      this.dist = d;
    } else
      throw new ParameterError(
        'delay',
        d,
        'must be a Distribution or a function (job, rng) => number',
      );
    this.to = options.to ?? null;
    this.rng = options.stream ?? sim.streams.get(`${options.name}.delay`);
    this.numberInSystem = new TimeWeighted(sim, 0);
    this.departH = sim.handler((job) => this.depart(job), `${this.name}.depart`);
    sim.onReset(() => {
      this.arrivals = 0;
      this.departures = 0;
      this.delayTime.reset();
    });
  }

  accept(job: number): void {
    const sim = this.sim;
    this.arrivals++;
    sim.jobs.arrived[job] = sim.now;
    this.numberInSystem.set(++this.inSystem);
    const d =
      this.dist !== null
        ? this.dist.sample(this.rng)
        : (this.fn as (job: number, rng: Rng) => number)(job, this.rng);
    if (!(d >= 0) || d === Infinity)
      throw new ParameterError(`${this.name}.delay sample`, d, 'must be a finite number >= 0');
    sim.delay = d;
    sim.scheduleDelay(this.departH, job);
  }

  private depart(job: number): void {
    const sim = this.sim;
    this.departures++;
    this.delayTime.add(sim.now - sim.jobs.arrived[job]);
    this.numberInSystem.set(--this.inSystem);
    if (this.onDeparture !== null) this.onDeparture(job);
    if (this.to !== null) this.to.accept(job);
    else sim.jobs.free(job);
  }
}
