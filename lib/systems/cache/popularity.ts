/**
 * Which object each request asks for. Three sources:
 * - Zipf(α) over a catalogue of N objects (lib/random's rejection-inversion sampler): rank r has
 *   probability r^(−α)/H(N, α); key = rank − 1 (key 0 is the most popular) when static.
 * - Zipf with churn (`shift: { every, by }`): every `every` seconds `by` new objects take the top
 *   ranks and every older object moves `by` ranks down (news, releases): rank r maps to key
 *   N − r + s·by after s shifts, so keys grow and popularity decays with age.
 * - A trace: keys read from a file (one request a line: `key`, or `timestamp key`, separated by
 *   spaces, a tab or a comma; `#` starts a comment), mapped to integer ids in order of first
 *   appearance, so users can replay their own logs.
 */
import { readFileSync } from 'fs';
import { ParameterError, requireInteger, requirePositive } from '../../errors';
import { Zipf } from '../../random/zipf';
import type { Rng } from '../../random/xoshiro128';
import { rejectUnknownKeys } from '../common/config';

export interface ZipfPopularity {
  model: 'zipf';
  /** Catalogue size N. */
  objects: number;
  /** Zipf exponent α (0: uniform). */
  alpha: number;
  /** Churn: `by` new objects take the top ranks every `every` seconds. */
  shift?: { every: number; by: number };
}

export interface TracePopularity {
  model: 'trace';
  /** The parsed trace ({@link parseTrace} / {@link loadTrace}). */
  trace: Trace;
  /** Replay the trace's timestamps (default true when it has them); else Poisson arrivals at the system's rate. */
  useTimestamps?: boolean;
}

export type PopularityConfig = ZipfPopularity | TracePopularity;

export interface Trace {
  /** Key id of each request, in order. */
  keys: Int32Array;
  /** Timestamps (seconds from the first request), or null when the file has none. */
  times: Float64Array | null;
  /** The original key of each id. */
  names: string[];
}

/** Parses a trace (see the file comment). */
export function parseTrace(text: string): Trace {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const keys: number[] = [];
  const times: number[] = [];
  let timed: boolean | null = null;
  const lines = text.split(/\r?\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].replace(/#.*/, '').trim();
    if (!line) continue;
    const fields = line.split(/[\s,]+/);
    const hasTime = fields.length >= 2;
    if (timed === null) timed = hasTime;
    else if (timed !== hasTime)
      throw new ParameterError(
        `trace line ${ln + 1}`,
        line,
        timed
          ? 'must be "timestamp key" like the first line'
          : 'must be one key like the first line',
      );
    let key = fields[0];
    if (hasTime) {
      const t = Number(fields[0]);
      if (!Number.isFinite(t))
        throw new ParameterError(
          `trace line ${ln + 1}`,
          fields[0],
          'must start with a numeric timestamp (seconds)',
        );
      if (times.length > 0 && t < times[times.length - 1])
        throw new ParameterError(`trace line ${ln + 1}`, t, 'timestamps must not decrease');
      times.push(t);
      key = fields[1];
    }
    let id = ids.get(key);
    if (id === undefined) {
      id = names.length;
      ids.set(key, id);
      names.push(key);
    }
    keys.push(id);
  }
  if (keys.length === 0) throw new ParameterError('trace', text.slice(0, 40), 'holds no requests');
  const t0 = times.length > 0 ? times[0] : 0;
  return {
    keys: Int32Array.from(keys),
    times: timed ? Float64Array.from(times, (t) => t - t0) : null,
    names,
  };
}

/** Reads and parses a trace file. */
export function loadTrace(path: string): Trace {
  return parseTrace(readFileSync(path, 'utf8'));
}

/** Validates a popularity config; `path` names it in errors. */
export function resolvePopularity(c: PopularityConfig, path: string): PopularityConfig {
  if (c == null || typeof c !== 'object')
    throw new ParameterError(
      path,
      c,
      "must be { model: 'zipf', objects, alpha } or { model: 'trace', trace }",
    );
  if (c.model === 'zipf') {
    rejectUnknownKeys(c, ['model', 'objects', 'alpha', 'shift'], path);
    requireInteger(`${path}.objects`, c.objects, 1, 2 ** 28);
    if (!(typeof c.alpha === 'number' && c.alpha >= 0 && c.alpha <= 10))
      throw new ParameterError(`${path}.alpha`, c.alpha, 'must be a number in [0, 10]');
    if (c.shift !== undefined) {
      rejectUnknownKeys(c.shift, ['every', 'by'], `${path}.shift`);
      requirePositive(`${path}.shift.every`, c.shift.every);
      requireInteger(`${path}.shift.by`, c.shift.by, 1, c.objects);
    }
    return c;
  }
  if (c.model === 'trace') {
    rejectUnknownKeys(c, ['model', 'trace', 'useTimestamps'], path);
    if (c.trace == null || !(c.trace.keys instanceof Int32Array))
      throw new ParameterError(
        `${path}.trace`,
        c.trace,
        'must be a parsed trace (parseTrace or loadTrace)',
      );
    return c;
  }
  throw new ParameterError(
    `${path}.model`,
    (c as { model: unknown }).model,
    "must be 'zipf' or 'trace'",
  );
}

/** Draws keys for requests. */
export class KeySampler {
  /** Keys issued up to `horizon` seconds are below this (the initial size of the key tables). */
  readonly keySpace: number;
  /** Next trace position. */
  position = 0;
  private readonly zipf: Zipf | null;
  private readonly objects: number;
  private readonly every: number;
  private readonly by: number;
  private readonly trace: Trace | null;

  constructor(c: PopularityConfig, horizon: number) {
    if (c.model === 'zipf') {
      this.zipf = new Zipf(c.objects, c.alpha);
      this.objects = c.objects;
      this.every = c.shift ? c.shift.every : Infinity;
      this.by = c.shift ? c.shift.by : 0;
      this.trace = null;
      const shifts = c.shift ? Math.ceil(horizon / c.shift.every) + 1 : 0;
      this.keySpace = c.objects + shifts * this.by; // keys beyond (churn past the horizon) grow the tables
    } else {
      this.zipf = null;
      this.objects = c.trace.names.length;
      this.every = Infinity;
      this.by = 0;
      this.trace = c.trace;
      this.keySpace = c.trace.names.length;
    }
  }

  /** The key of a request at time `now`. */
  next(now: number, rng: Rng): number {
    if (this.trace !== null) {
      const k = this.trace.keys[this.position];
      this.position = this.position + 1 === this.trace.keys.length ? 0 : this.position + 1;
      return k;
    }
    const rank = (this.zipf as Zipf).sample(rng);
    if (this.by === 0) return rank - 1;
    const s = Math.floor(now / this.every);
    return this.objects - rank + s * this.by;
  }

  /** The key at popularity rank `rank` (1 = most popular) at time `now` (Zipf only). */
  keyOfRank(rank: number, now: number): number {
    if (this.by === 0) return rank - 1;
    return this.objects - rank + Math.floor(now / this.every) * this.by;
  }
}
