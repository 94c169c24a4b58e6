/**
 * Amazon EC2 Auto Scaling's dynamic scaling policies, as the EC2 Auto Scaling User Guide describes
 * them ("Target tracking scaling policies", "Step and simple scaling policies", "Instance
 * warm-up", "Scaling cooldowns"):
 *
 * Target tracking: two CloudWatch alarms the policy owns, on the group's average CPU over
 * 1-minute datapoints: AlarmHigh (metric > TargetValue for 3 datapoints) scales out in proportion,
 * desired = ceil(counted × metric / TargetValue) with the instances still warming up left out of
 * the counted capacity (so a breach already answered adds nothing more); AlarmLow (metric below
 * 90 % of the target for 15 datapoints) scales in gradually, by ceil of the same ratio over the
 * whole capacity, never while a scale-out is in progress, and at most once per DefaultCooldown
 * (300 s). Fractional instances are rounded up either way ("we round up and add two instances ...
 * we remove just one").
 *
 * Step scaling: an alarm on a threshold; step adjustments whose bounds are relative to the
 * threshold (lower bound inclusive above the threshold, upper bound inclusive below it) give
 * ChangeInCapacity, ExactCapacity or PercentChangeInCapacity (rounded toward zero beyond ±1, to
 * ±1 within it, at least MinAdjustmentMagnitude); while scaling out, instances warming up are not
 * part of the current capacity and the desired capacity never goes down: the guide's example, a
 * group of 10 at 60 % gets 11, at 70 % (still warming) 13.
 */
import {
  ParameterError,
  requireFinite,
  requireInteger,
  requireNonNegative,
  requirePositive,
} from '../../errors';
import { keyPath, rejectUnknownKeys } from '../common/config';

export interface TargetTrackingConfig {
  kind: 'target-tracking';
  MinSize?: number;
  MaxSize: number;
  /** Target average CPU utilization, percent. */
  TargetValue?: number;
  /** Seconds after InService before an instance's metrics count (default 300). */
  EstimatedInstanceWarmup?: number;
  /** Seconds between scale-in activities (default 300). */
  DefaultCooldown?: number;
  DisableScaleIn?: boolean;
  /** Datapoint period, seconds (60: detailed monitoring). */
  Period?: number;
  /** Datapoints above the target that trigger AlarmHigh (3). */
  scaleOutEvaluationPeriods?: number;
  /** Datapoints below 90 % of the target that trigger AlarmLow (15). */
  scaleInEvaluationPeriods?: number;
}

export const TARGET_TRACKING_KEYS = [
  'kind',
  'MinSize',
  'MaxSize',
  'TargetValue',
  'EstimatedInstanceWarmup',
  'DefaultCooldown',
  'DisableScaleIn',
  'Period',
  'scaleOutEvaluationPeriods',
  'scaleInEvaluationPeriods',
] as const;

export type AdjustmentType = 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity';

export interface StepAdjustment {
  MetricIntervalLowerBound?: number | null;
  MetricIntervalUpperBound?: number | null;
  ScalingAdjustment: number;
}

export interface StepPolicy {
  /** The alarm's threshold (CPU percent); `ComparisonOperator` is >= for scale out, <= for scale in. */
  threshold: number;
  StepAdjustments: StepAdjustment[];
  AdjustmentType?: AdjustmentType;
  MinAdjustmentMagnitude?: number;
  /** Datapoints beyond the threshold that put the alarm in ALARM (default 1). */
  EvaluationPeriods?: number;
}

export interface StepScalingConfig {
  kind: 'step';
  MinSize?: number;
  MaxSize: number;
  EstimatedInstanceWarmup?: number;
  Period?: number;
  scaleOut: StepPolicy;
  scaleIn?: StepPolicy;
}

export const STEP_SCALING_KEYS = [
  'kind',
  'MinSize',
  'MaxSize',
  'EstimatedInstanceWarmup',
  'Period',
  'scaleOut',
  'scaleIn',
] as const;
const STEP_POLICY_KEYS = [
  'threshold',
  'StepAdjustments',
  'AdjustmentType',
  'MinAdjustmentMagnitude',
  'EvaluationPeriods',
] as const;

