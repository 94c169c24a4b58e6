/**
 * The Kubernetes HorizontalPodAutoscaler, as its documentation ("Horizontal Pod Autoscaling",
 * kubernetes.io, Algorithm details and Configurable scaling behavior) and its controller
 * (pkg/controller/podautoscaler: replica_calculator.go GetResourceReplicas, horizontal.go
 * stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate,
 * calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors) describe it:
 *
 * - desiredReplicas = ceil(currentReplicas × currentMetricValue / desiredMetricValue), no change
 *   while |ratio − 1| ≤ tolerance (0.1);
 * - pods not yet Ready (Pending, or Ready for less than one metric window within the
 *   cpu-initialization-period) are set aside; with them present on a scale-up they count as 0 %
 *   of the target, and a ratio that then reverses direction or falls within tolerance is no change;
 * - behavior: a recommendation is stabilized over a window (scaleUp: the lowest over 0 s, scaleDown:
 *   the highest over 300 s), then limited by the policies (default scaleUp max(100 %, 4 pods) per
 *   15 s, scaleDown 100 % per 15 s; selectPolicy Max picks the larger change), and clamped to
 *   [minReplicas, maxReplicas]; the controller runs every sync period (15 s).
 */
import {
  ParameterError,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requirePositive,
} from '../../errors';
import { keyPath, rejectUnknownKeys } from '../common/config';

export interface HpaScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface HpaScalingRules {
  stabilizationWindowSeconds?: number;
  policies?: HpaScalingPolicy[];
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
}

export interface HpaConfig {
  kind: 'hpa';
  minReplicas?: number;
  maxReplicas: number;
  /** Target average CPU utilization, percent of the request (a server's capacity). */
  averageUtilization?: number;
  /** --horizontal-pod-autoscaler-tolerance (default 0.1). */
  tolerance?: number;
  /** --horizontal-pod-autoscaler-sync-period, seconds (default 15). */
  'sync-period'?: number;
  /** Window of each pod's CPU sample (metrics-server resolution), seconds (default 15). */
  metricWindow?: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period, seconds (default 300). */
  'cpu-initialization-period'?: number;
  behavior?: { scaleUp?: HpaScalingRules; scaleDown?: HpaScalingRules };
}

export const HPA_KEYS = [
  'kind',
  'minReplicas',
  'maxReplicas',
  'averageUtilization',
  'tolerance',
  'sync-period',
  'metricWindow',
  'cpu-initialization-period',
  'behavior',
] as const;

export interface ResolvedRules {
  stabilizationWindowSeconds: number;
  policies: HpaScalingPolicy[];
  selectPolicy: 'Max' | 'Min' | 'Disabled';
}

export interface ResolvedHpa {
  kind: 'hpa';
  minReplicas: number;
  maxReplicas: number;
  averageUtilization: number;
  tolerance: number;
  'sync-period': number;
  metricWindow: number;
  'cpu-initialization-period': number;
  behavior: { scaleUp: ResolvedRules; scaleDown: ResolvedRules };
}

/** The documented defaults (Default behavior): scaleUp 0 s, max(100 %, 4 pods) per 15 s; scaleDown 300 s, 100 % per 15 s. */
export const HPA_DEFAULT_BEHAVIOR = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    policies: [
      { type: 'Percent', value: 100, periodSeconds: 15 },
      { type: 'Pods', value: 4, periodSeconds: 15 },
    ],
    selectPolicy: 'Max',
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    selectPolicy: 'Max',
  },
} as const;

