/**
 * `scalelab list`, `scalelab run` and `scalelab report`.
 *
 * Input is checked before anything runs or is written: an unknown experiment, option or
 * parameter, or a bad value, gives one line naming it and the valid choices, and exit code 2.
 */
import * as os from 'os';
import * as path from 'path';
import { SingleBar, Presets } from 'cli-progress';
import { ParameterError, formatValue, isUserError } from '../errors';
import type { CommandIO } from '../command-io';
import type { Experiment } from './experiment';
import { catalog, findExperiment } from '../labs/catalog';
import { describeRange, formatDefault, parseValue } from './params';
import { DEFAULT_MAX_EVENTS, checkRunOptions, checkWork } from './run';
import type { ExperimentResult } from './run';
import { defaultResultsDir, writeResult } from './results';
import { writeReport } from './report';
import { textTable } from '../text-table';
import type { Cell } from '../text-table';


/** A usage error: printed as one line, exit code 2. */
class UsageError extends Error {}

function parameterTable(e: Experiment): string {
  return textTable(
    ['parameter', 'default', 'unit', 'valid', 'meaning'],
    Object.entries(e.params).map(([k, s]) => [k, formatDefault(s), s.unit ?? '', describeRange(s), s.doc]),
  );
}

const listUsage = `Usage: scalelab list [NAME]

Lists every experiment of every lab with its parameters (defaults, units, valid ranges).
With NAME, only that experiment.`;

/** `scalelab list [NAME]`. */
export async function listCommand(argv: string[], io: CommandIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(listUsage);
    return 0;
  }
  try {
    if (argv.length > 1 || (argv[0] ?? '').startsWith('-')) throw new UsageError(`scalelab list: unexpected ${argv.find((a) => a.startsWith('-')) ?? argv[1]} (usage: scalelab list [NAME])`);
    const chosen = argv.length ? [findExperiment(argv[0])] : catalog;
    const rows: Cell[][] = chosen.map((e) => [e.name, e.lab ?? '', e.title, Object.keys(e.params).join(', '), e.replications]);
    io.out(textTable(['experiment', 'lab', 'title', 'parameters', 'reps'], rows));
    for (const e of chosen) io.out(`\n${e.name}: ${e.title}\n${e.description}\n\n${parameterTable(e)}`);
    return 0;
  } catch (e) {
    return reportError('list', e, io);
  }
}

interface RunArgs {
  names: string[];
  all: boolean;
  sets: Record<string, string>;
  seed?: number;
  replications?: number;
  threads: number;
  maxEvents?: number;
  out: string;
  quiet: boolean;
  help: boolean;
}

const runUsage = `Usage: scalelab run NAME [--set key=value ...] [--seed N] [--reps N] [--threads N] [--out DIR] [--quiet]
       scalelab run --all [--seed N] [--reps N] [--threads N] [--out DIR]

Runs an experiment (or every experiment), prints its result table, and writes NAME.csv,
NAME.json (with provenance: parameters, seed, replications, version, date, elapsed time) and
NAME.html (its figures) under data/results/ (or DIR).

  --set key=value  override a parameter (repeatable); lists are comma-separated: --set rho=0.5,0.9
  --seed N         master seed (default 1); same seed and parameters give the same numbers
  --reps N         independent replications per point (default: the experiment's own)
  --threads N      worker threads (default: the machine's cores); results do not depend on it
  --max-events N   work budget: most kernel events per replication (default 1e8); a point whose
                   estimated work is larger is refused before it runs
  --out DIR        where to write results (default data/results)
  --quiet          no progress bar and no table

scalelab run NAME --help lists NAME's parameters; scalelab list lists the experiments.`;

function integerOption(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || text.startsWith('--')) throw new UsageError(`scalelab run: ${flag} needs a value (an integer in [${min}, ${max}])`);
  // Number('') and Number(' ') are 0: an empty value is refused, not read as 0
  const x = text.trim() === '' ? NaN : Number(text);
  if (!Number.isInteger(x) || x < min || x > max) throw new ParameterError(flag.replace(/^--/, ''), text, `must be an integer in [${min}, ${max}]`);
  return x;
}

