/**
 * The future-event list against a reference model on random operation sequences (fast-check):
 * a plain array of pending events, the next one found by a linear scan for the least
 * (time, priority, scheduling order). Every fired event (time, handler, argument), every return
 * value of schedule/cancel/reschedule/isPending/timeOf, and `pending`/`peekTime` must agree, with
 * many exact ties in time and priority, growth past the initial capacity, cancels and reschedules
 * (also from inside handlers) and bulk `cancelHandler`.
 */
import fc from 'fast-check';
import { Simulation } from '../../lib/sim';

fc.configureGlobal({ seed: 20261202 });

interface RefEvent {
  id: number;
  time: number;
  priority: number;
  seq: number;
  handler: number;
  arg: number;
}

/** The reference: ids recycled last-freed-first, as the kernel documents. */
class RefList {
  now = 0;
  seq = 0;
  pending: RefEvent[] = [];
  free: number[] = [];
  nextId = 0;
  fired: number[][] = [];
  private alloc(): number {
    return this.free.length > 0 ? (this.free.pop() as number) : this.nextId++;
  }
  schedule(time: number, handler: number, arg: number, priority: number): number {
    const id = this.alloc();
    this.pending.push({ id, time, priority, seq: this.seq++, handler, arg });
    return id;
  }
  private index(id: number): number {
    return this.pending.findIndex((e) => e.id === id);
  }
  cancel(id: number): boolean {
    const i = this.index(id);
    if (i < 0) return false;
    this.pending.splice(i, 1);
    this.free.push(id);
    return true;
  }
  reschedule(id: number, time: number): boolean {
    const i = this.index(id);
    if (i < 0) return false;
    this.pending[i].time = time;
    this.pending[i].seq = this.seq++;
    return true;
  }
  timeOf(id: number): number {
    const i = this.index(id);
    return i < 0 ? NaN : this.pending[i].time;
  }
  private least(): number {
    let b = 0;
    for (let i = 1; i < this.pending.length; i++) {
      const e = this.pending[i];
      const m = this.pending[b];
      if (
        e.time < m.time ||
        (e.time === m.time &&
          (e.priority < m.priority || (e.priority === m.priority && e.seq < m.seq)))
      )
        b = i;
    }
    return b;
  }
  peekTime(): number {
    return this.pending.length === 0 ? Infinity : this.pending[this.least()].time;
  }
  /** Pops the next event; returns it (the caller runs its reaction). */
  pop(): RefEvent {
    const e = this.pending.splice(this.least(), 1)[0];
    this.now = e.time;
    this.free.push(e.id);
    this.fired.push([e.time, e.handler, e.arg]);
    return e;
  }
  cancelHandler(handler: number): number[] {
    const hit = this.pending
      .filter((e) => e.handler === handler)
      .sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    for (const e of hit) this.cancel(e.id);
    return hit.map((e) => e.arg);
  }
}

