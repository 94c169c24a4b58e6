/**
 * Measured beside modelled (issue 22): experiments that run the real component on loopback
 * (HAProxy for lab 03, PostgreSQL streaming replication for lab 06, memcached for lab 07; lib/measure starts and stops the processes) and put
 * its measurement (`source: 'measured'`) beside the simulator (`source: 'simulation'`) and the
 * closed form in one tidy table.
 */
import { haproxyMeasured } from './haproxy-measured';
import { haproxyMeasuredChecks } from './haproxy-measured-checks';
import { memcachedMeasured } from './memcached-measured';
import { postgresMeasured } from './postgres-measured';

export * from './haproxy-measured';
export * from './haproxy-measured-checks';
export * from './memcached-measured';
export * from './postgres-measured';

export const measuredExperiments = [
  haproxyMeasured,
  haproxyMeasuredChecks,
  memcachedMeasured,
  postgresMeasured,
] as const;
export * from './notebook';