function parseRunArgs(argv: string[]): RunArgs {
  const a: RunArgs = { names: [], all: false, sets: {}, threads: Math.max(1, os.availableParallelism?.() ?? os.cpus().length), out: defaultResultsDir(), quiet: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--help':
      case '-h':
        a.help = true;
        break;
      case '--all':
        a.all = true;
        break;
      case '--quiet':
        a.quiet = true;
        break;
      case '--set': {
        const kv = argv[++i];
        const eq = kv === undefined ? -1 : kv.indexOf('=');
        if (eq <= 0) throw new UsageError(`scalelab run: --set needs key=value, got ${kv === undefined ? 'nothing' : formatValue(kv)}`);
        const key = kv.slice(0, eq);
        if (Object.prototype.hasOwnProperty.call(a.sets, key)) {
          throw new UsageError(`scalelab run: --set ${formatValue(key).replace(/^"|"$/g, '')} given twice (${formatValue(a.sets[key])} and ${formatValue(kv.slice(eq + 1))}); give each parameter once`);
        }
        a.sets[key] = kv.slice(eq + 1);
        break;
      }
      case '--seed':
        a.seed = integerOption('--seed', argv[++i], 0, Number.MAX_SAFE_INTEGER);
        break;
      case '--reps':
        a.replications = integerOption('--reps', argv[++i], 1, 10000);
        break;
      case '--threads':
        a.threads = integerOption('--threads', argv[++i], 1, 256);
        break;
      case '--max-events':
        a.maxEvents = integerOption('--max-events', argv[++i], 1, Number.MAX_SAFE_INTEGER);
        break;
      case '--out': {
        const dir = argv[++i];
        if (dir === undefined || dir.startsWith('--')) throw new UsageError('scalelab run: --out needs a folder');
        a.out = path.resolve(dir);
        break;
      }
      default:
        if (arg.startsWith('-')) throw new UsageError(`scalelab run: unknown option ${formatValue(arg).replace(/^"|"$/g, '')} (valid: --set, --seed, --reps, --threads, --max-events, --out, --all, --quiet, --help)`);
        a.names.push(arg);
    }
  }
  return a;
}

function reportError(command: string, e: unknown, io: CommandIO): number {
  if (e instanceof UsageError) {
    io.err(e.message);
    return 2;
  }
  if (e instanceof ParameterError) {
    io.err(`scalelab ${command}: ${e.message}`);
    return 2;
  }
  if (isUserError(e)) {
    io.err(`scalelab ${command}: ${e.name}: ${e.message}`);
    return 2;
  }
  io.err(`scalelab ${command}: ${e instanceof Error ? e.message : String(e)}`);
  return 1;
}

function resultTable(result: ExperimentResult, limit = 40): string {
  const names = result.table.columnNames();
  const rows = result.rows.slice(0, limit).map((r) => names.map((n) => r[n] as Cell));
  const more = result.rows.length > limit ? `\n... ${result.rows.length - limit} more rows in the CSV` : '';
  return textTable(names, rows) + more;
}

