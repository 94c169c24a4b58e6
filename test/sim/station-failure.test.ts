/**
 * Station crashes and recoveries (onCrash 'lose' | 'fail' | 'keep', failTo, refused arrivals,
 * availability) and the time-weighted queue-length histogram.
 *
 * Oracles: exact bookkeeping (every job offered is departed, lost, failed, refused, dropped or
 * still inside, each exactly once; the job table balances), hand-worked deterministic schedules
 * (restart order, PS remaining work, availability, histogram fractions), the L and busy
 * integrals recomputed job by job, and M/M/1's P(N >= i) = rho^i (e.g. Kleinrock, Queueing
 * Systems I, sec. 3.2) inside a Student-t interval over independent replications.
 */
import { ParameterError } from '../../lib/errors';
import { Deterministic, Exponential } from '../../lib/random';
import {
  Simulation,
  Source,
  Station,
  confidenceInterval,
  target,
  type CrashMode,
  type Discipline,
} from '../../lib/sim';

/** Jobs of the given sizes arriving at the given times (service reads jobs.size). */
function inject(
  sim: Simulation,
  to: { accept(job: number): void },
  times: number[],
  sizes?: number[],
): void {
  const h = sim.handler((i) => {
    const job = sim.jobs.alloc();
    sim.jobs.born[job] = sim.now;
    if (sizes) sim.jobs.size[job] = sizes[i];
    to.accept(job);
  }, 'inject');
  times.forEach((t, i) => sim.scheduleAt(t, h, i));
}

function at(sim: Simulation, t: number, fn: () => void): void {
  sim.scheduleAt(t, sim.handler(fn, `at${t}`), 0);
}

