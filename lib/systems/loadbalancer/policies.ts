import { ParameterError, requireInRange, requireInteger } from '../../errors';
import type { Rng } from '../../random/xoshiro128';
import { HashRing, moduloPick } from './hashing';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

/**
 * Load-balancing algorithms, by their real names (§1.2 of the subsystems reference):
 * - `roundrobin`: NGINX's smooth weighted round robin (also HAProxy `roundrobin`'s contract:
 *   each server in turn according to its weight; dynamic, so slow start applies);
 * - `static-rr`: HAProxy's static weighted round robin: a fixed map of sum(w) slots over the
 *   nominal weights, walked in order (no slow start);
 * - `random`: a random server, with probability proportional to its weight (Envoy `RANDOM`,
 *   NGINX `random`);
 * - `leastconn`: fewest active requests (connections at L4) per unit weight (NGINX `least_conn`,
 *   HAProxy `leastconn`); ties go round robin among the tied servers;
 * - `least_request`: Envoy `LEAST_REQUEST`: with equal weights the best of `choice_count` random
 *   draws (with replacement) by active requests, the power of d choices (HAProxy `random(draws)`);
 *   with unequal weights, weighted round robin over w / (active + 1)^`active_request_bias`;
 * - `least_time`: least response time: the smallest EWMA latency x (active + 1) / weight (the
 *   peak-EWMA cost of Finagle and Linkerd; NGINX Plus `least_time`); ties round robin;
 * - `source`: hash of the client address modulo the total weight of the servers up (HAProxy
 *   `balance source` with `hash-type map-based`, NGINX `ip_hash`-like);
 * - `ring_hash`: consistent hashing on a ring with virtual nodes (Envoy `RING_HASH`, HAProxy
 *   `hash-type consistent`), optionally with bounded loads (`hash_balance_factor`).
 */
export type BalanceAlgorithm = 'roundrobin' | 'static-rr' | 'random' | 'leastconn' | 'least_request' | 'least_time' | 'source' | 'ring_hash';

export const BALANCE_ALGORITHMS: readonly BalanceAlgorithm[] = ['roundrobin', 'static-rr', 'random', 'leastconn', 'least_request', 'least_time', 'source', 'ring_hash'];

/** What a policy reads: per server, whether the balancer may use it, its weights, its load and its latency. */
export interface PolicyState {
  readonly n: number;
  /** 1 where the server may receive this request (marked up, not ejected, not excluded for a retry). */
  readonly eligible: Uint8Array;
  /** Effective weights (nominal x slow-start factor). */
  readonly weight: Float64Array;
  /** Configured weights (static algorithms use these). */
  readonly nominal: Float64Array;
  /** Active requests (L7) or connections (L4) the balancer has on each server. */
  readonly load: Float64Array;
  /** EWMA response time per server (0 before any response). */
  readonly latency: Float64Array;
}

/** Knobs of the algorithms (real names, Envoy/HAProxy defaults). */
export interface PolicyOptions {
  /** Envoy `LEAST_REQUEST` `choice_count` (default 2; HAProxy `random(<draws>)` default 2). */
  choice_count?: number;
  /** Envoy `active_request_bias` (default 1.0). */
  active_request_bias?: number;
  /** HAProxy `hash-balance-factor` in percent (0 = off, else > 100), for `ring_hash`. */
  hash_balance_factor?: number;
  /** Envoy `minimum_ring_size` (default 1024). */
  minimum_ring_size?: number;
}

export interface Policy {
  readonly name: BalanceAlgorithm;
  /** Index of the chosen server, or -1 if none is eligible. `hash` is the request's key hash. */
  pick(s: PolicyState, hash: number, rng: Rng): number;
}

/** NGINX smooth weighted round robin over `weights` (current weights kept in `cur`). */
function smoothPick(cur: Float64Array, weights: ArrayLike<number>, eligible: ArrayLike<number>): number {
  let total = 0;
  let best = -1;
  for (let i = 0; i < cur.length; i++) {
    if (!eligible[i]) continue;
    const w = weights[i];
    cur[i] += w;
    total += w;
    if (best < 0 || cur[i] > cur[best]) best = i;
  }
  if (best >= 0) cur[best] -= total;
  return best;
}

/**
 * The smallest score among eligible servers, ties broken round robin after `last`. Scores:
 * load / weight (`byLatency` false), or EWMA latency x (load + 1) / weight (`byLatency` true).
 */
function minScoreRoundRobin(s: PolicyState, last: number, byLatency: boolean): number {
  const n = s.n;
  let best = -1;
  let bestScore = Infinity;
  for (let k = 1; k <= n; k++) {
    const i = (last + k) % n;
    if (!s.eligible[i]) continue;
    const v = byLatency ? (s.latency[i] * (s.load[i] + 1)) / s.weight[i] : s.load[i] / s.weight[i];
    if (best < 0 || v < bestScore) {
      best = i;
      bestScore = v;
    }
  }
  return best;
}

class RoundRobin implements Policy {
  readonly name = 'roundrobin' as const;
  private readonly cur: Float64Array;
  constructor(n: number) {
    this.cur = new Float64Array(n);
  }
  pick(s: PolicyState): number {
    return smoothPick(this.cur, s.weight, s.eligible);
  }
}

