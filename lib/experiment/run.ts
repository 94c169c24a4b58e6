/**
 * Running an experiment: resolve and check the parameters, expand the grid into tasks (point ×
 * replication, each with its derived seed), run them in this thread or on worker threads, and
 * aggregate replications into a tidy arquero table with provenance.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { ParameterError, WorkBudgetError } from '../errors';
import { Simulation } from '../sim/simulation';
import { requireSeed } from '../random/streams';
import { version } from '../version';
import type { Experiment, Observation } from './experiment';
import { AggregateNotes, aggregatePoint, confidenceLevel, withWarmupReport } from './aggregate';
import { collectWarmup } from '../sim/warmup-report';
import type { IntervalMethods, Row, WarmupSummary } from './aggregate';
import { checkPrecision, replicateToPrecision } from './precision';
import type { PrecisionProvenance } from './precision';
import { taskSeed } from './seeds';
import { runOnWorkers } from './pool';
import type { Task } from './pool';
import { checkShard, shardInfo, shardPointIndices } from './shard';
import type { ShardInfo, ShardSpec } from './shard';
import { openCache } from './cache';
import type { ResultCache } from './cache';
import type { MergeInfo } from './merge';
import { inSweepWorker, locateExperiment } from './locate';

export interface RunOptions {
  /** Master seed. Default 1. */
  seed?: number;
  /** Replications per point. Default: the experiment's own. */
  replications?: number;
  /**
   * Worker threads. Default 1 (this thread). Each worker loads the module that defines the
   * experiment (lib/experiment/locate.ts); one it cannot find is an ExperimentNotLocatableError.
   * Results are identical for any value.
   */
  threads?: number;
  /**
   * The work budget: most events one replication may process (default {@link DEFAULT_MAX_EVENTS}).
   * Checked before the run against the experiment's `workEstimate` of each point, and during it by
   * the kernel (every Simulation a replication builds); beyond it a WorkBudgetError.
   */
  maxEvents?: number;
  /**
   * Compute one slice of the grid only (lib/experiment/shard.ts): the points whose index is
   * `index` modulo `count`, with the slice recorded in the provenance for `scalelab merge`.
   */
  shard?: ShardSpec;
  /**
   * The result cache (lib/experiment/cache.ts): true for data/cache/, a folder, or a ResultCache.
   * Default none (computed). Results are byte-identical with and without it.
   */
  cache?: boolean | string | ResultCache;
  /** Called after each task (point × replication) with the count done and the total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Stop at a precision: replications are added per point until the relative half-width of every
   * named metric's 95% interval is at most this (e.g. 0.05), or `maxReplications` is spent
   * (lib/experiment/precision.ts). The provenance says per point whether it was reached.
   */
  precision?: number;
  /** The metrics `precision` applies to (default: the experiment's `precisionMetrics`, else all). */
  precisionMetrics?: readonly string[];
  /** Most replications per point with `precision` (default 64). */
  maxReplications?: number;
}

/** Where a result came from: enough to rerun it and get the same numbers. */
export interface Provenance {
  experiment: string;
  title: string;
  params: Record<string, unknown>;
  seed: number;
  replications: number;
  /** The work budget per replication the run had. */
  maxEvents?: number;
  confidenceLevel: number;
  /** Per metric: its kind and the interval methods its rows used (e.g. "log-normal ..."). */
  intervals?: IntervalMethods;
  /**
   * Per point, MSER-5's truncation point (median, range over the replications) beside the deletion
   * applied: in observations where the experiment checks its own warm-up (labs 01-02), in
   * simulated seconds (`unit: 'seconds'`) where its replications ran through `common.measure`.
   */
  warmup?: Array<{ point: Record<string, unknown> } & WarmupSummary>;
  /** A run with a precision: the target, and per point whether it was reached and with how many replications. */
  precision?: PrecisionProvenance;
  threads: number;
  scalelabVersion: string;
  node: string;
  date: string;
  elapsedSeconds: number;
  /** A shard's result (`--shard i/n`): the slice, and what merge needs to put it back. */
  shard?: ShardInfo;
  /** A merged result (`scalelab merge`): the shards it came from. */
  merged?: MergeInfo;
}

