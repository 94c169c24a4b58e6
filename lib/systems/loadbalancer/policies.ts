import { ParameterError, requireInRange, requireInteger } from '../../errors';
import type { Rng } from '../../random/xoshiro128';
import { HAPROXY_POINTS_PER_WEIGHT, HashRing } from './hashing';
import { ConsistentSource, Maglev, RingHash, SourceHash } from './hash-policies';
import { LeastConn, NginxLeastConn } from './least-conn';
import { MAGLEV_TABLE_SIZE } from './maglev';

/**
 * Load-balancing algorithms, by their real names (§1.2 of the subsystems reference):
 * - `first`: HAProxy `balance first` (src/lb_fas.c): the first server in declaration order that
 *   has a free slot below its `maxconn`, so the others stay idle until it is full;
 * - `roundrobin`: NGINX's smooth weighted round robin (also HAProxy `roundrobin`'s contract:
 *   each server in turn according to its weight; dynamic, so slow start applies);
 * - `static-rr`: HAProxy's static weighted round robin (src/lb_map.c): weights divided by their
 *   GCD, a map of sum(w) slots over the servers up, rebuilt when one goes up or down, filled by
 *   recalc_server_map (each slot to the server whose running score + w, quantised as
 *   (score + tot) / tot, is highest, the first declared winning ties) and walked in order from
 *   where the last pick stopped (map_get_server_rr);
 * - `random`: a random server, with probability proportional to its weight (Envoy `RANDOM`,
 *   NGINX `random`);
 * - `leastconn`: HAProxy `leastconn` (src/lb_fwlc.c): the smallest key (active + 1) / weight, idle
 *   servers first (key 0), ties to the server queued longest at that key (HAProxy's tree keeps
 *   equal keys in queueing order: a server is requeued whenever its count changes);
 * - `least_conn`: NGINX `least_conn` (ngx_http_upstream_least_conn_module.c): the smallest
 *   active / weight, ties by smooth weighted round robin among the tied servers;
 * - `least_request`: Envoy `LEAST_REQUEST`: with equal weights the best of `choice_count` random
 *   draws (with replacement) by active requests, the power of d choices (HAProxy `random(draws)`);
 *   with unequal weights, weighted round robin over w / (active + 1)^`active_request_bias`;
 * - `least_time`: least response time: the smallest EWMA latency x (active + 1) / weight (the
 *   peak-EWMA cost of Finagle and Linkerd; NGINX Plus `least_time`); ties round robin;
 * - `source`: hash of the client address (or URI), HAProxy `balance source`: with `hash_type`
 *   `map-based` (default) modulo the total weight of the servers up; with `consistent` on
 *   HAProxy's ring of 16 x weight fixed points per server (src/lb_chash.c), optionally with
 *   bounded loads (`hash_balance_factor`);
 * - `ring_hash`: Envoy `RING_HASH`, a ring rebuilt over the healthy hosts with points rescaled
 *   per host (minimum_ring_size 1024; hashing.ts), optionally with bounded loads;
 * - `maglev`: Envoy `MAGLEV`, a lookup table of `table_size` 65537 rebuilt over the healthy
 *   hosts (maglev.ts).
 */
export type BalanceAlgorithm =
  | 'first'
  | 'roundrobin'
  | 'static-rr'
  | 'random'
  | 'leastconn'
  | 'least_conn'
  | 'least_request'
  | 'least_time'
  | 'source'
  | 'ring_hash'
  | 'maglev';

export const BALANCE_ALGORITHMS: readonly BalanceAlgorithm[] = [
  'first',
  'roundrobin',
  'static-rr',
  'random',
  'leastconn',
  'least_conn',
  'least_request',
  'least_time',
  'source',
  'ring_hash',
  'maglev',
];

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
  /** HAProxy `hash-type` of `source`: `map-based` (default) or `consistent`. */
  hash_type?: 'map-based' | 'consistent';
  /** Envoy MAGLEV `table_size` (default 65537). */
  table_size?: number;
}

export interface Policy {
  readonly name: BalanceAlgorithm;
  /** Index of the chosen server, or -1 if none is eligible. `hash` is the request's key hash. */
  pick(s: PolicyState, hash: number, rng: Rng): number;
  /** Policies with a table over the eligible servers: rebuild it (called when the eligible set changed, before a pick). */
  rebuild?(s: PolicyState): void;
}

