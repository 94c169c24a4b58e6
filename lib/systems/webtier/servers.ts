/**
 * The web servers: `capacity` kernel Stations built once (`web0`, `web1`, ...), each with its own
 * FailureProcess (substream `web<i>.failures`; a crash fails the requests inside back to the
 * tier, Station `onCrash: 'fail'`), and a lifecycle driven by `setDesired(n)`:
 *
 *   off → pending (provisioning `delay`: instance launch, pod start) → warming (serving at
 *   `warmupSpeed` for `warmup` seconds) → ready; scale-in drains the newest server first (no new
 *   requests; off when empty).
 *
 * Kubernetes' ReplicaSet removes not-yet-ready pods first and then the most recently started;
 * so does this pool (pending before serving, newest first). `eligible[i]` is 1 where the
 * balancer may send a request (serving and up). Cumulative busy time per server (`busyTime(i)`)
 * survives statistics resets, for the autoscalers' utilisation windows.
 */
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import type { JobTarget } from '../../sim/target';
import { FailureProcess } from '../common/failures';
import type { ResolvedWebTier } from './config';

export const OFF = 0;
export const PENDING = 1;
export const WARMING = 2;
export const READY = 3;
export const DRAINING = 4;

export class ServerPool {
  readonly stations: Station[] = [];
  readonly failures: FailureProcess[] = [];
  readonly state: Uint8Array;
  readonly eligible: Uint8Array;
  readonly speed: Float64Array;
  /** When each server last entered service (ready to take requests), and was launched. */
  readonly inServiceAt: Float64Array;
  readonly launchedAt: Float64Array;
  /** Called mode: each request's work at full speed as its caller set it (-1: drawn from `service`). */
  workOf: Float64Array = new Float64Array(0);
  /** Desired server count (the autoscaler's or the schedule's). */
  desired = 0;
  /** Called when the eligible set changes (after the change). */
  onChange: (() => void) | null = null;
  /** Called when server i begins draining or crashes: its in-memory sessions are gone. */
  onLost: ((i: number, cause: 'crash' | 'scale-in') => void) | null = null;
  /** Server-seconds provisioned (pending, warming, ready, draining) since start or reset. */
  private provisionedArea = 0;
  private cumProvisioned = 0;
  private cumServing = 0;
  private provisionedSince: number;
  private lastChange: number;
  private readonly busyOffset: Float64Array;
  private readonly epoch: Int32Array;
  private readonly sim: Simulation;
  private readonly cfg: ResolvedWebTier;
  private readonly serveH: number;
  private readonly warmH: number;
  private readonly checkDrainH: number;

  constructor(sim: Simulation, cfg: ResolvedWebTier, to: JobTarget, failTo: JobTarget) {
    this.sim = sim;
    this.cfg = cfg;
    const n = cfg.capacity;
    this.state = new Uint8Array(n);
    this.eligible = new Uint8Array(n);
    this.speed = new Float64Array(n).fill(1);
    this.inServiceAt = new Float64Array(n).fill(NaN);
    this.launchedAt = new Float64Array(n).fill(NaN);
    this.busyOffset = new Float64Array(n);
    this.epoch = new Int32Array(n);
    this.provisionedSince = sim.now;
    this.lastChange = sim.now;
    // before the stations' own reset callbacks: keep the busy time they are about to forget
    sim.onReset(() => {
      for (let i = 0; i < n; i++) this.busyOffset[i] += this.stations[i].busyServers.integral;
      this.integrate();
      this.provisionedArea = 0;
      this.provisionedSince = sim.now;
    });
    const dist = cfg.service;
    const extra = cfg.session_store === 'token' ? cfg.token.extra : 0;
    for (let i = 0; i < n; i++) {
      const speed = this.speed;
      const st = new Station(sim, {
        name: `${cfg.prefix}web${i}`,
        servers: cfg.workers,
        discipline: cfg.discipline,
        // the caller's work (called mode, `workOf[job]` >= 0) or a draw of the tier's distribution
        service: (job: number, rng: Rng) =>
          (job < this.workOf.length && this.workOf[job] >= 0
            ? this.workOf[job]
            : dist.sample(rng)) /
            speed[i] +
          extra,
        to,
        onCrash: 'fail',
        failTo,
      });
      this.stations.push(st);
      const fp = new FailureProcess(
        sim,
        { crash: () => this.crash(i), recover: () => this.recover(i) },
        cfg.failures[i],
        { name: `${cfg.prefix}web${i}` },
      );
      this.failures.push(fp);
    }
    this.serveH = sim.handler((arg) => this.enterService(arg), 'webtier.inService');
    this.warmH = sim.handler((arg) => this.warmed(arg), 'webtier.warmed');
    this.checkDrainH = sim.handler((i) => this.checkDrain(i), 'webtier.drain');
    // the initial servers are warm and serving at time 0
    for (let i = 0; i < cfg.replicas; i++) {
      this.state[i] = READY;
      this.launchedAt[i] = sim.now;
      this.inServiceAt[i] = -Infinity;
    }
    this.desired = cfg.replicas;
    this.refresh();
  }

