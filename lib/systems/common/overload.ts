/**
 * A system's overload flag, from its queues, without the caller passing the offered load: the
 * system is overloaded over a run when one of its stations is, that is when the station's offered
 * load is known to reach its capacity or its number inside grew without bound over the
 * observation (the kernel's growth test, lib/sim/overload.ts: net growth beyond 4·√(A + D) + 10
 * jobs and 1 % of the arrivals; Whitt, Stochastic-Process Limits, 2002, ch. 9). A steady-state
 * mean of such a run only tracks the run length: callers report it as overloaded, not as a value.
 */
import type { Station } from '../../sim/station';

export interface OverloadSummary {
  /** True when some queue of the system grew without bound (or was offered at least its capacity). */
  overloaded: boolean;
  /** The names of the stations that did, in the system's order. */
  overloadedAt: string[];
}

/** The flag over `stations` (each station's O(1) `overloaded` getter; no summary is computed). */
export function overloadOf(stations: Iterable<Station>): OverloadSummary {
  const at: string[] = [];
  for (const s of stations) if (s.overloaded) at.push(s.name);
  return { overloaded: at.length > 0, overloadedAt: at };
}

/** Two flags joined (a system made of parts, e.g. its stations and a queue of its own). */
export function joinOverload(...parts: OverloadSummary[]): OverloadSummary {
  const at = parts.flatMap((p) => p.overloadedAt);
  return { overloaded: parts.some((p) => p.overloaded), overloadedAt: at };
}