export type ResolvedTargetTracking = Required<TargetTrackingConfig>;
export interface ResolvedStepPolicy {
  threshold: number;
  StepAdjustments: Array<{ lower: number; upper: number; ScalingAdjustment: number }>;
  AdjustmentType: AdjustmentType;
  MinAdjustmentMagnitude: number;
  EvaluationPeriods: number;
}
export interface ResolvedStepScaling {
  kind: 'step';
  MinSize: number;
  MaxSize: number;
  EstimatedInstanceWarmup: number;
  Period: number;
  scaleOut: ResolvedStepPolicy;
  scaleIn: ResolvedStepPolicy | null;
}

export function resolveTargetTracking(
  c: TargetTrackingConfig,
  path: string,
): ResolvedTargetTracking {
  rejectUnknownKeys(c, TARGET_TRACKING_KEYS, path);
  const MaxSize = requireInteger(`${path}.MaxSize`, c.MaxSize, 1, 10000);
  return {
    kind: 'target-tracking',
    MinSize: requireInteger(`${path}.MinSize`, c.MinSize ?? 1, 1, MaxSize),
    MaxSize,
    TargetValue: requirePositive(`${path}.TargetValue`, c.TargetValue ?? 50),
    EstimatedInstanceWarmup: requireNonNegative(
      `${path}.EstimatedInstanceWarmup`,
      c.EstimatedInstanceWarmup ?? 300,
    ),
    DefaultCooldown: requireNonNegative(`${path}.DefaultCooldown`, c.DefaultCooldown ?? 300),
    DisableScaleIn: c.DisableScaleIn ?? false,
    Period: requirePositive(`${path}.Period`, c.Period ?? 60),
    scaleOutEvaluationPeriods: requireInteger(
      `${path}.scaleOutEvaluationPeriods`,
      c.scaleOutEvaluationPeriods ?? 3,
      1,
      1000,
    ),
    scaleInEvaluationPeriods: requireInteger(
      `${path}.scaleInEvaluationPeriods`,
      c.scaleInEvaluationPeriods ?? 15,
      1,
      1000,
    ),
  };
}

function resolveStepPolicy(p: StepPolicy, path: string): ResolvedStepPolicy {
  rejectUnknownKeys(p, STEP_POLICY_KEYS, path);
  const type = p.AdjustmentType ?? 'ChangeInCapacity';
  if (type !== 'ChangeInCapacity' && type !== 'ExactCapacity' && type !== 'PercentChangeInCapacity')
    throw new ParameterError(
      `${path}.AdjustmentType`,
      type,
      'must be ChangeInCapacity, ExactCapacity or PercentChangeInCapacity',
    );
  if (!Array.isArray(p.StepAdjustments) || p.StepAdjustments.length === 0)
    throw new ParameterError(
      `${path}.StepAdjustments`,
      p.StepAdjustments,
      'must be a non-empty array',
    );
  const steps = p.StepAdjustments.map((s, i) => {
    const sp = keyPath(keyPath(path, 'StepAdjustments'), i);
    rejectUnknownKeys(
      s,
      ['MetricIntervalLowerBound', 'MetricIntervalUpperBound', 'ScalingAdjustment'],
      sp,
    );
    const lower =
      s.MetricIntervalLowerBound == null
        ? -Infinity
        : requireFinite(`${sp}.MetricIntervalLowerBound`, s.MetricIntervalLowerBound);
    const upper =
      s.MetricIntervalUpperBound == null
        ? Infinity
        : requireFinite(`${sp}.MetricIntervalUpperBound`, s.MetricIntervalUpperBound);
    if (!(lower < upper))
      throw new ParameterError(
        `${sp}.MetricIntervalUpperBound`,
        s.MetricIntervalUpperBound,
        `must be above the lower bound (${lower}); both cannot be null`,
      );
    return {
      lower,
      upper,
      ScalingAdjustment: requireInteger(`${sp}.ScalingAdjustment`, s.ScalingAdjustment, -1e6, 1e6),
    };
  });
  steps.sort((a, b) => a.lower - b.lower);
  for (let i = 1; i < steps.length; i++) {
    if (steps[i].lower !== steps[i - 1].upper)
      throw new ParameterError(
        `${path}.StepAdjustments`,
        steps.map((s) => [s.lower, s.upper]),
        'ranges must not overlap or leave a gap',
      );
  }
  return {
    threshold: requireFinite(`${path}.threshold`, p.threshold),
    StepAdjustments: steps,
    AdjustmentType: type,
    MinAdjustmentMagnitude: requireInteger(
      `${path}.MinAdjustmentMagnitude`,
      p.MinAdjustmentMagnitude ?? 0,
      0,
      1e6,
    ),
    EvaluationPeriods: requireInteger(
      `${path}.EvaluationPeriods`,
      p.EvaluationPeriods ?? 1,
      1,
      1000,
    ),
  };
}

