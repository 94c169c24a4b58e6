/**
 * How the balancer learns that a backend died.
 *
 * Active checks (HAProxy `check`): each server has a health counter 0..rise+fall-1, up while it
 * is >= rise; a check adds one on success and takes one off on failure, so a crash is marked down
 * after `fall` consecutive failures, and recovery is marked up after `rise` successes. The next
 * check starts `inter` (`fastinter` while the counter is in transition, `downinter` while fully
 * down) after the previous one ENDS (HAProxy src/check.c, process_chk_conn: once a check is over,
 * `t->expire = tick_add(now_ms, srv_getinter(check))`). A live server answers at once; a
 * blackholed one (`failure_mode: 'blackhole'`) lets the check time out after T = min(`timeout
 * check`, inter) (src/tcpcheck.c connects with min(inter, timeout connect)); a crashed one
 * (`'crash'`, the port closed) refuses it at once, T = 0. So a crash at a uniform phase U of the
 * check cycle is marked down U inter + fall T + (fall - 1) fastinter later: 10-12 s with the
 * defaults (inter 2 s, fall 3, T = inter), not the 6-8 s of checks counted from their start.
 *
 * Passive checks (Envoy outlier detection, consecutive 5xx; source/common/upstream/
 * outlier_detection_impl.cc): `consecutive_5xx` failures in a row eject a host if fewer than
 * max_ejection_percent of the hosts are ejected (100 x ejected / n < max_ejection_percent), for
 * min(base_ejection_time x m, max(base, max_ejection_time)) with m the host's ejection multiplier:
 * m grows by one at each ejection (while m x base < max + base, ejectHost) and DECAYS by one at
 * every `interval` sweep that finds the host not ejected (checkHostForUneject), so a host that
 * stays healthy long enough is ejected for base_ejection_time again. Every `interval` a sweep
 * returns the hosts whose ejection is over.
 */
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import type { Backend } from './backend';
import type { PoolView } from './pool';

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

  constructor(
    sim: Simulation,
    pool: PoolView,
    members: readonly Backend[],
    detections: Detection[],
  ) {
    this.sim = sim;
    this.pool = pool;
    this.members = members;
    this.detections = detections;
  }

  /** The balancer stops sending to member i: a detection if it is down since its crash. */
  protected detected(i: number): void {
    const b = this.members[i];
    const now = this.sim.now;
    if (b.crashAt === b.crashAt && !b.station.up)
      this.detections.push({
        backend: b.name,
        crash: b.crashAt,
        detected: now,
        delay: now - b.crashAt,
      });
    b.crashAt = NaN;
  }
}

/** HAProxy active checks of one pool's backends. */
export class ActiveChecks extends PoolWatch {
  private readonly hc: NonNullable<PoolView['cfg']['health_check']>;
  private readonly health: Int32Array;
  private readonly checkH: number;
  private readonly failH: number;

  /** `members`: the pool's backends in order; first checks at uniform phases in [0, inter) from `phase`. */
  constructor(
    sim: Simulation,
    pool: PoolView,
    members: readonly Backend[],
    detections: Detection[],
    phase: Rng,
  ) {
    super(sim, pool, members, detections);
    this.hc = pool.cfg.health_check!;
    this.health = new Int32Array(pool.n).fill(this.hc.rise + this.hc.fall - 1);
    this.checkH = sim.handler((i) => this.start(i), `lb.${pool.cfg.name}.check`);
    this.failH = sim.handler((i) => this.failed(i), `lb.${pool.cfg.name}.checkFail`);
    for (let i = 0; i < pool.n; i++) sim.schedule(phase.next() * this.hc.inter, this.checkH, i);
  }

  private start(i: number): void {
    const hc = this.hc;
    const b = this.members[i];
    if (b.station.up) {
      this.apply(i, true);
      this.sim.schedule(this.interval(i), this.checkH, i);
    } else if (b.failureMode === 'crash') {
      this.failed(i); // the closed port answers RST: the check fails at once
    } else {
      this.sim.schedule(Math.min(hc.timeout, hc.inter), this.failH, i); // no answer: the check times out
    }
  }

  /** A check of member i failed (now): the next one starts an interval after this one ended. */
  private failed(i: number): void {
    this.apply(i, false);
    this.sim.schedule(this.interval(i), this.checkH, i);
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
      if (ok) this.health[i] = Math.min(top, this.health[i] + 1);
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
    } else this.health[i] = Math.max(0, this.health[i] - 1);
  }
}

