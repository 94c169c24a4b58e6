/**
 * How the balancer learns that a backend died.
 *
 * Active checks (HAProxy `check`): each server has a health counter 0..rise+fall-1, up while it
 * is >= rise; a check every `inter` (`fastinter` while the counter is in transition, `downinter`
 * while fully down) adds one on success and takes one off on failure, so a crash is marked down
 * after `fall` consecutive failures: (U + fall - 1) inter + min(timeout, inter) after it, U uniform
 * (a dead host's check fails after min(`timeout check`, inter): HAProxy connects with
 * min(timeout connect, inter)). Recovery is marked up after `rise` successes.
 *
 * Passive checks (Envoy outlier detection, consecutive 5xx): `consecutive_5xx` failures in a row
 * eject a host for base_ejection_time x (times ejected), capped at max(base, max_ejection_time),
 * never more than max(1, floor(n max_ejection_percent / 100)) hosts at once; every `interval` a
 * sweep returns the hosts whose ejection is over.
 */
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import type { Backend } from './backend';
import type { PoolView } from './pool';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

/** A backend crash and when the balancer stopped sending to it (health check down or ejection). */
export interface Detection {
  backend: string;
  crash: number;
  detected: number;
  delay: number;
}

/** An outlier ejection (Envoy): the backend, when, and until when (it returns at the first sweep after). */
export interface Ejection {
  backend: string;
  at: number;
  until: number;
}

/** What both kinds of check watch: one pool's backends; both record when they stop sending to a dead one. */
abstract class PoolWatch {
  protected readonly sim: Simulation;
  protected readonly pool: PoolView;
  protected readonly members: readonly Backend[];
  private readonly detections: Detection[];

  constructor(sim: Simulation, pool: PoolView, members: readonly Backend[], detections: Detection[]) {
    this.sim = sim;
    this.pool = pool;
    this.members = members;
    this.detections = detections;
  }

  /** The balancer stops sending to member i: a detection if it is down since its crash. */
  protected detected(i: number): void {
    const b = this.members[i];
    const now = this.sim.now;
    if (b.crashAt === b.crashAt && !b.station.up) this.detections.push({ backend: b.name, crash: b.crashAt, detected: now, delay: now - b.crashAt });
    b.crashAt = NaN;
  }
}

/** HAProxy active checks of one pool's backends. */
export class ActiveChecks extends PoolWatch {
  private readonly hc: NonNullable<PoolView['cfg']['health_check']>;
  private readonly health: Int32Array;
  private readonly startedAt: Float64Array;
  private readonly checkH: number;
  private readonly failH: number;

  /** `members`: the pool's backends in order; first checks at uniform phases in [0, inter) from `phase`. */
  constructor(sim: Simulation, pool: PoolView, members: readonly Backend[], detections: Detection[], phase: Rng) {
    super(sim, pool, members, detections);
    this.hc = pool.cfg.health_check!;
    this.health = new Int32Array(pool.n).fill(this.hc.rise + this.hc.fall - 1);
    this.startedAt = new Float64Array(pool.n);
    this.checkH = sim.handler((i) => this.start(i), `lb.${pool.cfg.name}.check`);
    this.failH = sim.handler((i) => this.failed(i), `lb.${pool.cfg.name}.checkFail`);
    for (let i = 0; i < pool.n; i++) sim.schedule(phase.next() * this.hc.inter, this.checkH, i);
  }

  private start(i: number): void {
    const hc = this.hc;
    this.startedAt[i] = this.sim.now;
    if (this.members[i].station.up) {
      this.apply(i, true);
      this.sim.schedule(this.interval(i), this.checkH, i);
    } else {
      this.sim.schedule(math.min(hc.timeout, hc.inter), this.failH, i);
    }
  }

  private failed(i: number): void {
    this.apply(i, false);
    const next = this.startedAt[i] + this.interval(i);
    this.sim.schedule(math.max(0, next - this.sim.now), this.checkH, i);
  }

  private interval(i: number): number {
    const hc = this.hc;
    const h = this.health[i];
    if (this.pool.markedUp[i] === 1) return h === hc.rise + hc.fall - 1 ? hc.inter : hc.fastinter;
    return h === 0 ? hc.downinter : hc.fastinter;
  }

  private apply(i: number, ok: boolean): void {
    const hc = this.hc;
    const pool = this.pool;
    const top = hc.rise + hc.fall - 1;
    if (pool.markedUp[i] === 1) {
      if (ok) this.health[i] = math.min(top, this.health[i] + 1);
      else if (--this.health[i] < hc.rise) {
        this.health[i] = 0;
        pool.markedUp[i] = 0;
        this.detected(i);
        pool.refresh(i);
      }
    } else if (ok) {
      if (++this.health[i] >= hc.rise) {
        this.health[i] = top;
        pool.markedUp[i] = 1;
        pool.joined(i, this.sim.now);
        pool.refresh(i);
      }
    } else this.health[i] = math.max(0, this.health[i] - 1);
  }
}

/** Envoy outlier detection (consecutive 5xx) on one pool. */
export class OutlierDetection extends PoolWatch {
  readonly ejections: Ejection[];
  private readonly od: NonNullable<PoolView['cfg']['outlier_detection']>;
  private readonly consecutive: Int32Array;
  private readonly timesEjected: Int32Array;
  private readonly ejectedUntil: Float64Array;
  private readonly sweepH: number;

  constructor(sim: Simulation, pool: PoolView, members: readonly Backend[], detections: Detection[], ejections: Ejection[]) {
    super(sim, pool, members, detections);
    this.ejections = ejections;
    this.od = pool.cfg.outlier_detection!;
    this.consecutive = new Int32Array(pool.n);
    this.timesEjected = new Int32Array(pool.n);
    this.ejectedUntil = new Float64Array(pool.n);
    this.sweepH = sim.handler(() => this.sweep(), `lb.${pool.cfg.name}.outlierSweep`);
    sim.schedule(this.od.interval, this.sweepH);
  }

  /** Member i answered: its run of consecutive errors ends. */
  success(i: number): void {
    this.consecutive[i] = 0;
  }

  /** Member i failed a request (5xx, reset or refused connection). */
  failure(i: number): void {
    const pool = this.pool;
    const od = this.od;
    if (pool.ejected[i]) return;
    if (++this.consecutive[i] < od.consecutive_5xx) return;
    this.consecutive[i] = 0;
    let ejectedNow = 0;
    for (let j = 0; j < pool.n; j++) ejectedNow += pool.ejected[j];
    if (ejectedNow >= math.max(1, math.floor((pool.n * od.max_ejection_percent) / 100))) return;
    const now = this.sim.now;
    const times = ++this.timesEjected[i];
    pool.ejected[i] = 1;
    this.ejectedUntil[i] = now + math.min(od.base_ejection_time * times, math.max(od.base_ejection_time, od.max_ejection_time));
    this.ejections.push({ backend: this.members[i].name, at: now, until: this.ejectedUntil[i] });
    this.detected(i);
    pool.refresh(i);
  }

  /** Every `interval`: hosts whose ejection time is over come back. */
  private sweep(): void {
    const pool = this.pool;
    for (let i = 0; i < pool.n; i++) {
      if (pool.ejected[i] && this.sim.now >= this.ejectedUntil[i]) {
        pool.ejected[i] = 0;
        this.consecutive[i] = 0;
        pool.refresh(i);
      }
    }
    this.sim.schedule(this.od.interval, this.sweepH);
  }
}
