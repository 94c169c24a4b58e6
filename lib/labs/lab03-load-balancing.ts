/**
 * Lab 03, load balancing: which backend gets each request, and what that does to latency, to
 * errors when a backend or the balancer dies, and to caches when a backend leaves. Every
 * experiment runs the load balancer simulator (lib/systems/loadbalancer) beside its closed form;
 * one experiment per file in lib/labs/lab03/.
 */
import { loadBalancingPolicies } from './lab03/policies';
import { loadBalancingQueueTail } from './lab03/queue-tail';
import { loadBalancingHealthChecks } from './lab03/health-checks';
import { loadBalancingCrashTimeline } from './lab03/crash-timeline';
import { loadBalancingSlowStart } from './lab03/slow-start';
import { loadBalancingFailover } from './lab03/failover';
import { loadBalancingL4VsL7 } from './lab03/l4-vs-l7';
import { loadBalancingHashing } from './lab03/hashing';
import { loadBalancingBottleneck } from './lab03/bottleneck';

export * from './lab03/policies';
export * from './lab03/queue-tail';
export * from './lab03/health-checks';
export * from './lab03/crash-timeline';
export * from './lab03/slow-start';
export * from './lab03/failover';
export * from './lab03/l4-vs-l7';
export * from './lab03/hashing';
export * from './lab03/bottleneck';

/** Every experiment of lab 03, in the notebook's order. */
export const lab03Experiments = [
  loadBalancingPolicies,
  loadBalancingQueueTail,
  loadBalancingHealthChecks,
  loadBalancingCrashTimeline,
  loadBalancingSlowStart,
  loadBalancingFailover,
  loadBalancingL4VsL7,
  loadBalancingHashing,
  loadBalancingBottleneck,
] as const;
