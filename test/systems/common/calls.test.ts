import { Deterministic, Exponential } from '../../../lib/random';
import { Simulation, Sink, Source, Station, confidenceInterval, target } from '../../../lib/sim';
import type { JobTarget } from '../../../lib/sim';
import { CALL_ERROR, CALL_OK, CALL_TIMEOUT, Calls } from '../../../lib/systems/common/calls';

/**
 * The example of lib/systems/README.md: a web server that, for each request, runs on its CPU,
 * calls the cache and, on a miss, the database, then replies. Every hop is a Station; the call
 * layer carries the request from one to the next and back.
 */
function webApplication(sim: Simulation, hitRatio: number, databaseTimeout = Infinity) {
  const calls = Calls.of(sim);
  const done = new Sink(sim, { name: 'replied' });
  const failed = new Sink(sim, { name: 'failed' });
  const hits = sim.streams.get('cache.hits');
  const cache = new Station(sim, {
    name: 'cache',
    service: new Exponential(4),
    to: calls.reply,
    dropTo: calls.error,
  });
  const database = new Station(sim, {
    name: 'database',
    service: new Exponential(1),
    to: calls.reply,
    dropTo: calls.error,
  });
  const afterDatabase: JobTarget = target((req) =>
    (calls.outcome[req] === CALL_OK ? done : failed).accept(req),
  );
  const afterCache: JobTarget = target((req) => {
    if (calls.outcome[req] !== CALL_OK) failed.accept(req);
    else if (hits.next() < hitRatio) done.accept(req);
    else calls.call(req, database, afterDatabase, databaseTimeout); // a miss: the database
  });
  const web = new Station(sim, {
    name: 'web',
    service: new Exponential(2),
    to: target((req) => calls.call(req, cache, afterCache)),
  });
  new Source(sim, { name: 'users', interarrival: new Exponential(0.5), to: web });
  return { calls, done, failed, web, cache, database };
}

describe('calls between components: a web server, a cache and a database', () => {
  it('mean response inside the Jackson network closed form (99.9 % interval over 20 replications)', () => {
    // lambda 0.5; web mu 2, cache mu 4, database mu 1 fed only the misses: 0.5 x 0.4 = 0.2.
    // Feed-forward Jackson network (Jackson 1957): T = 1/(2 - 0.5) + 1/(4 - 0.5) + 0.4/(1 - 0.2).
    const theory = 1 / 1.5 + 1 / 3.5 + 0.4 / 0.8;
    const means: number[] = [];
    for (let r = 0; r < 20; r++) {
      const sim = new Simulation({ seed: 40 + r });
      const app = webApplication(sim, 0.6);
      sim.run({ until: 200 });
      sim.resetStatistics();
      sim.run({ until: 8200 });
      means.push(app.done.responseTime.mean);
      expect(app.failed.count).toBe(0);
      // the database sees only the misses
      expect(app.database.summary().throughput / app.cache.summary().throughput).toBeGreaterThan(
        0.35,
      );
      expect(app.database.summary().throughput / app.cache.summary().throughput).toBeLessThan(0.45);
    }
    const ci = confidenceInterval(means, 0.999);
    expect(ci.lower).toBeLessThan(theory);
    expect(ci.upper).toBeGreaterThan(theory);
    expect(ci.relativeHalfWidth).toBeLessThan(0.05);
  });

  it('a caller-side timeout: the share of database calls that time out is P(T > 5) = e^-(mu - lambda) 5', () => {
    // the database is M/M/1 with lambda 0.2, mu 1: its response time is Exp(0.8), so P(T > 5) = e^-4.
    // A timed-out call's work goes on (the database does not know), so the queue is unchanged.
    const shares: number[] = [];
    for (let r = 0; r < 20; r++) {
      const sim = new Simulation({ seed: 300 + r });
      const app = webApplication(sim, 0.6, 5);
      sim.run({ until: 200 });
      sim.resetStatistics();
      sim.run({ until: 30200 });
      shares.push(app.failed.count / app.database.summary().arrivals);
      expect(app.calls.waitsTimedOut).toBe(app.failed.count);
    }
    // independent replications: a 99.9 % Student-t interval of the share must hold e^-4
    const ci = confidenceInterval(shares, 0.999);
    expect(ci.lower).toBeLessThan(Math.exp(-4));
    expect(ci.upper).toBeGreaterThan(Math.exp(-4));
    expect(ci.relativeHalfWidth).toBeLessThan(0.2);
  });

  it('conservation: every request replied or failed once, every child freed', () => {
    const sim = new Simulation({ seed: 7 });
    const app = webApplication(sim, 0.6);
    sim.run({ until: 2000 });
    const inside = app.web.inSystem + app.cache.inSystem + app.database.inSystem;
    const live = sim.jobs.live;
    // every live job is a request in a station (a child is the same count: one per waiting request)
    expect(app.calls.calls).toBe(
      app.calls.answered +
        app.calls.failed +
        app.calls.late +
        app.cache.inSystem +
        app.database.inSystem,
    );
    expect(live).toBeGreaterThanOrEqual(inside);
    expect(app.calls.waits).toBe(
      app.calls.waitsOk +
        app.calls.waitsError +
        app.calls.waitsTimedOut +
        (app.cache.inSystem + app.database.inSystem),
    );
  });
});

