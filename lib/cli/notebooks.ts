/**
 * `scalelab notebooks`: execute lab notebooks in the tslab kernel (no Python needed), with
 * papermill-style parameters, writing the executed .ipynb and an HTML export of each.
 */
import * as fs from 'fs';
import * as path from 'path';
import { executeNotebook, NotebookExecutionError, NotebookRunResult } from '../notebook/execute';
import { exportNotebookHtml, exportNotebookIndexHtml, NotebookIndexEntry } from '../notebook/html';
import { readNotebook, serializeNotebook } from '../notebook/nbformat';
import {
  injectNotebookParameters,
  notebookParameterDeclarations,
  NotebookParameterError,
  NotebookParameterValue,
  parseNotebookParameterAssignments,
} from '../notebook/parameters';
import { findScalelabRoot } from '../notebook/project';
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
import type { FlagSpecs } from './parse';
import { UsageError, hint, suggestion } from './usage';

/** The flags of `scalelab notebooks run`. */
export const notebookFlags: FlagSpecs = {
  all: { type: 'boolean', doc: 'every notebooks/*.ipynb, plus an index page (index.html)' },
  param: {
    type: 'string',
    short: 'p',
    multiple: true,
    value: 'KEY=VALUE',
    doc: 'set a parameter of the cell tagged "parameters" (once per key); JSON when it parses',
  },
  timeout: {
    type: 'string',
    value: 'SEC',
    doc: 'per-cell timeout in seconds; the cell is interrupted (default 600)',
  },
  out: { type: 'string', value: 'DIR', doc: 'output folder (default out/notebooks)' },
  verbose: {
    type: 'boolean',
    short: 'v',
    doc: "report the kernel start and each cell's status and time",
  },
  ...helpFlag,
};

const HELP = `Usage: scalelab notebooks run NOTEBOOK... [options]
       scalelab notebooks run --all [options]
       scalelab notebooks            (same as: run --all)

Executes notebooks in the tslab kernel (started from this project's node_modules, no Jupyter or
Python needed) and writes, for each, the executed notebook and a static HTML page.

NOTEBOOK is a path, or a name or unique prefix of a notebook in notebooks/ (e.g. 00).
VALUE of --param is JSON when it parses (0.9, true, [1,2], {"a":1}, "text"), else a string. With
several notebooks, a parameter goes to those whose parameters cell declares it; one that none
declares is an error.

Options:
${flagHelp(notebookFlags)}

Examples:
  scalelab notebooks run 00-getting-started --param serviceRate=2

Exit status: 0 all notebooks ran, 1 a notebook failed (partial notebook still written), 2 bad usage.`;

interface RunArgs {
  notebooks: string[];
  all: boolean;
  params: string[];
  timeoutSec: number;
  outDir?: string;
  verbose: boolean;
}

function parseRunArgs(argv: string[]): RunArgs {
  const parsed = parseCommandLine('scalelab notebooks', argv, notebookFlags);
  const timeout = stringValue(parsed, 'timeout');
  let timeoutSec = 600;
  if (timeout !== undefined) {
    const n = timeout.trim() === '' ? NaN : Number(timeout);
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError(`--timeout ${timeout}: must be a number of seconds > 0`);
    timeoutSec = n;
  }
  const a: RunArgs = {
    notebooks: parsed.positionals,
    all: booleanValue(parsed, 'all'),
    params: listValue(parsed, 'param'),
    timeoutSec,
    outDir: stringValue(parsed, 'out'),
    verbose: booleanValue(parsed, 'verbose'),
  };
  keyValues('--param', a.params); // a word without = or a key given twice is a usage error
  if (a.all && a.notebooks.length) throw new UsageError('give notebooks or --all, not both');
  if (!a.all && a.notebooks.length === 0)
    throw new UsageError('no notebook given (name notebooks or use --all)');
  return a;
}

