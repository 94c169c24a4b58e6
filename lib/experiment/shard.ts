/**
 * Shards of a sweep: `scalelab run NAME --shard i/n` computes one slice of an experiment's grid
 * points so that n machines (a Kubernetes Indexed Job, a Slurm array) can share one sweep, and
 * `scalelab merge` puts the slices back together.
 *
 * Slicing is by point index, round robin: shard i of n computes the points whose index p (in the
 * order `points(params)` lists them) has p mod n = i. Round robin, not contiguous blocks, because
 * grids usually grow in cost along their order (load, size) and blocks would leave one shard with
 * all the expensive points. Seeds are derived from each point's content (seeds.ts), so a point's
 * numbers are the same in any shard, on any thread count, as in the whole run.
 *
 * Shard indices are 0-based, like Kubernetes' `JOB_COMPLETION_INDEX`; a Slurm array is declared
 * `--array=0-(n-1)` to match. `--shard env/n` reads the index from whichever of those two
 * variables is set.
 */
import { createHash } from 'crypto';
import { ParameterError } from '../errors';
import type { Point } from './experiment';

/** One slice of a sweep: shard `index` (0-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** What a shard result records in its provenance, so that merge can check and order the slices. */
export interface ShardInfo extends ShardSpec {
  /** Points of the whole grid. */
  pointCount: number;
  /** Indices (in the whole grid) of the points this shard computed, ascending. */
  points: number[];
  /** Rows each of those points produced (a time series gives several), in the same order. */
  rowCounts: number[];
  /** SHA-256 of the whole grid's points: shards of one sweep agree on it. */
  gridHash: string;
}

/** The environment variables `--shard env/n` reads the index from, in this order. */
export const SHARD_INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID'] as const;

/** Most shards one sweep may be cut into. */
export const MAX_SHARDS = 100_000;

function shardInteger(what: string, text: string, full: string, min: number, max: number): number {
  const t = text.trim();
  const x = /^[0-9]+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(x) || x < min || x > max)
    throw new ParameterError(
      'shard',
      full,
      `needs i/n with ${what} an integer in [${min}, ${max}] (0-based index i < count n, or env/n)`,
    );
  return x;
}

/**
 * Parses `i/n` (0 <= i < n), or `env/n` with i read from `$JOB_COMPLETION_INDEX` or
 * `$SLURM_ARRAY_TASK_ID`. Bad text is a ParameterError on `shard` naming the value.
 */
export function parseShard(
  text: string,
  env: Record<string, string | undefined> = process.env,
): ShardSpec {
  const slash = text.indexOf('/');
  if (slash < 0)
    throw new ParameterError(
      'shard',
      text,
      'must be i/n (0-based shard index i of n shards, e.g. 0/4) or env/n',
    );
  const count = shardInteger('n', text.slice(slash + 1), text, 1, MAX_SHARDS);
  let indexText = text.slice(0, slash);
  if (indexText.trim() === 'env') {
    const set = SHARD_INDEX_VARIABLES.filter((v) => env[v] !== undefined && env[v] !== '');
    if (set.length === 0)
      throw new ParameterError(
        'shard',
        text,
        `reads the index from $${SHARD_INDEX_VARIABLES.join(' or $')}, and neither is set`,
      );
    const values = set.map((v) => env[v] as string);
    if (set.length > 1 && values[0].trim() !== values[1].trim()) {
      throw new ParameterError(
        'shard',
        text,
        `reads one index, but $${set[0]}=${values[0]} and $${set[1]}=${values[1]} differ; unset one`,
      );
    }
    indexText = values[0];
  }
  const index = shardInteger(
    'i',
    indexText,
    indexText === text.slice(0, slash) ? text : `${indexText}/${count} (from ${text})`,
    0,
    MAX_SHARDS - 1,
  );
  if (index >= count)
    throw new ParameterError(
      'shard',
      text,
      `has index ${index}, but indices of ${count} shard${count === 1 ? '' : 's'} run from 0 to ${count - 1}`,
    );
  return { index, count };
}

/** Checks a shard given as an object (the library API), naming the bad field. */
export function checkShard(shard: ShardSpec): ShardSpec {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS)
    throw new ParameterError('shard.count', count, `must be an integer in [1, ${MAX_SHARDS}]`);
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new ParameterError(
      'shard.index',
      index,
      `must be an integer in [0, ${count - 1}] (0-based, below shard.count ${count})`,
    );
  return { index, count };
}

/** The indices of the points shard `shard` computes out of `pointCount`: p with p mod n = i. */
export function shardPointIndices(pointCount: number, shard: ShardSpec): number[] {
  const out: number[] = [];
  for (let p = shard.index; p < pointCount; p += shard.count) out.push(p);
  return out;
}

/** SHA-256 (hex) of the grid's points in order, each by its fields as listed. */
export function gridHash(points: readonly Point[]): string {
  return createHash('sha256').update(JSON.stringify(points)).digest('hex');
}

/** `shard 1/4` for messages and file names' descriptions. */
export function shardLabel(shard: ShardSpec): string {
  return `shard ${shard.index}/${shard.count}`;
}

/** The file stem of a shard result: `<experiment>.shard-<i>-of-<n>`, its index zero-padded to the width of n − 1. */
export function shardStem(experiment: string, shard: ShardSpec): string {
  const width = String(shard.count - 1).length;
  return `${experiment}.shard-${String(shard.index).padStart(width, '0')}-of-${shard.count}`;
}

/**
 * The shard record of a run's provenance: the slice, the grid it was cut from, and the rows each
 * of its points gave (`rowEnds[k]`: the rows of points 0..k of the slice, cumulative).
 */
export function shardInfo(
  shard: ShardSpec,
  grid: readonly Point[],
  points: readonly number[],
  rowEnds: readonly number[],
): ShardInfo {
  return {
    index: shard.index,
    count: shard.count,
    pointCount: grid.length,
    points: [...points],
    rowCounts: rowEnds.map((end, k) => end - (k === 0 ? 0 : rowEnds[k - 1])),
    gridHash: gridHash(grid),
  };
}
