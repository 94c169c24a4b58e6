/**
 * The autoscalers running on the simulation clock over a {@link ServerPool}: each samples every
 * server's CPU utilisation (busy worker-seconds over the interval, as a percentage of its
 * workers) at its own period and sets the pool's desired count.
 *
 * - `hpa` (every `sync-period`): pods pending, or serving for less than one `metricWindow`
 *   within the `cpu-initialization-period`, are not yet ready (set aside; hpa.ts), crashed pods
 *   are Failed (discarded); currentReplicas is the desired count (`spec.replicas`).
 * - `target-tracking` and `step` (every `Period`, one CloudWatch datapoint): the group's average
 *   over the instances in service for at least `EstimatedInstanceWarmup`; the alarms of aws.ts.
 */
import type { Simulation } from '../../sim/simulation';
import type { ResolvedStepScaling, ResolvedTargetTracking } from './aws';
import { applyStep, targetTrackingCapacity } from './aws';
import type { ResolvedHpa, PodSample } from './hpa';
import { HpaBehavior, hpaReplicaCalculator } from './hpa';
import { DRAINING, OFF, PENDING } from './servers';
import type { ServerPool } from './servers';

/** One scaling decision, for the timeline. */
export interface ScalingActivity {
  at: number;
  from: number;
  to: number;
  metric: number;
}

export class Autoscaler {
  readonly activities: ScalingActivity[] = [];
  /** The last metric the controller computed (percent; NaN when none). */
  lastMetric = NaN;
  private readonly lastBusy: Float64Array;
  private lastT: number;
  private readonly history: number[] = [];
  private readonly behavior: HpaBehavior | null;
  private lastScaleIn = -Infinity;
  private readonly period: number;

  constructor(
    private readonly sim: Simulation,
    private readonly pool: ServerPool,
    private readonly cfg: ResolvedHpa | ResolvedTargetTracking | ResolvedStepScaling,
    private readonly workers: number,
  ) {
    this.lastBusy = new Float64Array(pool.state.length);
    this.lastT = sim.now;
    this.behavior = cfg.kind === 'hpa' ? new HpaBehavior(cfg) : null;
    this.period = cfg.kind === 'hpa' ? cfg['sync-period'] : cfg.Period;
    const tick = sim.handler(() => {
      this.tick();
      sim.schedule(this.period, tick, 0, 10);
    }, 'webtier.autoscaler');
    sim.schedule(this.period, tick, 0, 10);
  }

  /** Utilisation (percent) of each server over the last period; NaN where it did not serve the whole period. */
  private sample(): Float64Array {
    const now = this.sim.now;
    const dt = now - this.lastT;
    const out = new Float64Array(this.lastBusy.length).fill(NaN);
    for (let i = 0; i < out.length; i++) {
      const b = this.pool.busyTime(i);
      if (dt > 0 && this.pool.inServiceAt[i] <= this.lastT)
        out[i] = (100 * (b - this.lastBusy[i])) / (dt * this.workers);
      this.lastBusy[i] = b;
    }
    this.lastT = now;
    return out;
  }

  private tick(): void {
    const u = this.sample();
    const now = this.sim.now;
    const pool = this.pool;
    const cfg = this.cfg;
    const current = pool.desired;
    let next = current;
    if (cfg.kind === 'hpa') {
      const pods: PodSample[] = [];
      let sum = 0;
      let k = 0;
      for (let i = 0; i < u.length; i++) {
        const s = pool.state[i];
        if (s === OFF || s === DRAINING || !pool.stations[i].up) continue; // off, terminating or Failed: discarded
        const young = now - pool.inServiceAt[i] < cfg['cpu-initialization-period'];
        if (
          s === PENDING ||
          Number.isNaN(u[i]) ||
          (young && now - pool.inServiceAt[i] < cfg.metricWindow)
        )
          pods.push({ state: 'unready', utilization: 0 });
        else {
          pods.push({ state: 'ready', utilization: u[i] });
          sum += u[i];
          k++;
        }
      }
      this.lastMetric = k > 0 ? sum / k : NaN;
      const desired = hpaReplicaCalculator(current, pods, cfg.averageUtilization, cfg.tolerance);
      next = (this.behavior as HpaBehavior).normalize(now, current, desired);
    } else {
      // the CloudWatch datapoint: mean over the instances past their warm-up
      const warm = cfg.EstimatedInstanceWarmup;
      let sum = 0;
      let counted = 0;
      let total = 0;
      let warming = 0;
      for (let i = 0; i < u.length; i++) {
        const s = pool.state[i];
        if (s === OFF) continue;
        total++;
        if (s === DRAINING) continue;
        if (s === PENDING || now - pool.inServiceAt[i] < warm || Number.isNaN(u[i])) {
          warming++;
          continue;
        }
        if (!pool.stations[i].up) continue;
        sum += u[i];
        counted++;
      }
      if (counted === 0) {
        this.lastMetric = NaN;
        return;
      }
      const m = sum / counted;
      this.lastMetric = m;
      const h = this.history;
      h.push(m);
      if (h.length > 1000) h.shift();
      const last = (n: number, test: (x: number) => boolean) =>
        h.length >= n && h.slice(-n).every(test);
      if (cfg.kind === 'target-tracking') {
        const t = cfg.TargetValue;
        if (last(cfg.scaleOutEvaluationPeriods, (x) => x > t))
          next = Math.max(current, targetTrackingCapacity(counted, m, t));
        else if (
          !cfg.DisableScaleIn &&
          warming === 0 &&
          now - this.lastScaleIn >= cfg.DefaultCooldown &&
          last(cfg.scaleInEvaluationPeriods, (x) => x < 0.9 * t)
        ) {
          next = Math.min(current, targetTrackingCapacity(total, m, t));
        }
        next = Math.min(cfg.MaxSize, Math.max(cfg.MinSize, next));
      } else {
        const o = cfg.scaleOut;
        if (last(o.EvaluationPeriods, (x) => x >= o.threshold))
          next = applyStep(o, m, current, counted, total, true);
        else if (cfg.scaleIn !== null && warming === 0) {
          const s = cfg.scaleIn;
          if (last(s.EvaluationPeriods, (x) => x <= s.threshold))
            next = applyStep(s, m, current, counted, total, false);
        }
        next = Math.min(cfg.MaxSize, Math.max(cfg.MinSize, next));
      }
    }
    if (next !== current) {
      if (next < current) this.lastScaleIn = now;
      this.activities.push({ at: now, from: current, to: next, metric: this.lastMetric });
      pool.setDesired(next);
    }
  }
}