function notebooksFolder(): string {
  return path.join(findScalelabRoot(), 'notebooks');
}

function listNotebooks(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .sort()
    .map((f) => path.join(dir, f));
}

function resolveNotebook(arg: string): string {
  if (fs.existsSync(arg) && fs.statSync(arg).isFile()) return path.resolve(arg);
  const all = listNotebooks(notebooksFolder());
  const base = (f: string) => path.basename(f);
  const exact = all.filter((f) => base(f) === arg || base(f) === arg + '.ipynb');
  if (exact.length === 1) return exact[0];
  const prefix = all.filter((f) => base(f).startsWith(arg));
  if (prefix.length === 1) return prefix[0];
  if (prefix.length > 1)
    throw new UsageError(`"${arg}" matches several notebooks: ${prefix.map(base).join(', ')}`);
  throw new UsageError(
    `notebook not found: ${arg}${hint(
      arg.replace(/\.ipynb$/, ''),
      all.map((f) => base(f).replace(/\.ipynb$/, '')),
    )}`,
  );
}

function defaultOutDir(): string {
  const root = findScalelabRoot();
  const cwd = process.cwd();
  const inside = cwd === root || cwd.startsWith(root + path.sep);
  return path.join(inside ? root : cwd, 'out', 'notebooks');
}

