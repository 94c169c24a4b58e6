/**
 * What the lab 01 experiments share: the lab id, the service-time and run-length parameters, and
 * the work estimate of a replication measuring a number of customers.
 */
import { requestsWork } from '../../experiment/work';
import type { WorkEstimate } from '../../experiment/work';
export const lab = '01-latency-vs-utilization';

export const serviceTimeSpec = {
  type: 'number',
  default: 0.1,
  min: 0,
  minOpen: true,
  max: 3600,
  unit: 's',
  doc: 'Mean service time x of one request on one server.',
} as const;

export const customersSpec = {
  type: 'integer',
  default: 20000,
  min: 1000,
  max: 10_000_000,
  unit: 'requests',
  doc:
    "Requests measured per replication at a utilisation rho <= 0.8; above it the run grows like the queue's relaxation time, " +
    'customers (0.2 / (1 - rho))^2 (Whitt 1989): 4 times at rho 0.9, 16 times at 0.95. A warm-up of a tenth as many is deleted first.',
} as const;

/** The utilisation up to which a run measures `customers` requests; past it the run grows. */
export const relaxationKnee = 0.8;

/**
 * Requests to measure at per-server utilisation ρ: `customers` up to ρ = 0.8, then
 * customers · ((1 − 0.8)/(1 − ρ))², so that the relative precision stays about the same at every
 * load. Source: Whitt (1989), "Planning queueing simulations", Management Science 35(11):
 * 1341-1366: in heavy traffic a queue behaves as reflected Brownian motion whose time scale is
 * (1 − ρ)⁻², so the run length for a given relative precision grows like 1/(1 − ρ)² (for the M/M/1
 * number in system the asymptotic variance is 2ρ(1 + ρ)/(1 − ρ)⁴ against a mean of ρ/(1 − ρ)); the
 * low bias of a quantile estimated from one finite run (about 16 % for the M/M/1 p99 at ρ 0.95 after
 * 20,000 requests, 0.5 % after 160,000; measured with the coverage study's Lindley recursion) falls
 * with the same scale.
 */
export function customersAt(customers: number, rho: number): number {
  if (!(rho > relaxationKnee)) return customers;
  return Math.round(customers * ((1 - relaxationKnee) / (1 - rho)) ** 2);
}

/**
 * Work of one replication measuring `customers` requests: a warm-up of a tenth as many, and about
 * three kernel events per request (arrival, service end, the next arrival's scheduling), so
 * 3.3 × customers events, driven by the `customers` parameter.
 */
export function customersWork(customers: number): WorkEstimate {
  return requestsWork(customers, 3.3, 'customers');
}
