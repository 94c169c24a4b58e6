import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defineExperiment } from '../../lib/experiment/experiment';
import { ResultCache, cacheKey, codeHash } from '../../lib/experiment/cache';
import { writeResult } from '../../lib/experiment/results';
import { figure, line } from '../../lib/plot/builders';
import { RandomStreams } from '../../lib/random/streams';

let simulated = 0;
const sweep = defineExperiment({
  name: 'toy-cache-sweep',
  title: 'Toy cached sweep',
  description: 'Means of exponential draws, with values JSON cannot hold (NaN, Infinity, -0).',
  params: {
    sizes: {
      type: 'numbers',
      default: [10, 20, 40],
      min: 1,
      integer: true,
      doc: 'draws per replication',
    },
    scale: { type: 'number', default: 1, min: 0, minOpen: true, doc: 'mean of a draw' },
  },
  replications: 3,
  metrics: ['mean', 'odd'],
  points: (p) => p.sizes.map((n) => ({ n: n })),
  simulate: (point, p, seed) => {
    simulated++;
    const rng = new RandomStreams(seed).get('draws');
    let total = 0;
    for (let i = 0; i < (point.n as number); i++) total += -Math.log(1 - rng.next()) * p.scale;
    return {
      mean: total / (point.n as number),
      odd: point.n === 10 ? -0 : point.n === 20 ? Infinity : NaN,
      note: 'x',
    };
  },
  figures: (t) => [figure([line(t.array('n') as number[], t.array('mean') as number[])])],
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-cache-'));

describe('the result cache', () => {
  beforeEach(() => {
    simulated = 0;
  });

  it('a rerun of unchanged points reads every task back; results byte-identical to an uncached run', async () => {
    const dir = tmp();
    const plain = await sweep.runWithProvenance({}, { seed: 5 });
    expect(simulated).toBe(9);
    const first = new ResultCache(dir);
    const filled = await sweep.runWithProvenance({}, { seed: 5, cache: first });
    expect(first.stats).toEqual({ hits: 0, misses: 9, corrupt: [] });
    const again = new ResultCache(dir);
    simulated = 0;
    const cached = await sweep.runWithProvenance({}, { seed: 5, cache: again });
    expect(simulated).toBe(0);
    expect(again.stats).toEqual({ hits: 9, misses: 0, corrupt: [] });
    const csv = (r: typeof plain) => writeResult(sweep as never, r, tmp());
    const [a, b, c] = [plain, filled, cached].map(csv);
    expect(fs.readFileSync(b.csv, 'utf8')).toBe(fs.readFileSync(a.csv, 'utf8'));
    expect(fs.readFileSync(c.csv, 'utf8')).toBe(fs.readFileSync(a.csv, 'utf8'));
    const rows = (f: string) => JSON.stringify(JSON.parse(fs.readFileSync(f, 'utf8')).rows);
    expect(rows(c.json)).toBe(rows(a.json));
  });

  it('changes of parameters, seed, replications or work budget compute the points they change', async () => {
    const dir = tmp();
    await sweep.run({}, { seed: 5, cache: dir });
    simulated = 0;
    await sweep.run({ sizes: [10, 20, 40, 80] }, { seed: 5, cache: dir }); // a new params list: new keys
    expect(simulated).toBe(12);
    simulated = 0;
    await sweep.run({}, { seed: 6, cache: dir });
    expect(simulated).toBe(9);
    simulated = 0;
    await sweep.run({}, { seed: 5, replications: 5, cache: dir }); // replications 0-2 are cached
    expect(simulated).toBe(6);
    simulated = 0;
    await sweep.run({}, { seed: 5, maxEvents: 1000, cache: dir });
    expect(simulated).toBe(9);
  });

  it('the key holds the version, the Node version and a hash of the code', () => {
    const k = cacheKey({ experiment: 'e', params: { a: 1 }, point: { n: 1 }, seed: 7 }, 100);
    expect(k).toMatchObject({ experiment: 'e', seed: 7, maxEvents: 100, node: process.version });
    expect(k.code).toMatch(/^[0-9a-f]{64}$/);
    expect(k.code).toBe(codeHash());
    const cache = new ResultCache(tmp());
    expect(cache.file(k)).not.toBe(cache.file({ ...k, code: '0'.repeat(64) }));
    expect(cache.file(k)).not.toBe(cache.file({ ...k, scalelabVersion: '0.0.0' }));
    expect(cache.file(k)).toBe(cache.file({ ...k, params: { a: 1 } })); // by content
  });

  it('ignores a corrupt entry (named in a warning), recomputes and rewrites it', async () => {
    const dir = tmp();
    await sweep.run({}, { seed: 5, cache: dir });
    const entries = fs
      .readdirSync(path.join(dir, 'toy-cache-sweep'))
      .map((f) => path.join(dir, 'toy-cache-sweep', f));
    expect(entries).toHaveLength(9);
    fs.writeFileSync(entries[0], '{"key": {"experim'); // cut
    const moved = JSON.parse(fs.readFileSync(entries[1], 'utf8'));
    moved.key.seed += 1; // another task's entry under this name
    fs.writeFileSync(entries[1], JSON.stringify(moved));
    const warnings: string[] = [];
    const cache = new ResultCache(dir, (m) => warnings.push(m));
    simulated = 0;
    const table = await sweep.run({}, { seed: 5, cache: cache });
    expect(simulated).toBe(2);
    expect(cache.stats.corrupt.sort()).toEqual([entries[0], entries[1]].sort());
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toContain(`ignored ${entries[0]}: not valid JSON`);
    expect(warnings.join('\n')).toContain(`ignored ${entries[1]}: holds another key`);
    expect(table.toCSV()).toBe((await sweep.run({}, { seed: 5 })).toCSV());
    const healed = new ResultCache(dir);
    await sweep.run({}, { seed: 5, cache: healed });
    expect(healed.stats).toEqual({ hits: 9, misses: 0, corrupt: [] });
  });

  it('writes go to a temporary name renamed into place: no temporary left, the last write wins', async () => {
    const dir = tmp();
    const a = new ResultCache(dir);
    const b = new ResultCache(dir);
    const key = cacheKey(
      { experiment: 'toy-cache-sweep', params: {}, point: { n: 1 }, seed: 1 },
      10,
    );
    for (let i = 0; i < 20; i++) {
      a.put(key, [{ x: i }]);
      b.put(key, [{ x: i }]);
    }
    expect(fs.readdirSync(path.dirname(a.file(key)))).toEqual([path.basename(a.file(key))]); // no temporary left
    expect(new ResultCache(dir).get(key)).toEqual([{ x: 19 }]);
    // values JSON cannot hold come back as they were
    a.put(key, [{ z: -0, n: NaN, i: Infinity, m: -Infinity, s: 'NaN?' }]);
    const back = new ResultCache(dir).get(key)!;
    expect(Object.is(back[0].z, -0)).toBe(true);
    expect(back[0]).toEqual({ z: -0, n: NaN, i: Infinity, m: -Infinity, s: 'NaN?' });
  });

  it('a folder it cannot write is warned about once, and the run goes on', async () => {
    const file = path.join(tmp(), 'not-a-folder');
    fs.writeFileSync(file, '');
    const warnings: string[] = [];
    const cache = new ResultCache(file, (m) => warnings.push(m));
    const table = await sweep.run({}, { seed: 5, cache: cache });
    expect(table.numRows()).toBe(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot write .*results are not cached/);
  });
});
