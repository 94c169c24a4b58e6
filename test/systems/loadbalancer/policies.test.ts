/**
 * Balancing algorithms against the oracles of the subsystems reference §1.8 and the products'
 * documentation (NGINX smooth weighted round robin, HAProxy static-rr and leastconn, Envoy
 * least-request weights), and hashing's key movement (§0).
 */
import { createPolicy, leastRequestWeight } from '../../../lib/systems/loadbalancer/policies';
import type { BalanceAlgorithm, PolicyState } from '../../../lib/systems/loadbalancer/policies';
import {
  HashRing,
  hashKey,
  keysMovedOnRemoval,
  moduloPick,
  ringShares,
} from '../../../lib/systems/loadbalancer/hashing';
import { RandomStreams } from '../../../lib/random/streams';
import { ParameterError } from '../../../lib/errors';

function state(weights: number[], load?: number[]): PolicyState {
  const n = weights.length;
  return {
    n,
    eligible: new Uint8Array(n).fill(1),
    weight: Float64Array.from(weights),
    nominal: Float64Array.from(weights),
    load: Float64Array.from(load ?? new Array(n).fill(0)),
    latency: new Float64Array(n),
  };
}

function picks(balance: BalanceAlgorithm, s: PolicyState, count: number, seed = 1): number[] {
  const policy = createPolicy(
    balance,
    Array.from({ length: s.n }, (_, i) => `s${i}`),
    s.nominal,
  );
  const rng = new RandomStreams(seed).get('policy');
  return Array.from({ length: count }, (_, k) => policy.pick(s, hashKey(k), rng));
}

describe('smooth weighted round robin (NGINX, roundrobin)', () => {
  it('weights {5, 1, 1} give a a b a c a a, not c b a a a a a', () => {
    const seq = picks('roundrobin', state([5, 1, 1]), 7)
      .map((i) => 'abc'[i])
      .join(' ');
    expect(seq).toBe('a a b a c a a');
  });

  it('every window of sum(w) consecutive picks (aligned to cycles) counts exactly the weights', () => {
    const w = [4, 3, 2, 1];
    const seq = picks('roundrobin', state(w), 10 * 10);
    for (let c = 0; c < 10; c++) {
      const counts = [0, 0, 0, 0];
      for (const i of seq.slice(c * 10, c * 10 + 10)) counts[i]++;
      expect(counts).toEqual(w);
    }
  });

  it('skips a server that is not eligible and shares its turns among the others', () => {
    const s = state([1, 1, 1]);
    s.eligible[1] = 0;
    const seq = picks('roundrobin', s, 6);
    expect(seq).toEqual([0, 2, 0, 2, 0, 2]);
  });
});

describe('static-rr (HAProxy)', () => {
  it('weights {3, 1}: exactly 3 : 1 in every cycle of 4', () => {
    const seq = picks('static-rr', state([3, 1]), 40);
    for (let c = 0; c < 10; c++) {
      const ones = seq.slice(c * 4, c * 4 + 4).filter((i) => i === 1).length;
      expect(ones).toBe(1);
    }
  });

  it('ignores effective (slow-start) weights: it reads the nominal ones', () => {
    const s = state([3, 1]);
    s.weight[0] = 0.3;
    const seq = picks('static-rr', s, 40);
    expect(seq.filter((i) => i === 0).length).toBe(30);
  });
});

describe('random', () => {
  it('per-server counts are Binomial(n, 1/N): chi-square below its 99.9% quantile', () => {
    const N = 10;
    const n = 20000;
    const counts = new Array(N).fill(0);
    for (const i of picks('random', state(new Array(N).fill(1)), n, 7)) counts[i]++;
    const e = n / N;
    const chi2 = counts.reduce((s, c) => s + ((c - e) * (c - e)) / e, 0);
    expect(chi2).toBeLessThan(27.88); // chi-square, 9 degrees of freedom, 0.999 quantile
  });

  it('follows the weights: weight 3 gets three times the picks of weight 1 (within 5 sigma)', () => {
    const n = 40000;
    const seq = picks('random', state([3, 1]), n, 3);
    const heavy = seq.filter((i) => i === 0).length;
    const sd = Math.sqrt(n * 0.75 * 0.25);
    expect(Math.abs(heavy - 0.75 * n)).toBeLessThan(5 * sd);
  });
});