/** NGINX smooth weighted round robin over `weights` (current weights kept in `cur`). */
function smoothPick(
  cur: Float64Array,
  weights: ArrayLike<number>,
  eligible: ArrayLike<number>,
): number {
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

class First implements Policy {
  readonly name = 'first' as const;
  pick(s: PolicyState): number {
    for (let i = 0; i < s.n; i++) if (s.eligible[i]) return i;
    return -1;
  }
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
  private eweight: Int32Array = new Int32Array(0);
  private map: Int32Array = new Int32Array(0);
  private idx = 0;
  constructor(nominal: ArrayLike<number>) {
    const w = Array.from(nominal, (x) => Math.round(x));
    if (!w.some((x) => x > 0))
      throw new ParameterError(
        'weight',
        Array.from(nominal),
        'static-rr needs at least one server with weight >= 1',
      );
    this.rebuild({
      eligible: new Uint8Array(w.length).fill(1),
      nominal: Float64Array.from(nominal),
    } as PolicyState);
  }
  /** HAProxy recalc_server_map over the servers up (weights over their GCD, init_server_map). */
  rebuild(s: PolicyState): void {
    const w = Array.from(s.nominal, (x) => Math.round(x));
    let g = 0;
    for (const x of w) if (x > 0) g = gcd(g, x);
    this.eweight = Int32Array.from(w, (x) => (x > 0 ? x / g : 0));
    const n = this.eweight.length;
    let tot = 0;
    for (let i = 0; i < n; i++) if (s.eligible[i]) tot += this.eweight[i];
    const map = (this.map = new Int32Array(tot));
    const score = new Float64Array(n);
    for (let o = 0; o < tot; o++) {
      let best = -1;
      let max = 0;
      for (let i = 0; i < n; i++) {
        if (!s.eligible[i] || this.eweight[i] === 0) continue;
        if (tot === 1) {
          best = i;
          break;
        }
        score[i] += this.eweight[i];
        const v = Math.floor((score[i] + tot) / tot);
        if (best < 0 || v > max) {
          max = v;
          best = i;
        }
      }
      map[o] = best;
      if (best >= 0) score[best] -= tot;
    }
  }
  /** HAProxy map_get_server_rr: the next slot from where the last pick stopped, skipping an excluded server. */
  pick(s: PolicyState): number {
    const size = this.map.length;
    if (size === 0) return -1;
    if (this.idx >= size) this.idx = 0;
    let k = this.idx;
    for (let step = 0; step < size; step++) {
      const i = this.map[k];
      k = k + 1 === size ? 0 : k + 1;
      if (s.eligible[i]) {
        this.idx = k;
        return i;
      }
    }
    return -1;
  }
}

function gcd(a: number, b: number): number {
  while (b) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
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
    for (let i = 0; i < s.n; i++)
      this.dyn[i] = s.eligible[i] ? s.weight[i] / Math.pow(s.load[i] + 1, this.bias) : 0;
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

/** Envoy's weighted least-request weight: w / (active + 1)^bias (weight 2, 4 active, bias 1 -> 0.4). */
export function leastRequestWeight(weight: number, active: number, bias = 1): number {
  return weight / Math.pow(active + 1, bias);
}

function balanceFactor(options: PolicyOptions): number {
  const factor = options.hash_balance_factor ?? 0;
  if (!(factor === 0 || (Number.isFinite(factor) && factor > 100)))
    throw new ParameterError(
      'hash_balance_factor',
      factor,
      'must be 0 (off) or a percentage > 100',
    );
  return factor;
}

/** Builds a policy for servers `names` with nominal `weights`; bad knobs are ParameterErrors. */
export function createPolicy(
  balance: BalanceAlgorithm,
  names: readonly string[],
  weights: ArrayLike<number>,
  options: PolicyOptions = {},
): Policy {
  const n = names.length;
  switch (balance) {
    case 'first':
      return new First();
    case 'roundrobin':
      return new RoundRobin(n);
    case 'static-rr':
      return new StaticRoundRobin(weights);
    case 'random':
      return new RandomPolicy();
    case 'leastconn':
      return new LeastConn(n);
    case 'least_conn':
      return new NginxLeastConn(n);
    case 'least_request':
      return new LeastRequest(
        n,
        requireInteger('choice_count', options.choice_count ?? 2, 1, 1000),
        requireInRange('active_request_bias', options.active_request_bias ?? 1, 0, 100),
      );
    case 'least_time':
      return new LeastTime();
    case 'source':
      if ((options.hash_type ?? 'map-based') === 'consistent')
        return new ConsistentSource(
          names,
          new HashRing(names, weights, { points_per_weight: HAPROXY_POINTS_PER_WEIGHT }),
          balanceFactor(options),
        );
      return new SourceHash();
    case 'ring_hash':
      return new RingHash(
        names,
        Float64Array.from(weights),
        options.minimum_ring_size ?? 1024,
        balanceFactor(options),
      );
    case 'maglev':
      return new Maglev(names, Float64Array.from(weights), options.table_size ?? MAGLEV_TABLE_SIZE);
    default:
      throw new ParameterError(
        'balance',
        balance,
        `must be one of ${BALANCE_ALGORITHMS.join(', ')}`,
      );
  }
}
