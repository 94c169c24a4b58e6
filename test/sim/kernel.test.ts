import { ParameterError } from '../../lib/errors';
import { Signal, Simulation, process as simProcess } from '../../lib/sim';

describe('Simulation: future-event list', () => {
  it('orders events by time, then priority (smaller first), then insertion order', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const h = sim.handler((a) => log.push(`${sim.now}:${a}`));
    sim.schedule(2, h, 1);
    sim.schedule(1, h, 2);
    sim.schedule(1, h, 3, 5);
    sim.schedule(1, h, 4, -5);
    sim.schedule(1, h, 5);
    sim.schedule(0, h, 6);
    sim.run({ until: 10 });
    expect(log).toEqual(['0:6', '1:4', '1:2', '1:5', '1:3', '2:1']);
    expect(sim.now).toBe(10);
    expect(sim.eventsProcessed).toBe(6);
  });

  it('keeps heap order through growth, random times and many ties (against a sort)', () => {
    const sim = new Simulation({ seed: 3 });
    const rng = sim.streams.get('t');
    const seen: Array<[number, number]> = [];
    const h = sim.handler((a) => seen.push([sim.now, a]));
    const expected: Array<[number, number, number, number]> = [];
    for (let i = 0; i < 5000; i++) {
      const t = Math.floor(rng.next() * 100) / 4; // many equal times
      const p = rng.nextInt(3) - 1;
      sim.scheduleAt(t, h, i, p);
      expected.push([t, p, i, i]);
    }
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const r = sim.run({ maxEvents: 10_000 });
    expect(r.reason).toBe('empty');
    expect(seen).toEqual(expected.map((e) => [e[0], e[3]]));
  });

  it('cancels and reschedules pending events', () => {
    const sim = new Simulation();
    const log: number[] = [];
    const h = sim.handler((a) => log.push(a));
    const ids = [1, 2, 3, 4, 5].map((k) => sim.schedule(k, h, k));
    expect(sim.cancel(ids[1])).toBe(true);
    expect(sim.cancel(ids[1])).toBe(false);
    expect(sim.reschedule(ids[0], 4.5)).toBe(true);
    expect(sim.timeOf(ids[0])).toBe(4.5);
    expect(sim.reschedule(ids[4], 0.5)).toBe(true);
    expect(sim.pending).toBe(4);
    sim.run({ until: 100 });
    expect(log).toEqual([5, 3, 4, 1]);
    expect(sim.isPending(ids[2])).toBe(false);
    expect(sim.reschedule(ids[2], 200)).toBe(false);
  });

  it('runs until a time, a number of events, a condition or a stop, and can continue', () => {
    const sim = new Simulation();
    let n = 0;
    const tick = sim.handler(() => {
      n++;
      sim.schedule(1, tick);
      if (n === 50) sim.stop();
    });
    sim.schedule(1, tick);
    expect(sim.run({ until: 10.5 })).toEqual({ reason: 'until', now: 10.5, events: 10 });
    expect(sim.run({ maxEvents: 5 })).toEqual({ reason: 'maxEvents', now: 15, events: 5 });
    expect(sim.run({ stopWhen: () => n >= 20 })).toEqual({
      reason: 'stopWhen',
      now: 20,
      events: 5,
    });
    expect(sim.run({ untilStopped: true })).toEqual({ reason: 'stopped', now: 50, events: 30 });
  });

  it('refuses a run with no end, a nested run, bad delays and unknown handlers', () => {
    const sim = new Simulation();
    const h = sim.handler(() => sim.run({ until: 100 }));
    expect(() => sim.run({})).toThrow(ParameterError);
    expect(() => sim.run({ until: Infinity })).toThrow(ParameterError);
    expect(() => sim.schedule(-1, h)).toThrow(ParameterError);
    expect(() => sim.schedule(NaN, h)).toThrow(ParameterError);
    expect(() => sim.schedule(Infinity, h)).toThrow(ParameterError);
    expect(() => sim.schedule(1, 99)).toThrow(ParameterError);
    expect(() => sim.schedule(1, h, 0, 10_000)).toThrow(ParameterError);
    sim.schedule(1, h);
    expect(() => sim.run({ until: 5 })).toThrow(/inside an event handler/);
    expect(() => new Simulation({ seed: -3 })).toThrow(ParameterError);
  });

  it('runs SimPy-style processes with delays and signals', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const go = new Signal(sim);
    simProcess(sim, function* () {
      log.push(`a waits at ${sim.now}`);
      yield go;
      log.push(`a resumed at ${sim.now}`);
      yield 2;
      log.push(`a done at ${sim.now}`);
    });
    simProcess(sim, function* () {
      yield 3;
      log.push(`b fires at ${sim.now}`);
      go.fire();
    });
    sim.run({ until: 100 });
    expect(log).toEqual(['a waits at 0', 'b fires at 3', 'a resumed at 3', 'a done at 5']);
  });
});
