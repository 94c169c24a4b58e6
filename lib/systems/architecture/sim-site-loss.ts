/**
 * The loss of a whole datacenter in an architecture's simulation (`outage.tier: 'datacenter'`):
 * datacenter 0 goes down for `{ at, duration }` through common.FailureProcess (stream
 * `dc0.site.failures`): its web servers (the balancer's backends) or stand-in stations crash (the
 * requests inside them fail) and the site
 * refuses every request while it is down. GeoDNS notices through a Route 53 health check, the
 * geodns library's `HealthChecker` (a check every `geodns.request_interval` s, unhealthy after
 * `geodns.failure_threshold` failed checks in a row: detection D = (threshold − 1 + U)·interval),
 * and then answers with the other datacenters; each user's resolver still holds the old answer
 * until it expires, a residual uniform on [0, TTL) (caches aged uniformly), so a user of
 * datacenter 0 moves at D + U·TTL after the crash, to one of the others (by its id), and its
 * requests until then fail: about λ·(D + TTL/2) of them (lib/systems/geodns/theory.ts).
 * When the site is healthy again GeoDNS sends its users home at once (the return's TTL is not
 * modelled). GeoDNS's answers are this stand-in, not the geodns component (not callable yet).
 */
import type { Rng } from '../../random/xoshiro128';
import { grownFloat64, grownInt32 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import { FailureProcess } from '../common/failures';
import { HealthChecker } from '../geodns/health';
import type { Datacenter } from './sim-datacenter';
import type { OutageSpec } from './sim-outage';
import type { GeoDnsSpec } from './types';

export class SiteLoss {
  /** False while datacenter 0 is down. */
  up = true;
  /** Route 53's view of datacenter 0 (false: left out of the answers). */
  readonly checker: HealthChecker;
  readonly failures: FailureProcess;
  /** When the health check marked the site down (NaN before). */
  markedDownAt = NaN;
  private epoch = 0;
  private expiry: Float64Array = new Float64Array(1024);
  private expiryEpoch: Int32Array = new Int32Array(1024);
  private readonly ttlRng: Rng;

  constructor(
    private readonly sim: Simulation,
    private readonly spec: GeoDnsSpec,
    o: OutageSpec,
    dc0: Datacenter,
  ) {
    this.ttlRng = sim.streams.get('dc0.site.ttl');
    this.checker = new HealthChecker(sim, this, {
      name: 'dc0.site',
      request_interval: spec.request_interval,
      failure_threshold: spec.failure_threshold,
      onChange: (healthy) => {
        if (!healthy) {
          this.markedDownAt = sim.now;
          this.epoch++;
        }
      },
    });
    const site = {
      crash: (): void => {
        this.up = false;
        this.checker.noteCrash();
        for (const list of dc0.stations) for (const st of list) st.crash();
        if (dc0.lb !== null) for (const m of dc0.lb.members) m.crash();
      },
      recover: (): void => {
        this.up = true;
        for (const list of dc0.stations) for (const st of list) if (!st.up) st.recover();
        if (dc0.lb !== null) for (const m of dc0.lb.members) if (!m.station.up) m.recover();
      },
    };
    this.failures = new FailureProcess(
      sim,
      site,
      { outages: [{ at: o.at, duration: o.duration }] },
      { name: 'dc0.site' },
    );
  }

  /** The datacenter that request `job` of a user at home `home` reaches now; -1 when it fails. */
  route(job: number, home: number): number {
    if (home !== 0) return home;
    if (this.checker.healthy) return this.up ? 0 : -1;
    if (job >= this.expiry.length) {
      this.expiry = grownFloat64(this.expiry, 2 * (job + 1));
      this.expiryEpoch = grownInt32(this.expiryEpoch, 2 * (job + 1));
    }
    if (this.expiryEpoch[job] !== this.epoch) {
      this.expiryEpoch[job] = this.epoch;
      this.expiry[job] = this.markedDownAt + this.ttlRng.next() * this.spec.ttl;
    }
    if (this.sim.now < this.expiry[job]) return this.up ? 0 : -1;
    return 1 + (job % (this.spec.datacenters - 1));
  }

  /** The time by which every user of datacenter 0 has moved (NaN before detection). */
  get movedBy(): number {
    return this.markedDownAt + this.spec.ttl;
  }
}
