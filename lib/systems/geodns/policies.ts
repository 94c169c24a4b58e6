/**
 * The authoritative name server's answer: which datacenter's address a query from a client
 * region gets, by Route 53 routing policy and record health (Route 53 Developer Guide,
 * "Choosing a routing policy" and "How Amazon Route 53 chooses records when health checking is
 * configured"):
 * - a record without a health check is always healthy; a record whose health check is unhealthy
 *   is skipped and another chosen by the same rules;
 * - when every record is unhealthy, Route 53 treats them all as healthy and answers by the policy;
 * - `latency`: the record whose region has the lowest latency from the client's region;
 * - `weighted`: record i with probability weight_i / Σ weights over the healthy records with
 *   weight > 0; only when all of those are unhealthy are the weight-0 records considered; when
 *   every weight is 0 the records are equally likely;
 * - `failover`: the PRIMARY while healthy, else a healthy SECONDARY; both unhealthy: the PRIMARY;
 * - `geolocation`: the record for the client's continent, else the default ('*') record; an
 *   unhealthy continent record falls back to the default; no matching record and no default is
 *   a NODATA answer (no address).
 *
 * {@link Authoritative.answer} sets `first` (the address returned, or -1 for NODATA) and `second`
 * (the address the same rules give with the first one unhealthy, the client's retry target; -1 if
 * none), without allocating.
 */
import type { Rng } from '../../random/xoshiro128';
import type { ResolvedGeoDnsConfig } from './config';

/** The answer of a query with no address (NODATA). */
export const NO_ANSWER = -1;

export class Authoritative {
  /** Health-check status per datacenter (1 healthy), maintained by the health checkers. */
  readonly healthy: Uint8Array;
  /** The last answer: first address (datacenter index) or NO_ANSWER, and the retry address or -1. */
  first = NO_ANSWER;
  second = NO_ANSWER;
  /** Queries answered, and NODATA answers, since start or reset. */
  queries = 0;
  noData = 0;
  private readonly cfg: ResolvedGeoDnsConfig;
  private readonly n: number;
  private readonly checked: Uint8Array;
  private readonly weight: Float64Array;
  private readonly primary: number;
  private readonly defaultRecord: number;
  private readonly continentRecord: Int32Array;

  constructor(cfg: ResolvedGeoDnsConfig) {
    this.cfg = cfg;
    const dcs = cfg.datacenters;
    this.n = dcs.length;
    this.healthy = new Uint8Array(this.n).fill(1);
    this.checked = Uint8Array.from(dcs, (d) => (d.health_check ? 1 : 0));
    this.weight = Float64Array.from(dcs, (d) => d.weight);
    this.primary = dcs.findIndex((d) => d.failover === 'PRIMARY');
    this.defaultRecord = dcs.findIndex((d) => d.geolocation === '*');
    this.continentRecord = Int32Array.from(cfg.regions, (r) =>
      dcs.findIndex((d) => d.geolocation === r.continent),
    );
  }

  /** True if record i counts as healthy (no health check, or its check passes), and is not `excluded`. */
  private ok(i: number, excluded: number): boolean {
    return i !== excluded && (this.checked[i] === 0 || this.healthy[i] === 1);
  }

  /** Answers a query from client region `region`; `u` is a uniform draw on [0, 1) (weighted). */
  answer(region: number, u: number): void {
    this.queries++;
    const a = this.choose(region, NO_ANSWER, u);
    this.first = a;
    if (a === NO_ANSWER) {
      this.noData++;
      this.second = NO_ANSWER;
      return;
    }
    const b = this.choose(region, a, u);
    this.second = b === a ? NO_ANSWER : b;
  }

  /** Answers with a draw from `rng`. */
  answerFrom(region: number, rng: Rng): void {
    this.answer(region, rng.next());
  }

  /** The record the policy picks with `excluded` treated as unhealthy (-1: none excluded). */
  choose(region: number, excluded: number, u: number): number {
    switch (this.cfg.policy) {
      case 'latency':
        return this.lowestLatency(region, excluded);
      case 'weighted':
        return this.weighted(excluded, u);
      case 'failover':
        return this.failover(excluded);
      default:
        return this.geolocation(region, excluded);
    }
  }

  private lowestLatency(region: number, excluded: number): number {
    const rtt = this.cfg.rtt[region];
    let best = NO_ANSWER;
    for (let i = 0; i < this.n; i++)
      if (this.ok(i, excluded) && (best < 0 || rtt[i] < rtt[best])) best = i;
    if (best >= 0 || excluded >= 0) return best;
    for (let i = 0; i < this.n; i++) if (best < 0 || rtt[i] < rtt[best]) best = i; // all unhealthy: all count as healthy
    return best;
  }

  /** Picks among records with ok() and weight class `positive` (weight > 0, or weight 0); -1 if none. */
  private pickWeighted(excluded: number, u: number, positive: boolean, anyHealth: boolean): number {
    let total = 0;
    let count = 0;
    for (let i = 0; i < this.n; i++) {
      if (
        i === excluded ||
        this.weight[i] > 0 !== positive ||
        (!anyHealth && !this.ok(i, excluded))
      )
        continue;
      total += this.weight[i];
      count++;
    }
    if (count === 0) return NO_ANSWER;
    // weights w_i / Σ w; weight-0 records equally likely
    let x = positive ? u * total : u * count;
    let last = NO_ANSWER;
    for (let i = 0; i < this.n; i++) {
      if (
        i === excluded ||
        this.weight[i] > 0 !== positive ||
        (!anyHealth && !this.ok(i, excluded))
      )
        continue;
      last = i;
      x -= positive ? this.weight[i] : 1;
      if (x < 0) return i;
    }
    return last;
  }

  private weighted(excluded: number, u: number): number {
    let i = this.pickWeighted(excluded, u, true, false);
    if (i < 0) i = this.pickWeighted(excluded, u, false, false);
    if (i >= 0 || excluded >= 0) return i;
    // every record unhealthy: all count as healthy (weight > 0 first, as when healthy)
    i = this.pickWeighted(excluded, u, true, true);
    return i >= 0 ? i : this.pickWeighted(excluded, u, false, true);
  }

  private failover(excluded: number): number {
    if (this.ok(this.primary, excluded)) return this.primary;
    for (let i = 0; i < this.n; i++) if (i !== this.primary && this.ok(i, excluded)) return i;
    return excluded >= 0 ? NO_ANSWER : this.primary;
  }

  private geolocation(region: number, excluded: number): number {
    const match = this.continentRecord[region];
    const dflt = this.defaultRecord;
    if (match >= 0 && this.ok(match, excluded)) return match;
    if (dflt >= 0 && this.ok(dflt, excluded)) return dflt;
    if (excluded >= 0) return NO_ANSWER;
    return match >= 0 ? match : dflt; // all unhealthy: as if healthy; neither: NODATA (-1)
  }

  /** Probability of each datacenter in the answer to a region's query with every record healthy. */
  shares(region: number): number[] {
    const out = new Array<number>(this.n).fill(0);
    if (this.cfg.policy === 'weighted') {
      const positive = this.weight.some((w) => w > 0);
      const total = positive ? this.weight.reduce((a, b) => a + b, 0) : this.n;
      for (let i = 0; i < this.n; i++) out[i] = positive ? this.weight[i] / total : 1 / this.n;
      return out;
    }
    const i = this.choose(region, NO_ANSWER, 0);
    if (i >= 0) out[i] = 1;
    return out;
  }
}
