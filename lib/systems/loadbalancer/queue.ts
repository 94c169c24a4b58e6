/**
 * HAProxy's backend queues (dispatch.ts): per pool, the requests waiting while every eligible
 * server is at its `maxconn`, FIFO; a slot that frees takes the oldest (src/queue.c,
 * process_srv_queue); a request still queued after `timeout queue` fails with 503. Queued-at times
 * per job (NaN: not queued) make a timeout event of an earlier use of a job id harmless.
 */
import { grownFloat64 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';

export class BackendQueues {
  /** When each job was queued, NaN when it is not. */
  queuedAt: Float64Array = new Float64Array(64).fill(NaN);
  private readonly queues: number[][];
  private readonly heads: number[];
  private readonly timeoutH: number;
  private readonly sim: Simulation;
  private readonly timeout: number;

  /**
   * `pools` queues; `expired(job)` fails a request whose `timeout` (seconds) ran out in its queue;
   * `pick(job, pool)` is a member with room (or < 0) and `send(job, pool, member)` dispatches to it.
   */
  constructor(
    sim: Simulation,
    pools: number,
    timeout: number,
    expired: (job: number) => void,
    private readonly pick: (job: number, pool: number) => number,
    private readonly send: (job: number, pool: number, member: number) => void,
  ) {
    this.sim = sim;
    this.timeout = timeout;
    this.queues = Array.from({ length: pools }, () => []);
    this.heads = new Array(pools).fill(0);
    this.timeoutH = sim.handler((job) => {
      const at = this.queuedAt[job];
      if (at !== at || this.sim.now - at < this.timeout - 1e-9) return;
      this.queuedAt[job] = NaN;
      expired(job);
    }, 'lb.queueTimeout');
  }

  /** Every eligible server of pool pi is at its maxconn: `job` waits, at most `timeout`. */
  enqueue(job: number, pi: number): void {
    this.queuedAt[job] = this.sim.now;
    this.queues[pi].push(job);
    this.sim.schedule(this.timeout, this.timeoutH, job);
  }

  /** A slot freed in pool pi: the oldest queued requests go to servers with room. */
  serve(pi: number): void {
    const q = this.queues[pi];
    let head = this.heads[pi];
    while (head < q.length) {
      const job = q[head];
      if (this.queuedAt[job] !== this.queuedAt[job]) {
        head++; // timed out already
        continue;
      }
      const i = this.pick(job, pi);
      if (i < 0) break;
      head++;
      this.queuedAt[job] = NaN;
      this.send(job, pi, i);
    }
    if (head > 1024 && head * 2 > q.length) {
      q.splice(0, head);
      head = 0;
    }
    this.heads[pi] = head;
  }

  /** Room for job ids below n. */
  grow(n: number): void {
    this.queuedAt = grownFloat64(this.queuedAt, n, NaN);
  }
}
