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
import { cheLru, zipfPopularity } from './theory';
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

  /** `name` prefixes the nodes' failure streams (`<name>.node<i>.failures`). */
  constructor(
    sim: Simulation,
    o: PoolOptions,
    evictRng: (i: number) => Rng,
    name: string = 'cache',
  ) {
    this.hashing = o.hashing;
    this.eligible = new Uint8Array(o.nodes).fill(1);
    this.weights = new Float64Array(o.nodes).fill(1);
    const names = nodeNames(o.nodes);
    this.ring = ketamaRing(o.nodes);
    this.nodes = names.map(
      (_, i) =>
        new CacheNode(
          this,
          i,
          createStore(o.policy, {
            capacity: o.capacity,
            unit: o.unit,
            keys: o.keys,
            rng: evictRng(i),
          }),
        ),
    );
    this.failures = this.nodes.map(
      (n, i) => new FailureProcess(sim, n, o.failures[i], { name: `${name}.node${i}` }),
    );
  }

  /** The node serving `key` now, or null when every node is down. */
  nodeOf(key: number): CacheNode | null {
    const h = hashKey(key);
    const i =
      this.hashing === 'ketama'
        ? this.ring.lookup(h, this.eligible)
        : moduloPick(h, this.weights, this.eligible);
    return i < 0 ? null : this.nodes[i];
  }

  /** Items held over all nodes. */
  get count(): number {
    let n = 0;
    for (const node of this.nodes) n += node.store.count;
    return n;
  }
}

/** The servers' names, as the clients list them. */
export function nodeNames(nodes: number): string[] {
  return Array.from({ length: nodes }, (_, i) => `memcached${i}`);
}

/** The ketama ring of `nodes` equal servers (160 points each). */
export function ketamaRing(nodes: number): HashRing {
  return new HashRing(nodeNames(nodes), new Float64Array(nodes).fill(1), {
    minimum_ring_size: KETAMA_POINTS_PER_SERVER * nodes,
  });
}

/** The node of each key 0..keys-1 given the up set (-1 when none is up), as {@link CachePool.nodeOf}. */
export function ownersOf(
  keys: number,
  nodes: number,
  hashing: 'ketama' | 'modulo',
  eligible: ArrayLike<number>,
): Int32Array {
  const ring = ketamaRing(nodes);
  const w = new Float64Array(nodes).fill(1);
  const out = new Int32Array(keys);
  for (let k = 0; k < keys; k++) {
    const h = hashKey(k);
    out[k] = hashing === 'ketama' ? ring.lookup(h, eligible) : moduloPick(h, w, eligible);
  }
  return out;
}

/**
 * Che's approximation for a pool of LRU nodes of `capacity` objects each: node j sees the keys it
 * owns, with request share q_j = Σ_{i∈K_j} p_i and local popularity p_i/q_j, so
 * h_i = 1 − exp(−(p_i/q_j)·T_j) with T_j from Σ_{i∈K_j} (1 − e^(−p_i T_j/q_j)) = C. Returns the
 * pool's hit ratio and each key's hit probability.
 */
export function poolCheLru(
  p: Float64Array,
  owners: Int32Array,
  nodes: number,
  capacity: number,
): { hitRatio: number; perObject: Float64Array } {
  const perObject = new Float64Array(p.length);
  let h = 0;
  for (let j = 0; j < nodes; j++) {
    const idx: number[] = [];
    let q = 0;
    for (let i = 0; i < p.length; i++)
      if (owners[i] === j) {
        idx.push(i);
        q += p[i];
      }
    if (idx.length === 0) continue;
    const local = Float64Array.from(idx, (i) => p[i] / q);
    const che = cheLru(local, capacity);
    idx.forEach((i, n) => {
      perObject[i] = che.perObject[n];
      h += p[i] * che.perObject[n];
    });
  }
  return { hitRatio: h, perObject };
}

/**
 * The hit ratio just after the up set changes from `before` to `after` (before any refill): a
 * key still hits only if it stays on its node, which kept its items (a crashed node lost its own).
 */
export function hitRatioAfterChange(
  p: Float64Array,
  ownersBefore: Int32Array,
  ownersAfter: Int32Array,
  perObjectBefore: Float64Array,
): number {
  let h = 0;
  for (let i = 0; i < p.length; i++)
    if (ownersAfter[i] >= 0 && ownersAfter[i] === ownersBefore[i]) h += p[i] * perObjectBefore[i];
  return h;
}

/** A pool's hit ratios around the loss of its last node (per-node Che, {@link poolCheLru}). */
export interface NodeLossLevels {
  /** Steady hit ratio with all k nodes, and with node k−1 down (what the pool refills to). */
  before: number;
  during: number;
  /** Just after the crash and just after the return (before any refill). */
  dropAtCrash: number;
  dropAtReturn: number;
  /** Share of the requests whose key changes node at the crash. */
  trafficMoved: number;
}

/** Steady hit ratios with all nodes and with node k−1 down, the drops just after the crash and the return, and the traffic that moves. */
export function nodeLossLevels(
  p: { nodes: number; objects: number; alpha: number; capacity: number },
  hashing: 'ketama' | 'modulo',
): NodeLossLevels {
  const key = `${p.nodes}:${p.objects}:${p.alpha}:${p.capacity}:${hashing}`;
  const known = levelsCache.get(key);
  if (known !== undefined) return known;
  const pop = zipfPopularity(p.objects, p.alpha);
  const all = new Uint8Array(p.nodes).fill(1);
  const less = all.slice();
  less[p.nodes - 1] = 0;
  const o1 = ownersOf(p.objects, p.nodes, hashing, all);
  const o2 = ownersOf(p.objects, p.nodes, hashing, less);
  const before = poolCheLru(pop, o1, p.nodes, p.capacity);
  const during = poolCheLru(pop, o2, p.nodes, p.capacity);
  // at the return, the returning node is empty: keys it owns again miss, keys moved between the others too
  const back = during.perObject.map((h, i) => (o1[i] === p.nodes - 1 ? 0 : h));
  let moved = 0;
  for (let i = 0; i < pop.length; i++) if (o1[i] !== o2[i]) moved += pop[i];
  const out = {
    before: before.hitRatio,
    during: during.hitRatio,
    dropAtCrash: hitRatioAfterChange(pop, o1, o2, before.perObject),
    dropAtReturn: hitRatioAfterChange(pop, o2, o1, back),
    trafficMoved: moved,
  };
  levelsCache.set(key, out);
  return out;
}
const levelsCache = new Map<string, NodeLossLevels>();
