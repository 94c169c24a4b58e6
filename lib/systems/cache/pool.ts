/**
 * A pool of independent memcached servers, sharded by the clients: each key goes to one node,
 * chosen by ketama consistent hashing (the balancer's HashRing, lib/systems/loadbalancer/
 * hashing.ts, 160 points per server as libmemcached's ketama) or by hash modulo the number of
 * live servers. Servers do not replicate: a crash empties the node (memory is not persistent)
 * and the clients eject it at once (libmemcached's `MEMCACHED_BEHAVIOR_REMOVE_FAILED_SERVERS`),
 * so its keys move to other nodes, where they miss. With ketama only the dead node's ~1/k of
 * the keys move; with modulo about (k−1)/k of all keys do, and again when it comes back.
 */
import { hashKey, HashRing, moduloPick } from '../loadbalancer/hashing';
import type { Simulation } from '../../sim/simulation';
import { FailureProcess, type ResolvedFailureSpec } from '../common/failures';
import type { Rng } from '../../random/xoshiro128';
import { createStore } from './create';
import type { CacheStore, CapacityUnit, EvictionPolicy } from './store';

/** ketama's points per server (libmemcached: 160 per server of weight 1). */
export const KETAMA_POINTS_PER_SERVER = 160;

/** One memcached server: its store, and crash/recover for the failure process. */
export class CacheNode {
  readonly index: number;
  readonly store: CacheStore;
  up = true;
  private readonly pool: CachePool;

  constructor(pool: CachePool, index: number, store: CacheStore) {
    this.pool = pool;
    this.index = index;
    this.store = store;
  }

  crash(): void {
    this.up = false;
    this.store.clear();
    this.pool.eligible[this.index] = 0;
  }

  recover(): void {
    this.up = true;
    this.pool.eligible[this.index] = 1;
  }
}

export interface PoolOptions {
  nodes: number;
  hashing: 'ketama' | 'modulo';
  policy: EvictionPolicy;
  capacity: number;
  unit: CapacityUnit;
  keys: number;
  failures: ResolvedFailureSpec[];
}

export class CachePool {
  readonly nodes: CacheNode[];
  readonly failures: FailureProcess[];
  /** 1 while node i is up (the clients' server list). */
  readonly eligible: Uint8Array;
  readonly hashing: 'ketama' | 'modulo';
  private readonly ring: HashRing;
  private readonly weights: Float64Array;

  constructor(sim: Simulation, o: PoolOptions, evictRng: (i: number) => Rng) {
    this.hashing = o.hashing;
    this.eligible = new Uint8Array(o.nodes).fill(1);
    this.weights = new Float64Array(o.nodes).fill(1);
    const names = Array.from({ length: o.nodes }, (_, i) => `memcached${i}`);
    this.ring = new HashRing(names, this.weights, { minimum_ring_size: KETAMA_POINTS_PER_SERVER * o.nodes });
    this.nodes = names.map((_, i) => new CacheNode(this, i, createStore(o.policy, { capacity: o.capacity, unit: o.unit, keys: o.keys, rng: evictRng(i) })));
    this.failures = this.nodes.map((n, i) => new FailureProcess(sim, n, o.failures[i], { name: `cache.node${i}` }));
  }

  /** The node serving `key` now, or null when every node is down. */
  nodeOf(key: number): CacheNode | null {
    const h = hashKey(key);
    const i = this.hashing === 'ketama' ? this.ring.lookup(h, this.eligible) : moduloPick(h, this.weights, this.eligible);
    return i < 0 ? null : this.nodes[i];
  }

  /** Items held over all nodes. */
  get count(): number {
    let n = 0;
    for (const node of this.nodes) n += node.store.count;
    return n;
  }
}
