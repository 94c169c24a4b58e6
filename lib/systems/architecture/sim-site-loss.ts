/**
 * The loss of a whole datacenter in an architecture's simulation (`outage.tier: 'datacenter'`),
 * through the called GeoDNS component (./sim-geodns.ts): datacenter 0 goes down for
 * `{ at, duration }` through GeoDNS's own failure process for that site (stream
 * `geodns.dc0.failures`), which crashes its web servers (the balancer's backends; the requests
 * inside them fail); the site refuses every request while it is down.
 * Route 53's health check (the geodns library's `HealthChecker`: a check every
 * `geodns.request_interval` s, unhealthy after `geodns.failure_threshold` failed checks in a row,
 * detection D = (threshold − 1 + U)·interval) takes it out of the answers; each recursive
 * resolver keeps its old answer until it expires (a residual uniform on [0, TTL)), so about
 * λ·(D + (TTL/2)·occupancy) of datacenter 0's requests fail (lib/systems/geodns/theory.ts
 * `expectedFailedRequests`), the rest go to the nearest other datacenter. When the site is healthy
 * again (threshold passing checks) the answers send its users home as the caches expire.
 * This view keeps the fields the tests and the outcomes read.
 */
import type { FailureProcess } from '../common/failures';
import type { HealthChecker } from '../geodns/health';
import type { GeoDnsRouting } from './sim-geodns';
import type { GeoDnsSpec } from './types';

export class SiteLoss {
  /** Route 53's view of datacenter 0 (false: left out of the answers). */
  readonly checker: HealthChecker;
  readonly failures: FailureProcess;

  constructor(
    private readonly spec: GeoDnsSpec,
    readonly routing: GeoDnsRouting,
  ) {
    this.checker = routing.system.checkers[0];
    this.failures = routing.system.failures[0];
  }

  /** False while datacenter 0 is down. */
  get up(): boolean {
    return (this.routing.system.sites[0] as NonNullable<GeoDnsRouting['system']['sites'][0]>).up;
  }

  /** When the health check marked the site down (NaN before). */
  get markedDownAt(): number {
    return this.checker.markedDownAt;
  }

  /** The time by which every resolver's old answer has expired (NaN before detection). */
  get movedBy(): number {
    return this.markedDownAt + this.spec.ttl;
  }
}
