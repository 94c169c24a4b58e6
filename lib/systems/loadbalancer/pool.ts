/**
 * A pool as the balancer sees it: which members may receive a request (marked up by the active
 * checks, not ejected by outlier detection, weight > 0), their effective weights under Envoy's
 * slow start, weight x max(min_weight_percent/100, (max(t, 1)/slow_start_window)^(1/aggression)),
 * the load each policy reads (active requests at L7, connections at L4) and `least_time`'s peak
 * EWMA of response times (Finagle: jump up at once, decay with `decay_time`); and the pick
 * itself: the pool's policy over the eligible members, or over all of them (weight > 0) when the
 * pool is in panic, without the member a retry excludes. Panic (Envoy `healthy_panic_threshold`,
 * default 50 %): fewer than that share of the members are healthy, 100 x healthy / members <
 * threshold (source/common/upstream/load_balancer_impl.cc, isHostSetInPanic and
 * recalculatePerPriorityPanic; 0 disables it); with none healthy the pool fails open (ALB) unless
 * `fail_open` is false. Policies that build a table over the eligible members (static-rr's map,
 * ring_hash's ring, maglev's table) rebuild it when the eligible set changes.
 */
import { ParameterError } from '../../errors';
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import type { ResolvedPool } from './config';
import { createPolicy } from './policies';
import type { Policy, PolicyState } from './policies';

export class PoolView {
  readonly cfg: ResolvedPool;
  readonly index: number;
  /** Global index of the pool's first backend. */
  readonly offset: number;
  readonly n: number;
  readonly policy: Policy;
  readonly rng: Rng;
  readonly state: PolicyState;
  /** The same arrays but every member with weight > 0 eligible: fail-open. */
  readonly openState: PolicyState;
  eligibleCount = 0;
  /** The active checks' view: 1 while marked up. */
  readonly markedUp: Uint8Array;
  /** 1 while ejected by outlier detection. */
  readonly ejected: Uint8Array;
  /** 1 while NGINX's max_fails keeps the member out (fail_timeout). */
  readonly failedOut: Uint8Array;
  /** Members slow-starting now (0: weights are nominal). */
  slowStarting = 0;
  /** HAProxy server maxconn of each member (Infinity: none); `limited` when any is finite. */
  readonly maxconn: Float64Array;
  readonly limited: boolean;
  private readonly fullSaved: Uint8Array;
  /** Members with weight > 0 (the panic threshold's denominator). */
  usable = 0;
  /** Bumped whenever the eligible set changes (tables are rebuilt from it). */
  private version = 0;
  private builtVersion = -1;
  private builtPanic = false;
  private readonly latencyAt: Float64Array;
  private readonly joinedAt: Float64Array;

  /** `load`: the pool's slice of the per-backend active requests (L7) or connections (L4); `prefix`: the balancer's name and a dot, or ''. */
  constructor(
    sim: Simulation,
    cfg: ResolvedPool,
    index: number,
    offset: number,
    load: Float64Array,
    prefix: string = '',
  ) {
    const n = cfg.backends.length;
    this.cfg = cfg;
    this.index = index;
    this.offset = offset;
    this.n = n;
    const nominal = new Float64Array(cfg.backends.map((b) => b.weight));
    const all = new Uint8Array(n);
    for (let i = 0; i < n; i++) all[i] = nominal[i] > 0 ? 1 : 0;
    for (let i = 0; i < n; i++) this.usable += all[i];
    this.state = {
      n,
      eligible: new Uint8Array(n),
      weight: Float64Array.from(nominal),
      nominal,
      load,
      latency: new Float64Array(n),
    };
    this.openState = { ...this.state, eligible: all };
    this.policy = createPolicy(
      cfg.balance,
      cfg.backends.map((b) => b.name),
      nominal,
      cfg,
    );
    this.rng = sim.streams.get(`${prefix}lb.${cfg.name}.policy`);
    this.markedUp = new Uint8Array(n).fill(1);
    this.ejected = new Uint8Array(n);
    this.failedOut = new Uint8Array(n);
    this.maxconn = Float64Array.from(cfg.backends, (b) => b.maxconn);
    this.limited = cfg.backends.some((b) => b.maxconn !== Infinity);
    this.fullSaved = new Uint8Array(n);
    this.latencyAt = new Float64Array(n).fill(NaN);
    this.joinedAt = new Float64Array(n).fill(-Infinity);
    for (let i = 0; i < n; i++) this.refresh(i);
  }

  /** Recomputes whether member i is eligible. */
  refresh(i: number): void {
    const e =
      this.markedUp[i] === 1 &&
      this.ejected[i] === 0 &&
      this.failedOut[i] === 0 &&
      this.state.nominal[i] > 0
        ? 1
        : 0;
    if (this.state.eligible[i] !== e) {
      this.state.eligible[i] = e;
      this.eligibleCount += e ? 1 : -1;
      this.version++;
    }
  }