function resolveRules(
  r: HpaScalingRules | undefined,
  d: (typeof HPA_DEFAULT_BEHAVIOR)['scaleUp' | 'scaleDown'],
  path: string,
): ResolvedRules {
  if (r !== undefined)
    rejectUnknownKeys(r, ['stabilizationWindowSeconds', 'policies', 'selectPolicy'], path);
  const policies = (r?.policies ?? d.policies.map((p) => ({ ...p }))).map((p, i) => {
    const pp = keyPath(keyPath(path, 'policies'), i);
    rejectUnknownKeys(p, ['type', 'value', 'periodSeconds'], pp);
    if (p.type !== 'Pods' && p.type !== 'Percent')
      throw new ParameterError(`${pp}.type`, p.type, "must be 'Pods' or 'Percent'");
    return {
      type: p.type,
      value: requireInteger(`${pp}.value`, p.value, 1),
      periodSeconds: requireInteger(`${pp}.periodSeconds`, p.periodSeconds, 1, 1800),
    };
  });
  const sel = r?.selectPolicy ?? d.selectPolicy;
  if (sel !== 'Max' && sel !== 'Min' && sel !== 'Disabled')
    throw new ParameterError(`${path}.selectPolicy`, sel, "must be 'Max', 'Min' or 'Disabled'");
  return {
    stabilizationWindowSeconds: requireInteger(
      `${path}.stabilizationWindowSeconds`,
      r?.stabilizationWindowSeconds ?? d.stabilizationWindowSeconds,
      0,
      3600,
    ),
    policies,
    selectPolicy: sel,
  };
}

export function resolveHpa(c: HpaConfig, path: string): ResolvedHpa {
  rejectUnknownKeys(c, HPA_KEYS, path);
  const maxReplicas = requireInteger(`${path}.maxReplicas`, c.maxReplicas, 1, 10000);
  const minReplicas = requireInteger(`${path}.minReplicas`, c.minReplicas ?? 1, 1, maxReplicas);
  if (c.behavior !== undefined)
    rejectUnknownKeys(c.behavior, ['scaleUp', 'scaleDown'], `${path}.behavior`);
  return {
    kind: 'hpa',
    minReplicas,
    maxReplicas,
    averageUtilization: requireInRange(
      `${path}.averageUtilization`,
      c.averageUtilization ?? 60,
      1,
      100,
    ),
    tolerance: requireInRange(`${path}.tolerance`, c.tolerance ?? 0.1, 0, 1),
    'sync-period': requirePositive(`${path}.sync-period`, c['sync-period'] ?? 15),
    metricWindow: requirePositive(`${path}.metricWindow`, c.metricWindow ?? 15),
    'cpu-initialization-period': requireNonNegative(
      `${path}.cpu-initialization-period`,
      c['cpu-initialization-period'] ?? 300,
    ),
    behavior: {
      scaleUp: resolveRules(
        c.behavior?.scaleUp,
        HPA_DEFAULT_BEHAVIOR.scaleUp,
        `${path}.behavior.scaleUp`,
      ),
      scaleDown: resolveRules(
        c.behavior?.scaleDown,
        HPA_DEFAULT_BEHAVIOR.scaleDown,
        `${path}.behavior.scaleDown`,
      ),
    },
  };
}

/** The basic rule: ceil(current × metric / target), or current while the ratio is within tolerance. */
export function hpaDesiredReplicas(
  currentReplicas: number,
  currentMetricValue: number,
  desiredMetricValue: number,
  tolerance = 0.1,
): number {
  const ratio = currentMetricValue / desiredMetricValue;
  if (Math.abs(1 - ratio) <= tolerance) return currentReplicas;
  return Math.ceil(ratio * currentReplicas);
}

/** One pod as the replica calculator sees it: Ready with a metric, not yet ready (set aside), or missing its metric. */
export interface PodSample {
  state: 'ready' | 'unready' | 'missing';
  /** Utilization, percent (ignored unless ready). */
  utilization: number;
}

/**
 * replica_calculator.go GetResourceReplicas for a Utilization target (percent of the request):
 * the ratio over the ready pods; with no unready pod on a scale-up and no missing metric,
 * ceil(ratio × readyPodCount); otherwise the ratio recomputed with missing pods at 100 % of the
 * target (scale-down) or 0 % (scale-up) and unready pods at 0 % (scale-up), no change if it then
 * reverses direction or is within tolerance. Returns currentReplicas when no pod has a metric.
 */
