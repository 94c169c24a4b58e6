/**
 * What became of an architecture simulation's requests (./simulate.ts): the answered ones' response
 * times as a LatencySummary (all datacenters; datacenter 0's apart with an outage and several
 * datacenters; with a site loss, those born after every user of datacenter 0 moved), and the
 * failed ones (refused, lost by a crashed server, a failed call), all and datacenter 0's.
 * Everything restarts on sim.resetStatistics().
 */
import type { Simulation } from '../../sim/simulation';
import { Latency, type LatencySummary } from '../common/latency';

export class Outcomes {
  readonly latency: Latency;
  failed = 0;
  private failedDc0 = 0;
  /** Datacenter 0's answered requests, where the outage is (null without one or with one datacenter). */
  private readonly dc0Latency: Latency | null;
  /** Answered requests born at or after `movedAfter()` (with a site loss; null without). */
  private readonly afterMove: Latency | null;

  /** `outage`: a run with one; `movedBy`: with a site loss, when every user of datacenter 0 has moved. */
  constructor(
    private readonly sim: Simulation,
    private readonly outage: boolean,
    datacenters: number,
    private readonly movedBy: (() => number) | null,
  ) {
    this.latency = new Latency(sim);
    this.dc0Latency = outage && datacenters > 1 ? new Latency(sim) : null;
    this.afterMove = movedBy !== null ? new Latency(sim) : null;
    sim.onReset(() => {
      this.failed = this.failedDc0 = 0;
    });
  }

  /** A request of a user of datacenter `home` failed. */
  fail(home: number): void {
    this.failed++;
    if (home === 0) this.failedDc0++;
  }

  /** Request `job` of a user of datacenter `home` is answered now. */
  answer(job: number, home: number): void {
    const born = this.sim.jobs.born[job];
    const r = this.sim.now - born;
    this.latency.record(r);
    if (this.dc0Latency !== null && home === 0) this.dc0Latency.record(r);
    if (this.afterMove !== null && born >= (this.movedBy as () => number)())
      this.afterMove.record(r);
  }

  /** With an outage: datacenter 0's latency and failed share (the p95 after the move with a site loss); null without one. */
  outageSummary(all: LatencySummary): { latency: LatencySummary; failedShare: number } | null {
    if (!this.outage) return null;
    const latency = this.dc0Latency !== null ? this.dc0Latency.summary() : all;
    const failedShare = this.failedDc0 / (this.failedDc0 + latency.count);
    // a site loss: the p95 of what every user sees once datacenter 0's have moved
    if (this.afterMove !== null) return { latency: this.afterMove.summary(), failedShare };
    return { latency: latency, failedShare: failedShare };
  }
}
