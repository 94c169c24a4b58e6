import { Exponential, Lognormal } from '../../lib/random';
import {
  Population,
  Router,
  Simulation,
  Sink,
  Source,
  Station,
  type Discipline,
} from '../../lib/sim';
import { REPS, expectCovers, runOpen, type OpenModel } from './replications';
import { closedMMc, mm1 } from './theory';

describe('closed system with think time', () => {
  it('N = 20 users, Z = 5, one station of 2 Exp(1) servers: throughput and response time', () => {
    const th = closedMMc(20, 5, 2, 1);
    const X: number[] = [];
    const R: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const sim = new Simulation({ seed: 900 + i });
      const st = new Station(sim, { name: 'cpu', service: new Exponential(1), servers: 2 });
      const users = new Population(sim, {
        name: 'users',
        size: 20,
        think: Exponential.withMean(5),
        to: st,
      });
      st.to = users;
      sim.run({ until: 200 });
      sim.resetStatistics();
      sim.run({ until: 5_200 });
      const s = users.summary();
      X.push(s.throughput);
      R.push(s.meanResponse);
      // Little's law on the whole loop: N = X (R + Z), and at the station Q = X R
      expect(Math.abs(s.littleN - 20) / 20).toBeLessThan(0.01);
      expect(
        Math.abs(st.summary().meanInSystem - st.summary().littleL) / st.summary().meanInSystem,
      ).toBeLessThan(0.01);
    }
    expectCovers(X, th.X, 0.02);
    expectCovers(R, th.R, 0.08);
  });
});

describe('networks, sources and composition', () => {
  it('a probabilistic split into two M/M/1 queues (Jackson): each behaves as M/M/1 with its share', () => {
    const W1: number[] = [];
    const W2: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const sim = new Simulation({ seed: 1000 + i });
      const sink = new Sink(sim, { name: 'exit' });
      const a = new Station(sim, { name: 'a', service: new Exponential(1), to: sink });
      const b = new Station(sim, { name: 'b', service: new Exponential(2), to: sink });
      const lb = new Router(sim, { name: 'lb', targets: [a, b], probabilities: [0.4, 0.6] });
      new Source(sim, { name: 'src', interarrival: new Exponential(1.5), to: lb });
      sim.run({ until: 200 });
      sim.resetStatistics();
      sim.run({ until: 5_200 });
      W1.push(a.summary().meanResponse);
      W2.push(b.summary().meanResponse);
    }
    expectCovers(W1, mm1(0.6, 1).W, 0.08);
    expectCovers(W2, mm1(0.9, 2).W, 0.08);
  });

  it('a time-varying Poisson source (thinning) produces the integrated rate', () => {
    const counts: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const sim = new Simulation({ seed: 1100 + i });
      const sink = new Sink(sim, { name: 'exit' });
      new Source(sim, {
        name: 'diurnal',
        rate: (t) => 5 + 4 * Math.sin((2 * Math.PI * t) / 100),
        maxRate: 9,
        to: sink,
      });
      sim.run({ until: 1000 });
      counts.push(sink.count);
    }
    expectCovers(counts, 5000, 0.02); // integral of the rate over [0, 1000]
  });

  it('the same seed gives identical results; another seed does not', () => {
    const m: OpenModel = {
      arrivals: new Exponential(0.8),
      service: Lognormal.fit(1, 1.5),
      servers: 1,
      warmup: 10,
      horizon: 2000,
    };
    expect(runOpen(m, 5)).toEqual(runOpen(m, 5));
    expect(runOpen(m, 6).meanResponse).not.toBe(runOpen(m, 5).meanResponse);
  });

  it('common random numbers: changing the discipline leaves the arrival stream unchanged', () => {
    const arrivalsWith = (discipline: Discipline) => {
      const sim = new Simulation({ seed: 77 });
      const times: number[] = [];
      const st = new Station(sim, { name: 'st', service: new Exponential(1.2), discipline });
      st.onArrival = () => times.push(sim.now);
      new Source(sim, { name: 'src', interarrival: new Exponential(1), to: st, limit: 500 });
      sim.run({ until: 1e6 });
      return times;
    };
    expect(arrivalsWith('lifo')).toEqual(arrivalsWith('fifo'));
  });

  it('reports jobs still present at the end, and flags an unstable open station instead of averaging', () => {
    const sim = new Simulation({ seed: 1 });
    const st = new Station(sim, { name: 'st', service: new Exponential(1) });
    new Source(sim, { name: 'src', interarrival: new Exponential(1.2), to: st });
    sim.run({ until: 2000 });
    const s = st.summary({ offeredLoad: 1.2 });
    expect(s.unstable).toBe(true);
    expect(s.meanResponse).toBeNaN();
    expect(s.meanInSystem).toBeNaN();
    expect(s.p95).toBeNaN();
    expect(s.inSystemAtEnd).toBeGreaterThan(100);
    expect(s.meanAgeAtEnd).toBeGreaterThan(0);
    expect(s.arrivals - s.departures).toBe(s.inSystemAtEnd);
  });

  it('hooks see arrivals, starts, departures and drops; setServers adds capacity mid-run', () => {
    const sim = new Simulation({ seed: 2 });
    const seen = { arrival: 0, start: 0, departure: 0, drop: 0 };
    const st = new Station(sim, { name: 'st', service: new Exponential(1), capacity: 3 });
    st.onArrival = () => seen.arrival++;
    st.onStart = () => seen.start++;
    st.onDeparture = () => seen.departure++;
    st.onDrop = () => seen.drop++;
    new Source(sim, { name: 'src', interarrival: new Exponential(2), to: st, limit: 1000 });
    sim.run({ until: 100 });
    st.setServers(3);
    sim.run({ until: 1e6 });
    expect(seen.arrival + seen.drop).toBe(1000);
    expect(seen.departure).toBe(seen.arrival);
    expect(seen.start).toBe(seen.arrival);
    expect(st.drops).toBe(seen.drop);
    expect(sim.jobs.live).toBe(0);
  });
});
