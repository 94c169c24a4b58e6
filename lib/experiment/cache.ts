/**
 * The result cache: one replication of one grid point (a task) is stored under a key made of
 * everything that changes its numbers, so that a rerun of an unchanged point reads it back
 * instead of simulating it again.
 *
 * The key: the experiment's name, its resolved parameters, the point, the task's seed (derived
 * from the master seed, the point's content and the replication index, seeds.ts), the work budget
 * (maxEvents), the scalelab version, the Node version, and a SHA-256 of the code itself (every
 * compiled .js file under dist/, or every .ts file under lib/ when run from source), so an edited
 * simulator, a rebuilt package or a new release never reads an old number: CI on a fresh build
 * cannot be served a stale entry. Aggregation (intervals, theory columns) is recomputed from the
 * cached observations, so results with and without the cache are byte-identical.
 *
 * Entries are JSON files `<dir>/<experiment>/<sha256 of the key>.json` holding the key and the
 * observations; each is written to a temporary name and renamed into place (atomic on one file
 * system), so concurrent writers (two runs, the shards of a sweep on one volume) never leave a
 * half-written entry. An entry that cannot be read or does not hold its own key is ignored,
 * recomputed, overwritten and named in a warning.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import type { Observation, Point } from './experiment';
import { workspaceRoot } from '../project';
import { version } from '../version';

/** The default cache folder: data/cache in the workspace (beside data/results; not in git; lib/project.ts: never inside node_modules). */
export function defaultCacheDir(): string {
  return path.join(workspaceRoot(), 'data', 'cache');
}

let codeHashMemo: string | undefined;

/**
 * SHA-256 over the code this process runs: every `.js` file under dist/ (compiled), or every `.ts`
 * file under lib/ (from source, under ts-node or jest), by relative path and content. Declarations
 * and source maps are left out. Computed once per process.
 */
export function codeHash(): string {
  if (codeHashMemo !== undefined) return codeHashMemo;
  const root = path.dirname(__dirname); // lib/ or dist/
  const ext = __filename.endsWith('.ts') ? '.ts' : '.js';
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith(ext) && !e.name.endsWith('.d.ts')) files.push(full);
    }
  };
  walk(root);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(path.relative(root, f).split(path.sep).join('/'));
    h.update('\0');
    h.update(fs.readFileSync(f));
    h.update('\0');
  }
  codeHashMemo = h.digest('hex');
  return codeHashMemo;
}

/** Everything that changes the numbers of one task. */
export interface CacheKey {
  experiment: string;
  params: Record<string, unknown>;
  point: Point;
  seed: number;
  maxEvents: number;
  scalelabVersion: string;
  node: string;
  code: string;
}

/** The key of one task (see the file comment). */
export function cacheKey(
  task: {
    experiment: string;
    params: Record<string, unknown>;
    point: Point;
    seed: number;
    maxEvents?: number;
  },
  maxEvents: number,
): CacheKey {
  return {
    experiment: task.experiment,
    params: task.params,
    point: task.point,
    seed: task.seed,
    maxEvents: task.maxEvents ?? maxEvents,
    scalelabVersion: version,
    node: process.version,
    code: codeHash(),
  };
}

// JSON has no NaN, Infinity or -0: observations keep them as tagged strings
function encode(_k: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0 && 1 / v < 0) return '-0';
  return v;
}

function decode(_k: string, v: unknown): unknown {
  return v === 'NaN'
    ? NaN
    : v === 'Infinity'
      ? Infinity
      : v === '-Infinity'
        ? -Infinity
        : v === '-0'
          ? -0
          : v;
}

/** The canonical text of a key: its fields in a fixed order, objects' keys sorted. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    const e = encode(_k, v);
    if (e === null || typeof e !== 'object' || Array.isArray(e)) return e;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(e as object).sort()) sorted[k] = (e as Record<string, unknown>)[k];
    return sorted;
  });
}

/** Counts of one run's lookups, and the entries found unreadable (recomputed). */
export interface CacheStats {
  hits: number;
  misses: number;
  corrupt: string[];
}