describe('Station crash and recovery: bookkeeping under random load', () => {
  const cases: Array<[CrashMode, number, Discipline]> = [];
  for (const mode of ['lose', 'fail', 'keep'] as CrashMode[])
    for (const c of [1, 4])
      for (const d of ['fifo', 'ps'] as Discipline[]) cases.push([mode, c, d]);

  it.each(cases)('onCrash %s, c = %i, %s', (mode, c, discipline) => {
    const sim = new Simulation({ seed: 1400 + c + (discipline === 'ps' ? 10 : 0) });
    const jobs = sim.jobs;
    const serial = jobs.defineAttribute('serial');
    let nextSerial = 0;
    const departed = new Set<number>();
    const failedSeen = new Set<number>();
    let failToCalls = 0;
    let offeredWhileDown = 0;
    let departuresWhileDown = 0;
    // per-job checks count violations (an expect per job would dominate the run time)
    let twice = 0;
    let startsWhileDown = 0;
    let busyWhileDown = 0;
    // job-by-job recomputation of the L and busy integrals
    const inside = new Map<number, number>(); // serial -> arrival time
    const started = new Map<number, number>(); // serial -> service start (FIFO)
    let areaL = 0;
    let areaBusy = 0;
    let accepted = 0;
    const st: Station = new Station(sim, {
      name: 'st',
      service: new Exponential(1),
      servers: c,
      discipline,
      onCrash: mode,
      to: target((job) => {
        const s = jobs.attributes[serial][job];
        if (departed.has(s) || failedSeen.has(s)) twice++;
        departed.add(s);
        jobs.free(job);
      }),
      failTo: target((job) => {
        const s = jobs.attributes[serial][job];
        if (departed.has(s) || failedSeen.has(s)) twice++;
        failedSeen.add(s);
        failToCalls++;
        jobs.free(job);
      }),
    });
    st.onArrival = (job) => {
      accepted++;
      inside.set(jobs.attributes[serial][job], sim.now);
    };
    st.onStart = (job) => {
      if (discipline === 'fifo' && !st.up) startsWhileDown++; // under PS a start is the arrival, also while down with 'keep'

      started.set(jobs.attributes[serial][job], sim.now);
    };
    st.onDeparture = (job) => {
      if (!st.up) departuresWhileDown++;
      const s = jobs.attributes[serial][job];
      areaL += sim.now - (inside.get(s) as number);
      inside.delete(s);
      if (discipline === 'fifo') {
        areaBusy += sim.now - (started.get(s) as number);
        started.delete(s);
      }
    };
    const front = target((job) => {
      jobs.attributes[serial][job] = nextSerial++;
      if (!st.up) {
        offeredWhileDown++;
        if (st.busy !== 0) busyWhileDown++;
      }
      st.accept(job);
    });
    new Source(sim, { name: 'src', interarrival: new Exponential(0.8 * c), to: front });

    let crashes = 0;
    let expectLost = 0;
    let expectFailed = 0;
    const crashH = sim.handler(() => {
      const before = st.inSystem;
      const lost0 = st.lost;
      const failed0 = st.failed;
      const calls0 = failToCalls;
      // jobs that leave now: their time inside ends here; in-service time ends for all
      for (const t0 of started.values()) areaBusy += sim.now - t0;
      started.clear();
      if (mode !== 'keep') {
        for (const t0 of inside.values()) areaL += sim.now - t0;
        inside.clear();
      }
      st.crash();
      crashes++;
      expect(st.up).toBe(false);
      expect(st.busy).toBe(0);
      if (mode === 'keep') {
        expect(st.inSystem).toBe(before);
      } else {
        expect(st.inSystem).toBe(0);
        expect(st.queueLength).toBe(0);
      }
      if (mode === 'lose') {
        expect(st.lost - lost0).toBe(before);
        expectLost += before;
      } else if (mode === 'fail') {
        expect(st.failed - failed0).toBe(before);
        expect(failToCalls - calls0).toBe(before);
        expectFailed += before;
      }
      // nothing of the station's left in the event list: only the source's next arrival
      expect(sim.pending).toBe(1);
      expect(jobs.live).toBe(st.inSystem);
      sim.schedule(5 + (crashes % 3) * 5, recoverH, 0);
    }, 'crash');
    const recoverH = sim.handler(() => {
      st.recover();
      expect(st.up).toBe(true);
      expect(st.busy).toBe(Math.min(st.inSystem, c));
      sim.schedule(60, crashH, 0);
    }, 'recover');
    sim.schedule(37, crashH, 0);
    sim.run({ until: 3000 });

    const s = st.summary();
    expect(crashes).toBeGreaterThanOrEqual(30);
    expect(departuresWhileDown).toBe(0);
    expect(startsWhileDown).toBe(0);
    expect(busyWhileDown).toBe(0);
    expect(twice).toBe(0);
    expect(s.lost).toBe(expectLost);
    expect(s.failed).toBe(expectFailed);
    if (mode === 'keep') {
      expect(s.refused).toBe(0);
      expect(failToCalls).toBe(0);
    } else {
      expect(expectLost + expectFailed).toBeGreaterThan(20);
      expect(s.refused).toBe(offeredWhileDown);
      expect(offeredWhileDown).toBeGreaterThan(20);
      expect(failToCalls).toBe(s.failed + s.refused);
    }
    // every job offered: departed, lost, failed, refused or still inside, each exactly once
    expect(s.arrivals).toBe(nextSerial);
    expect(accepted).toBe(s.arrivals - s.refused - s.drops);
    expect(s.departures + s.lost + s.failed + s.inSystemAtEnd).toBe(accepted);
    expect(departed.size).toBe(s.departures);
    expect(st.responseTime.count).toBe(s.departures);
    expect(jobs.live).toBe(s.inSystemAtEnd);
    expect(inside.size).toBe(s.inSystemAtEnd);
    // the integrals, recomputed job by job (jobs inside at the end count up to now)
    for (const t0 of inside.values()) areaL += sim.now - t0;
    const L = st.numberInSystem;
    expect(L.integral).toBeCloseTo(areaL, 6);
    if (discipline === 'fifo') {
      for (const t0 of started.values()) areaBusy += sim.now - t0;
      expect(st.busyServers.integral).toBeCloseTo(areaBusy, 6);
    }
    expect(s.availability).toBeGreaterThan(0.8);
    expect(s.availability).toBeLessThan(0.95);
  });
});