describe('waits: all, first, k of n, timeouts, errors', () => {
  /** A parent fanning out to `n` infinite-server stations of the given service. */
  function fanOut(
    seed: number,
    n: number,
    need: number,
    service: (i: number) => import('../../../lib/random').Distribution,
    timeout = Infinity,
    capacity?: number,
  ) {
    const sim = new Simulation({ seed });
    const calls = Calls.of(sim);
    const leaves = Array.from(
      { length: n },
      (_, i) =>
        new Station(sim, {
          name: `leaf${i}`,
          service: service(i),
          servers: 1000,
          capacity,
          to: calls.reply,
          dropTo: calls.error,
        }),
    );
    const ended: Array<{ t: number; outcome: number }> = [];
    const parent = sim.jobs.alloc();
    calls.wait(parent, {
      count: n,
      need,
      timeout,
      then: target((p) => ended.push({ t: sim.now, outcome: calls.outcome[p] })),
    });
    for (let i = 0; i < n; i++) leaves[i].accept(calls.child(parent, i));
    sim.run({ until: 100 });
    return { sim, calls, ended, leaves };
  }
  const det = (i: number) => new Deterministic(i + 1);

  it('deterministic leaves of 1, 2, 3 s: all at 3, first at 1, two of three at 2', () => {
    expect(fanOut(1, 3, 3, det).ended).toEqual([{ t: 3, outcome: CALL_OK }]);
    const first = fanOut(1, 3, 1, det);
    expect(first.ended).toEqual([{ t: 1, outcome: CALL_OK }]);
    expect(first.calls.late).toBe(2); // the losers still answered, and were discarded
    expect(fanOut(1, 3, 2, det).ended).toEqual([{ t: 2, outcome: CALL_OK }]);
  });

  it('a timeout ends the wait at its time; later answers are late; nothing leaks', () => {
    const r = fanOut(1, 3, 3, det, 1.5);
    expect(r.ended).toEqual([{ t: 1.5, outcome: CALL_TIMEOUT }]);
    expect(r.calls.late).toBe(2);
    expect(r.calls.answered).toBe(1);
    expect(r.sim.jobs.live).toBe(1); // only the parent
    expect(r.sim.pending).toBe(0);
  });

  it('a refused call fails a wait-for-all at once; a 2-of-3 wait survives one refusal', () => {
    const refuseFirst = (need: number) => {
      const sim = new Simulation({ seed: 1 });
      const calls = Calls.of(sim);
      const full = new Station(sim, {
        name: 'full',
        service: new Deterministic(10),
        capacity: 1,
        to: calls.reply,
        dropTo: calls.error,
      });
      full.accept(sim.jobs.alloc()); // occupies it
      const ok = [1, 2].map(
        (i) =>
          new Station(sim, {
            name: `ok${i}`,
            service: new Deterministic(i),
            servers: 10,
            to: calls.reply,
            dropTo: calls.error,
          }),
      );
      const ended: Array<{ t: number; outcome: number }> = [];
      const parent = sim.jobs.alloc();
      calls.wait(parent, {
        count: 3,
        need,
        then: target((p) => ended.push({ t: sim.now, outcome: calls.outcome[p] })),
      });
      full.accept(calls.child(parent));
      ok[0].accept(calls.child(parent)); // made after the wait ended (need 3): answered late
      ok[1].accept(calls.child(parent));
      sim.run({ until: 50 });
      return { ended, calls };
    };
    const all = refuseFirst(3);
    expect(all.ended).toEqual([{ t: 0, outcome: CALL_ERROR }]);
    expect(all.calls.late).toBe(2);
    expect(refuseFirst(2).ended).toEqual([{ t: 2, outcome: CALL_OK }]);
  });

  it('exponential leaves, no queueing: E[max of n] = H_n / mu, E[first] = 1/(n mu), 2 of 3 = 1/3 + 1/2', () => {
    // order statistics of i.i.d. exponentials (Renyi's representation)
    const cases: Array<[number, number]> = [
      [3, 1 + 1 / 2 + 1 / 3],
      [1, 1 / 3],
      [2, 1 / 3 + 1 / 2],
    ];
    for (const [need, theory] of cases) {
      const sim = new Simulation({ seed: 11 + need });
      const calls = Calls.of(sim);
      const leaves = [0, 1, 2].map(
        (i) =>
          new Station(sim, {
            name: `leaf${i}`,
            service: new Exponential(1),
            servers: 10000,
            to: calls.reply,
          }),
      );
      const waited: number[] = [];
      let start = 0;
      const next = target((p) => {
        waited.push(sim.now - start);
        if (waited.length < 8000) begin(p);
      });
      const begin = (p: number) => {
        start = sim.now;
        calls.wait(p, { count: 3, need, then: next });
        for (const leaf of leaves) leaf.accept(calls.child(p));
      };
      begin(sim.jobs.alloc());
      sim.run({ until: 1e9 });
      const ci = confidenceInterval(waited, 0.999);
      expect(ci.lower).toBeLessThan(theory);
      expect(ci.upper).toBeGreaterThan(theory);
      expect(ci.relativeHalfWidth).toBeLessThan(0.05);
    }
  });

  it('fire-and-forget calls and typed errors', () => {
    const sim = new Simulation({ seed: 1 });
    const calls = Calls.of(sim);
    expect(Calls.of(sim)).toBe(calls);
    const queue = new Station(sim, {
      name: 'queue',
      service: new Deterministic(1),
      to: calls.reply,
    });
    calls.send(queue);
    sim.run({ until: 5 });
    expect(calls.answered).toBe(1);
    expect(sim.jobs.live).toBe(0);
    const p = sim.jobs.alloc();
    expect(() => calls.child(p)).toThrow(/parent = \d+ .*no wait/);
    calls.wait(p, { then: target(() => undefined) });
    expect(() => calls.wait(p, { then: target(() => undefined) })).toThrow(/already waiting/);
    const q = sim.jobs.alloc();
    expect(() => calls.wait(q, { count: 3, need: 4, then: target(() => undefined) })).toThrow(
      /need = 4/,
    );
    expect(() => calls.wait(q, { count: 0, then: target(() => undefined) })).toThrow(/count = 0/);
    expect(() => calls.wait(q, { timeout: -1, then: target(() => undefined) })).toThrow(
      /timeout = -1/,
    );
    expect(() => calls.wait(q, { then: null as never })).toThrow(/then = null/);
  });
});
