/**
 * The recursive resolvers of every client region and their caches (RFC 1035 §3.2.1 TTL: "the time
 * interval that the resource record may be cached before the source of the information should
 * again be consulted"; RFC 2308 §5: a negative answer is cached for min(SOA TTL, SOA MINIMUM)).
 *
 * Each region has `perRegion` resolvers; a client request picks one uniformly. A resolver whose
 * answer has expired asks the authoritative server and caches the answer for the TTL; the first
 * round(stretchShare · perRegion) resolvers of each region keep it for max(TTL, cache-min-ttl)
 * (Unbound's option, and what browsers and some stub resolvers do). A NODATA answer is cached for
 * the negative TTL.
 *
 * Caches start in their stationary state, as if clients had used them for ever: a resolver with
 * requests at rate λ_res and cache time T renews at the first request after expiry (a renewal
 * cycle of T + 1/λ_res on average), so it holds an answer a share T/(T + 1/λ_res) of the time, aged
 * uniformly on [0, T). Without this, all caches would start empty together and expire nearly in
 * step, far from "uniformly aged". A called region (no `rate`) starts so for its `calledRate`, the
 * caller's rate through `entry`; without one, its caches start empty.
 */
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import type { ResolvedGeoDnsConfig } from './config';
import { type Authoritative, NO_ANSWER } from './policies';

export class ResolverCaches {
  readonly perRegion: number;
  /** Per resolver (region-major): cached address, second address, expiry time, stretches TTLs (1). */
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly expires: Float64Array;
  readonly stretches: Uint8Array;
  /** The answer of the last {@link resolve}: address (NO_ANSWER: NODATA) and second address. */
  site = NO_ANSWER;
  alt = NO_ANSWER;
  private readonly cfg: ResolvedGeoDnsConfig;
  private readonly auth: Authoritative;
  private readonly pickRng: Rng;
  private readonly answerRng: Rng;

  constructor(sim: Simulation, cfg: ResolvedGeoDnsConfig, auth: Authoritative) {
    this.cfg = cfg;
    this.auth = auth;
    this.perRegion = cfg.perRegion;
    this.pickRng = sim.streams.get('geodns.resolvers');
    this.answerRng = sim.streams.get('geodns.weighted');
    const n = cfg.regions.length * cfg.perRegion;
    this.first = new Int32Array(n).fill(NO_ANSWER);
    this.second = new Int32Array(n).fill(NO_ANSWER);
    this.expires = new Float64Array(n).fill(-Infinity);
    const stretching = Math.round(cfg.stretchShare * cfg.perRegion);
    this.stretches = new Uint8Array(n);
    for (let r = 0; r < cfg.regions.length; r++)
      for (let k = 0; k < stretching; k++) this.stretches[r * cfg.perRegion + k] = 1;
    this.warm(sim, sim.streams.get('geodns.cache-ages'));
  }

  /** How long resolver `res` keeps the authoritative server's last answer. */
  private cacheTime(res: number): number {
    const cfg = this.cfg;
    if (this.auth.first === NO_ANSWER) return cfg.negativeTtl;
    return this.stretches[res] === 1 ? Math.max(cfg.ttl, cfg.cacheMinTtl) : cfg.ttl;
  }

  private warm(sim: Simulation, rng: Rng): void {
    const cfg = this.cfg;
    const auth = this.auth;
    for (let r = 0; r < cfg.regions.length; r++) {
      const lambda = (cfg.regions[r].rate || cfg.regions[r].calledRate) / cfg.perRegion;
      for (let k = 0; k < cfg.perRegion; k++) {
        const res = r * cfg.perRegion + k;
        auth.answer(r, this.answerRng.next());
        const ttl = this.cacheTime(res);
        const u = rng.next();
        const valid = ttl / (ttl + 1 / lambda);
        if (u < valid) {
          this.first[res] = auth.first;
          this.second[res] = auth.second;
          this.expires[res] = sim.now + (u / valid) * ttl; // residual life uniform on [0, T)
        }
      }
    }
    auth.queries = 0;
    auth.noData = 0;
  }

  /** A request from `region` at time `now`: its resolver's cached answer, refreshed if expired, in `site` and `alt`. */
  resolve(region: number, now: number): void {
    const res = region * this.perRegion + Math.floor(this.pickRng.next() * this.perRegion);
    if (!(now < this.expires[res])) {
      const auth = this.auth;
      auth.answer(region, this.answerRng.next());
      this.first[res] = auth.first;
      this.second[res] = auth.second;
      this.expires[res] = now + this.cacheTime(res);
    }
    this.site = this.first[res];
    this.alt = this.second[res];
  }
}