export function resolveStepScaling(c: StepScalingConfig, path: string): ResolvedStepScaling {
  rejectUnknownKeys(c, STEP_SCALING_KEYS, path);
  const MaxSize = requireInteger(`${path}.MaxSize`, c.MaxSize, 1, 10000);
  if (c.scaleOut == null)
    throw new ParameterError(
      `${path}.scaleOut`,
      c.scaleOut,
      'must be a step policy { threshold, StepAdjustments }',
    );
  return {
    kind: 'step',
    MinSize: requireInteger(`${path}.MinSize`, c.MinSize ?? 1, 1, MaxSize),
    MaxSize,
    EstimatedInstanceWarmup: requireNonNegative(
      `${path}.EstimatedInstanceWarmup`,
      c.EstimatedInstanceWarmup ?? 300,
    ),
    Period: requirePositive(`${path}.Period`, c.Period ?? 60),
    scaleOut: resolveStepPolicy(c.scaleOut, `${path}.scaleOut`),
    scaleIn: c.scaleIn === undefined ? null : resolveStepPolicy(c.scaleIn, `${path}.scaleIn`),
  };
}

/** PercentChangeInCapacity rounding: beyond ±1 toward zero, within (−1, 1) to ±1. */
export function roundPercentChange(x: number): number {
  if (x === 0) return 0;
  if (x > 0) return x < 1 ? 1 : Math.floor(x);
  return x > -1 ? -1 : Math.ceil(x);
}

/** The step adjustment for a metric value (bounds relative to the threshold), or null if none applies. */
export function stepFor(policy: ResolvedStepPolicy, metric: number): number | null {
  const d = metric - policy.threshold;
  for (const s of policy.StepAdjustments) {
    const inside = d >= 0 ? d >= s.lower && d < s.upper : d > s.lower && d <= s.upper;
    if (inside) return s.ScalingAdjustment;
  }
  return null;
}

/** The change in capacity a step policy asks for, from `capacity` instances. */
export function stepChange(
  policy: ResolvedStepPolicy,
  adjustment: number,
  capacity: number,
): number {
  if (policy.AdjustmentType === 'ExactCapacity') return adjustment - capacity;
  if (policy.AdjustmentType === 'ChangeInCapacity') return adjustment;
  let c = roundPercentChange((capacity * adjustment) / 100);
  if (policy.MinAdjustmentMagnitude > 0 && Math.abs(c) < policy.MinAdjustmentMagnitude)
    c = Math.sign(c) * policy.MinAdjustmentMagnitude;
  return c;
}

/**
 * A step policy applied to a group: `desired` now, `counted` the instances past their warm-up,
 * `total` all instances (terminating included). Scale out: max(desired, counted + change);
 * scale in: min(desired, total + change). The caller applies MinSize and MaxSize.
 */
export function applyStep(
  policy: ResolvedStepPolicy,
  metric: number,
  desired: number,
  counted: number,
  total: number,
  out: boolean,
): number {
  const adj = stepFor(policy, metric);
  if (adj === null) return desired;
  if (out) return Math.max(desired, counted + stepChange(policy, adj, counted));
  return Math.min(desired, total + stepChange(policy, adj, total));
}

/** Target tracking's proportional capacity: ceil(capacity × metric / target). */
export function targetTrackingCapacity(capacity: number, metric: number, target: number): number {
  return Math.ceil((capacity * metric) / target - 1e-9);
}
