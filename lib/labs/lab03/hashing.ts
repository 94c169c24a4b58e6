/**
 * Lab 03, load-balancing-hashing: keys moved when one of N backends leaves: (N − 1)/N with modulo
 * hashing, about 1/N with a consistent-hash ring (Karger et al. 1997), counted by enumeration.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { keysMovedOnRemoval } from '../../systems/loadbalancer/hashing';
import { expectedKeysMoved } from '../../systems/loadbalancer/theory';
import { lab } from './shared';

export const loadBalancingHashing = defineExperiment({
  name: 'load-balancing-hashing',
  title: 'Keys moved when a backend leaves: modulo vs consistent hashing',
  description:
    "Source or URI hashing pins each key (a client, a cache entry) to a backend. HAProxy's default map-based hashing takes the hash modulo the servers up, " +
    'so when one of N leaves almost every key moves, (N-1)/N of them, and a cache tier loses that share of its hits. ' +
    'Consistent hashing (Envoy ring_hash, 1024 ring points) moves only the keys the departed backend owned, about 1/N. Counted by enumeration; each replication removes another backend.',
  lab,
  params: {
    hosts: { type: 'numbers', default: [2, 3, 4, 5, 8, 10, 16, 20, 32, 50], min: 2, max: 10000, integer: true, doc: 'Numbers of backends N before one leaves.' },
    keys: { type: 'integer', default: 20000, min: 100, max: 10_000_000, doc: 'Keys enumerated.' },
    minimumRingSize: { type: 'integer', default: 1024, min: 1, max: 8388608, doc: 'Envoy `minimum_ring_size`.' },
  },
  replications: 3,
  metrics: ['moved'],
  points: (p) => ['modulo', 'ring_hash'].flatMap((scheme) => p.hosts.map((n) => ({ scheme: scheme, hosts: n }))),
  simulate: (point, p, seed) => {
    const n = point.hosts as number;
    return { moved: keysMovedOnRemoval(point.scheme as 'modulo' | 'ring_hash', n, p.keys, seed % n, p.minimumRingSize) };
  },
  theory: (point) => ({ moved_theory: expectedKeysMoved(point.scheme as 'modulo' | 'ring_hash', point.hosts as number) }),
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, { x: 'hosts', y: 'moved', groupBy: 'scheme', title: 'Fraction of keys remapped when one backend leaves', xAxis: { title: 'backends N', log: true }, yAxis: { title: 'keys moved', log: true } }),
  ],
});
