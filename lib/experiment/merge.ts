/**
 * `scalelab merge DIR...`: shard results (shard.ts) back into the one result a single machine
 * writes. Rows are put back in the grid's order (each shard records which points it computed and
 * how many rows each gave), so the merged CSV is byte-identical to the whole run's, and its JSON
 * differs only in the provenance fields that describe how it was run: `date` (the latest shard's),
 * `elapsedSeconds` (the shards' sum), `threads` (the most any shard had), `node` (shard 0's) and
 * `merged` (the shard count, each shard's elapsed time and, where they differ, Node versions).
 * The per-point provenance is put back together: `warmup` and `precision.points` in the grid's
 * order, `precision.reached` true when every shard reached it, and `intervals` with each metric's
 * methods (the whole run lists a metric's methods by how many rows used each; the merge lists
 * them in the order the shards first used them, the same list when a metric used one method).
 *
 * Shards are refused, naming what differs, when they come from different experiments, parameters,
 * seeds, replications, work budgets, scalelab versions, shard counts or grids; when one is missing
 * or given twice; or when a file is not a shard result.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatValue } from '../errors';
import type { Row } from './aggregate';
import type { ExperimentResult, Provenance } from './run';
import { tableFromRows } from './run';
import { UnreadableResultError, readResultFile } from './results';
import type { StoredResult } from './results';
import { shardPointIndices } from './shard';
import type { ShardInfo } from './shard';

/** Shards that cannot be merged: the message names the files and what differs. */
export class MergeError extends Error {
  override readonly name = 'MergeError';
}

/** What a merged result records about its shards. */
export interface MergeInfo {
  shards: number;
  /** Each shard's own elapsed time, by shard index (s). */
  elapsedSeconds: number[];
  /** The Node versions the shards ran on, where they differ. */
  nodes?: string[];
}

/** Provenance fields that may differ between the shards of one sweep (how, not what, was run). */
export const RUN_FIELDS: readonly string[] = [
  'date',
  'elapsedSeconds',
  'threads',
  'node',
  'shard',
  'merged',
];

/** Provenance fields that describe single points: combined across shards, not compared. */
const PER_POINT_FIELDS: readonly string[] = ['warmup', 'precision', 'intervals'];

/** The name pattern of shard results' JSON files. */
const SHARD_FILE = /\.shard-\d+-of-\d+\.json$/;

/** The shard results' JSON files in `inputs`: files as given; folders searched, and their direct subfolders. */
export function findShardFiles(inputs: readonly string[]): string[] {
  const found: string[] = [];
  const scan = (dir: string, depth: number) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth > 0) scan(full, depth - 1);
      else if (entry.isFile() && SHARD_FILE.test(entry.name)) found.push(full);
    }
  };
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new MergeError(`${input}: no such file or folder`);
    }
    if (stat.isDirectory()) scan(input, 1);
    else found.push(input);
  }
  return [...new Set(found.map((f) => path.resolve(f)))];
}

interface LoadedShard {
  file: string;
  stored: StoredResult;
  shard: ShardInfo;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  return v === undefined
    ? '(none)'
    : typeof v === 'object' && v !== null
      ? JSON.stringify(v).slice(0, 200)
      : formatValue(v);
}

function loadShard(file: string): LoadedShard {
  let stored: StoredResult;
  try {
    stored = readResultFile(file);
  } catch (e) {
    if (e instanceof UnreadableResultError) throw new MergeError(`${e.file}: ${e.reason}`);
    throw e;
  }
  const shard = (stored.provenance as Provenance & { shard?: ShardInfo }).shard;
  if (
    !shard ||
    typeof shard !== 'object' ||
    !Number.isInteger(shard.index) ||
    !Number.isInteger(shard.count) ||
    !Array.isArray(shard.points) ||
    !Array.isArray(shard.rowCounts)
  ) {
    throw new MergeError(
      `${file}: not a shard result (its provenance has no shard; a whole run's result needs no merge)`,
    );
  }
  return { file, stored, shard };
}

