/**
 * Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer",
 * NSDI 2016, §3.4), as Envoy's `MAGLEV` load balancer builds it
 * (source/extensions/load_balancing_policies/maglev/maglev_lb.cc, MaglevTable): a lookup table of
 * M entries (Envoy's `table_size`, default 65537, a prime). Host i has a permutation of the table,
 * offset_i = h1(name) mod M, skip_i = h2(name) mod (M − 1) + 1, entry j of it (offset_i + j·skip_i)
 * mod M; hosts take turns claiming their next free entry until the table is full. With weights a
 * host takes a turn in round r only while r·w_i ≥ its running target (which grows by the largest
 * weight at each claim), so it ends with entries in proportion to its weight. A key goes to
 * table[hash mod M]. The table is rebuilt over the eligible hosts (Envoy: the healthy ones), and
 * Maglev's permutations keep most entries in place: when one of N hosts leaves, a little more than
 * its 1/N of the keys move.
 *
 * h1 and h2 here are 32-bit string hashes (FNV-1a + MurmurHash3's finaliser), not Envoy's
 * xxHash64 with seeds 0 and 1: the table differs, its statistics do not.
 */
import { ParameterError } from '../../errors';
import { hashString } from './hash-string';

/** Envoy MAGLEV's default `table_size`. */
export const MAGLEV_TABLE_SIZE = 65537;

export class MaglevTable {
  readonly size: number;
  /** Host index of each entry (-1: the table is empty, no eligible host). */
  readonly table: Int32Array;

  /** Builds the table over the hosts with `eligible[i]` and weight > 0. */
  constructor(
    names: readonly string[],
    weights: ArrayLike<number>,
    eligible: ArrayLike<number>,
    size: number = MAGLEV_TABLE_SIZE,
  ) {
    if (!(Number.isInteger(size) && size >= 3))
      throw new ParameterError('table_size', size, 'must be a prime >= 3');
    this.size = size;
    const table = (this.table = new Int32Array(size).fill(-1));
    const hosts: number[] = [];
    let maxWeight = 0;
    for (let i = 0; i < names.length; i++) {
      if (eligible[i] && weights[i] > 0) {
        hosts.push(i);
        if (weights[i] > maxWeight) maxWeight = weights[i];
      }
    }
    const m = hosts.length;
    if (m === 0) return;
    const offset = new Float64Array(m);
    const skip = new Float64Array(m);
    const next = new Float64Array(m);
    const target = new Float64Array(m);
    const weight = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const name = names[hosts[k]];
      offset[k] = (hashString(name) >>> 0) % size;
      skip[k] = ((hashString(`${name}#1`) >>> 0) % (size - 1)) + 1;
      weight[k] = weights[hosts[k]] / maxWeight; // normalised: the heaviest host claims every round
    }
    let filled = 0;
    for (let round = 1; filled < size; round++) {
      for (let k = 0; k < m && filled < size; k++) {
        if (round * weight[k] < target[k]) continue;
        target[k] += 1;
        let c = (offset[k] + next[k] * skip[k]) % size;
        while (table[c] >= 0) {
          next[k]++;
          c = (offset[k] + next[k] * skip[k]) % size;
        }
        table[c] = hosts[k];
        next[k]++;
        filled++;
      }
    }
  }

  /** The host for `hash`; if it is not eligible now (a retry's exclusion), the next eligible entry. */
  lookup(hash: number, eligible: ArrayLike<number>): number {
    const size = this.size;
    let j = (hash >>> 0) % size;
    for (let step = 0; step < size; step++) {
      const i = this.table[j];
      if (i >= 0 && eligible[i]) return i;
      if (i < 0) return -1;
      j = j + 1 === size ? 0 : j + 1;
    }
    return -1;
  }
}