  /**
   * A runtime weight change (HAProxy `set server <backend>/<server> weight <w>`; 0 drains the server:
   * no new requests, its L4 connections stay): the policies' tables are rebuilt at the next pick.
   */
  setWeight(i: number, w: number, now: number): void {
    if (!(i >= 0 && i < this.n))
      throw new ParameterError(
        'backend',
        `${this.index}/${i}`,
        'must name an existing pool and backend',
      );
    if (!(w >= 0 && w <= 256))
      throw new ParameterError('weight', w, 'must be in [0, 256] (HAProxy weight)');
    const { nominal, weight } = this.state;
    const open = this.openState.eligible;
    this.usable += (w > 0 ? 1 : 0) - open[i];
    open[i] = w > 0 ? 1 : 0;
    nominal[i] = w;
    weight[i] = w;
    if (this.slowStarting > 0) this.updateSlowStart(now);
    this.refresh(i);
    this.version++;
  }

  /** True while the pool balances over every member, healthy or not (Envoy panic, or fail-open with none healthy). */
  panic(): boolean {
    return (
      this.eligibleCount === 0 ||
      100 * this.eligibleCount < this.cfg.healthy_panic_threshold * this.usable
    );
  }

  /**
   * The member for a request with key hash `hash`, or -1 (none eligible and no fail-open), or -2
   * (every eligible member is at its maxconn: the request must queue); `excluded` is a member
   * index a retry must avoid (or -1). Members at their maxconn are skipped (HAProxy's algorithms
   * skip full servers).
   */
  pick(now: number, hash: number, excluded: number, failOpen: boolean): number {
    if (this.slowStarting > 0) this.updateSlowStart(now);
    const open = this.panic();
    if (open && this.eligibleCount === 0 && !failOpen) return -1;
    const state = open ? this.openState : this.state;
    const rebuild = this.policy.rebuild;
    if (rebuild !== undefined && (this.builtVersion !== this.version || this.builtPanic !== open)) {
      this.policy.rebuild!(state);
      this.builtVersion = this.version;
      this.builtPanic = open;
    }
    const has = excluded >= 0 && excluded < this.n;
    const saved = has ? state.eligible[excluded] : 0;
    if (has) state.eligible[excluded] = 0;
    let full = 0;
    if (this.limited) {
      const load = state.load;
      for (let j = 0; j < this.n; j++) {
        if (state.eligible[j] === 1 && load[j] >= this.maxconn[j]) {
          state.eligible[j] = 0;
          this.fullSaved[j] = 1;
          full++;
        }
      }
    }
    const i = this.policy.pick(state, hash, this.rng);
    if (full > 0) {
      for (let j = 0; j < this.n; j++) {
        if (this.fullSaved[j] === 1) {
          state.eligible[j] = 1;
          this.fullSaved[j] = 0;
        }
      }
    }
    if (has) state.eligible[excluded] = saved;
    return i < 0 && full > 0 ? -2 : i;
  }

  /** `least_time`'s peak EWMA: a response of `rtt` from member i at time `now`. */
  observeLatency(i: number, rtt: number, now: number): void {
    if (this.cfg.balance !== 'least_time') return;
    const latency = this.state.latency;
    const last = this.latencyAt[i];
    if (last !== last || rtt > latency[i])
      latency[i] = rtt; // first response, or jump up at once
    else latency[i] += (1 - Math.exp(-(now - last) / this.cfg.decay_time)) * (rtt - latency[i]);
    this.latencyAt[i] = now;
  }

  /** The balancer starts sending to member i again (check up, or recovery without checks): slow start begins. */
  joined(i: number, now: number): void {
    if (!this.cfg.slow_start) return;
    this.joinedAt[i] = now;
    this.slowStarting++;
  }

  updateSlowStart(now: number): void {
    const ss = this.cfg.slow_start;
    if (!ss) return;
    const { weight, nominal } = this.state;
    let still = 0;
    for (let i = 0; i < this.n; i++) {
      const t = now - this.joinedAt[i];
      if (t < ss.slow_start_window) {
        const factor = Math.max(
          ss.min_weight_percent / 100,
          Math.pow(Math.max(t, 1) / ss.slow_start_window, 1 / ss.aggression),
        );
        weight[i] = nominal[i] * Math.min(1, factor);
        still++;
      } else weight[i] = nominal[i];
    }
    this.slowStarting = still;
  }

  /** The balancer's view of member i now. */
  view(
    i: number,
    now: number,
  ): { up: boolean; ejected: boolean; eligible: boolean; weight: number } {
    if (!(i >= 0 && i < this.n))
      throw new ParameterError(
        'backend',
        `${this.index}/${i}`,
        'must name an existing pool and backend',
      );
    if (this.slowStarting > 0) this.updateSlowStart(now);
    return {
      up: this.markedUp[i] === 1,
      ejected: this.ejected[i] === 1,
      eligible: this.state.eligible[i] === 1,
      weight: this.state.weight[i],
    };
  }
}
