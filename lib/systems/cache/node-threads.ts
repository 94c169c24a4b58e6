/**
 * memcached's worker threads (`-t`) on each server of a cache pool (system.ts, with
 * `cache.serviceTime`): one processor-sharing Station of `cache.threads` servers per node, so gets
 * queue for the node's CPU. A node that crashes (its failure process, pool.ts) crashes its station
 * too: the gets inside it fail to `refused` (the caller treats them as refused connections), and
 * it serves again when the node recovers.
 */
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import type { JobTarget } from '../../sim/target';
import type { ResolvedCacheConfig } from './config';
import type { CachePool } from './pool';

/** The pool's nodes' worker-thread stations, in node order, their crashes tied to the nodes'. */
export function nodeThreads(
  sim: Simulation,
  c: ResolvedCacheConfig,
  pool: CachePool,
  got: JobTarget,
  refused: JobTarget,
): Station[] {
  const out: Station[] = [];
  for (let i = 0; i < c.nodes; i++) {
    const st = new Station(sim, {
      name: `${c.name}.node${i}`,
      servers: c.threads,
      discipline: 'ps',
      service: c.serviceTime as NonNullable<ResolvedCacheConfig['serviceTime']>,
      to: got,
      dropTo: refused,
      failTo: refused,
      onCrash: 'fail',
      quantiles: false,
    });
    out.push(st);
    const node = pool.nodes[i];
    const crash = node.crash.bind(node);
    const recover = node.recover.bind(node);
    node.crash = () => {
      crash();
      st.crash();
    };
    node.recover = () => {
      recover();
      st.recover();
    };
  }
  return out;
}
