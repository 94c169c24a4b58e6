/**
 * A caller for the called-component tests (lib/systems/README.md, "Components called by others"):
 * open Poisson requests, each a parent job that opens a wait through common.Calls and sends one
 * child to the component's entry. It counts the waits' outcomes and checks, at the end, that every
 * child was answered exactly once (to reply or error): Calls counts every answer that counts
 * (`answered + failed`), every late one (`late`), and a second answer to the same child would be
 * counted again (its parent link is cleared by the first), so answered + failed + late = calls.
 */
import { Exponential } from '../../../lib/random/exponential';
import { CALL_OK, CALL_TIMEOUT, Calls } from '../../../lib/systems/common/calls';
import type { Simulation } from '../../../lib/sim/simulation';
import { Source } from '../../../lib/sim/source';
import type { JobTarget } from '../../../lib/sim/target';

export interface Caller {
  calls: Calls;
  source: Source;
  sent: number;
  ok: number;
  errors: number;
  timeouts: number;
  /** Parents' response times (child sent to the wait's end), answered ones only. */
  responses: number[];
  /** Answered + failed + late children minus children sent: 0 once every child came back exactly once. */
  unanswered(): number;
}

export interface CallerOptions {
  rate: number;
  /** Requests to send (the source stops after them). */
  limit: number;
  /** Sets what the component needs of the child before it is sent (a key, an address, a work). */
  before?: (child: number, parent: number) => void;
  /** Caller-side timeout (default none). */
  timeout?: number;
  stream?: string;
}

export function caller(sim: Simulation, entry: JobTarget, o: CallerOptions): Caller {
  const calls = Calls.of(sim);
  const bornAt: number[] = [];
  const out: Caller = {
    calls,
    source: null as unknown as Source,
    sent: 0,
    ok: 0,
    errors: 0,
    timeouts: 0,
    responses: [],
    unanswered: () => calls.calls - calls.answered - calls.failed - calls.late,
  };
  const done: JobTarget = {
    accept: (parent) => {
      const outcome = calls.outcome[parent];
      if (outcome === CALL_OK) {
        out.ok++;
        out.responses.push(sim.now - bornAt[parent]);
      } else if (outcome === CALL_TIMEOUT) out.timeouts++;
      else out.errors++;
      sim.jobs.free(parent);
    },
  };
  out.source = new Source(sim, {
    name: o.stream ?? 'caller',
    interarrival: new Exponential(o.rate),
    limit: o.limit,
    to: {
      accept: (parent) => {
        out.sent++;
        bornAt[parent] = sim.now;
        calls.wait(parent, { then: done, timeout: o.timeout });
        const child = calls.child(parent);
        if (o.before) o.before(child, parent);
        entry.accept(child);
      },
    },
  });
  return out;
}
