/**
 * Lab 08, multiple datacenters and GeoDNS: where Route 53's routing policies send clients and what
 * that costs in round-trip time, what a site failure costs while health checks and DNS caches
 * catch up, how much capacity the surviving sites need, and what cross-site replication loses.
 * Every experiment runs the GeoDNS simulator (lib/systems/geodns) beside its closed form.
 */
import { geodnsLatency } from './latency';
import { dnsTtlFailover } from './failover';
import { activeActiveCapacity } from './capacity';
import { crossSiteReplication } from './replication';

export { geodnsLatency, geoDeployment, geoClientRegions, geoSites } from './latency';
export { dnsTtlFailover, failoverDeployment, failoverDuration } from './failover';
export type { FailoverScenario } from './failover';
export { activeActiveCapacity, capacityDeployment, capacityScenarios } from './capacity';
export { crossSiteReplication, crossSiteModes } from './replication';

/** Every experiment of lab 08, in the notebook's order. */
export const lab08Experiments = [
  geodnsLatency,
  dnsTtlFailover,
  activeActiveCapacity,
  crossSiteReplication,
] as const;