function display(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

/** `scalelab notebooks ...` (argv = the words after `notebooks`). Resolves to the exit code. */
export async function notebooksCommand(argv: string[], io: CommandIO): Promise<number> {
  let words = argv;
  if (words.length === 0) words = ['run', '--all'];
  const [sub, ...rest] = words;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(HELP);
    return 0;
  }
  if (sub !== 'run') {
    const near = sub.startsWith('-') ? null : suggestion(sub, ['run']);
    io.err(
      `scalelab notebooks: unknown subcommand "${sub}"${near && near.startsWith('did') ? `, ${near}` : ''} (use: scalelab notebooks run NOTEBOOK... | run --all; see --help)`,
    );
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(HELP);
    return 0;
  }

  let args: RunArgs;
  let files: string[];
  let params: Record<string, NotebookParameterValue>;
  try {
    args = parseRunArgs(rest);
    params = parseNotebookParameterAssignments(args.params);
    files = args.all ? listNotebooks(notebooksFolder()) : args.notebooks.map(resolveNotebook);
  } catch (e) {
    if (e instanceof UsageError || e instanceof NotebookParameterError) {
      io.err(`scalelab notebooks: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (files.length === 0) {
    io.err(`scalelab notebooks: no notebooks in ${display(notebooksFolder())}`);
    return args.all ? 0 : 2;
  }

  // Check parameters before starting any kernel. A parameter goes to the notebooks that declare
  // it; one that no notebook declares is an error listing what is declared.
  const perNotebook = new Map<string, Record<string, NotebookParameterValue>>();
  try {
    const declaredBy = new Map<string, string[]>();
    for (const f of files) {
      const nb = readNotebook(f);
      const declared = notebookParameterDeclarations(nb).map((d) => d.name);
      declaredBy.set(f, declared);
      const mine: Record<string, NotebookParameterValue> = {};
      for (const [k, v] of Object.entries(params)) if (declared.includes(k)) mine[k] = v;
      perNotebook.set(f, mine);
      try {
        injectNotebookParameters(nb, mine); // checks values against number/string/boolean annotations
      } catch (e) {
        throw new NotebookParameterError(`${display(f)}: ${(e as Error).message}`);
      }
    }
    const unknown = Object.keys(params).filter((k) =>
      files.every((f) => !declaredBy.get(f)!.includes(k)),
    );
    if (unknown.length) {
      const list = (f: string) => declaredBy.get(f)!.join(', ') || '(no parameters cell)';
      throw new NotebookParameterError(
        files.length === 1
          ? `${display(files[0])}: unknown parameter ${unknown.join(', ')}; its parameters cell declares: ${list(files[0])}`
          : `unknown parameter ${unknown.join(', ')}: no notebook declares it (${files.map((f) => `${path.basename(f)}: ${list(f)}`).join('; ')})`,
      );
    }
  } catch (e) {
    io.err(`scalelab notebooks: ${(e as Error).message.split('\n')[0]}`);
    return e instanceof NotebookParameterError ? 2 : 1;
  }

  const outDir = path.resolve(args.outDir ?? defaultOutDir());
  fs.mkdirSync(outDir, { recursive: true });
  const used = new Set<string>();
  const entries: NotebookIndexEntry[] = [];
  let failures = 0;
  for (const f of files) {
    let stem = path.basename(f, '.ipynb');
    for (let k = 2; used.has(stem); k++) stem = `${path.basename(f, '.ipynb')}-${k}`;
    used.add(stem);
    const name = display(f);
    if (args.verbose) io.err(`running ${name} ...`);
    let result: NotebookRunResult | undefined;
    let failure: NotebookExecutionError | undefined;
    const t0 = Date.now();
    try {
      result = await executeNotebook(f, {
        parameters: perNotebook.get(f),
        cellTimeoutSec: args.timeoutSec,
        name,
        onProgress: args.verbose
          ? (ev) => {
              if (ev.type === 'kernel-started')
                io.err(`  kernel started in ${(ev.ms / 1000).toFixed(1)} s`);
              if (ev.type === 'cell-done')
                io.err(`  cell ${ev.cellNumber}: ${ev.status} ${(ev.ms / 1000).toFixed(2)} s`);
            }
          : undefined,
      });
    } catch (e) {
      if (e instanceof NotebookExecutionError) {
        failure = e;
        result = e.result;
      } else if (e instanceof NotebookParameterError) {
        io.err(`scalelab notebooks: ${name}: ${e.message}`);
        return 2;
      } else {
        failure = undefined;
        io.err(`${name}: ${(e as Error).stack ?? e}`);
        failures++;
        entries.push({
          name,
          href: `${stem}.html`,
          status: 'failed',
          durationMs: Date.now() - t0,
          error: (e as Error).message.split('\n')[0],
        });
        continue;
      }
    }
    const ipynbPath = path.join(outDir, `${stem}.ipynb`);
    const htmlPath = path.join(outDir, `${stem}.html`);
    if (result) {
      fs.writeFileSync(ipynbPath, serializeNotebook(result.notebook));
      fs.writeFileSync(htmlPath, exportNotebookHtml(result.notebook, { title: name }));
    }
    const ms = result?.durationMs ?? Date.now() - t0;
    if (failure) {
      failures++;
      io.err(failure.message);
      io.err(
        `FAILED ${name} after ${(ms / 1000).toFixed(1)} s; partial notebook: ${display(ipynbPath)}, ${display(htmlPath)}`,
      );
    } else {
      // one line per notebook (issue 15 point 7): its result and where it went
      io.err(
        `ok ${name} in ${(ms / 1000).toFixed(1)} s (kernel start ${((result?.kernelStartMs ?? 0) / 1000).toFixed(1)} s): ${display(htmlPath)}, ${display(ipynbPath)}`,
      );
    }
    entries.push({
      name,
      href: `${stem}.html`,
      ipynbHref: `${stem}.ipynb`,
      status: failure ? 'failed' : 'ok',
      durationMs: ms,
      error: failure ? failure.message.split('\n').slice(0, 2).join(' ') : undefined,
    });
  }
  if (args.all) {
    const indexPath = path.join(outDir, 'index.html');
    fs.writeFileSync(indexPath, exportNotebookIndexHtml(entries, { parameters: params }));
    io.out(`index\t${display(indexPath)}`);
  }
  io.err(`${files.length - failures} of ${files.length} notebooks ran without error`);
  return failures ? 1 : 0;
}