// operations: times on a coarse grid (many exact ties), priorities in {-1, 0, 1}
type Op =
  | { k: 'schedule'; dt: number; h: number; p: number }
  | { k: 'cancel'; pick: number }
  | { k: 'reschedule'; pick: number; dt: number }
  | { k: 'run'; events: number }
  | { k: 'cancelHandler'; h: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('schedule' as const),
      dt: fc.integer({ min: 0, max: 12 }),
      h: fc.integer({ min: 0, max: 2 }),
      p: fc.integer({ min: -1, max: 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('reschedule' as const),
      pick: fc.nat(),
      dt: fc.integer({ min: 0, max: 12 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('run' as const),
      events: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('cancelHandler' as const),
      h: fc.integer({ min: 0, max: 2 }),
    }),
  },
);

/**
 * Handler reactions, the same on both sides: handler 0 does nothing, handler 1 schedules a
 * follow-up (handler 0) at a delay from its argument, handler 2 reschedules or cancels the most
 * recently handed-out id (a no-op if it is no longer pending).
 */
function check(ops: Op[]): void {
  const sim = new Simulation();
  const ref = new RefList();
  const fired: number[][] = [];
  const hs: number[] = [];
  // ids in the order they were handed out (they must agree, so one list serves both sides)
  const simIds: number[] = [];
  const refIds: number[] = [];
  for (let h = 0; h < 3; h++) {
    hs.push(
      sim.handler((arg) => {
        // what a handler sees: handler 0 the pending count and next time, handler 1 the count
        if (h === 0) fired.push([sim.now, h, arg, sim.pending, sim.peekTime()]);
        else if (h === 1) fired.push([sim.now, h, arg, sim.pending]);
        else fired.push([sim.now, h, arg]);
        if (h === 1) simIds.push(sim.schedule((arg % 5) * 0.25, hs[0], arg + 1000));
        if (h === 2 && simIds.length > 0) {
          const id = simIds[simIds.length - 1];
          if (arg % 2 === 0) sim.reschedule(id, sim.now + (arg % 7) * 0.25);
          else sim.cancel(id);
        }
      }),
    );
  }
  const refReact = (e: RefEvent) => {
    const seen = ref.fired[ref.fired.length - 1];
    if (e.handler === 0) seen.push(ref.pending.length, ref.peekTime());
    if (e.handler === 1) seen.push(ref.pending.length);
    if (e.handler === 1)
      refIds.push(ref.schedule(ref.now + (e.arg % 5) * 0.25, 0, e.arg + 1000, 0));
    if (e.handler === 2 && refIds.length > 0) {
      const id = refIds[refIds.length - 1];
      if (e.arg % 2 === 0) ref.reschedule(id, ref.now + (e.arg % 7) * 0.25);
      else ref.cancel(id);
    }
  };
  let arg = 0;
  for (const o of ops) {
    if (o.k === 'schedule') {
      const a = arg++;
      const s = sim.schedule(o.dt * 0.25, hs[o.h], a, o.p);
      const r = ref.schedule(ref.now + o.dt * 0.25, o.h, a, o.p);
      expect(s).toBe(r);
      simIds.push(s);
      refIds.push(r);
    } else if (o.k === 'cancel' || o.k === 'reschedule') {
      if (simIds.length === 0) continue;
      const id = simIds[o.pick % simIds.length];
      if (o.k === 'cancel') expect(sim.cancel(id)).toBe(ref.cancel(id));
      else
        expect(sim.reschedule(id, sim.now + o.dt * 0.25)).toBe(
          ref.reschedule(id, ref.now + o.dt * 0.25),
        );
      expect(sim.isPending(id)).toBe(!Number.isNaN(ref.timeOf(id)));
      expect(sim.timeOf(id)).toEqual(ref.timeOf(id));
    } else if (o.k === 'cancelHandler') {
      expect(sim.cancelHandler(hs[o.h])).toEqual(ref.cancelHandler(o.h));
    } else {
      const r = sim.run({ maxEvents: o.events });
      for (let i = 0; i < r.events && ref.pending.length > 0; i++) refReact(ref.pop());
    }
    expect(sim.pending).toBe(ref.pending.length);
    expect(sim.peekTime()).toBe(ref.peekTime());
  }
  sim.run({ maxEvents: 100000 });
  while (ref.pending.length > 0) refReact(ref.pop());
  expect(fired).toEqual(ref.fired);
}

describe('future-event list against a reference model', () => {
  it('agrees on random operation sequences (ties, priorities, cancels, reschedules, growth)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 400 }), (ops) => {
        check(ops);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
  });

  it('agrees past the initial capacity with thousands of pending events', () => {
    const ops: Op[] = [];
    for (let i = 0; i < 1500; i++)
      ops.push({ k: 'schedule', dt: (i * 7919) % 13, h: i % 3, p: (i % 3) - 1 });
    for (let i = 0; i < 200; i++)
      ops.push({ k: 'cancel', pick: i * 31 }, { k: 'reschedule', pick: i * 17, dt: i % 13 });
    ops.push({ k: 'run', events: 1000 }, { k: 'cancelHandler', h: 1 });
    check(ops);
  });
});