describe('leastconn', () => {
  it('picks the fewest active requests per unit weight', () => {
    expect(picks('leastconn', state([1, 1, 1], [3, 1, 2]), 1)).toEqual([1]);
    // weight 2 with 3 active (1.5 per weight) beats weight 1 with 2 active
    expect(picks('leastconn', state([1, 2], [2, 3]), 1)).toEqual([1]);
  });

  it('serves servers of equal load in round-robin order (deterministic ties)', () => {
    expect(picks('leastconn', state([1, 1, 1, 1]), 8)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });
});

describe('least_request (Envoy) and the power of d choices', () => {
  it("Envoy's weighted formula: weight 2 with 4 active requests, bias 1 -> 0.4; bias 0 -> the plain weight", () => {
    expect(leastRequestWeight(2, 4, 1)).toBeCloseTo(0.4, 12);
    expect(leastRequestWeight(2, 4, 0)).toBe(2);
  });

  it('with equal weights takes the less loaded of two draws; never the most loaded of 2 servers unless both draws hit it', () => {
    // two servers, loads 5 and 0: server 0 wins only when both draws pick it (probability 1/4, draws with replacement)
    const n = 20000;
    const seq = picks('least_request', state([1, 1], [5, 0]), n, 5);
    const worse = seq.filter((i) => i === 0).length / n;
    expect(Math.abs(worse - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / n));
  });

  it('choice_count 1 is plain random; bad knobs are typed errors', () => {
    expect(() => createPolicy('least_request', ['a'], [1], { choice_count: 0 })).toThrow(
      ParameterError,
    );
    expect(() => createPolicy('ring_hash', ['a'], [1], { hash_balance_factor: 90 })).toThrow(
      ParameterError,
    );
    expect(() => createPolicy('nope' as BalanceAlgorithm, ['a'], [1])).toThrow(/balance/);
  });
});

describe('hashing: keys moved when a backend leaves (§0)', () => {
  it('map-based (modulo) hashing moves about (N-1)/N of the keys, a ring with fixed points (HAProxy consistent) about 1/N', () => {
    for (const N of [5, 10, 20]) {
      const modulo = keysMovedOnRemoval('modulo', N, 20000);
      expect(Math.abs(modulo - (N - 1) / N)).toBeLessThan(0.02);
      // averaged over which host leaves: the mean of the departed hosts' shares is exactly 1/N up to key sampling
      let ring = 0;
      for (let r = 0; r < N; r++) ring += keysMovedOnRemoval('consistent', N, 20000, r) / N;
      expect(Math.abs(ring - 1 / N)).toBeLessThan(0.01);
    }
  });

  it('ring hash: removing a host moves only the keys it owned', () => {
    const N = 8;
    const ring = new HashRing(
      Array.from({ length: N }, (_, i) => `backend${i}`),
      new Array(N).fill(1),
    );
    const all = new Uint8Array(N).fill(1);
    const without = new Uint8Array(N).fill(1);
    without[3] = 0;
    let movedFromOthers = 0;
    let stayedOnRemoved = 0;
    let moved = 0;
    for (let k = 0; k < 20000; k++) {
      const before = ring.lookup(hashKey(k), all);
      const after = ring.lookup(hashKey(k), without);
      if (before !== 3 && after !== before) movedFromOthers++;
      if (after === 3) stayedOnRemoved++;
      if (after !== before) moved++;
    }
    expect(movedFromOthers).toBe(0);
    expect(stayedOnRemoved).toBe(0);
    expect(moved).toBeGreaterThan(0);
  });

  it('ring shares follow the weights (1 : 2 within the ring granularity)', () => {
    const ring = new HashRing(['a', 'b'], [1, 2], { minimum_ring_size: 4096 });
    const [a, b] = ringShares(ring, 60000);
    expect(b / a).toBeGreaterThan(1.7);
    expect(b / a).toBeLessThan(2.3);
  });

  it('bounded loads (hash_balance_factor) never exceed ceil(factor x average) on a host', () => {
    const N = 5;
    const ring = new HashRing(
      Array.from({ length: N }, (_, i) => `h${i}`),
      new Array(N).fill(1),
    );
    const eligible = new Uint8Array(N).fill(1);
    const weights = new Float64Array(N).fill(1);
    const load = new Float64Array(N);
    // every key is the same: plain consistent hashing would put all 100 on one host
    for (let r = 0; r < 100; r++)
      load[ring.lookupBounded(hashKey(42), eligible, load, weights, 125)]++;
    for (const l of load) expect(l).toBeLessThanOrEqual(Math.ceil((1.25 * 100) / N));
  });

  it('modulo pick honours weights as consecutive slots', () => {
    expect(moduloPick(0, [2, 1], [1, 1])).toBe(0);
    expect(moduloPick(1, [2, 1], [1, 1])).toBe(0);
    expect(moduloPick(2, [2, 1], [1, 1])).toBe(1);
    expect(moduloPick(2, [2, 1], [0, 1])).toBe(1);
    expect(moduloPick(2, [2, 1], [0, 0])).toBe(-1);
  });
});