describe('Station crash semantics, hand-worked', () => {
  it("'keep' restarts interrupted jobs first, in order, with fresh samples (FIFO, c = 1)", () => {
    const sim = new Simulation();
    const order: number[] = [];
    const samples = new Map<number, number>();
    const st = new Station(sim, {
      name: 'st',
      service: (job) => {
        samples.set(sim.jobs.size[job], (samples.get(sim.jobs.size[job]) ?? 0) + 1);
        return 10;
      },
      onCrash: 'keep',
      queueHistogram: 2,
      to: target((job) => {
        order.push(sim.jobs.size[job]);
        sim.jobs.free(job);
      }),
    });
    inject(sim, st, [0, 1, 2], [0, 1, 2]);
    at(sim, 5, () => st.crash());
    at(sim, 6, () => st.crash()); // no-op: the down period still starts at 5
    at(sim, 8, () => st.recover());
    at(sim, 9, () => st.recover()); // no-op
    sim.run({ until: 40 });
    expect(order).toEqual([0, 1, 2]);
    expect(samples.get(0)).toBe(2);
    expect(samples.get(1)).toBe(1);
    // A restarts at 8 and leaves at 18, B at 28, C at 38
    expect(st.responseTime.mean).toBeCloseTo((18 + 27 + 36) / 3, 12);
    // waiting time of the service that completed... recorded once per job: A 0, B 17, C 26
    expect(st.waitingTime.count).toBe(3);
    expect(st.waitingTime.mean).toBeCloseTo(43 / 3, 12);
    const s = st.summary();
    expect(s.departures).toBe(3);
    expect(s.lost + s.failed + s.refused).toBe(0);
    expect(s.availability).toBeCloseTo(37 / 40, 12);
    expect(s.meanInSystem).toBeCloseTo(81 / 40, 12); // = sum of responses / T
    expect(s.utilisation).toBeCloseTo(35 / 40, 12); // busy [0,5) and [8,38)
    // N: [0,1) 1, [1,2) 2, [2,18) 3, [18,28) 2, [28,38) 1, [38,40) 0; bin 2 holds N >= 2
    const d = st.queueLengthDistribution();
    expect(Array.from(d)).toEqual([2 / 40, 11 / 40, 27 / 40].map((x) => expect.closeTo(x, 12)));
    expect(st.probabilityAtLeast(0)).toBeCloseTo(1, 12);
    expect(st.probabilityAtLeast(1)).toBeCloseTo(38 / 40, 12);
    expect(st.probabilityAtLeast(2)).toBeCloseTo(27 / 40, 12);
    expect(() => st.probabilityAtLeast(3)).toThrow(ParameterError);
    expect(sim.jobs.live).toBe(0);
  });

  it("'keep' with c = 4: the four interrupted jobs restart before the waiting ones, in start order", () => {
    for (const discipline of ['fifo', 'lifo', 'priority'] as Discipline[]) {
      const sim = new Simulation();
      const order: number[] = [];
      const st = new Station(sim, {
        name: 'st',
        service: new Deterministic(10),
        servers: 4,
        discipline,
        onCrash: 'keep',
        to: target((job) => {
          order.push(sim.jobs.size[job]);
          sim.jobs.free(job);
        }),
      });
      inject(sim, st, [0, 1, 2, 3, 4, 4.5], [0, 1, 2, 3, 4, 5]);
      at(sim, 5, () => st.crash());
      inject(sim, st, [6], [6]); // queues while down ('keep')
      at(sim, 8, () => {
        expect(st.busy).toBe(0);
        expect(st.inSystem).toBe(7);
        st.recover();
        expect(st.busy).toBe(4);
      });
      sim.run({ until: 100 });
      if (discipline === 'lifo') {
        // back on top of the stack at the crash, so the later arrival (6) still goes first
        expect(order).toEqual([6, 0, 1, 2, 3, 5, 4]);
      } else {
        // 0..3 restart at 8 and leave at 18; then the waiting ones in order
        expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
      }
      expect(st.waitingTime.count).toBe(7);
      expect(sim.jobs.live).toBe(0);
    }
  });

  it("'keep' under PS: remaining work is frozen while down and resumes", () => {
    const sim = new Simulation();
    const done = new Map<number, number>();
    const st = new Station(sim, {
      name: 'st',
      service: (job) => sim.jobs.size[job],
      discipline: 'ps',
      onCrash: 'keep',
      to: target((job) => {
        done.set(sim.jobs.size[job], sim.now);
        sim.jobs.free(job);
      }),
    });
    inject(sim, st, [0, 0], [10, 4]);
    at(sim, 4, () => st.crash()); // each has 2 done: remaining 8 and 2
    at(sim, 7, () => expect(st.busy).toBe(0));
    at(sim, 10, () => st.recover());
    sim.run({ until: 30 });
    // shared: the small one needs 4 more time units (t = 14); the large then has 6 alone (t = 20)
    expect(done.get(4)).toBeCloseTo(14, 12);
    expect(done.get(10)).toBeCloseTo(20, 12);
    expect(st.summary().utilisation).toBeCloseTo(14 / 30, 12); // busy [0,4) and [10,20)
  });

  it("'keep' stations queue arrivals while down up to capacity; the rest are drops, not refusals", () => {
    const sim = new Simulation();
    let dropped = 0;
    const st = new Station(sim, {
      name: 'st',
      service: new Deterministic(1),
      capacity: 3,
      onCrash: 'keep',
      dropTo: target((job) => {
        dropped++;
        sim.jobs.free(job);
      }),
    });
    at(sim, 0.5, () => st.crash());
    inject(sim, st, [1, 2, 3, 4, 5]);
    at(sim, 6, () => st.recover());
    sim.run({ until: 20 });
    const s = st.summary();
    expect(s.drops).toBe(2);
    expect(dropped).toBe(2);
    expect(s.refused).toBe(0);
    expect(s.departures).toBe(3);
    expect(sim.jobs.live).toBe(0);
  });

  it("'fail' hands jobs inside to failTo (in-service first, in start order, then the queue); refused arrivals follow", () => {
    const sim = new Simulation();
    const failed: number[] = [];
    const st = new Station(sim, {
      name: 'st',
      service: new Deterministic(10),
      servers: 2,
      onCrash: 'fail',
      failTo: target((job) => {
        failed.push(sim.jobs.size[job]);
        sim.jobs.free(job);
      }),
    });
    inject(sim, st, [0, 1, 2, 3, 6, 9], [0, 1, 2, 3, 6, 9]);
    at(sim, 5, () => {
      st.crash();
      expect(failed).toEqual([0, 1, 2, 3]);
      expect(st.summary().inSystemAtEnd).toBe(0);
      expect(sim.pending).toBe(3); // the injections at 6 and 9, the recovery at 7: no departure
    });
    at(sim, 7, () => st.recover());
    sim.run({ until: 30 });
    expect(failed).toEqual([0, 1, 2, 3, 6]);
    const s = st.summary();
    expect(s.failed).toBe(4);
    expect(s.refused).toBe(1);
    expect(s.arrivals).toBe(6);
    expect(s.departures).toBe(1); // the job of t = 9 leaves at 19
    expect(s.meanResponse).toBeCloseTo(10, 12);
    expect(s.availability).toBeCloseTo(28 / 30, 12);
    expect(sim.jobs.live).toBe(0);
  });

  it('failTo defaults to dropTo, else the job is freed; lose frees the jobs inside', () => {
    const sim = new Simulation();
    const viaDrop: number[] = [];
    const a = new Station(sim, {
      name: 'a',
      service: new Deterministic(10),
      onCrash: 'fail',
      dropTo: target((job) => {
        viaDrop.push(sim.jobs.size[job]);
        sim.jobs.free(job);
      }),
    });
    const b = new Station(sim, { name: 'b', service: new Deterministic(10) });
    inject(sim, a, [0, 1, 3], [0, 1, 3]);
    inject(sim, b, [0, 1, 3], [0, 1, 3]);
    at(sim, 2, () => {
      a.crash();
      b.crash();
      expect(sim.jobs.live).toBe(0);
    });
    sim.run({ until: 20 });
    expect(viaDrop).toEqual([0, 1, 3]);
    expect(a.summary()).toMatchObject({ failed: 2, refused: 1, lost: 0, drops: 0, up: false });
    expect(b.summary()).toMatchObject({ lost: 2, refused: 1, failed: 0, departures: 0, up: false });
    expect(b.availability).toBeCloseTo(2 / 20, 12);
    expect(sim.jobs.live).toBe(0);
  });

  it('availability over a known crash schedule is exact, across a statistics reset and while down at the end', () => {
    const sim = new Simulation();
    const st = new Station(sim, { name: 'st', service: new Exponential(1) });
    new Source(sim, { name: 'src', interarrival: new Exponential(0.5), to: st });
    at(sim, 5, () => sim.resetStatistics());
    at(sim, 10, () => st.crash());
    at(sim, 13, () => st.recover());
    at(sim, 50, () => st.crash());
    at(sim, 60, () => st.recover());
    at(sim, 60.5, () => st.recover()); // no-op
    at(sim, 90, () => st.crash());
    at(sim, 95, () => st.crash()); // no-op
    sim.run({ until: 100 });
    expect(st.availability).toBeCloseTo(1 - (3 + 10 + 10) / 95, 12);
    expect(st.summary().up).toBe(false);
    // a reset while down: the down period counts from the reset
    at(sim, 110, () => sim.resetStatistics());
    at(sim, 120, () => st.recover());
    sim.run({ until: 150 });
    expect(st.availability).toBeCloseTo(1 - 10 / 40, 12);
    expect(st.summary().up).toBe(true);
  });

  it('counters restart on resetStatistics', () => {
    const sim = new Simulation({ seed: 3 });
    const st = new Station(sim, {
      name: 'st',
      service: new Exponential(1),
      onCrash: 'lose',
      queueHistogram: 4,
    });
    new Source(sim, { name: 'src', interarrival: new Exponential(0.9), to: st });
    at(sim, 100, () => st.crash());
    at(sim, 150, () => st.recover());
    sim.run({ until: 200 });
    expect(st.refused).toBeGreaterThan(10);
    sim.resetStatistics();
    expect(st.summary()).toMatchObject({ lost: 0, failed: 0, refused: 0, arrivals: 0 });
    sim.run({ until: 300 });
    expect(st.queueLengthDistribution().reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    expect(st.availability).toBe(1);
  });

  it('rejects a bad onCrash, queueHistogram, and reading a histogram that is off', () => {
    const sim = new Simulation();
    expect(
      () =>
        new Station(sim, {
          name: 'x',
          service: new Exponential(1),
          onCrash: 'explode' as CrashMode,
        }),
    ).toThrow(ParameterError);
    expect(
      () => new Station(sim, { name: 'x', service: new Exponential(1), queueHistogram: -1 }),
    ).toThrow(ParameterError);
    expect(
      () => new Station(sim, { name: 'x', service: new Exponential(1), queueHistogram: 2.5 }),
    ).toThrow(ParameterError);
    const st = new Station(sim, { name: 'x', service: new Exponential(1) });
    expect(() => st.queueLengthDistribution()).toThrow(ParameterError);
    expect(() => st.probabilityAtLeast(1)).toThrow(ParameterError);
  });
});

describe('queue-length histogram against M/M/1', () => {
  it('P(N >= i) = rho^i for rho = 0.7, i = 0..5, and the fractions sum to 1', () => {
    const rho = 0.7;
    const B = 5;
    const reps = 12;
    const p: number[][] = Array.from({ length: B + 1 }, () => []);
    for (let r = 0; r < reps; r++) {
      const sim = new Simulation({ seed: 7100 + r });
      const st = new Station(sim, {
        name: 'st',
        service: new Exponential(1),
        quantiles: false,
        queueHistogram: B,
      });
      new Source(sim, { name: 'src', interarrival: new Exponential(rho), to: st });
      sim.run({ until: 200 });
      sim.resetStatistics();
      sim.run({ until: 80_200 });
      const d = st.queueLengthDistribution();
      expect(d.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 10);
      for (let i = 0; i <= B; i++) p[i].push(st.probabilityAtLeast(i));
      // the histogram's mean agrees with the L integral below the last bin
      const tail = st.probabilityAtLeast(B);
      let belowB = 0;
      for (let i = 0; i < B; i++) belowB += i * d[i];
      expect(belowB).toBeLessThanOrEqual(st.numberInSystem.mean);
      expect(belowB + B * tail).toBeLessThanOrEqual(st.numberInSystem.mean + 1e-9);
    }
    expect(p[0].every((x) => Math.abs(x - 1) < 1e-12)).toBe(true);
    // 5 intervals at level 0.999 each: family-wise false-alarm rate below 0.5 % (Bonferroni); each
    // must also be tight (relative half-width below 10 %) so the check has power
    for (let i = 1; i <= B; i++) {
      const ci = confidenceInterval(p[i], 0.999);
      const theory = rho ** i;
      if (!(theory >= ci.lower && theory <= ci.upper))
        throw new Error(`P(N >= ${i}): theory ${theory} outside [${ci.lower}, ${ci.upper}]`);
      expect(ci.relativeHalfWidth).toBeLessThan(0.1);
    }
  });

  it('a deterministic D/D/1 spends exactly half its time empty', () => {
    const sim = new Simulation();
    const st = new Station(sim, { name: 'st', service: new Deterministic(1), queueHistogram: 3 });
    inject(
      sim,
      st,
      Array.from({ length: 50 }, (_, i) => 2 * i),
    );
    sim.run({ until: 100 });
    expect(Array.from(st.queueLengthDistribution())).toEqual(
      [0.5, 0.5, 0, 0].map((x) => expect.closeTo(x, 12)),
    );
  });
});
