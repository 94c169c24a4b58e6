/**
 * What the lab 01 experiments share: the lab id, the service-time and run-length parameters, and
 * the work estimate of a replication measuring a number of customers.
 */
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
  doc: 'Requests measured per replication (after a warm-up of a tenth as many).',
} as const;

/**
 * Work of one replication measuring `customers` requests: a warm-up of a tenth as many, and about
 * three kernel events per request (arrival, service end, the next arrival's scheduling), so
 * 3.3 × customers events, driven by the `customers` parameter.
 */
export function customersWork(customers: number): { events: number; parameter: string } {
  return { events: 3.3 * customers, parameter: 'customers' };
}
