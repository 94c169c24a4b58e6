/**
 * Metric kinds: what range an experiment's metric lives in, and so which confidence interval its
 * replications get. Declared per metric in `defineExperiment({ metrics: { W: 'nonNegative', ... } })`;
 * a plain list of names keeps working, every name then of kind 'real'.
 *
 * | kind          | range      | interval over R replications                                  |
 * |---------------|------------|----------------------------------------------------------------|
 * | 'real'        | (−∞, ∞)    | Student t on the mean (Law 2015, §9.4.1)                       |
 * | 'nonNegative' | [0, ∞)     | log-normal interval of the mean (Burnham et al. 1987)          |
 * | 'count'       | [0, ∞)     | as nonNegative; all zero: the exact Poisson upper bound         |
 * | 'quantile'    | [0, ∞)     | replications as batches of the quantile, log-normal interval    |
 * | 'proportion'  | [0, 1]     | logit-transformed t interval of the mean                        |
 * | 'percent'     | [0, 100]   | as proportion, on the scale of 100                              |
 */
import { ParameterError } from '../../errors';

export const metricKinds = [
  'real',
  'nonNegative',
  'count',
  'quantile',
  'proportion',
  'percent',
] as const;
export type MetricKind = (typeof metricKinds)[number];

/** A per-metric declaration: its kind (and room for more later). */
export interface MetricSpec {
  kind: MetricKind;
  /** A short note on the unit or meaning, shown nowhere yet but kept with the definition. */
  doc?: string;
}

/** What an experiment may declare: names (all 'real'), or names to kinds or specs. */
export type MetricsDeclaration =
  readonly string[] | Readonly<Record<string, MetricKind | MetricSpec>>;

/** The range [lower, upper] of a kind's values (and so of its interval). */
export function kindRange(kind: MetricKind): { lower: number; upper: number } {
  switch (kind) {
    case 'real':
      return { lower: -Infinity, upper: Infinity };
    case 'proportion':
      return { lower: 0, upper: 1 };
    case 'percent':
      return { lower: 0, upper: 100 };
    default:
      return { lower: 0, upper: Infinity };
  }
}

/** The declaration as an ordered list of names with their kinds; an unknown kind is a ParameterError. */
export function metricSpecs(
  declaration: MetricsDeclaration,
): Array<{ name: string; kind: MetricKind }> {
  if (Array.isArray(declaration))
    return (declaration as readonly string[]).map((name) => ({
      name: name,
      kind: 'real' as MetricKind,
    }));
  return Object.entries(declaration as Record<string, MetricKind | MetricSpec>).map(
    ([name, spec]) => {
      const kind = typeof spec === 'string' ? spec : spec?.kind;
      if (!(metricKinds as readonly string[]).includes(kind as string)) {
        throw new ParameterError(
          `metrics.${name}`,
          kind,
          `must be one of ${metricKinds.join(', ')}`,
        );
      }
      return { name: name, kind: kind as MetricKind };
    },
  );
}

/** The metric names of a declaration, in order. */
export function metricNames(declaration: MetricsDeclaration): string[] {
  return metricSpecs(declaration).map((m) => m.name);
}
