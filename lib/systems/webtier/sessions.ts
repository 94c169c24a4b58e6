/**
 * The web tier's sessions (system.ts): which sessions are active (a dense list with each one's
 * index, O(1) start and end), the server each `memory` session lives on (`home`, -1: none) and the
 * sessions each server holds (`sessionsOn`, against `max_sessions`). A session is named by an
 * integer: the user's job id in the tier's own load, the caller's user id in called mode. A
 * server lost (crash, or scale-in of a `memory` server) loses the sessions it holds.
 */
import { grownInt32 } from '../../sim/grown';

export class SessionTable {
  /** Sessions held per server (memory store). */
  readonly sessionsOn: Int32Array;
  /** The active sessions, in no order. */
  readonly active: number[] = [];
  /** Server holding each session, or -1. */
  home: Int32Array = new Int32Array(1024).fill(-1);
  /** Each session's index in `active`, or -1 when it is not active. */
  activeIdx: Int32Array = new Int32Array(1024).fill(-1);

  constructor(servers: number) {
    this.sessionsOn = new Int32Array(servers);
  }

  /** Room for session ids below `cap`. */
  grow(cap: number): void {
    if (cap <= this.home.length) return;
    this.home = grownInt32(this.home, cap, -1);
    this.activeIdx = grownInt32(this.activeIdx, cap, -1);
  }

  isActive(s: number): boolean {
    return this.activeIdx[s] >= 0;
  }

  start(s: number): void {
    this.activeIdx[s] = this.active.length;
    this.active.push(s);
  }

  /** Session s ends (or is lost): off the list, off its server. */
  end(s: number): void {
    const idx = this.activeIdx[s];
    if (idx < 0) return;
    const last = this.active.pop() as number;
    if (last !== s) {
      this.active[idx] = last;
      this.activeIdx[last] = idx;
    }
    this.activeIdx[s] = -1;
    const h = this.home[s];
    if (h >= 0) this.sessionsOn[h]--;
    this.home[s] = -1;
  }

  /** Ends every session held on server i; returns how many. */
  loseOn(i: number): number {
    const a = this.active;
    let lost = 0;
    for (let k = a.length - 1; k >= 0; k--) {
      const s = a[k];
      if (this.home[s] !== i) continue;
      lost++;
      this.end(s);
    }
    return lost;
  }
}
