/**
 * The hash-based balancing algorithms (see policies.ts for the list): HAProxy `balance source`
 * (map-based modulo, or `hash-type consistent` on a fixed ring, src/lb_map.c and src/lb_chash.c),
 * Envoy `RING_HASH` (a ring rebuilt over the eligible hosts, ring_hash_lb.cc) and Envoy `MAGLEV`
 * (a 65537-entry table rebuilt over them, maglev_lb.cc). Each picks by the request's key hash;
 * the tables are rebuilt by `rebuild` when the eligible set or a weight changes.
 */
import { HAPROXY_POINTS_PER_WEIGHT, HashRing, moduloPick } from './hashing';
import { MaglevTable } from './maglev';
import type { Policy, PolicyState } from './policies';

export class SourceHash implements Policy {
  readonly name = 'source' as const;
  pick(s: PolicyState, hash: number): number {
    return moduloPick(hash, s.nominal, s.eligible);
  }
}

/** HAProxy `balance source` with `hash-type consistent`: a fixed ring, down servers' points skipped. */
export class ConsistentSource implements Policy {
  readonly name = 'source' as const;
  constructor(
    private readonly names: readonly string[],
    private ring: HashRing,
    private readonly factor: number,
  ) {}
  /** A weight change: each server owns 16 x its new weight points (down servers' points are skipped at lookup). */
  rebuild(s: PolicyState): void {
    this.ring = new HashRing(this.names, s.nominal, {
      points_per_weight: HAPROXY_POINTS_PER_WEIGHT,
    });
  }
  pick(s: PolicyState, hash: number): number {
    return this.factor > 0
      ? this.ring.lookupBounded(hash, s.eligible, s.load, s.nominal, this.factor)
      : this.ring.lookup(hash, s.eligible);
  }
}

/** Envoy `RING_HASH`: the ring rebuilt over the eligible hosts. */
export class RingHash implements Policy {
  readonly name = 'ring_hash' as const;
  private ring: HashRing;
  constructor(
    private readonly names: readonly string[],
    private readonly weights: Float64Array,
    private readonly minimumRingSize: number,
    private readonly factor: number,
  ) {
    this.ring = new HashRing(names, weights, { minimum_ring_size: minimumRingSize });
  }
  rebuild(s: PolicyState): void {
    this.ring = new HashRing(this.names, s.nominal, {
      minimum_ring_size: this.minimumRingSize,
      eligible: s.eligible,
    });
  }
  pick(s: PolicyState, hash: number): number {
    return this.factor > 0
      ? this.ring.lookupBounded(hash, s.eligible, s.load, s.nominal, this.factor)
      : this.ring.lookup(hash, s.eligible);
  }
}

/** Envoy `MAGLEV`: the table rebuilt over the eligible hosts. */
export class Maglev implements Policy {
  readonly name = 'maglev' as const;
  private table: MaglevTable;
  constructor(
    private readonly names: readonly string[],
    private readonly weights: Float64Array,
    private readonly size: number,
  ) {
    this.table = new MaglevTable(names, weights, new Uint8Array(names.length).fill(1), size);
  }
  rebuild(s: PolicyState): void {
    this.table = new MaglevTable(this.names, s.nominal, s.eligible, this.size);
  }
  pick(s: PolicyState, hash: number): number {
    return this.table.lookup(hash, s.eligible);
  }
}