/**
 * Merges the shards of one sweep into the result the whole run gives (see the file comment for
 * which provenance fields differ). Throws a {@link MergeError} naming what does not fit.
 */
export function mergeShards(files: readonly string[]): ExperimentResult {
  if (files.length === 0)
    throw new MergeError(
      'no shard results found (files named NAME.shard-I-of-N.json, written by scalelab run NAME --shard I/N)',
    );
  const shards = files.map(loadShard);
  const first = shards[0];
  const p0 = first.stored.provenance as unknown as Record<string, unknown>;
  for (const s of shards.slice(1)) {
    const p = s.stored.provenance as unknown as Record<string, unknown>;
    if (p.experiment !== p0.experiment) {
      throw new MergeError(
        `shards of different experiments: ${first.file} is ${show(p0.experiment)}, ${s.file} is ${show(p.experiment)}; merge one experiment's shards at a time`,
      );
    }
    const keys = [...new Set([...Object.keys(p0), ...Object.keys(p)])].filter(
      (k) => !RUN_FIELDS.includes(k) && !PER_POINT_FIELDS.includes(k),
    );
    for (const k of keys) {
      if (!same(p0[k], p[k]))
        throw new MergeError(
          `${p0.experiment as string}: shards differ in ${k}: ${first.file} has ${show(p0[k])}, ${s.file} has ${show(p[k])}`,
        );
    }
    const target = (q: Record<string, unknown>) => {
      const pr = q.precision as Record<string, unknown> | undefined;
      return pr === undefined
        ? undefined
        : { precision: pr.precision, metrics: pr.metrics, maxReplications: pr.maxReplications };
    };
    if (!same(target(p0), target(p)))
      throw new MergeError(
        `${p0.experiment as string}: shards differ in precision: ${first.file} has ${show(target(p0))}, ${s.file} has ${show(target(p))}`,
      );
    for (const k of ['count', 'pointCount', 'gridHash'] as const) {
      if (s.shard[k] !== first.shard[k]) {
        const what =
          k === 'count'
            ? 'the shard count'
            : k === 'pointCount'
              ? 'the number of grid points'
              : 'the grid of points';
        throw new MergeError(
          `${p0.experiment as string}: shards differ in ${what}: ${first.file} has ${show(first.shard[k])}, ${s.file} has ${show(s.shard[k])}`,
        );
      }
    }
  }
  const { count, pointCount } = first.shard;
  const byIndex = new Map<number, LoadedShard>();
  for (const s of shards) {
    const other = byIndex.get(s.shard.index);
    if (other)
      throw new MergeError(
        `${p0.experiment as string}: shard ${s.shard.index}/${count} given twice: ${other.file} and ${s.file}`,
      );
    byIndex.set(s.shard.index, s);
  }
  const missing: number[] = [];
  for (let i = 0; i < count; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length) {
    const list =
      missing.length > 10
        ? `${missing.slice(0, 10).join(', ')} and ${missing.length - 10} more`
        : missing.join(', ');
    throw new MergeError(
      `${p0.experiment as string}: missing shard${missing.length === 1 ? '' : 's'} ${list} of ${count} (run scalelab run ${p0.experiment as string} --shard ${missing[0]}/${count} with the same settings)`,
    );
  }
  const chunks: Row[][] = new Array(pointCount);
  for (let i = 0; i < count; i++) {
    const s = byIndex.get(i)!;
    const expected = shardPointIndices(pointCount, { index: i, count });
    const rowTotal = s.shard.rowCounts.reduce((a, b) => a + b, 0);
    if (
      !same(s.shard.points, expected) ||
      s.shard.rowCounts.length !== expected.length ||
      rowTotal !== s.stored.rows.length
    ) {
      throw new MergeError(
        `${s.file}: its shard record does not match its rows (points ${show(s.shard.points)}, expected ${show(expected)}; ${rowTotal} rows recorded, ${s.stored.rows.length} stored): the file was edited or cut`,
      );
    }
    let at = 0;
    s.shard.points.forEach((p, k) => {
      chunks[p] = s.stored.rows.slice(at, at + s.shard.rowCounts[k]);
      at += s.shard.rowCounts[k];
    });
  }
  const rows = chunks.flat();
  const ordered = [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, s]) => s.stored.provenance);
  const nodes = [...new Set(ordered.map((p) => p.node))];
  const provenance = combinedProvenance(
    ordered as unknown as Array<Record<string, unknown>>,
    chunks,
  ) as unknown as Provenance & { shard?: ShardInfo; merged?: MergeInfo };
  delete provenance.shard;
  provenance.date = ordered
    .map((p) => p.date)
    .sort()
    .at(-1)!;
  provenance.elapsedSeconds = ordered.reduce((a, p) => a + p.elapsedSeconds, 0);
  provenance.threads = Math.max(...ordered.map((p) => p.threads));
  provenance.node = ordered[0].node;
  provenance.merged = {
    shards: count,
    elapsedSeconds: ordered.map((p) => p.elapsedSeconds),
    ...(nodes.length > 1 ? { nodes: ordered.map((p) => p.node) } : {}),
  };
  return { table: tableFromRows(rows), rows, provenance };
}

