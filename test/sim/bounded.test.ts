/** Issue 23, points 2 and 3 in the kernel: time that stops advancing, zero delays, overload flags, the event budget. */
import { ParameterError, StalledTimeError, WorkBudgetError } from '../../lib/errors';
import { Deterministic, Empirical, Exponential } from '../../lib/random';
import { Population, Simulation, Sink, Source, Station } from '../../lib/sim';

describe('time that does not advance', () => {
  test('a handler rescheduling itself with delay 0 stops with a StalledTimeError naming it', () => {
    const sim = new Simulation({ seed: 1, maxEventsPerInstant: 1000 });
    const h = sim.handler(() => sim.schedule(0, h), 'spinner.tick');
    sim.schedule(1, h);
    let err: unknown;
    try {
      sim.run({ until: 10 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StalledTimeError);
    const s = err as StalledTimeError;
    expect(s.time).toBe(1);
    expect(s.handlers).toContain('spinner.tick');
    expect(s.message).toMatch(/more than 1000 events at t = 1/);
  });

  test('zero think and zero service in a closed model: StalledTimeError naming the population and the station', () => {
    const sim = new Simulation({ seed: 1 });
    const station = new Station(sim, { name: 'db', service: new Deterministic(0) });
    const users = new Population(sim, {
      name: 'users',
      size: 5,
      think: new Deterministic(0),
      to: station,
    });
    station.to = users;
    expect(() => sim.run({ until: 10 })).toThrow(StalledTimeError);
    expect(() => sim.run({ until: 10 })).toThrow(/users\.thinkEnd|db\./);
  });

  test('many events at one instant below the limit are fine (a population all sending at t = 0)', () => {
    const sim = new Simulation({ seed: 1, maxEventsPerInstant: 100 });
    const station = new Station(sim, { name: 'app', service: new Exponential(1000), servers: 10 });
    const users = new Population(sim, {
      name: 'u',
      size: 500,
      think: new Exponential(1),
      to: station,
      startThinking: false,
    });
    station.to = users;
    expect(sim.run({ until: 5 }).reason).toBe('until');
    expect(users.completions).toBeGreaterThan(1000);
  });

  test('a source whose inter-arrival time can only be 0 is refused before the run', () => {
    const sim = new Simulation();
    expect(() => new Source(sim, { name: 'src', interarrival: new Deterministic(0) })).toThrow(
      ParameterError,
    );
    expect(() => new Source(sim, { name: 'src', interarrival: new Empirical([0, 0]) })).toThrow(
      /src.interarrival/,
    );
  });

  test('negative durations are refused where durations are meant', () => {
    const sim = new Simulation();
    expect(() => new Source(sim, { name: 's', interarrival: new Empirical([1, -2]) })).toThrow(
      /values >= 0/,
    );
    expect(() => new Station(sim, { name: 'st', service: new Empirical([-1, 2]) })).toThrow(
      /st.service/,
    );
    expect(
      () => new Population(sim, { name: 'p', size: 1, think: new Empirical([3, -1]) }),
    ).toThrow(/p.think/);
  });
});

describe('the event budget', () => {
  test('a simulation past its budget throws a WorkBudgetError; the default budget applies to new simulations', () => {
    const sim = new Simulation({ eventBudget: 1000 });
    const h = sim.handler(() => sim.schedule(1, h));
    sim.schedule(1, h);
    expect(() => sim.run({ until: 1e9 })).toThrow(WorkBudgetError);
    expect(sim.eventsProcessed).toBe(1000);
    const before = Simulation.defaultEventBudget;
    Simulation.defaultEventBudget = 50;
    try {
      const s2 = new Simulation();
      const h2 = s2.handler(() => s2.schedule(1, h2));
      s2.schedule(1, h2);
      expect(() => s2.run({ until: 100 })).toThrow(/budget of 50/);
    } finally {
      Simulation.defaultEventBudget = before;
    }
    // maxEvents below the budget still ends the run normally
    const s3 = new Simulation({ eventBudget: 1000 });
    const h3 = s3.handler(() => s3.schedule(1, h3));
    s3.schedule(1, h3);
    expect(s3.run({ maxEvents: 10 }).reason).toBe('maxEvents');
  });
});

describe('overload flagged by the station itself', () => {
  const run = (lambda: number, mu: number, until: number, seed: number) => {
    const sim = new Simulation({ seed });
    const sink = new Sink(sim, { name: 'out' });
    const st = new Station(sim, { name: 'q', service: new Exponential(mu), to: sink });
    new Source(sim, { name: 'src', interarrival: new Exponential(lambda), to: st });
    sim.run({ until: until / 10 });
    sim.resetStatistics();
    sim.run({ until });
    // the O(1) getter (read by common.overloadOf) and the summary give one verdict
    expect(st.overloaded).toBe(st.summary().overloaded);
    return st.summary();
  };

  test('offered 1.5 times its capacity: overloaded, with a growth rate near λ − μ = 0.5', () => {
    const s = run(1.5, 1, 2000, 3);
    expect(s.overloaded).toBe(true);
    // growth over 1800 time units: a random walk of variance ≈ (λ + μ)·T, 4σ ≈ 0.15 per unit time
    expect(Math.abs(s.growthRate - 0.5)).toBeLessThan((4 * Math.sqrt(2.5 * 1800)) / 1800);
  });

  test('stable at ρ = 0.5 and ρ = 0.9: not flagged, for every one of 10 seeds', () => {
    for (let seed = 1; seed <= 10; seed++) {
      expect(run(0.5, 1, 2000, seed).overloaded).toBe(false);
      expect(run(0.9, 1, 2000, seed).overloaded).toBe(false);
    }
  });
});
