/**
 * An experiment: a question asked of a model, as data. Typed parameters with defaults, a grid of
 * points to simulate, one replication of one point (`simulate`), the closed form beside it where
 * one exists (`theory`), and the figures that answer the question (`figures`).
 *
 * `run` returns a tidy arquero table: one row per observation (a grid point, or a point and time
 * for time series), the point's parameters as columns, each metric's mean over replications with
 * its 95% confidence interval by the metric's kind (`<metric>_lo`, `<metric>_hi`), and the theory columns.
 */
import type { ColumnTable } from 'arquero';
import type { Figure } from '../plot/types';
import type { ParamSpecs, ParamValues } from './params';
import { resolveParams } from './params';
import type { ExperimentResult, RunOptions } from './run';
import { runExperiment } from './run';
import { registerExperiment } from './locate';
import type { MetricsDeclaration } from './intervals/kinds';
import { metricSpecs } from './intervals/kinds';

/** One grid point: the values that vary across a sweep (e.g. `{ model: 'M/M/1', rho: 0.9 }`). */
export type Point = Record<string, number | string | boolean>;

/** What one replication observed: metric values, plus key fields such as a time `t`. */
export type Observation = Record<string, number | string | boolean | null>;

/** Rows left out of the stated precision: the point fields a row must all match. */
export type RowExclusion = Readonly<Record<string, number | string | boolean>>;

/**
 * Metrics left out of the stated precision at some rows, where a relative half-width does not
 * apply, and what holds there instead (scripts/ci/precision-check.ts fails when it does not):
 * without `atMost` the metric is zero by construction at those rows (e.g. acknowledged writes lost
 * under synchronous replication), so every replication observed 0 and the row's mean is 0, where
 * its interval [0, x] reads as an infinite relative half-width; with `atMost` the metric is near
 * zero there and is stated as an absolute bound: the interval's upper end is at most `atMost`.
 */
export interface MetricExclusion {
  /** Point fields a row must all match (`{}`: every row). */
  where: RowExclusion;
  /** The metrics not judged by their relative half-width at those rows. */
  metrics: readonly string[];
  /** Why no relative half-width applies there (shown by the check). */
  why: string;
  /** The stated absolute bound on the interval's upper end at those rows; absent: exactly 0. */
  atMost?: number;
}

/** Whether an entry of `precisionExcludes` leaves out some metrics rather than whole rows. */
export function isMetricExclusion(x: RowExclusion | MetricExclusion): x is MetricExclusion {
  return (
    typeof (x as MetricExclusion).where === 'object' &&
    Array.isArray((x as MetricExclusion).metrics)
  );
}

export interface ExperimentDefinition<S extends ParamSpecs = ParamSpecs> {
  /** Kebab-case name used on the command line: `scalelab run NAME`. */
  name: string;
  title: string;
  /** A few sentences: the question, the model, what the figures show. */
  description: string;
  /** The notebook this experiment belongs to, e.g. `01-latency-vs-utilization`. */
  lab?: string;
  /**
   * A real component the experiment runs on this machine (the Debian package, e.g. `haproxy`).
   * `scalelab run --all` (the README's main job, which needs Node only) leaves such experiments
   * out; they run by name.
   */
  requires?: string;
  /**
   * The module that defines the experiment (`__filename`, or `import.meta.url` in an ES module),
   * loaded by each sweep worker when `threads > 1`. Needed only when the module does not export
   * the experiment; an exported one is found without it (lib/experiment/locate.ts).
   */
  module?: string;
  params: S;
  /** Replications per point when the caller does not say. */
  replications: number;
  /**
   * The numeric fields of an observation that are averaged over replications with a confidence
   * interval, each with its kind (lib/experiment/intervals/kinds.ts): `{ W: 'nonNegative',
   * errorRate: 'proportion', p99: 'quantile', lost: 'count', delta: 'real' }`, which chooses an
   * interval that stays in the metric's range. A plain list of names means kind 'real' (Student t)
   * for each. Every other field of an observation is a key (the same in every replication).
   */
  metrics: MetricsDeclaration;
  /**
   * The metrics `run(..., { precision })` brings to the stated relative half-width by default
   * (those its figures show); all metrics when absent.
   */
  precisionMetrics?: readonly string[];
  /**
   * The precision the default run reaches, by metric: the largest relative half-width of its 95%
   * interval (the larger side over the mean, as `--precision` measures it) at any row of
   * `scalelab run NAME` with the defaults, e.g. `{ W: 0.15, p99: 0.4 }`. It is what the lab's
   * notebook states; scripts/ci/precision-check.ts checks it on the default output in CI.
   */
  statedPrecision?: Readonly<Record<string, number>>;
  /**
   * What the stated precision does not cover; the check lists the excluded half-widths without
   * judging them. Either whole rows, as point fields a row must all match (e.g.
   * `[{ model: 'M/G/1 lognormal' }]`, a heavy-tailed model no budgeted run makes precise), or some
   * metrics at some rows ({@link MetricExclusion}: `{ where: { mode: 'sync' }, metrics:
   * ['lostAcknowledged'], why: 'zero by construction: ...' }`), which the check holds to what it
   * claims (a mean of 0, or an interval below `atMost`).
   */
  precisionExcludes?: ReadonlyArray<RowExclusion | MetricExclusion>;
  /**
   * Metrics whose theory column (`<metric>_theory`) is exact where a row has one (a closed form of
   * the simulated model, not an approximation): the default run's intervals must hold it, judged
   * family-wise over all such rows (scripts/ci/precision-check.ts).
   */
  exactTheory?: readonly string[];
  /**
   * Point fields that do not change the random numbers: points that differ only in these share
   * their seeds (common random numbers, e.g. two balancing policies at the same load).
   */
  sharedSeedAcross?: readonly string[];
  /** The grid: independent points to simulate, in the order the table lists them. */
  points(params: ParamValues<S>): Point[];
  /** One replication of one point, driven only by `seed` (use `new RandomStreams(seed)`). */
  simulate(point: Point, params: ParamValues<S>, seed: number): Observation | Observation[];
  /**
   * Optional: the work one replication of `point` needs, in kernel events, estimated before it runs
   * from the parameters (e.g. arrival rate × duration × events per arrival), with the parameter
   * that drives it. A point over the run's budget (`--max-events`, default 1e8) is refused with a
   * WorkBudgetError naming that parameter, before anything runs.
   */
  workEstimate?(
    point: Point,
    params: ParamValues<S>,
  ): number | { events: number; parameter: string };
  /** Closed-form columns for a point (e.g. `{ W_theory: 2.5 }`), or null where none exists. */
  theory?(
    point: Point,
    params: ParamValues<S>,
  ): Record<string, number | string | boolean | null> | null;
  /**
   * The unit of each table column that has one, by column name: metrics and point fields (e.g.
   * `{ W: 's', p99: 's', X: 'requests/s', servers: 'servers' }`). A metric's `_lo`, `_hi` and
   * `_theory` columns take its unit; a column named as a parameter takes the parameter's `unit`
   * unless given here. The report's tables show them (lib/experiment/results.ts columnUnits).
   */
  units?: Readonly<Record<string, string>>;
  /** Figures from the result table. */
  figures(table: ColumnTable, params: ParamValues<S>): Figure[];
}