/** `scalelab run ...`. */
export async function runCommand(argv: string[], io: CommandIO): Promise<number> {
  let args: RunArgs;
  let plan: Array<{ experiment: Experiment; overrides: Record<string, unknown> }>;
  try {
    args = parseRunArgs(argv);
    if (args.help) {
      if (args.names.length === 1) {
        const e = findExperiment(args.names[0]);
        io.out(`scalelab run ${e.name} [--set key=value ...] [--seed N] [--reps N] [--threads N] [--out DIR]\n\n${e.title}\n${e.description}\n\n${parameterTable(e)}\n\nDefault replications: ${e.replications}.`);
      } else io.out(runUsage);
      return 0;
    }
    if (args.all && args.names.length) throw new UsageError('scalelab run: give experiment names or --all, not both');
    if (args.all && Object.keys(args.sets).length) throw new UsageError('scalelab run: --set applies to one experiment; run it by name');
    if (!args.all && args.names.length === 0) throw new UsageError(`scalelab run: name an experiment or give --all (valid: ${catalog.map((e) => e.name).join(', ')})`);
    if (args.names.length > 1 && Object.keys(args.sets).length) throw new UsageError('scalelab run: --set applies to one experiment; run one name at a time');
    checkRunOptions({ seed: args.seed, replications: args.replications, threads: args.threads, maxEvents: args.maxEvents });
    // --all: the models only; an experiment that runs a real component (requires) runs by name
    const chosen = args.all ? catalog.filter((e) => e.requires === undefined) : args.names.map(findExperiment);
    plan = chosen.map((experiment) => {
      const overrides: Record<string, unknown> = {};
      for (const [k, text] of Object.entries(args.sets)) {
        const spec = experiment.params[k];
        if (!spec) throw new ParameterError(k.length > 80 ? k.slice(0, 77) + '...' : k, text, `is not a parameter of ${experiment.name} (valid: ${Object.keys(experiment.params).join(', ')})`);
        overrides[k] = parseValue(k, spec, text);
      }
      const params = experiment.resolve(overrides); // every value checked before anything runs
      checkWork(experiment, params, experiment.points(params), args.maxEvents ?? DEFAULT_MAX_EVENTS); // and the work it needs
      return { experiment, overrides };
    });
  } catch (e) {
    return reportError('run', e, io);
  }
  const showProgress = !args.quiet && (io.progress ?? Boolean(process.stderr.isTTY));
  try {
    for (const { experiment, overrides } of plan) {
      const bar = showProgress ? new SingleBar({ format: `${experiment.name.padEnd(24)} [{bar}] {value}/{total} runs | {eta_formatted} left`, stream: process.stderr, hideCursor: true }, Presets.shades_classic) : null;
      let started = false;
      const result = await experiment.runWithProvenance(overrides, {
        seed: args.seed,
        replications: args.replications,
        threads: args.threads,
        maxEvents: args.maxEvents,
        onProgress: (done, total) => {
          if (!bar) return;
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.update(done);
        },
      });
      if (bar && started) bar.stop();
      const files = writeResult(experiment, result, args.out);
      if (!args.quiet) io.out(`\n${experiment.name}: ${experiment.title} (${result.provenance.elapsedSeconds.toFixed(1)} s)\n${resultTable(result)}`);
      io.out(`wrote ${path.relative(process.cwd(), files.csv)}, ${path.basename(files.json)}, ${path.basename(files.html)}`);
    }
    return 0;
  } catch (e) {
    return reportError('run', e, io);
  }
}

const reportUsage = `Usage: scalelab report [--results DIR] [--out FILE]

Writes one HTML page with every experiment's figures and tables from the stored results
(data/results/ by default; run them first with scalelab run --all), plotly.js embedded once,
readable offline. Default FILE: DIR/report.html.`;

/** `scalelab report ...`. */
export async function reportCommand(argv: string[], io: CommandIO): Promise<number> {
  let resultsDir = defaultResultsDir();
  let file: string | undefined;
  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === '--help' || arg === '-h') {
        io.out(reportUsage);
        return 0;
      } else if (arg === '--results' || arg === '--out') {
        const v = argv[++i];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`scalelab report: ${arg} needs a value`);
        if (arg === '--results') resultsDir = path.resolve(v);
        else file = path.resolve(v);
      } else throw new UsageError(`scalelab report: unknown argument ${arg} (valid: --results DIR, --out FILE, --help)`);
    }
    const summary = writeReport({ resultsDir, file, experiments: catalog });
    for (const u of summary.unreadable) io.err(`scalelab report: skipped ${path.relative(process.cwd(), u.file) || u.file}: ${u.reason}`);
    io.out(`wrote ${path.relative(process.cwd(), summary.file)}: ${summary.included.length} experiment(s)` +
      (summary.missing.length ? `; not run yet: ${summary.missing.join(', ')} (scalelab run --all)` : ''));
    return summary.included.length === 0 && catalog.length > 0 ? 1 : 0;
  } catch (e) {
    return reportError('report', e, io);
  }
}