export interface ExperimentResult {
  table: ColumnTable;
  rows: Row[];
  provenance: Provenance;
}

/** Default work budget per replication: 1e8 events, about 20-60 s of one core. */
export const DEFAULT_MAX_EVENTS = 100_000_000;

/** Checks run options, naming the bad one. */
export function checkRunOptions(options: RunOptions): {
  seed: number;
  replications?: number;
  threads: number;
  maxEvents: number;
} {
  const seed = requireSeed('seed', options.seed ?? 1);
  const replications = options.replications;
  if (
    replications !== undefined &&
    (!Number.isInteger(replications) || replications < 1 || replications > 10000)
  ) {
    throw new ParameterError('replications', replications, 'must be an integer in [1, 10000]');
  }
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 256)
    throw new ParameterError('threads', threads, 'must be an integer in [1, 256]');
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  if (!Number.isSafeInteger(maxEvents) || maxEvents < 1)
    throw new ParameterError(
      'max-events',
      maxEvents,
      `must be an integer in [1, ${Number.MAX_SAFE_INTEGER}]`,
    );
  return { seed, replications, threads, maxEvents };
}

/**
 * Checks every point's estimated work against the budget before anything runs (the experiment's
 * `workEstimate`, e.g. rate × duration); throws a WorkBudgetError naming the parameter that drives it.
 */
export function checkWork(
  experiment: Experiment,
  params: Record<string, unknown>,
  points: readonly Record<string, unknown>[],
  maxEvents: number,
): void {
  if (!experiment.workEstimate) return;
  for (const point of points) {
    const estimate = experiment.workEstimate(point as never, params as never);
    const { events, parameter } =
      typeof estimate === 'number' ? { events: estimate, parameter: 'parameters' } : estimate;
    if (!(events <= maxEvents)) {
      const where = Object.entries(point)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      throw new WorkBudgetError(
        parameter,
        events,
        maxEvents,
        `${experiment.name}${where ? ' at ' + where : ''}`,
      );
    }
  }
}

/**
 * One replication of one point, with the kernel's event budget set for it (used by both this
 * thread and the workers), and the warm-up reports of its `common.measure` runs collected onto
 * its first observation (lib/sim/warmup-report.ts, aggregate.ts `withWarmupReport`), so they
 * travel with it through workers, shards and the cache.
 */
export function simulateTask(
  experiment: Experiment,
  task: Pick<Task, 'point' | 'params' | 'seed' | 'maxEvents'>,
): Observation[] {
  const before = Simulation.defaultEventBudget;
  Simulation.defaultEventBudget = task.maxEvents ?? DEFAULT_MAX_EVENTS;
  try {
    const { result: out, reports } = collectWarmup(() =>
      experiment.simulate(task.point, task.params as never, task.seed),
    );
    return withWarmupReport(Array.isArray(out) ? out : [out], reports);
  } finally {
    Simulation.defaultEventBudget = before;
  }
}

