/**
 * The interval of one metric at one row, by its kind (see kinds.ts): the mean over replications
 * and a 95 % interval that cannot leave the kind's range, with the method's name for the provenance.
 * One replication: the mean and no interval ("no interval (1 replication)").
 */
import type { Interval } from './interval';
import type { MetricKind } from './kinds';
import { kindRange } from './kinds';
import { logNormalInterval, quantileMethod } from './log-normal';
import { logitInterval } from './logit';
import { studentTInterval } from './student-t';

export type { Interval } from './interval';
export { metricKinds, kindRange, metricSpecs, metricNames } from './kinds';
export type { MetricKind, MetricSpec, MetricsDeclaration } from './kinds';
export { studentTInterval, studentTMethod, meanAndStandardError } from './student-t';
export { logNormalInterval, logNormalMethod, quantileMethod } from './log-normal';
export { logitInterval, logitMethod } from './logit';

/** Relative distance past a kind's bound still taken as rounding (and clamped to the bound). */
export const roundingSlack = 1e-9;

export const noIntervalMethod = 'no interval (1 replication)';
export const missingMethod = 'no value (a replication returned none)';

/** A value outside its metric's declared range: the declaration (or the simulation) is wrong. */
export class MetricRangeError extends Error {
  override readonly name = 'MetricRangeError';
  constructor(
    readonly metric: string,
    readonly kind: MetricKind,
    readonly value: number,
  ) {
    const { lower, upper } = kindRange(kind);
    super(
      `metric ${metric} is declared '${kind}' (values in [${lower}, ${upper}]) but a replication returned ${value}`,
    );
  }
}

/** Mean and interval of one metric's replication values (null where any value is missing or non-finite). */
export function metricInterval(
  metric: string,
  kind: MetricKind,
  values: ReadonlyArray<number | null>,
  level: number,
): Interval {
  const n = values.length;
  if (n === 0 || values.some((v) => v === null || !Number.isFinite(v)))
    return { mean: null, lo: null, hi: null, method: missingMethod };
  const { lower, upper } = kindRange(kind);
  // a value past a bound by rounding (a utilisation of 1.0000000000000002) is the bound; further is an error
  const xs = (values as readonly number[]).map((x) => {
    if (x >= lower && x <= upper) return x;
    if (x < lower && lower - x <= roundingSlack * Math.max(1, Math.abs(lower))) return lower;
    if (x > upper && x - upper <= roundingSlack * Math.max(1, Math.abs(upper))) return upper;
    throw new MetricRangeError(metric, kind, x);
  });
  if (n < 2) return { mean: xs[0], lo: null, hi: null, method: noIntervalMethod };
  switch (kind) {
    case 'real':
      return studentTInterval(xs, level);
    case 'nonNegative':
      return logNormalInterval(xs, level);
    case 'count':
      return logNormalInterval(xs, level, { count: true });
    case 'quantile':
      return logNormalInterval(xs, level, { method: quantileMethod });
    case 'proportion':
      return logitInterval(xs, level, 1);
    case 'percent':
      return logitInterval(xs, level, 100);
  }
}
export { sectioningInterval, sectioningMethod } from './sectioning';
