/**
 * The autoscaling rules against their documentation's worked examples.
 * Kubernetes: "Horizontal Pod Autoscaling" (kubernetes.io/docs/concepts/workloads/autoscaling/
 * horizontal-pod-autoscale/), Algorithm details, Scaling policies, Default behavior; and the
 * controller's replica_calculator.go and horizontal.go (kubernetes/kubernetes pkg/controller/podautoscaler).
 * AWS: Amazon EC2 Auto Scaling User Guide, "Step and simple scaling policies" (Step adjustments,
 * Scaling adjustment types, Instance warm-up) and "Target tracking scaling policies" (Considerations).
 */
import { ParameterError } from '../../../lib/errors';
import {
  applyStep,
  resolveStepScaling,
  roundPercentChange,
  stepFor,
  targetTrackingCapacity,
} from '../../../lib/systems/webtier/aws';
import {
  HpaBehavior,
  hpaDesiredReplicas,
  hpaReplicaCalculator,
  resolveHpa,
} from '../../../lib/systems/webtier/hpa';

describe('Kubernetes HPA: desiredReplicas = ceil(currentReplicas × currentMetricValue / desiredMetricValue)', () => {
  it('the documentation: 200m against a target of 100m doubles the replicas, 50m halves them', () => {
    for (const n of [1, 2, 3, 7, 10]) {
      expect(hpaDesiredReplicas(n, 200, 100)).toBe(2 * n);
      expect(hpaDesiredReplicas(n, 50, 100)).toBe(Math.ceil(n / 2));
    }
  });

  it('skips any scaling while the ratio is within the tolerance (0.1 by default)', () => {
    expect(hpaDesiredReplicas(10, 109, 100)).toBe(10);
    expect(hpaDesiredReplicas(10, 91, 100)).toBe(10);
    expect(hpaDesiredReplicas(10, 111, 100)).toBe(12);
    expect(hpaDesiredReplicas(10, 89, 100)).toBe(9);
    expect(hpaDesiredReplicas(10, 115, 100, 0.2)).toBe(10);
  });

  it('the replica calculator: ready pods only; not-yet-ready pods count as 0 % on a scale-up, which may then be no change', () => {
    const ready = (u: number) => ({ state: 'ready' as const, utilization: u });
    const unready = { state: 'unready' as const, utilization: 0 };
    // 4 ready pods at 90 % against 60 %: ceil(1.5 × 4) = 6
    expect(hpaReplicaCalculator(4, [ready(90), ready(90), ready(90), ready(90)], 60)).toBe(6);
    // with 2 pods still starting: ratio over 6 pods = (360/6)/60 = 1.0, within tolerance: no change
    expect(
      hpaReplicaCalculator(6, [ready(90), ready(90), ready(90), ready(90), unready, unready], 60),
    ).toBe(6);
    // at 120 %: (480/6)/60 = 1.33 → ceil(1.33 × 6) = 8
    expect(
      hpaReplicaCalculator(
        6,
        [ready(120), ready(120), ready(120), ready(120), unready, unready],
        60,
      ),
    ).toBe(8);
    // scale-down with unready pods: they are set aside, ceil(ratio × readyPodCount)
    expect(
      hpaReplicaCalculator(6, [ready(30), ready(30), ready(30), ready(30), unready, unready], 60),
    ).toBe(2);
    // missing metrics on a scale-down count as 100 % of the target: (120 + 2·60)/6/60 = 0.667 → ceil(4) = 4
    const missing = { state: 'missing' as const, utilization: 0 };
    expect(
      hpaReplicaCalculator(6, [ready(30), ready(30), ready(30), ready(30), missing, missing], 60),
    ).toBe(4);
  });

  it('Scaling policies: 80 replicas to 10 with Pods 4 / 60 s and Percent 10 / 60 s removes 8, then 8 (7.2 rounded up), then 4 a time below 40', () => {
    const hpa = resolveHpa(
      {
        kind: 'hpa',
        minReplicas: 1,
        maxReplicas: 100,
        behavior: {
          scaleDown: {
            stabilizationWindowSeconds: 0,
            policies: [
              { type: 'Pods', value: 4, periodSeconds: 60 },
              { type: 'Percent', value: 10, periodSeconds: 60 },
            ],
          },
        },
      },
      'hpa',
    );
    const b = new HpaBehavior(hpa);
    let n = 80;
    const seen: number[] = [];
    for (let t = 0; t <= 60 * 20; t += 15) {
      const next = b.normalize(t, n, 10);
      if (next !== n) seen.push(next);
      n = next;
    }
    expect(seen.slice(0, 3)).toEqual([72, 64, 57]);
    // 57 → 51 (10 % of 57 = 5.7: int32(51.3) = 51), ... then Pods (4) once below 40
    const belowForty = seen.filter((x) => x < 40);
    for (let i = 1; i < belowForty.length; i++)
      expect(belowForty[i - 1] - belowForty[i]).toBeLessThanOrEqual(4);
    expect(seen[seen.length - 1]).toBe(10);
  });

  it('Default behavior: scale up by at most max(100 %, 4 pods) per 15 s; scale down only after the 300 s stabilization window', () => {
    const hpa = resolveHpa({ kind: 'hpa', minReplicas: 1, maxReplicas: 50 }, 'hpa');
    const b = new HpaBehavior(hpa);
    expect(b.normalize(0, 1, 30)).toBe(5); // max(2 × 1, 1 + 4)
    expect(b.normalize(15, 5, 30)).toBe(10); // max(10, 9)
    expect(b.normalize(30, 10, 30)).toBe(20);
    expect(b.normalize(45, 20, 30)).toBe(30);
    // the load drops: the highest recommendation of the last 300 s holds
    expect(b.normalize(60, 30, 5)).toBe(30);
    expect(b.normalize(344, 30, 5)).toBe(30); // 30 was recommended at 45 s, still inside (344 − 300, 344]
    expect(b.normalize(345, 30, 5)).toBe(5); // now only 5s are in the window, and 100 % per 15 s lets it go at once
  });

  it('maxReplicas and minReplicas bound the result', () => {
    const b = new HpaBehavior(resolveHpa({ kind: 'hpa', minReplicas: 2, maxReplicas: 6 }, 'hpa'));
    expect(b.normalize(0, 4, 100)).toBe(6);
    const c = new HpaBehavior(
      resolveHpa(
        {
          kind: 'hpa',
          minReplicas: 2,
          maxReplicas: 6,
          behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
        },
        'hpa',
      ),
    );
    expect(c.normalize(0, 4, 1)).toBe(2);
  });
});