/** Envoy outlier detection (consecutive 5xx) on one pool. */
export class OutlierDetection extends PoolWatch {
  readonly ejections: Ejection[];
  private readonly od: NonNullable<PoolView['cfg']['outlier_detection']>;
  private readonly consecutive: Int32Array;
  /** Envoy's ejection multiplier (ejectTimeBackoff) of each host. */
  readonly multiplier: Int32Array;
  private readonly ejectedUntil: Float64Array;
  private readonly sweepH: number;

  constructor(
    sim: Simulation,
    pool: PoolView,
    members: readonly Backend[],
    detections: Detection[],
    ejections: Ejection[],
  ) {
    super(sim, pool, members, detections);
    this.ejections = ejections;
    this.od = pool.cfg.outlier_detection!;
    this.consecutive = new Int32Array(pool.n);
    this.multiplier = new Int32Array(pool.n);
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
    if (!((100 * ejectedNow) / pool.n < od.max_ejection_percent)) return;
    const now = this.sim.now;
    const base = od.base_ejection_time;
    const max = Math.max(base, od.max_ejection_time);
    if (this.multiplier[i] * base < max + base) this.multiplier[i]++;
    pool.ejected[i] = 1;
    this.ejectedUntil[i] = now + Math.min(base * this.multiplier[i], max);
    this.ejections.push({ backend: this.members[i].name, at: now, until: this.ejectedUntil[i] });
    this.detected(i);
    pool.refresh(i);
  }

  /** Every `interval`: hosts whose ejection time is over come back. */
  private sweep(): void {
    const pool = this.pool;
    for (let i = 0; i < pool.n; i++) {
      if (!pool.ejected[i]) {
        if (this.multiplier[i] > 0) this.multiplier[i]--; // healthy for an interval: the multiplier decays
      } else if (this.sim.now >= this.ejectedUntil[i]) {
        pool.ejected[i] = 0;
        this.consecutive[i] = 0;
        pool.refresh(i);
      }
    }
    this.sim.schedule(this.od.interval, this.sweepH);
  }
}

/**
 * NGINX passive health checks, `server ... max_fails=N fail_timeout=T` (ngx_http_upstream_round_
 * robin.c): every failed request adds one to the server's `fails` and sets `checked` to now; while
 * fails >= max_fails and now - checked <= fail_timeout the server is skipped. After that a request
 * may go to it again, and picking it once fail_timeout has passed since `checked` starts a probe
 * (checked = now): an answer after a probe resets fails to 0, a failure keeps it out another
 * fail_timeout.
 */
export class NginxMaxFails extends PoolWatch {
  private readonly maxFails: number;
  private readonly failTimeout: number;
  private readonly fails: Int32Array;
  private readonly accessed: Float64Array;
  private readonly checked: Float64Array;
  private readonly backH: number;

  constructor(
    sim: Simulation,
    pool: PoolView,
    members: readonly Backend[],
    detections: Detection[],
  ) {
    super(sim, pool, members, detections);
    this.maxFails = pool.cfg.max_fails;
    this.failTimeout = pool.cfg.fail_timeout;
    this.fails = new Int32Array(pool.n);
    this.accessed = new Float64Array(pool.n);
    this.checked = new Float64Array(pool.n);
    this.backH = sim.handler((i) => this.retry(i), `lb.${pool.cfg.name}.failTimeout`);
  }

  /** A request is sent to member i: past fail_timeout since the last check, it is a probe. */
  picked(i: number): void {
    const now = this.sim.now;
    if (now - this.checked[i] > this.failTimeout) this.checked[i] = now;
  }

  success(i: number): void {
    if (this.accessed[i] < this.checked[i]) this.fails[i] = 0;
  }

  failure(i: number): void {
    const now = this.sim.now;
    this.fails[i]++;
    this.accessed[i] = now;
    this.checked[i] = now;
    const pool = this.pool;
    if (this.fails[i] >= this.maxFails && pool.failedOut[i] === 0) {
      pool.failedOut[i] = 1;
      this.detected(i);
      pool.refresh(i);
      this.sim.schedule(this.failTimeout + 1e-9, this.backH, i);
    }
  }

  /** fail_timeout after the last failure the server may be tried again (later failures push it back). */
  private retry(i: number): void {
    const wait = this.checked[i] + this.failTimeout - this.sim.now;
    if (wait >= 0) {
      this.sim.schedule(wait + 1e-9, this.backH, i);
      return;
    }
    this.pool.failedOut[i] = 0;
    this.pool.refresh(i);
  }
}
