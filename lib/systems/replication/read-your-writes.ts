/**
 * Read-your-writes by waiting for apply: a read of a session whose last acknowledged write is
 * `target` waits on the chosen replica until that replica has applied `target` (MySQL
 * `WAIT_FOR_EXECUTED_GTID_SET(gtids, timeout)`, or a PostgreSQL client comparing
 * `pg_last_wal_replay_lsn()` with the LSN its commit returned), then is served there. After
 * `rywWaitTimeout` seconds it gives up and goes to the primary (counted in `rywTimeouts`).
 *
 * Waiting reads are kept per replica in a binary min-heap keyed by target position (typed
 * arrays), so each apply releases exactly the reads it satisfies, smallest target first.
 */
import { grownInt32 } from '../../sim/grown';
import { Part } from './parts';
import type { Parts } from './parts';
import type { ClusterState } from './state';
import type { ReplicationStats } from './statistics';

/** One replica's waiting reads: a min-heap of (target position, job). */
class WaitHeap {
  target: Int32Array = new Int32Array(16);
  job: Int32Array = new Int32Array(16);
  size = 0;

  push(targetSeq: number, job: number): void {
    if (this.size === this.target.length) {
      this.target = grownInt32(this.target, this.size * 2);
      this.job = grownInt32(this.job, this.size * 2);
    }
    this.siftUp(this.size++, targetSeq, job);
  }

  /** Removes and returns the job of smallest target (the heap must not be empty). */
  pop(): number {
    const top = this.job[0];
    this.removeAt(0);
    return top;
  }

  /** Removes `job` if it waits here; false if not. */
  remove(job: number): boolean {
    for (let i = 0; i < this.size; i++) {
      if (this.job[i] === job) {
        this.removeAt(i);
        return true;
      }
    }
    return false;
  }

  /** Moves the last entry into slot i and restores the heap order (up, then down). */
  private removeAt(i: number): void {
    const n = --this.size;
    if (i === n) return;
    const lt = this.target[n];
    const lj = this.job[n];
    const t = this.target;
    const j = this.job;
    let k = i;
    while (k > 0 && t[(k - 1) >> 1] > lt) {
      const p = (k - 1) >> 1;
      t[k] = t[p];
      j[k] = j[p];
      k = p;
    }
    for (;;) {
      let c = 2 * k + 1;
      if (c >= n) break;
      if (c + 1 < n && t[c + 1] < t[c]) c++;
      if (t[c] >= lt) break;
      t[k] = t[c];
      j[k] = j[c];
      k = c;
    }
    t[k] = lt;
    j[k] = lj;
  }

  private siftUp(i: number, targetSeq: number, job: number): void {
    const t = this.target;
    const j = this.job;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] <= targetSeq) break;
      t[i] = t[p];
      j[i] = j[p];
      i = p;
    }
    t[i] = targetSeq;
    j[i] = job;
  }
}

export class ReadYourWrites extends Part {
  private readonly heaps: WaitHeap[] = [];
  private readonly timeoutH: number;

  constructor(state: ClusterState, stats: ReplicationStats, parts: Parts) {
    super(state, stats, parts);
    for (let r = 0; r < state.nodeCount; r++) this.heaps.push(new WaitHeap());
    this.timeoutH = state.sim.handler((job) => this.timeout(job), 'replication.rywTimeout');
  }

  /** Read `job` waits on replica r until it has applied `targetSeq` (or the timeout). */
  wait(r: number, targetSeq: number, job: number): void {
    const st = this.state;
    this.stats.rywWaits++;
    this.heaps[r].push(targetSeq, job);
    const a = this.sim.jobs.attributes;
    a[st.aNode][job] = r;
    const timeout = st.config.rywWaitTimeout;
    a[st.aWaitEvent][job] =
      timeout === Infinity ? -1 : this.sim.schedule(timeout, this.timeoutH, job);
  }

  /** Pops the next waiting read with target <= upTo (cancelling its timeout), or -1. */
  private popWaiting(r: number, upTo: number): number {
    const h = this.heaps[r];
    if (h.size === 0 || h.target[0] > upTo) return -1;
    const job = h.pop();
    const a = this.sim.jobs.attributes;
    const aWait = this.state.aWaitEvent;
    const ev = a[aWait][job];
    if (ev >= 0) this.sim.cancel(ev);
    a[aWait][job] = -1;
    return job;
  }

  /** Replica r has applied more: the reads it now satisfies are served there. */
  release(r: number): void {
    const routing = this.parts.routing;
    const applied = this.state.appliedPos;
    for (let job = this.popWaiting(r, applied[r]); job >= 0; job = this.popWaiting(r, applied[r]))
      routing.toNode(r, job);
  }

  /** Replica r crashed: its waiting reads fail (the client's connection is reset). */
  failAll(r: number): void {
    const routing = this.parts.routing;
    for (let job = this.popWaiting(r, Infinity); job >= 0; job = this.popWaiting(r, Infinity))
      routing.fail(job);
  }

  /** Replica r became the primary: it has every surviving write, so its waiting reads are served. */
  serveAll(r: number): void {
    const routing = this.parts.routing;
    for (let job = this.popWaiting(r, Infinity); job >= 0; job = this.popWaiting(r, Infinity))
      routing.toNode(r, job);
  }

  /** rywWaitTimeout expired: the read leaves the replica's waiting heap and goes to the primary. */
  private timeout(job: number): void {
    const a = this.sim.jobs.attributes;
    a[this.state.aWaitEvent][job] = -1;
    const r = a[this.state.aNode][job];
    if (!this.heaps[r].remove(job)) return;
    this.stats.rywTimeouts++;
    this.parts.routing.toPrimary(job);
  }
}
