import { ParameterError } from '../../lib/errors';
import { Deterministic, Exponential, Lognormal } from '../../lib/random';
import {
  Delay,
  Jobs,
  Router,
  Simulation,
  Sink,
  Source,
  Station,
  confidenceInterval,
  target,
} from '../../lib/sim';

describe('Jobs table', () => {
  it('allocates, recycles and grows while keeping attributes', () => {
    const jobs = new Jobs(2);
    const k = jobs.defineAttribute('bytes');
    const ids = Array.from({ length: 100 }, () => jobs.alloc());
    ids.forEach((id, i) => {
      jobs.born[id] = i;
      jobs.attributes[k][id] = i * 10;
    });
    expect(jobs.capacity).toBeGreaterThanOrEqual(100);
    expect(new Set(ids).size).toBe(100);
    ids.forEach((id, i) => {
      expect(jobs.born[id]).toBe(i);
      expect(jobs.attributes[k][id]).toBe(i * 10);
    });
    jobs.free(ids[5]);
    expect(jobs.live).toBe(99);
    expect(() => jobs.free(ids[5])).toThrow(ParameterError);
    expect(jobs.alloc()).toBe(ids[5]);
    expect(jobs.defineAttribute('bytes')).toBe(k);
    expect(jobs.peakLive).toBe(100);
  });
});

describe('Delay (infinite server)', () => {
  it('M/G/inf: mean number present is lambda E[D] for lognormal delays', () => {
    const L: number[] = [];
    for (let i = 0; i < 10; i++) {
      const sim = new Simulation({ seed: 40 + i });
      const sink = new Sink(sim, { name: 'exit' });
      const link = new Delay(sim, { name: 'link', delay: Lognormal.fit(2, 3), to: sink });
      new Source(sim, { name: 'src', interarrival: new Exponential(5), to: link });
      sim.run({ until: 100 });
      sim.resetStatistics();
      sim.run({ until: 2100 });
      L.push(link.numberInSystem.mean);
      expect(Math.abs(link.delayTime.mean - 2) / 2).toBeLessThan(0.1);
    }
    const ci = confidenceInterval(L, 0.999);
    expect(ci.lower).toBeLessThanOrEqual(10);
    expect(ci.upper).toBeGreaterThanOrEqual(10);
  });

  it('a deterministic link delays every job by exactly its latency', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    const link = new Delay(sim, {
      name: 'link',
      delay: new Deterministic(0.25),
      to: target((job) => {
        seen.push(sim.now - sim.jobs.born[job]);
        sim.jobs.free(job);
      }),
    });
    new Source(sim, { name: 'src', interarrival: new Exponential(1), to: link, limit: 50 });
    sim.run({ until: 1e6 });
    expect(seen.length).toBe(50);
    seen.forEach((d) => expect(d).toBeCloseTo(0.25, 12));
  });
});

describe('composition errors are typed', () => {
  it('rejects bad station, source, router and population options', () => {
    const sim = new Simulation();
    expect(() => new Station(sim, { name: 'x', service: new Exponential(1), servers: 0 })).toThrow(
      ParameterError,
    );
    expect(
      () => new Station(sim, { name: 'x', service: new Exponential(1), servers: 2, capacity: 1 }),
    ).toThrow(ParameterError);
    expect(() => new Station(sim, { name: 'x', service: {} as never })).toThrow(ParameterError);
    expect(
      () =>
        new Station(sim, { name: 'x', service: new Exponential(1), discipline: 'random' as never }),
    ).toThrow(ParameterError);
    expect(() => new Source(sim, { name: 'x' })).toThrow(ParameterError);
    expect(() => new Source(sim, { name: 'x', rate: () => 1 })).toThrow(ParameterError);
    expect(() => new Router(sim, { name: 'r', targets: [] })).toThrow(ParameterError);
    const bad = new Router(sim, { name: 'r', targets: [new Sink(sim)], policy: () => 3 });
    expect(() => bad.accept(sim.jobs.alloc())).toThrow(ParameterError);
    const neg = new Station(sim, { name: 'neg', service: () => -1 });
    expect(() => neg.accept(sim.jobs.alloc())).toThrow(ParameterError);
    expect(
      () => new Source(sim, { name: 'burst', rate: () => 5, maxRate: 2, to: new Sink(sim) }),
    ).toThrow(/maxRate/);
  });
});
