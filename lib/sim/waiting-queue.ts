import type { Jobs } from './jobs';
import type { Discipline } from './station-options';

/**
 * A station's waiting jobs, by discipline: a ring buffer (FIFO), a stack (LIFO, non-preemptive)
 * or a binary min-heap with a double key per entry (priority: `jobs.priority`, then the arrival
 * sequence, so FIFO within a class; PS: the finish tag V_arrival + work, then the job id). All
 * three grow by doubling (the ring's length stays a power of two) and allocate nothing per job.
 *
 * `pushFront` puts a job back at the head (the next to leave), as a crash with `onCrash: 'keep'`
 * does with the jobs it interrupted: at the ring's head, on top of the stack, or in the heap with
 * a key below every sequence number (first in its priority class).
 */
export class WaitingQueue {
  /** Jobs waiting. */
  length = 0;
  private q: Int32Array;
  private qKey: Float64Array; // priority heap: seq; ps heap: finish tag
  private head = 0;
  private seq = 0;
  // priority heap keys of jobs put back at the head (below every seq)
  private headSeq = -1;
  private readonly fifo: boolean;
  private readonly lifo: boolean;
  private readonly priority: boolean;
  private readonly jobs: Jobs;

  constructor(discipline: Discipline, jobs: Jobs) {
    this.q = new Int32Array(16);
    this.qKey = new Float64Array(discipline === 'priority' || discipline === 'ps' ? 16 : 0);
    this.fifo = discipline === 'fifo';
    this.lifo = discipline === 'lifo';
    this.priority = discipline === 'priority';
    this.jobs = jobs;
  }

  /** Least key of the heap (PS: the next finish tag); only while length > 0. */
  get minKey(): number {
    return this.qKey[0];
  }

  /** A job joins the queue (FIFO: at the tail; LIFO: on top; priority: by (priority, arrival)). */
  push(job: number): void {
    if (this.length === this.q.length) this.grow();
    if (this.fifo) {
      this.q[(this.head + this.length) & (this.q.length - 1)] = job;
      this.length++;
    } else if (this.lifo) {
      this.q[this.length++] = job;
    } else {
      this.heapPush(job, this.seq++);
    }
  }

  /** Puts a job at the head of the queue (the next to start); a priority job first in its class. */
  pushFront(job: number): void {
    if (this.length === this.q.length) this.grow();
    if (this.fifo) {
      this.head = (this.head - 1) & (this.q.length - 1);
      this.q[this.head] = job;
      this.length++;
    } else if (this.lifo) {
      this.q[this.length++] = job;
    } else {
      this.heapPush(job, this.headSeq--);
    }
  }

  /** The next job to serve, removed (only while length > 0). */
  pop(): number {
    if (this.fifo) {
      const job = this.q[this.head];
      this.head = (this.head + 1) & (this.q.length - 1);
      this.length--;
      return job;
    }
    if (this.lifo) return this.q[--this.length];
    return this.heapPop();
  }

  private grow(): void {
    const n = this.q.length;
    const q = new Int32Array(n * 2);
    if (this.fifo) {
      for (let i = 0; i < this.length; i++) q[i] = this.q[(this.head + i) & (n - 1)];
      this.head = 0;
    } else {
      q.set(this.q);
      const k = new Float64Array(n * 2);
      k.set(this.qKey);
      this.qKey = k;
    }
    this.q = q;
  }

  /** Heap order: priority stations compare (jobs.priority, seq); PS compares the finish tag. */
  private before(a: number, ka: number, b: number, kb: number): boolean {
    if (this.priority) {
      const pr = this.jobs.priority;
      const pa = pr[a];
      const pb = pr[b];
      return pa < pb || (pa === pb && ka < kb);
    }
    return ka < kb || (ka === kb && a < b);
  }

  /** Inserts `job` with `key` into the heap (priority and PS). */
  heapPush(job: number, key: number): void {
    if (this.length === this.q.length) this.grow();
    let i = this.length++;
    const q = this.q;
    const k = this.qKey;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(job, key, q[p], k[p])) break;
      q[i] = q[p];
      k[i] = k[p];
      i = p;
    }
    q[i] = job;
    k[i] = key;
  }

  /** Removes and returns the heap's least job (priority and PS). */
  heapPop(): number {
    const q = this.q;
    const k = this.qKey;
    const top = q[0];
    const n = --this.length;
    if (n > 0) {
      const job = q[n];
      const key = k[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && this.before(q[c + 1], k[c + 1], q[c], k[c])) c++;
        if (!this.before(q[c], k[c], job, key)) break;
        q[i] = q[c];
        k[i] = k[c];
        i = c;
      }
      q[i] = job;
      k[i] = key;
    }
    return top;
  }
}
