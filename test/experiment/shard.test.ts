import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defineExperiment } from '../../lib/experiment/experiment';
import { checkShard, parseShard, shardPointIndices, shardStem } from '../../lib/experiment/shard';
import { MergeError, findShardFiles, mergeShards } from '../../lib/experiment/merge';
import { writeResult } from '../../lib/experiment/results';
import { ParameterError } from '../../lib/errors';
import { figure, line } from '../../lib/plot/builders';
import { RandomStreams } from '../../lib/random/streams';

// A sweep with a known shape: 7 points (sizes × kind), one of which returns a short time series
// (several rows per point), metrics averaged over replications with intervals and a theory column.
const sweep = defineExperiment({
  name: 'toy-shard-sweep',
  title: 'Toy sweep',
  description: 'Means of exponential draws; the series kind returns three rows per point.',
  params: {
    sizes: {
      type: 'numbers',
      default: [10, 20, 40],
      min: 1,
      integer: true,
      doc: 'draws per replication',
    },
    kinds: {
      type: 'choices',
      default: ['plain', 'series'],
      choices: ['plain', 'series'],
      doc: 'one row or a time series',
    },
    scale: { type: 'number', default: 1, min: 0, minOpen: true, doc: 'mean of a draw' },
  },
  replications: 4,
  metrics: ['mean', 'max'],
  points: (p) => [
    ...p.sizes.flatMap((n) => p.kinds.map((kind) => ({ n: n, kind: kind }))),
    { n: 5, kind: 'plain' },
  ],
  simulate: (point, p, seed) => {
    const rng = new RandomStreams(seed).get('draws');
    const n = point.n as number;
    const draw = () => -Math.log(1 - rng.next()) * p.scale;
    const one = () => {
      let total = 0;
      let max = 0;
      for (let i = 0; i < n; i++) {
        const x = draw();
        total += x;
        max = Math.max(max, x);
      }
      return { mean: total / n, max: max };
    };
    return point.kind === 'series' ? [0, 1, 2].map((t) => ({ t: t, ...one() })) : one();
  },
  theory: (point, p) => (point.kind === 'plain' ? { mean_theory: p.scale } : null),
  figures: (t) => [figure([line(t.array('n') as number[], t.array('mean') as number[])])],
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-shard-'));

/** Runs the sweep as `count` shards into one folder; returns the folder. */
async function runShards(
  count: number,
  overrides: Record<string, unknown> = {},
  seed = 3,
  dir = tmp(),
): Promise<string> {
  for (let i = 0; i < count; i++) {
    const r = await sweep.runWithProvenance(overrides, {
      seed: seed,
      shard: { index: i, count: count },
    });
    writeResult(sweep as never, r, dir, shardStem(sweep.name, { index: i, count: count }));
  }
  return dir;
}

describe('--shard i/n', () => {
  it('parses i/n and env/n (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID), 0-based', () => {
    expect(parseShard('2/5', {})).toEqual({ index: 2, count: 5 });
    expect(parseShard('env/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(parseShard('env/4', { SLURM_ARRAY_TASK_ID: '0' })).toEqual({ index: 0, count: 4 });
    expect(parseShard('env/4', { JOB_COMPLETION_INDEX: '1', SLURM_ARRAY_TASK_ID: '1' })).toEqual({
      index: 1,
      count: 4,
    });
  });

  it('refuses bad shards, naming the value and the valid range', () => {
    for (const bad of ['3', '5/5', '-1/4', '1/0', 'a/3', '1.5/4', '1/', '/3']) {
      expect(() => parseShard(bad, {})).toThrow(ParameterError);
    }
    expect(() => parseShard('5/5', {})).toThrow(/shard = "5\/5".*0 to 4/);
    expect(() => parseShard('env/3', {})).toThrow(
      /JOB_COMPLETION_INDEX or \$SLURM_ARRAY_TASK_ID.*neither is set/,
    );
    expect(() =>
      parseShard('env/3', { JOB_COMPLETION_INDEX: '1', SLURM_ARRAY_TASK_ID: '2' }),
    ).toThrow(/differ/);
    expect(() => parseShard('env/3', { JOB_COMPLETION_INDEX: '7' })).toThrow(/index 7/);
    expect(() => checkShard({ index: 3, count: 3 })).toThrow(/shard.index = 3/);
  });

  it('slices points round robin, every point in exactly one shard', () => {
    expect(shardPointIndices(7, { index: 0, count: 3 })).toEqual([0, 3, 6]);
    expect(shardPointIndices(7, { index: 2, count: 3 })).toEqual([2, 5]);
    expect(shardPointIndices(2, { index: 2, count: 3 })).toEqual([]);
    const all = [0, 1, 2, 3]
      .flatMap((i) => shardPointIndices(10, { index: i, count: 4 }))
      .sort((a, b) => a - b);
    expect(all).toEqual([...Array(10).keys()]);
    expect(shardStem('x', { index: 3, count: 12 })).toBe('x.shard-03-of-12');
  });

  it('a shard computes its slice only, the same numbers as the whole run, with the shard in its provenance', async () => {
    const whole = await sweep.runWithProvenance({}, { seed: 3 });
    const part = await sweep.runWithProvenance({}, { seed: 3, shard: { index: 1, count: 3 } });
    const shard = part.provenance.shard!;
    expect(shard).toMatchObject({
      index: 1,
      count: 3,
      pointCount: 7,
      points: [1, 4],
      rowCounts: [3, 1],
    });
    // points 1 (n 10, series: rows 1-3) and 4 (n 40, plain: row 8, after two series) of the whole run
    expect(part.rows).toEqual([...whole.rows.slice(1, 4), whole.rows[8]]);
  });
});

describe('scalelab merge', () => {
  it('3 shards merged give the whole run: identical CSV rows; JSON identical but date, elapsedSeconds, threads, merged', async () => {
    const wholeDir = tmp();
    const whole = await sweep.runWithProvenance({}, { seed: 3 });
    const files = writeResult(sweep as never, whole, wholeDir);
    const shardDir = await runShards(3);
    const merged = mergeShards(findShardFiles([shardDir]));
    const out = tmp();
    const mergedFiles = writeResult(sweep as never, merged, out);
    expect(fs.readFileSync(mergedFiles.csv, 'utf8')).toBe(fs.readFileSync(files.csv, 'utf8'));
    const a = JSON.parse(fs.readFileSync(files.json, 'utf8'));
    const b = JSON.parse(fs.readFileSync(mergedFiles.json, 'utf8'));
    expect(b.provenance.merged).toMatchObject({ shards: 3 });
    expect(b.provenance.merged.elapsedSeconds).toHaveLength(3);
    for (const k of ['date', 'elapsedSeconds', 'threads', 'merged']) {
      delete a.provenance[k];
      delete b.provenance[k];
    }
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a)); // the same key order too
  });

  it('merges shards whatever their order on the command line, and more shards than points', async () => {
    const dir = await runShards(9); // 7 points: shards 7 and 8 are empty
    const files = findShardFiles([dir]).reverse();
    const merged = mergeShards(files);
    const whole = await sweep.runWithProvenance({}, { seed: 3 });
    expect(merged.table.toCSV()).toBe(whole.table.toCSV());
  });

  it('refuses a missing or duplicated shard, naming it', async () => {
    const dir = await runShards(3);
    const files = findShardFiles([dir]);
    expect(() => mergeShards(files.filter((f) => !f.includes('shard-1-of-3')))).toThrow(
      /missing shard 1 of 3.*--shard 1\/3/,
    );
    const copy = tmp();
    const dup = path.join(copy, 'again.shard-2-of-3.json');
    fs.copyFileSync(
      files.find((f) => f.includes('shard-2-of-3'))!,
      dup,
    );
    expect(() => mergeShards([...files, dup])).toThrow(
      /shard 2\/3 given twice: .*toy-shard-sweep.shard-2-of-3.json and .*again.shard-2-of-3.json/,
    );
  });

  it('refuses shards of different seeds, parameters, versions, shard counts, experiments, naming what differs', async () => {
    const base = findShardFiles([await runShards(2)]);
    const other = (dir: string) => findShardFiles([dir]);
    const seed = other(await runShards(2, {}, 4));
    expect(() => mergeShards([base[0], seed[1]])).toThrow(MergeError);
    expect(() => mergeShards([base[0], seed[1]])).toThrow(/differ in seed: .* has 3, .* has 4/);
    const params = other(await runShards(2, { scale: 2 }));
    expect(() => mergeShards([base[0], params[1]])).toThrow(
      /differ in params: .*"scale":1.*"scale":2/,
    );
    const grid = other(await runShards(2, { sizes: [10, 20, 80] }));
    expect(() => mergeShards([base[0], grid[1]])).toThrow(/differ in params/);
    const three = other(await runShards(3));
    expect(() => mergeShards([base[0], three[1], three[2]])).toThrow(
      /differ in the shard count: .* has 2, .* has 3/,
    );
    // a shard edited to claim another version, and one of another experiment
    const dir = tmp();
    const edited = JSON.parse(fs.readFileSync(base[1], 'utf8'));
    edited.provenance.scalelabVersion = '9.9.9';
    fs.writeFileSync(path.join(dir, 'v.shard-1-of-2.json'), JSON.stringify(edited));
    expect(() => mergeShards([base[0], path.join(dir, 'v.shard-1-of-2.json')])).toThrow(
      /differ in scalelabVersion: .*"9.9.9"/,
    );
    edited.provenance.scalelabVersion = JSON.parse(
      fs.readFileSync(base[1], 'utf8'),
    ).provenance.scalelabVersion;
    edited.provenance.experiment = 'another-experiment';
    fs.writeFileSync(path.join(dir, 'e.shard-1-of-2.json'), JSON.stringify(edited));
    expect(() => mergeShards([base[0], path.join(dir, 'e.shard-1-of-2.json')])).toThrow(
      /different experiments: .* is "toy-shard-sweep", .* is "another-experiment"/,
    );
  });

  it('refuses a whole result, a cut file, an empty list, naming the file', async () => {
    const dir = tmp();
    const whole = await sweep.runWithProvenance({}, { seed: 3 });
    const files = writeResult(sweep as never, whole, dir);
    expect(() => mergeShards([files.json])).toThrow(/not a shard result/);
    const shard = findShardFiles([await runShards(2)]);
    const cut = path.join(dir, 'cut.shard-0-of-2.json');
    fs.writeFileSync(cut, fs.readFileSync(shard[0], 'utf8').slice(0, 200));
    expect(() => mergeShards([cut, shard[1]])).toThrow(/cut.shard-0-of-2.json: not valid JSON/);
    const rowsGone = JSON.parse(fs.readFileSync(shard[0], 'utf8'));
    rowsGone.rows.pop();
    fs.writeFileSync(cut, JSON.stringify(rowsGone));
    expect(() => mergeShards([cut, shard[1]])).toThrow(/does not match its rows/);
    expect(() => mergeShards([])).toThrow(/no shard results found/);
    expect(() => findShardFiles([path.join(dir, 'nothing-here')])).toThrow(
      /no such file or folder/,
    );
  });
});
