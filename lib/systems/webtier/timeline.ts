/**
 * The web tier over time, in bins of `bin` seconds from time 0 (warm-up included): requests
 * answered and failed, the 95th percentile of the bin's response times (a 1 % quantile sketch per
 * bin), servers provisioned and serving (time averages), the desired count at the bin's end, and
 * CPU utilisation of the serving servers (busy worker-seconds / serving worker-seconds). A bin
 * whose p95 exceeds the objective `slo` is a violation; `sloViolationMinutes` adds them up.
 */
import { QuantileSketch } from '../../sim/quantile-sketch';
import type { Simulation } from '../../sim/simulation';
import type { WebTierSystem } from './system';

export interface TimelineSeries {
  t: number[];
  completed: number[];
  failed: number[];
  p95: number[];
  provisioned: number[];
  serving: number[];
  desired: number[];
  utilisation: number[];
  activeSessions: number[];
}

export class Timeline {
  readonly series: TimelineSeries = {
    t: [],
    completed: [],
    failed: [],
    p95: [],
    provisioned: [],
    serving: [],
    desired: [],
    utilisation: [],
    activeSessions: [],
  };
  failed = 0;
  private completed = 0;
  private sketch = new QuantileSketch();
  private last = { provisioned: 0, serving: 0, busy: 0 };

  constructor(
    private readonly sim: Simulation,
    private readonly tier: WebTierSystem,
    readonly bin: number,
    readonly slo: number,
  ) {
    const h = sim.handler(() => {
      this.close();
      sim.schedule(bin, h, 0, 4000);
    }, 'webtier.timeline');
    sim.schedule(bin, h, 0, 4000);
  }

  record(r: number): void {
    this.completed++;
    this.sketch.add(r);
  }

  private close(): void {
    const s = this.series;
    const pool = this.tier.pool;
    const c = pool.cumulative();
    let busy = 0;
    for (let i = 0; i < pool.stations.length; i++) busy += pool.busyTime(i);
    const servingSecs = c.serving - this.last.serving;
    s.t.push(this.sim.now - this.bin / 2);
    s.completed.push(this.completed);
    s.failed.push(this.failed);
    s.p95.push(this.completed > 0 ? this.sketch.quantile(0.95) : NaN);
    s.provisioned.push((c.provisioned - this.last.provisioned) / this.bin);
    s.serving.push(servingSecs / this.bin);
    s.desired.push(pool.desired);
    s.utilisation.push(
      servingSecs > 0 ? (busy - this.last.busy) / (servingSecs * this.tier.config.workers) : NaN,
    );
    s.activeSessions.push(this.tier.activeSessions);
    this.last = { provisioned: c.provisioned, serving: c.serving, busy: busy };
    this.completed = 0;
    this.failed = 0;
    this.sketch = new QuantileSketch();
  }

  /** Minutes of bins (ending after `from`) whose p95 exceeded the objective (a bin without answers but with failures counts too). */
  sloViolationMinutes(from: number): number {
    const s = this.series;
    let m = 0;
    for (let i = 0; i < s.t.length; i++) {
      if (s.t[i] + this.bin / 2 <= from) continue;
      if (s.p95[i] > this.slo || (s.completed[i] === 0 && s.failed[i] > 0)) m += this.bin / 60;
    }
    return m;
  }
}