/** Every shard's keys in one order: shard 0's, with another's missing keys after the key they follow there. */
function keyOrder(list: ReadonlyArray<Record<string, unknown>>): string[] {
  const order: string[] = [];
  for (const p of list) {
    let after = -1;
    for (const k of Object.keys(p)) {
      const at = order.indexOf(k);
      if (at >= 0) after = at;
      else order.splice(++after, 0, k);
    }
  }
  return order;
}

/** The grid index of a per-point entry's `point`: the chunk whose first row has its fields. */
function gridIndexOf(point: unknown, chunks: ReadonlyArray<Row[] | undefined>): number {
  if (point === null || typeof point !== 'object') return Infinity;
  const fields = Object.entries(point as Record<string, unknown>);
  const at = chunks.findIndex(
    (rows) => rows !== undefined && rows.length > 0 && fields.every(([k, v]) => rows[0][k] === v),
  );
  return at < 0 ? Infinity : at;
}

function byGrid<T extends { point?: unknown }>(
  entries: T[],
  chunks: ReadonlyArray<Row[] | undefined>,
): T[] {
  return entries
    .map((e, i) => ({ e, i, g: gridIndexOf(e.point, chunks) }))
    .sort((a, b) => a.g - b.g || a.i - b.i)
    .map((x) => x.e);
}

/** Shard 0's provenance with the per-point fields of every shard combined (see the file comment). */
function combinedProvenance(
  list: ReadonlyArray<Record<string, unknown>>,
  chunks: ReadonlyArray<Row[] | undefined>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keyOrder(list)) {
    const present = list.filter((p) => p[k] !== undefined);
    if (k === 'warmup')
      out[k] = byGrid(
        present.flatMap((p) => p[k] as Array<{ point?: unknown }>),
        chunks,
      );
    else if (k === 'precision') {
      const all = present.map(
        (p) => p[k] as { reached: boolean; points: Array<{ point?: unknown }> },
      );
      out[k] = {
        ...all[0],
        reached: all.every((a) => a.reached),
        points: byGrid(
          all.flatMap((a) => a.points),
          chunks,
        ),
      };
    } else if (k === 'intervals') {
      const merged: Record<string, { kind: string; methods: string[] }> = {};
      for (const p of present) {
        for (const [metric, m] of Object.entries(
          p[k] as Record<string, { kind: string; methods: string[] }>,
        )) {
          const into = (merged[metric] ??= { kind: m.kind, methods: [] });
          for (const name of m.methods) if (!into.methods.includes(name)) into.methods.push(name);
        }
      }
      out[k] = merged;
    } else out[k] = present.length ? present[0][k] : undefined;
  }
  return out;
}
