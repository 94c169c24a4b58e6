import { ParameterError } from '../../../lib/errors';
import { Deterministic, Exponential } from '../../../lib/random';
import { Simulation, confidenceInterval } from '../../../lib/sim';
import { FailureProcess, resolveFailureSpec } from '../../../lib/systems/common/failures';

/** A component that logs its crashes and recoveries. */
function recorder(sim: Simulation) {
  const log: Array<[string, number]> = [];
  return {
    log,
    crash: () => log.push(['crash', sim.now]),
    recover: () => log.push(['recover', sim.now]),
  };
}

describe('FailureProcess', () => {
  it('scheduled outages: exact crash and recovery times, overlapping causes merged', () => {
    const sim = new Simulation({ seed: 1 });
    const c = recorder(sim);
    const f = new FailureProcess(
      sim,
      c,
      {
        outages: [
          { at: 30, duration: 10 },
          { at: 10, duration: 5 },
          { at: 35, duration: 10 },
        ],
      },
      { name: 'db' },
    );
    sim.run({ until: 100 });
    expect(c.log).toEqual([
      ['crash', 10],
      ['recover', 15],
      ['crash', 30],
      ['recover', 45],
    ]);
    expect(f.failures).toBe(2);
    expect(f.downtime).toBeCloseTo(20, 12);
    expect(f.availability).toBeCloseTo(0.8, 12);
    expect(f.intervals).toEqual([
      { at: 10, until: 15 },
      { at: 30, until: 45 },
    ]);
    expect(f.up).toBe(true);
  });

  it('an outage of infinite duration never ends; statistics restart on resetStatistics', () => {
    const sim = new Simulation({ seed: 1 });
    const c = recorder(sim);
    const f = new FailureProcess(
      sim,
      c,
      { outages: [{ at: 5, duration: Infinity }] },
      { name: 'x' },
    );
    sim.run({ until: 10 });
    sim.resetStatistics();
    sim.run({ until: 20 });
    expect(c.log).toEqual([['crash', 5]]);
    expect(f.failures).toBe(0);
    expect(f.downtime).toBeCloseTo(10, 12);
    expect(f.availability).toBe(0);
  });

  it('restoredAt ends an outage under way and stops every later failure', () => {
    const sim = new Simulation({ seed: 1 });
    const c = recorder(sim);
    const f = new FailureProcess(
      sim,
      c,
      {
        outages: [
          { at: 10, duration: 100 },
          { at: 60, duration: 5 },
        ],
        mttf: 3,
        mttr: 1,
        restoredAt: 50,
      },
      { name: 'x' },
    );
    sim.run({ until: 200 });
    expect(c.log[c.log.length - 1]).toEqual(['recover', 50]);
    expect(c.log.filter(([, t]) => t > 50)).toEqual([]);
    expect(f.up).toBe(true);
    f.crashNow(); // an operator's crash still works after it
    expect(f.up).toBe(false);
    f.repairNow();
    expect(f.up).toBe(true);
    expect(() => resolveFailureSpec({ restoredAt: -1 }, 'f')).toThrow(/f\.restoredAt = -1/);
  });

  it('listeners and manual crashes', () => {
    const sim = new Simulation({ seed: 1 });
    const c = recorder(sim);
    const f = new FailureProcess(sim, c, undefined, { name: 'x' });
    const seen: string[] = [];
    f.onCrash(() => seen.push(`down ${sim.now}`));
    f.onRecover(() => seen.push(`up ${sim.now}`));
    sim.run({ until: 3 });
    f.crashNow();
    f.crashNow(); // a second manual cause nests
    sim.run({ until: 4 });
    f.repairNow();
    expect(f.up).toBe(false);
    f.repairNow();
    expect(seen).toEqual(['down 3', 'up 4']);
  });

  it('alternating renewal process: availability MTTF/(MTTF+MTTR) inside a 99.9 % interval over replications', () => {
    // A = 100/(100 + 25) = 0.8 (renewal-reward theorem); 40 replications of 20,000 s each.
    const values: number[] = [];
    for (let r = 0; r < 40; r++) {
      const sim = new Simulation({ seed: 100 + r });
      const f = new FailureProcess(sim, recorder(sim), { mttf: 100, mttr: 25 }, { name: 'node' });
      sim.run({ until: 20000 });
      values.push(f.availability);
    }
    const ci = confidenceInterval(values, 0.999);
    expect(ci.lower).toBeLessThan(0.8);
    expect(ci.upper).toBeGreaterThan(0.8);
    expect(ci.upper - ci.lower).toBeLessThan(0.02);
  });

  it('deterministic times alternate exactly; same seed, same history; own substream', () => {
    const sim = new Simulation({ seed: 3 });
    const c = recorder(sim);
    new FailureProcess(
      sim,
      c,
      { timeToFailure: new Deterministic(10), timeToRepair: new Deterministic(2) },
      { name: 'a' },
    );
    sim.run({ until: 25 });
    expect(c.log).toEqual([
      ['crash', 10],
      ['recover', 12],
      ['crash', 22],
      ['recover', 24],
    ]);
    const history = (seed: number, other: boolean) => {
      const s = new Simulation({ seed });
      const r = recorder(s);
      if (other) new FailureProcess(s, recorder(s), { mttf: 5, mttr: 1 }, { name: 'other' });
      new FailureProcess(s, r, { mttf: 50, mttr: 5 }, { name: 'b' });
      s.run({ until: 1000 });
      return r.log;
    };
    expect(history(9, false)).toEqual(history(9, false));
    // another failing component draws from its own stream: b's history does not change
    expect(history(9, true)).toEqual(history(9, false));
  });

  it('typed errors naming the field', () => {
    expect(() => resolveFailureSpec({ mttf: 10 }, 'backends[1].failures')).toThrow(
      /backends\[1\]\.failures\.mttr .*both/,
    );
    expect(() => resolveFailureSpec({ mttf: -1, mttr: 1 }, 'f')).toThrow(/f\.mttf = -1/);
    expect(() => resolveFailureSpec({ outages: [{ at: -1, duration: 1 }] }, 'f')).toThrow(
      /f\.outages\[0\]\.at = -1/,
    );
    expect(() => resolveFailureSpec({ outages: [{ at: 1, durtion: 1 } as never] }, 'f')).toThrow(
      /did you mean "duration"/,
    );
    expect(() => resolveFailureSpec({ mtff: 1 } as never, 'f')).toThrow(
      /f\.mtff .*did you mean "mttf"/,
    );
    expect(() =>
      resolveFailureSpec({ mttf: 1, timeToFailure: new Exponential(1), mttr: 1 }, 'f'),
    ).toThrow(ParameterError);
  });
});