describe("AWS EC2 Auto Scaling step scaling: the guide's example (threshold 50 %, group of 10)", () => {
  const policy = resolveStepScaling(
    {
      kind: 'step',
      MaxSize: 100,
      scaleOut: {
        threshold: 50,
        AdjustmentType: 'PercentChangeInCapacity',
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 0 },
          { MetricIntervalLowerBound: 10, MetricIntervalUpperBound: 20, ScalingAdjustment: 10 },
          { MetricIntervalLowerBound: 20, ScalingAdjustment: 30 },
        ],
      },
      scaleIn: {
        threshold: 50,
        AdjustmentType: 'PercentChangeInCapacity',
        StepAdjustments: [
          { MetricIntervalLowerBound: -10, MetricIntervalUpperBound: 0, ScalingAdjustment: 0 },
          { MetricIntervalLowerBound: -20, MetricIntervalUpperBound: -10, ScalingAdjustment: -10 },
          { MetricIntervalUpperBound: -20, ScalingAdjustment: -30 },
        ],
      },
    },
    'step',
  );
  const out = policy.scaleOut;
  const inn = policy.scaleIn!;

  it('maps metric values to steps: unchanged in (40, 60), +10 % from 60, +30 % from 70, −10 % at 40, −30 % at 30', () => {
    expect(stepFor(out, 55)).toBe(0);
    expect(stepFor(out, 60)).toBe(10); // lower bound inclusive above the threshold
    expect(stepFor(out, 70)).toBe(30);
    expect(stepFor(inn, 45)).toBe(0);
    expect(stepFor(inn, 40)).toBe(-10); // upper bound inclusive below the threshold
    expect(stepFor(inn, 30)).toBe(-30);
  });

  it('10 → 11 at 60 %; 14 at 70 % once warm (30 % of 11 rounds down to 3); 13 at 40 % (10 % of 14: 1); 10 at 30 % (30 % of 13: 3)', () => {
    let desired = applyStep(out, 60, 10, 10, 10, true);
    expect(desired).toBe(11);
    desired = applyStep(out, 70, desired, 11, 11, true);
    expect(desired).toBe(14);
    desired = applyStep(inn, 40, desired, 14, 14, false);
    expect(desired).toBe(13);
    desired = applyStep(inn, 30, desired, 13, 13, false);
    expect(desired).toBe(10);
  });

  it('Instance warm-up: while the 11th warms up, 62 % adds nothing and 70 % adds 2 (30 % of the 10 counted: 13)', () => {
    expect(applyStep(out, 62, 11, 10, 11, true)).toBe(11);
    expect(applyStep(out, 70, 11, 10, 11, true)).toBe(13);
  });

  it('PercentChangeInCapacity rounding: 12.7 → 12, 0.67 → 1, −0.58 → −1, −6.67 → −6; MinAdjustmentMagnitude', () => {
    expect(roundPercentChange(12.7)).toBe(12);
    expect(roundPercentChange(0.67)).toBe(1);
    expect(roundPercentChange(-0.58)).toBe(-1);
    expect(roundPercentChange(-6.67)).toBe(-6);
    const p = resolveStepScaling(
      {
        kind: 'step',
        MaxSize: 10,
        scaleOut: {
          threshold: 50,
          AdjustmentType: 'PercentChangeInCapacity',
          MinAdjustmentMagnitude: 2,
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 25 }],
        },
      },
      's',
    );
    expect(applyStep(p.scaleOut, 80, 4, 4, 4, true)).toBe(6); // 25 % of 4 is 1, at least 2
  });

  it('rejects overlapping or gapped step ranges, with the path', () => {
    expect(() =>
      resolveStepScaling(
        {
          kind: 'step',
          MaxSize: 10,
          scaleOut: {
            threshold: 50,
            StepAdjustments: [
              { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
              { MetricIntervalLowerBound: 20, ScalingAdjustment: 2 },
            ],
          },
        },
        'autoscaler',
      ),
    ).toThrow(/autoscaler\.scaleOut\.StepAdjustments/);
  });
});

describe('AWS target tracking: capacity in proportion, fractional instances rounded up', () => {
  it('"adding 1.5 instances ... we round up and add two"; "removing 1.5 instances ... we remove just one"', () => {
    expect(targetTrackingCapacity(10, 57.5, 50)).toBe(12); // needs 11.5
    expect(targetTrackingCapacity(10, 42.5, 50)).toBe(9); // needs 8.5: remove one
    expect(targetTrackingCapacity(4, 50, 50)).toBe(4);
  });

  it('typed errors name the parameter', () => {
    expect(() => resolveHpa({ kind: 'hpa', maxReplicas: 0 }, 'autoscaler')).toThrow(ParameterError);
    expect(() =>
      resolveHpa({ kind: 'hpa', maxReplicas: 5, tolerence: 0.2 } as never, 'autoscaler'),
    ).toThrow(/autoscaler\.tolerence.*did you mean "tolerance"/);
    expect(() =>
      resolveHpa(
        {
          kind: 'hpa',
          maxReplicas: 5,
          behavior: { scaleDown: { stabilizationWindowSecond: 60 } },
        } as never,
        'autoscaler',
      ),
    ).toThrow(/stabilizationWindowSecond.*did you mean "stabilizationWindowSeconds"/);
  });
});
