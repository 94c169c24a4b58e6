/**
 * `scalelab run NAME [--set key=value ...] | --all`: runs experiments, prints each result table
 * (every column the run returns, the _lo/_hi interval columns included whatever --reps) and
 * writes NAME.csv, NAME.json (with provenance) and NAME.html under data/results/ (or --out).
 * Input is checked before anything runs or is written.
 */
import * as os from 'os';
import * as path from 'path';
import { SingleBar, Presets } from 'cli-progress';
import { ParameterError } from '../errors';
import type { Experiment } from '../experiment/experiment';
import { parseValue } from '../experiment/params';
import { DEFAULT_MAX_EVENTS, checkRunOptions, checkWork } from '../experiment/run';
import type { ExperimentResult, RunOptions } from '../experiment/run';
import { defaultResultsDir, writeResult } from '../experiment/results';
import { parseShard, shardLabel, shardStem } from '../experiment/shard';
import type { ShardSpec } from '../experiment/shard';
import { ResultCache } from '../experiment/cache';
import { textTable } from '../text-table';
import type { Cell } from '../text-table';
import { catalog, experimentHelp, findExperiment } from './experiments';
import type { CommandIO } from './io';
import {
  booleanValue,
  flagHelp,
  helpFlag,
  keyValues,
  listValue,
  parseCommandLine,
  stringValue,
} from './parse';
import type { FlagSpecs, ParsedCommandLine } from './parse';
import { UsageError, reportError, suggestion } from './usage';

/** The flags of `scalelab run`: add one here, and read it in {@link runOptions} (lib/cli/README.md). */
export const runFlags: FlagSpecs = {
  set: {
    type: 'string',
    multiple: true,
    value: 'key=value',
    doc: 'override a parameter (once per key); a list is comma-separated',
  },
  seed: {
    type: 'string',
    value: 'N',
    doc: 'master seed (default 1); same seed and parameters, same numbers',
  },
  reps: {
    type: 'string',
    value: 'N',
    doc: "replications per point (default: the experiment's own)",
  },
  threads: {
    type: 'string',
    value: 'N',
    doc: "worker threads (default: the machine's cores); results do not depend on it",
  },
  'max-events': {
    type: 'string',
    value: 'N',
    doc: 'most kernel events per replication (default 1e8); a larger point is refused',
  },
  precision: {
    type: 'string',
    value: 'P',
    doc: "add replications per point until every metric's 95% interval has relative half-width <= P (e.g. 0.05)",
  },
  'precision-metrics': {
    type: 'string',
    value: 'A,B',
    doc: "the metrics --precision applies to (default: the experiment's figures' metrics, else all)",
  },
  'max-reps': {
    type: 'string',
    value: 'N',
    doc: 'with --precision: most replications per point (default 64)',
  },
  out: { type: 'string', value: 'DIR', doc: 'where to write results (default data/results)' },
  all: { type: 'boolean', doc: 'every experiment that needs Node only, with its defaults' },
  quiet: { type: 'boolean', doc: 'no progress bar and no table' },
  shard: {
    type: 'string',
    value: 'I/N',
    doc: 'compute slice I of N of the grid (0-based; env/N reads I from $JOB_COMPLETION_INDEX or $SLURM_ARRAY_TASK_ID) into NAME.shard-I-of-N.*; scalelab merge joins them',
  },
  'no-cache': {
    type: 'boolean',
    doc: 'compute every replication, neither reading nor writing the result cache (data/cache)',
  },
  ...helpFlag,
};

export const runHelp = `Usage: scalelab run NAME [--set key=value ...] [options]
       scalelab run --all [options]

Runs an experiment (or every experiment), prints its result table, and writes NAME.csv,
NAME.json (with provenance: parameters, seed, replications, version, date, elapsed time) and
NAME.html (its figures) under data/results/ (or DIR).

Options:
${flagHelp(runFlags)}

Examples:
  scalelab run latency-vs-utilization --set utilisations=0.5,0.9 --set customers=2000 --reps 2
  scalelab run latency-vs-utilization --set customers=2000 --reps 2 --shard 0/2 --no-cache
  scalelab run think-time-capacity --set users=5,40 --set completions=2000 --reps 3 --seed 7
  scalelab run servers-for-target --set customers=5000 --precision 0.1 --max-reps 10
  scalelab run tier-separation --help

scalelab run NAME --help lists NAME's parameters; scalelab list lists the experiments.`;

