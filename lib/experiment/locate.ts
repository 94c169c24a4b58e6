/**
 * Where a sweep worker finds an experiment. A worker thread starts empty, so it is handed the file
 * of the module that defines the experiment, loads it and looks the experiment up by name there.
 *
 * The file is, in this order:
 * 1. the definition's own `module` (`defineExperiment({ module: __filename, ... })`, or an ESM
 *    `import.meta.url`): needed when the experiment is not exported;
 * 2. the loaded module that exports the experiment: its require cache (node's, ts-node's or jest's
 *    registry) is searched for an export that is the experiment itself, or an exported array or
 *    object holding it; a module's own export (`exports.x = ...`) wins over a re-export (a getter,
 *    as `export * from` compiles), so the worker loads the lab file, not the whole package.
 * No stack traces and no `require.main` are read. An experiment found neither way is an error
 * ({@link ExperimentNotLocatableError}); it is never run on one thread instead.
 *
 * A script that defines an experiment and runs it is loaded again in each worker: guard its work
 * with `if (require.main === module)`. Unguarded, a run started while a worker loads the script
 * never settles there (see {@link inSweepWorker}), so the script's work is not done twice.
 */
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { Experiment } from './experiment';

/** An experiment that a worker thread could not find: where to define it instead. */
export class ExperimentNotLocatableError extends Error {
  constructor(name: string, why: string) {
    super(
      `experiment "${name}" cannot run on worker threads: ${why}. Export it from its module, or give ` +
        `defineExperiment({ module: __filename, ... }) (import.meta.url in an ES module); or run it with threads: 1`,
    );
    this.name = 'ExperimentNotLocatableError';
  }
}

const defined = new Map<string, Experiment[]>();
let sweepWorker = false;

/** Records an experiment made by defineExperiment (a worker finds unexported ones by their `module`). */
export function registerExperiment(experiment: Experiment): void {
  const list = defined.get(experiment.name);
  if (list) list.push(experiment);
  else defined.set(experiment.name, [experiment]);
}

/** The absolute file of a `module` option: a path (relative to the current folder) or a file: URL. */
export function moduleFile(module: string): string {
  return module.startsWith('file:') ? fileURLToPath(module) : path.resolve(module);
}

/** Marks this thread as a sweep worker (worker.ts). */
export function markSweepWorker(): void {
  sweepWorker = true;
}

/** True in a sweep worker thread: runExperiment there never settles (a script loaded again must not redo its work). */
export function inSweepWorker(): boolean {
  return sweepWorker;
}

/** How strongly `exports` claims `experiment`: 0 its own export, 1 in an exported list, 2 a re-export; -1 not at all. */
function claim(exports: unknown, experiment: Experiment): number {
  if (exports === experiment) return 0;
  if (exports === null || typeof exports !== 'object') return -1;
  let best = -1;
  for (const key of Object.keys(exports)) {
    const d = Object.getOwnPropertyDescriptor(exports, key);
    if (!d) continue;
    const reexport = d.get !== undefined;
    let value: unknown;
    try {
      value = reexport ? d.get!.call(exports) : d.value;
    } catch {
      continue;
    }
    let rank = -1;
    if (value === experiment) rank = 0;
    else if (Array.isArray(value) && value.includes(experiment)) rank = 1;
    if (rank >= 0 && reexport) rank = 2;
    if (rank >= 0 && (best < 0 || rank < best)) best = rank;
    if (best === 0) break;
  }
  return best;
}

/** The file a worker loads to find `experiment`; throws ExperimentNotLocatableError. */
export function locateExperiment(experiment: Experiment): string {
  if (experiment.module !== undefined) return moduleFile(experiment.module);
  const cache = require.cache as Record<string, { exports?: unknown } | undefined>;
  let found: string | undefined;
  let rank = 3;
  for (const file of Object.keys(cache)) {
    const r = claim(cache[file]?.exports, experiment);
    if (r >= 0 && r < rank) {
      found = file;
      rank = r;
      if (r === 0) break;
    }
  }
  if (found === undefined)
    throw new ExperimentNotLocatableError(
      experiment.name,
      'no loaded module exports it and it has no `module`',
    );
  return found;
}

/** The experiment called `name` in the module `file`, loaded in this thread (the worker's side). */
export function loadExperiment(file: string, name: string): Experiment {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module that defines the experiment, known by its path only at run time
  const exports = require(file) as unknown;
  const candidates: Experiment[] = [];
  const consider = (value: unknown) => {
    if (
      value &&
      typeof value === 'object' &&
      (value as Experiment).name === name &&
      typeof (value as Experiment).simulate === 'function'
    ) {
      if (!candidates.includes(value as Experiment)) candidates.push(value as Experiment);
    }
  };
  consider(exports);
  if (exports && typeof exports === 'object') {
    for (const value of Object.values(exports)) {
      consider(value);
      if (Array.isArray(value)) value.forEach(consider);
    }
  }
  for (const e of defined.get(name) ?? [])
    if (e.module !== undefined && moduleFile(e.module) === file) consider(e);
  if (candidates.length === 0)
    throw new ExperimentNotLocatableError(
      name,
      `${file} neither exports it nor defines it with that \`module\``,
    );
  return candidates[0];
}