class StaticRoundRobin implements Policy {
  readonly name = 'static-rr' as const;
  private readonly map: Int32Array;
  private pos = -1;
  constructor(nominal: ArrayLike<number>) {
    const n = nominal.length;
    const w = Array.from(nominal, (x) => math.round(x));
    const total = w.reduce((a, b) => a + b, 0);
    if (total <= 0) throw new ParameterError('weight', Array.from(nominal), 'static-rr needs at least one server with weight >= 1');
    const cur = new Float64Array(n);
    const all = new Uint8Array(n).fill(1);
    this.map = new Int32Array(total);
    for (let k = 0; k < total; k++) this.map[k] = smoothPick(cur, w, all);
  }
  pick(s: PolicyState): number {
    const size = this.map.length;
    for (let step = 0; step < size; step++) {
      this.pos = this.pos + 1 === size ? 0 : this.pos + 1;
      const i = this.map[this.pos];
      if (s.eligible[i]) return i;
    }
    return -1;
  }
}

class RandomPolicy implements Policy {
  readonly name = 'random' as const;
  pick(s: PolicyState, _hash: number, rng: Rng): number {
    let total = 0;
    for (let i = 0; i < s.n; i++) if (s.eligible[i]) total += s.weight[i];
    if (!(total > 0)) return -1;
    let u = rng.next() * total;
    let last = -1;
    for (let i = 0; i < s.n; i++) {
      if (!s.eligible[i]) continue;
      last = i;
      u -= s.weight[i];
      if (u < 0) return i;
    }
    return last;
  }
}

class LeastConn implements Policy {
  readonly name = 'leastconn' as const;
  private last = -1;
  pick(s: PolicyState): number {
    const i = minScoreRoundRobin(s, this.last < 0 ? s.n - 1 : this.last, false);
    if (i >= 0) this.last = i;
    return i;
  }
}

class LeastRequest implements Policy {
  readonly name = 'least_request' as const;
  private readonly cur: Float64Array;
  private readonly dyn: Float64Array;
  private readonly candidates: Int32Array;
  constructor(
    n: number,
    private readonly choices: number,
    private readonly bias: number,
  ) {
    this.cur = new Float64Array(n);
    this.dyn = new Float64Array(n);
    this.candidates = new Int32Array(n);
  }
  pick(s: PolicyState, _hash: number, rng: Rng): number {
    let m = 0;
    let equal = true;
    let w0 = NaN;
    for (let i = 0; i < s.n; i++) {
      if (!s.eligible[i]) continue;
      this.candidates[m++] = i;
      if (Number.isNaN(w0)) w0 = s.weight[i];
      else if (s.weight[i] !== w0) equal = false;
    }
    if (m === 0) return -1;
    if (equal) {
      // power of d choices: draws with replacement, first of the least loaded wins
      let best = this.candidates[rng.nextInt(m)];
      for (let d = 1; d < this.choices; d++) {
        const j = this.candidates[rng.nextInt(m)];
        if (s.load[j] < s.load[best]) best = j;
      }
      return best;
    }
    for (let i = 0; i < s.n; i++) this.dyn[i] = s.eligible[i] ? s.weight[i] / math.pow(s.load[i] + 1, this.bias) : 0;
    return smoothPick(this.cur, this.dyn, s.eligible);
  }
}

class LeastTime implements Policy {
  readonly name = 'least_time' as const;
  private last = -1;
  pick(s: PolicyState): number {
    const i = minScoreRoundRobin(s, this.last < 0 ? s.n - 1 : this.last, true);
    if (i >= 0) this.last = i;
    return i;
  }
}

class SourceHash implements Policy {
  readonly name = 'source' as const;
  pick(s: PolicyState, hash: number): number {
    return moduloPick(hash, s.nominal, s.eligible);
  }
}

class RingHash implements Policy {
  readonly name = 'ring_hash' as const;
  constructor(
    private readonly ring: HashRing,
    private readonly factor: number,
  ) {}
  pick(s: PolicyState, hash: number): number {
    return this.factor > 0 ? this.ring.lookupBounded(hash, s.eligible, s.load, s.nominal, this.factor) : this.ring.lookup(hash, s.eligible);
  }
}

/** Envoy's weighted least-request weight: w / (active + 1)^bias (weight 2, 4 active, bias 1 -> 0.4). */
export function leastRequestWeight(weight: number, active: number, bias = 1): number {
  return weight / math.pow(active + 1, bias);
}

/** Builds a policy for servers `names` with nominal `weights`; bad knobs are ParameterErrors. */
export function createPolicy(balance: BalanceAlgorithm, names: readonly string[], weights: ArrayLike<number>, options: PolicyOptions = {}): Policy {
  const n = names.length;
  switch (balance) {
    case 'roundrobin':
      return new RoundRobin(n);
    case 'static-rr':
      return new StaticRoundRobin(weights);
    case 'random':
      return new RandomPolicy();
    case 'leastconn':
      return new LeastConn();
    case 'least_request':
      return new LeastRequest(
        n,
        requireInteger('choice_count', options.choice_count ?? 2, 1, 1000),
        requireInRange('active_request_bias', options.active_request_bias ?? 1, 0, 100),
      );
    case 'least_time':
      return new LeastTime();
    case 'source':
      return new SourceHash();
    case 'ring_hash': {
      const factor = options.hash_balance_factor ?? 0;
      if (!(factor === 0 || (Number.isFinite(factor) && factor > 100))) {
        throw new ParameterError('hash_balance_factor', factor, 'must be 0 (off) or a percentage > 100');
      }
      return new RingHash(new HashRing(names, weights, { minimum_ring_size: options.minimum_ring_size }), factor);
    }
    default:
      throw new ParameterError('balance', balance, `must be one of ${BALANCE_ALGORITHMS.join(', ')}`);
  }
}