/** An integer flag's value in [min, max] (ParameterError naming the flag), or undefined when not given. */
export function integerFlag(
  parsed: ParsedCommandLine,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const text = stringValue(parsed, name);
  if (text === undefined) return undefined;
  // Number('') and Number(' ') are 0: an empty value is refused, not read as 0
  const x = text.trim() === '' ? NaN : Number(text);
  if (!Number.isInteger(x) || x < min || x > max)
    throw new ParameterError(name, text, `must be an integer in [${min}, ${max}]`);
  return x;
}

/** The run options the flags give (seed, replications, threads, work budget). */
export function runOptions(parsed: ParsedCommandLine): RunOptions & { threads: number } {
  return {
    seed: integerFlag(parsed, 'seed', 0, Number.MAX_SAFE_INTEGER),
    replications: integerFlag(parsed, 'reps', 1, 10000),
    threads:
      integerFlag(parsed, 'threads', 1, 256) ??
      Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    maxEvents: integerFlag(parsed, 'max-events', 1, Number.MAX_SAFE_INTEGER),
    ...precisionOptions(parsed),
  };
}

/** --precision, --precision-metrics and --max-reps (checked again, with the experiment's metrics, by the run). */
export function precisionOptions(
  parsed: ParsedCommandLine,
): Pick<RunOptions, 'precision' | 'precisionMetrics' | 'maxReplications'> {
  const text = stringValue(parsed, 'precision');
  const metrics = stringValue(parsed, 'precision-metrics');
  const maxReps = integerFlag(parsed, 'max-reps', 2, 10000);
  if (text === undefined) {
    if (metrics !== undefined || maxReps !== undefined)
      throw new UsageError(
        `--${metrics !== undefined ? 'precision-metrics' : 'max-reps'} needs --precision`,
      );
    return {};
  }
  const precision = text.trim() === '' ? NaN : Number(text);
  if (!(precision > 0 && precision <= 1))
    throw new ParameterError(
      'precision',
      text,
      'must be a relative half-width in (0, 1], e.g. 0.05',
    );
  return {
    precision: precision,
    ...(metrics !== undefined ? { precisionMetrics: metrics.split(',').map((m) => m.trim()) } : {}),
    ...(maxReps !== undefined ? { maxReplications: maxReps } : {}),
  };
}

/** `--set` overrides for `experiment`, each parsed and checked; an unknown key suggests the nearest parameter. */
export function overridesFor(
  experiment: Experiment,
  sets: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  const names = Object.keys(experiment.params);
  for (const [k, text] of sets) {
    const spec = experiment.params[k];
    if (!spec)
      throw new ParameterError(
        k.length > 80 ? k.slice(0, 77) + '...' : k,
        text,
        `is not a parameter of ${experiment.name}; ${suggestion(k, names, { max: 40 })}`,
      );
    overrides[k] = parseValue(k, spec, text);
  }
  return overrides;
}

function resultTable(result: ExperimentResult, limit = 40): string {
  const names = result.table.columnNames();
  const rows = result.rows.slice(0, limit).map((r) => names.map((n) => r[n] as Cell));
  const more =
    result.rows.length > limit ? `\n... ${result.rows.length - limit} more rows in the CSV` : '';
  return textTable(names, rows) + more;
}