  /** Servers that are not off (pending, warming, ready or draining). */
  get provisioned(): number {
    let k = 0;
    for (let i = 0; i < this.state.length; i++) if (this.state[i] !== OFF) k++;
    return k;
  }

  /** Servers taking requests now. */
  get serving(): number {
    let k = 0;
    for (let i = 0; i < this.eligible.length; i++) k += this.eligible[i];
    return k;
  }

  /** Servers counted in the desired count: pending, warming or ready (draining ones are leaving). */
  get active(): number {
    let k = 0;
    for (let i = 0; i < this.state.length; i++)
      if (this.state[i] !== OFF && this.state[i] !== DRAINING) k++;
    return k;
  }

  /** Server-seconds provisioned since start or reset. */
  get serverSeconds(): number {
    this.integrate();
    return this.provisionedArea;
  }

  /** Cumulative busy worker-seconds of server i (not reset). */
  busyTime(i: number): number {
    return this.busyOffset[i] + this.stations[i].busyServers.integral;
  }

  /** Sets the desired count: launches off servers (lowest index first) or drains (pending first, then newest). */
  setDesired(n: number): void {
    this.desired = n;
    let active = this.active;
    const st = this.state;
    while (active < n) {
      let i = st.indexOf(OFF);
      if (i < 0) i = st.indexOf(DRAINING); // relaunch a draining one rather than fail
      if (i < 0) break;
      this.integrate();
      this.epoch[i]++;
      st[i] = PENDING;
      this.launchedAt[i] = this.sim.now;
      this.sim.schedule(this.cfg.provisioning.delay, this.serveH, i + this.epoch[i] * 65536);
      active++;
    }
    while (active > n) {
      let pick = -1;
      for (let i = 0; i < st.length; i++) {
        if (st[i] === OFF || st[i] === DRAINING) continue;
        if (
          pick < 0 ||
          (st[i] === PENDING && st[pick] !== PENDING) ||
          ((st[i] === PENDING) === (st[pick] === PENDING) &&
            this.launchedAt[i] >= this.launchedAt[pick])
        )
          pick = i;
      }
      if (pick < 0) break;
      this.integrate();
      this.epoch[pick]++;
      const wasServing = st[pick] !== PENDING;
      st[pick] = DRAINING;
      if (wasServing && this.onLost !== null) this.onLost(pick, 'scale-in');
      this.checkDrain(pick);
      active--;
    }
    this.refresh();
  }

  private enterService(arg: number): void {
    const i = arg % 65536;
    if ((arg - i) / 65536 !== this.epoch[i] || this.state[i] !== PENDING) return;
    this.state[i] = this.cfg.provisioning.warmup > 0 ? WARMING : READY;
    this.inServiceAt[i] = this.sim.now;
    this.speed[i] = this.cfg.provisioning.warmup > 0 ? this.cfg.provisioning.warmupSpeed : 1;
    if (this.cfg.provisioning.warmup > 0)
      this.sim.schedule(this.cfg.provisioning.warmup, this.warmH, arg);
    this.refresh();
  }

  private warmed(arg: number): void {
    const i = arg % 65536;
    if ((arg - i) / 65536 !== this.epoch[i] || this.state[i] !== WARMING) return;
    this.state[i] = READY;
    this.speed[i] = 1;
  }

  private checkDrain(i: number): void {
    if (this.state[i] !== DRAINING) return;
    if (this.stations[i].inSystem > 0) {
      this.sim.schedule(1, this.checkDrainH, i);
      return;
    }
    this.integrate();
    this.state[i] = OFF;
    this.speed[i] = 1;
    this.inServiceAt[i] = NaN;
  }

  private crash(i: number): void {
    this.stations[i].crash();
    if (
      this.state[i] !== OFF &&
      this.state[i] !== PENDING &&
      this.state[i] !== DRAINING &&
      this.onLost !== null
    )
      this.onLost(i, 'crash');
    this.refresh();
  }

  private recover(i: number): void {
    this.stations[i].recover();
    this.refresh();
  }

  private integrate(): void {
    const now = this.sim.now;
    const dt = now - this.lastChange;
    const p = this.provisioned;
    this.provisionedArea += p * dt;
    this.cumProvisioned += p * dt;
    this.cumServing += this.serving * dt;
    this.lastChange = now;
  }

  /** Server-seconds provisioned and serving since time 0 (not reset), for the timeline. */
  cumulative(): { provisioned: number; serving: number } {
    this.integrate();
    return { provisioned: this.cumProvisioned, serving: this.cumServing };
  }

  /** Recomputes `eligible` (serving and up) and tells the listener. */
  refresh(): void {
    this.integrate();
    let changed = false;
    for (let i = 0; i < this.state.length; i++) {
      const s = this.state[i];
      const e = (s === WARMING || s === READY) && this.stations[i].up ? 1 : 0;
      if (e !== this.eligible[i]) {
        this.eligible[i] = e;
        changed = true;
      }
    }
    if (changed && this.onChange !== null) this.onChange();
  }
}