/** Runs `experiment` with parameter `overrides`; see {@link RunOptions}. */
export async function runExperiment(
  experiment: Experiment,
  overrides: Record<string, unknown> = {},
  options: RunOptions = {},
): Promise<ExperimentResult> {
  if (inSweepWorker()) return new Promise<ExperimentResult>(() => {}); // a script loaded again by a worker: its own run is the parent's
  const started = Date.now();
  const { seed, threads, maxEvents } = checkRunOptions(options);
  const replications = options.replications ?? experiment.replications;
  const params = experiment.resolve(overrides);
  const grid = experiment.points(params);
  checkWork(experiment, params, grid, maxEvents);
  const shard = options.shard ? checkShard(options.shard) : null;
  const gridIndices = shard ? shardPointIndices(grid.length, shard) : grid.map((_, i) => i); // a shard computes its slice only
  const points = shard ? gridIndices.map((p) => grid[p]) : grid;
  // a measurement of real software (`requires`) is never served from the cache: it is taken anew
  const cache = experiment.requires ? null : openCache(options.cache);
  const shared = experiment.sharedSeedAcross ?? [];
  let done = 0;
  let total = 0;
  // runs (point, replication) pairs here or on workers; results in the order asked
  const execute = async (
    wanted: Array<{ point: number; replication: number }>,
  ): Promise<Observation[][]> => {
    const tasks: Task[] = wanted.map((w, index) => ({
      index: index,
      experiment: experiment.name,
      params,
      point: points[w.point],
      seed: taskSeed(seed, points[w.point], w.replication, shared),
      maxEvents,
    }));
    total += tasks.length;
    const results: Observation[][] = new Array(tasks.length);
    const record = (index: number, observations: Observation[]) => {
      results[index] = observations;
      done++;
      options.onProgress?.(done, total);
    };
    // tasks in the cache are read back, the others computed (and stored)
    const pending = cache ? cache.lookup(tasks, maxEvents, record) : tasks;
    const computed = cache ? cache.storing(tasks, maxEvents, record) : record;
    if (threads > 1 && pending.length > 1) {
      await runOnWorkers(
        pending.map((t, i) => ({ ...t, index: i })),
        threads,
        locateExperiment(experiment),
        (r) => computed(pending[r.index].index, r.observations!),
      );
    } else {
      for (const t of pending) {
        computed(t.index, simulateTask(experiment, t));
        if (done % 8 === 0) await new Promise<void>((r) => setImmediate(r)); // let progress bars draw
      }
    }
    return results;
  };
  let perPoint: Observation[][][];
  let precision: PrecisionProvenance | undefined;
  if (options.precision !== undefined) {
    const p = checkPrecision(
      { ...options, precision: options.precision },
      experiment.metrics,
      experiment.precisionMetrics,
      replications,
    );
    const out = await replicateToPrecision({
      points,
      initial: replications,
      metrics: experiment.metrics,
      precision: p.precision,
      targets: p.metrics,
      maxReplications: p.maxReplications,
      execute,
    });
    perPoint = out.perPoint;
    precision = { ...p, reached: out.status.every((st) => st.reached), points: out.status };
  } else {
    const results = await execute(
      points.flatMap((_, i) =>
        Array.from({ length: replications }, (_, r) => ({ point: i, replication: r })),
      ),
    );
    perPoint = points.map((_, i) => results.slice(i * replications, (i + 1) * replications));
  }
  const rows: Row[] = [];
  const rowEnds: number[] = [];
  const notes = new AggregateNotes();
  points.forEach((point, i) => {
    const theory = experiment.theory ? experiment.theory(point, params) : null;
    rows.push(...aggregatePoint(point, perPoint[i], experiment.metrics, theory, notes));
    rowEnds.push(rows.length);
  });
  const warmup = notes.warmup.flatMap((w, i) => (w ? [{ point: points[i], ...w }] : []));
  const provenance: Provenance = {
    experiment: experiment.name,
    title: experiment.title,
    params: params as Record<string, unknown>,
    seed,
    replications,
    maxEvents,
    confidenceLevel,
    intervals: notes.methods(),
    ...(warmup.length > 0 ? { warmup } : {}),
    ...(precision ? { precision } : {}),
    threads,
    scalelabVersion: version,
    node: process.version,
    date: new Date().toISOString(),
    elapsedSeconds: (Date.now() - started) / 1000,
    ...(shard ? { shard: shardInfo(shard, grid, gridIndices, rowEnds) } : {}),
  };
  return { table: tableFromRows(rows), rows, provenance };
}

/** An arquero table from rows, columns in first-seen order (missing cells are null). */
export function tableFromRows(rows: readonly Row[]): ColumnTable {
  const names: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!names.includes(k)) names.push(k);
  const columns: Record<string, unknown[]> = {};
  for (const k of names) columns[k] = rows.map((r) => (k in r ? r[k] : null));
  return aq.table(columns);
}