export interface Experiment<S extends ParamSpecs = ParamSpecs> extends ExperimentDefinition<S> {
  /** Complete, checked parameters: defaults overridden by `overrides`. Throws ParameterError. */
  resolve(overrides?: Partial<Record<keyof S & string, unknown>>): ParamValues<S>;
  /** Runs the experiment and returns its tidy table. */
  run(
    overrides?: Partial<Record<keyof S & string, unknown>>,
    options?: RunOptions,
  ): Promise<ColumnTable>;
  /** Runs the experiment and returns the table with its provenance. */
  runWithProvenance(
    overrides?: Partial<Record<keyof S & string, unknown>>,
    options?: RunOptions,
  ): Promise<ExperimentResult>;
}

/** Makes an experiment from its definition (checking the definition itself). */
export function defineExperiment<S extends ParamSpecs>(
  definition: ExperimentDefinition<S>,
): Experiment<S> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(definition.name)) {
    throw new Error(`experiment name "${definition.name}" must be kebab-case (a-z, 0-9, -)`);
  }
  resolveParams(definition.params, {}, definition.name); // the defaults must be valid
  const names = metricSpecs(definition.metrics).map((m) => m.name); // the kinds must be known
  for (const m of definition.precisionMetrics ?? []) {
    if (!names.includes(m))
      throw new Error(
        `experiment ${definition.name}: precisionMetrics names ${m}, not one of its metrics (${names.join(', ')})`,
      );
  }
  for (const m of [
    ...Object.keys(definition.statedPrecision ?? {}),
    ...(definition.exactTheory ?? []),
  ]) {
    if (!names.includes(m))
      throw new Error(
        `experiment ${definition.name}: statedPrecision or exactTheory names ${m}, not one of its metrics (${names.join(', ')})`,
      );
  }
  for (const x of definition.precisionExcludes ?? []) {
    if (!isMetricExclusion(x)) continue;
    for (const m of x.metrics)
      if (!names.includes(m))
        throw new Error(
          `experiment ${definition.name}: precisionExcludes names ${m}, not one of its metrics (${names.join(', ')})`,
        );
    if (x.metrics.length === 0 || !(x.why.trim().length > 0))
      throw new Error(
        `experiment ${definition.name}: a metric exclusion in precisionExcludes needs metrics and a why (${JSON.stringify(x)})`,
      );
    if (x.atMost !== undefined && !(Number.isFinite(x.atMost) && x.atMost >= 0))
      throw new Error(
        `experiment ${definition.name}: precisionExcludes atMost must be a finite number >= 0, got ${x.atMost}`,
      );
  }
  const experiment: Experiment<S> = {
    ...definition,
    resolve: (overrides = {}) =>
      resolveParams(definition.params, overrides as Record<string, unknown>, definition.name),
    run: async (overrides = {}, options = {}) =>
      (await experiment.runWithProvenance(overrides, options)).table,
    runWithProvenance: (overrides = {}, options = {}) =>
      runExperiment(
        experiment as unknown as Experiment,
        overrides as Record<string, unknown>,
        options,
      ),
  };
  registerExperiment(experiment as unknown as Experiment);
  return experiment;
}