export function hpaReplicaCalculator(
  currentReplicas: number,
  pods: readonly PodSample[],
  targetUtilization: number,
  tolerance = 0.1,
): number {
  let ready = 0;
  let sum = 0;
  let unready = 0;
  let missing = 0;
  for (const p of pods) {
    if (p.state === 'ready') {
      ready++;
      sum += p.utilization;
    } else if (p.state === 'unready') unready++;
    else missing++;
  }
  if (ready === 0) return currentReplicas;
  const usageRatio = sum / ready / targetUtilization;
  const scaleUpWithUnready = unready > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && missing === 0) {
    if (Math.abs(1 - usageRatio) <= tolerance) return currentReplicas;
    return Math.ceil(usageRatio * ready);
  }
  let n = ready;
  let total = sum;
  if (missing > 0) {
    n += missing;
    if (usageRatio < 1) total += missing * targetUtilization; // scale-down: missing pods at the target
  }
  if (scaleUpWithUnready) n += unready; // at 0 %
  const newRatio = total / n / targetUtilization;
  if (
    Math.abs(1 - newRatio) <= tolerance ||
    (usageRatio < 1 && newRatio > 1) ||
    (usageRatio > 1 && newRatio < 1)
  )
    return currentReplicas;
  const newReplicas = Math.ceil(newRatio * n);
  if (
    (newRatio < 1 && newReplicas > currentReplicas) ||
    (newRatio > 1 && newReplicas < currentReplicas)
  )
    return currentReplicas;
  return newReplicas;
}

interface ScaleEvent {
  at: number;
  change: number;
}

/** Replicas added (or removed) by the events within the last `period` seconds. */
function changedInPeriod(events: readonly ScaleEvent[], now: number, period: number): number {
  let s = 0;
  for (const e of events) if (e.at > now - period) s += e.change;
  return s;
}

/** calculateScaleUpLimitWithScalingRules. */
export function scaleUpLimit(
  current: number,
  up: readonly ScaleEvent[],
  down: readonly ScaleEvent[],
  rules: ResolvedRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start =
      current -
      changedInPeriod(up, now, p.periodSeconds) +
      changedInPeriod(down, now, p.periodSeconds);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = rules.selectPolicy === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors (the Percent proposal truncated, as int32() does). */
export function scaleDownLimit(
  current: number,
  up: readonly ScaleEvent[],
  down: readonly ScaleEvent[],
  rules: ResolvedRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start =
      current -
      changedInPeriod(up, now, p.periodSeconds) +
      changedInPeriod(down, now, p.periodSeconds);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = rules.selectPolicy === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/**
 * The controller's memory for one HPA: past recommendations (for the stabilization windows) and
 * scale events (for the policies' periods). `normalize(now, current, desired)` is
 * stabilizeRecommendationWithBehaviors then convertDesiredReplicasWithBehaviorRate.
 */
export class HpaBehavior {
  private recs: Array<{ at: number; replicas: number }> = [];
  private up: ScaleEvent[] = [];
  private down: ScaleEvent[] = [];

  constructor(
    private readonly hpa: Pick<ResolvedHpa, 'minReplicas' | 'maxReplicas' | 'behavior'>,
  ) {}

  normalize(now: number, current: number, desired: number): number {
    const b = this.hpa.behavior;
    let upRec = desired;
    let downRec = desired;
    const keep = Math.max(
      b.scaleUp.stabilizationWindowSeconds,
      b.scaleDown.stabilizationWindowSeconds,
    );
    this.recs = this.recs.filter((r) => r.at > now - keep);
    for (const r of this.recs) {
      if (r.at > now - b.scaleUp.stabilizationWindowSeconds) upRec = Math.min(upRec, r.replicas);
      if (r.at > now - b.scaleDown.stabilizationWindowSeconds)
        downRec = Math.max(downRec, r.replicas);
    }
    let rec = current;
    if (rec < upRec) rec = upRec;
    if (rec > downRec) rec = downRec;
    this.recs.push({ at: now, replicas: desired });
    // rate limits and bounds
    let out = rec;
    if (rec > current) {
      const lim = Math.max(current, scaleUpLimit(current, this.up, this.down, b.scaleUp, now));
      out = Math.min(rec, Math.min(this.hpa.maxReplicas, lim));
    } else if (rec < current) {
      const lim = Math.min(current, scaleDownLimit(current, this.up, this.down, b.scaleDown, now));
      out = Math.max(rec, Math.max(this.hpa.minReplicas, lim));
    }
    out = Math.min(this.hpa.maxReplicas, Math.max(this.hpa.minReplicas, out));
    if (out > current) this.up.push({ at: now, change: out - current });
    else if (out < current) this.down.push({ at: now, change: current - out });
    const horizon = 1800;
    this.up = this.up.filter((e) => e.at > now - horizon);
    this.down = this.down.filter((e) => e.at > now - horizon);
    return out;
  }
}