/** `scalelab run ...`. */
export async function runCommand(argv: string[], io: CommandIO): Promise<number> {
  const label = 'scalelab run';
  let plan: Array<{ experiment: Experiment; overrides: Record<string, unknown> }>;
  let options: ReturnType<typeof runOptions>;
  let out: string;
  let quiet: boolean;
  let shard: ShardSpec | null;
  let noCache: boolean;
  try {
    const parsed = parseCommandLine(label, argv, runFlags);
    const names = parsed.positionals;
    if (booleanValue(parsed, 'help')) {
      io.out(
        names.length === 1
          ? `Usage: scalelab run ${names[0]} [--set key=value ...] [options]   (scalelab run --help)\n\n${experimentHelp(findExperiment(names[0]))}`
          : runHelp,
      );
      return 0;
    }
    const all = booleanValue(parsed, 'all');
    const sets = keyValues('--set', listValue(parsed, 'set'));
    if (all && names.length) throw new UsageError('give experiment names or --all, not both');
    if (all && sets.size) throw new UsageError('--set applies to one experiment; run it by name');
    if (!all && names.length === 0)
      throw new UsageError(
        `name an experiment or give --all (scalelab list shows the ${catalog.length} experiments)`,
      );
    if (names.length > 1 && sets.size)
      throw new UsageError('--set applies to one experiment; run one name at a time');
    options = runOptions(parsed);
    checkRunOptions(options);
    out = path.resolve(stringValue(parsed, 'out') ?? defaultResultsDir());
    quiet = booleanValue(parsed, 'quiet');
    const shardText = stringValue(parsed, 'shard');
    shard = shardText === undefined ? null : parseShard(shardText);
    if (shard && (all || names.length !== 1))
      throw new UsageError('--shard slices the grid of one experiment: name one');
    if (shard && stringValue(parsed, 'out') === undefined) out = path.join(out, 'shards');
    noCache = booleanValue(parsed, 'no-cache');
    // --all: the models only; an experiment that runs a real component (requires) runs by name
    const chosen = all
      ? catalog.filter((e) => e.requires === undefined)
      : names.map((n) => findExperiment(n));
    plan = chosen.map((experiment) => {
      const overrides = overridesFor(experiment, sets);
      const params = experiment.resolve(overrides); // every value checked before anything runs
      checkWork(
        experiment,
        params,
        experiment.points(params),
        options.maxEvents ?? DEFAULT_MAX_EVENTS,
      ); // and the work it needs
      return { experiment, overrides };
    });
  } catch (e) {
    return reportError(label, e, io);
  }
  const showProgress = !quiet && (io.progress ?? Boolean(process.stderr.isTTY));
  try {
    for (const { experiment, overrides } of plan) {
      const bar = showProgress
        ? new SingleBar(
            {
              format: `${experiment.name.padEnd(24)} [{bar}] {value}/{total} runs | {eta_formatted} left`,
              stream: process.stderr,
              hideCursor: true,
            },
            Presets.shades_classic,
          )
        : null;
      let started = false;
      const cache = noCache
        ? null
        : new ResultCache(undefined, (m) => io.err(`scalelab run: warning: ${m}`));
      const result = await experiment.runWithProvenance(overrides, {
        ...options,
        ...(shard ? { shard: shard } : {}),
        ...(cache ? { cache: cache } : {}),
        onProgress: (done, total) => {
          if (!bar) return;
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.setTotal(total);
          bar.update(done);
        },
      });
      if (bar && started) bar.stop();
      const files = writeResult(
        experiment,
        result,
        out,
        shard ? shardStem(experiment.name, shard) : experiment.name,
      );
      if (!quiet)
        io.out(
          `\n${experiment.name}: ${experiment.title} (${result.provenance.elapsedSeconds.toFixed(1)} s)\n${resultTable(result)}`,
        );
      const pr = result.provenance.precision;
      if (pr) {
        const missed = pr.points.filter((pt) => !pt.reached);
        const reps = pr.points.map((pt) => pt.replications);
        io.out(
          `precision ${pr.precision} (${pr.metrics.join(', ')}): ${missed.length === 0 ? 'reached at every point' : `NOT reached at ${missed.length} of ${pr.points.length} points (budget ${pr.maxReplications} replications)`}; ${Math.min(...reps)}-${Math.max(...reps)} replications per point`,
        );
      }
      io.out(
        `wrote ${path.relative(process.cwd(), files.csv)}, ${path.basename(files.json)}, ${path.basename(files.html)}`,
      );
      if (shard)
        io.out(
          `${shardLabel(shard)}: ${result.provenance.shard!.points.length} of ${result.provenance.shard!.pointCount} points; scalelab merge ${path.relative(process.cwd(), out) || '.'} joins the ${shard.count} shards`,
        );
      if (cache && cache.stats.hits > 0)
        io.out(
          `${cache.stats.hits} of ${cache.stats.hits + cache.stats.misses} replications read back from the cache (${path.relative(process.cwd(), cache.dir) || cache.dir}; --no-cache computes them again)`,
        );
    }
    return 0;
  } catch (e) {
    return reportError(label, e, io);
  }
}
