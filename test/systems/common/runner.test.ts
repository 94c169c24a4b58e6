import { Exponential } from '../../../lib/random';
import { Sink, Source, Station } from '../../../lib/sim';
import { measure, resolveRunWindow } from '../../../lib/systems/common/runner';

describe('measure: one warm-up-then-measure runner', () => {
  const build = (sim: import('../../../lib/sim').Simulation) => {
    const station = new Station(sim, {
      name: 'server',
      service: new Exponential(1),
      to: new Sink(sim, { name: 'done' }),
    });
    new Source(sim, { name: 'clients', interarrival: new Exponential(0.5), to: station });
    return station;
  };

  it('runs warm-up then duration, statistics restarted at the end of the warm-up', () => {
    const { sim, system, window } = measure(build, { seed: 4, duration: 1000, warmup: 100 });
    expect(sim.now).toBe(1100);
    expect(window).toEqual({ start: 100, end: 1100 });
    expect(system.summary().elapsed).toBeCloseTo(1000, 9);
  });

  it('same seed, same numbers; another seed, others', () => {
    const a = measure(build, { seed: 4, duration: 500 }).system.summary().meanResponse;
    const b = measure(build, { seed: 4, duration: 500 }).system.summary().meanResponse;
    const c = measure(build, { seed: 5, duration: 500 }).system.summary().meanResponse;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('typed errors', () => {
    expect(() => resolveRunWindow({ duration: 0 })).toThrow(/duration = 0/);
    expect(() => resolveRunWindow({ duration: 1, warmup: -1 })).toThrow(/warmup = -1/);
    expect(() => resolveRunWindow({ duration: 1, seed: 1.5 })).toThrow(/seed = 1.5/);
    expect(() => resolveRunWindow({ duration: 1, warmpu: 3 } as never)).toThrow(
      /warmpu .*did you mean "warmup"/,
    );
  });
});