/** A cache folder: `get` a task's observations or null, `put` them after computing. */
export class ResultCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, corrupt: [] };

  constructor(
    readonly dir: string = defaultCacheDir(),
    /** Called once per unreadable entry, with its file and why. */
    private readonly warn: (message: string) => void = (m) =>
      process.emitWarning(m, 'ScalelabCacheWarning'),
  ) {}

  /** The entry file of a key. */
  file(key: CacheKey): string {
    const name = key.experiment.replace(/[^a-z0-9-]/gi, '_');
    return path.join(
      this.dir,
      name,
      createHash('sha256').update(canonical(key)).digest('hex') + '.json',
    );
  }

  /** The stored observations of `key`, or null (absent, or unreadable: then warned and counted). */
  get(key: CacheKey): Observation[] | null {
    const file = this.file(key);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      this.stats.misses++;
      return null;
    }
    let entry: { key?: unknown; observations?: unknown };
    let reason: string | null = null;
    try {
      entry = JSON.parse(text, decode) as typeof entry;
      if (entry === null || typeof entry !== 'object') reason = 'not a cache entry';
      else if (canonical(entry.key) !== canonical(key)) reason = 'holds another key';
      else if (
        !Array.isArray(entry.observations) ||
        !entry.observations.every((o) => o !== null && typeof o === 'object' && !Array.isArray(o))
      )
        reason = 'has no list of observations';
    } catch (e) {
      entry = {};
      reason = `not valid JSON (${(e as Error).message.slice(0, 80)})`;
    }
    if (reason !== null) {
      this.stats.corrupt.push(file);
      this.stats.misses++;
      this.warn(`scalelab cache: ignored ${file}: ${reason}; recomputed`);
      return null;
    }
    this.stats.hits++;
    return entry.observations as Observation[];
  }

  /**
   * Stores `observations` under `key`: a temporary file renamed into place. A cache that cannot
   * be written (full disk, read-only folder) is warned about once and the run goes on.
   */
  put(key: CacheKey, observations: readonly Observation[]): void {
    const file = this.file(key);
    const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        tmp,
        JSON.stringify({ key: key, observations: observations }, encode) + '\n',
      );
      fs.renameSync(tmp, file);
    } catch (e) {
      if (!this.unwritable)
        this.warn(
          `scalelab cache: cannot write ${path.dirname(file)} (${(e as Error).message.slice(0, 120)}); results are not cached`,
        );
      this.unwritable = true;
    } finally {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        /* its folder could not be made: there is no temporary to remove */
      }
    }
  }

  private unwritable = false;

  /**
   * The tasks of a run not in the cache: each one found is handed to `record` (as if computed)
   * and left out of the list returned.
   */
  lookup<T extends CacheTask>(
    tasks: readonly T[],
    maxEvents: number,
    record: (index: number, observations: Observation[]) => void,
  ): T[] {
    const pending: T[] = [];
    for (const t of tasks) {
      const hit = this.get(cacheKey(t, maxEvents));
      if (hit) record(t.index, hit);
      else pending.push(t);
    }
    return pending;
  }

  /** `record` that also stores each computed task's observations (tasks by index). */
  storing(
    tasks: readonly CacheTask[],
    maxEvents: number,
    record: (index: number, observations: Observation[]) => void,
  ): (index: number, observations: Observation[]) => void {
    return (index, observations) => {
      this.put(cacheKey(tasks[index], maxEvents), observations);
      record(index, observations);
    };
  }
}

/** What the cache needs of a task (pool.ts's Task has it). */
export interface CacheTask {
  index: number;
  experiment: string;
  params: Record<string, unknown>;
  point: Point;
  seed: number;
  maxEvents?: number;
}

/**
 * The cache a run uses: none for `false` or `undefined` (the library's default: a notebook or a
 * test computes), the default folder for `true`, the folder given as a string, or the cache given.
 */
export function openCache(option: boolean | string | ResultCache | undefined): ResultCache | null {
  if (option === undefined || option === false) return null;
  if (option === true) return new ResultCache();
  if (typeof option === 'string') return new ResultCache(option);
  return option;
}
