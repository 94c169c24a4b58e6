/** `scalelab run NAME --shard I/N`, `--no-cache` and `scalelab merge`, through the command layer (lib/cli). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCommand } from '../../lib/cli/run';
import { mergeCommand } from '../../lib/cli/merge';
import type { CommandIO } from '../../lib/cli/io';

function capture(): { io: CommandIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s), progress: false }, out, err };
}

// the cache goes to the workspace: a scratch one for this file
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-shard-cli-'));
const before = process.env.SCALELAB_WORKSPACE;
beforeAll(() => {
  process.env.SCALELAB_WORKSPACE = workspace;
});
afterAll(() => {
  if (before === undefined) delete process.env.SCALELAB_WORKSPACE;
  else process.env.SCALELAB_WORKSPACE = before;
});

const small = [
  '--set',
  'utilisations=0.5,0.9',
  '--set',
  'models=M/M/1,M/D/1',
  '--set',
  'customers=1000',
  '--reps',
  '2',
  '--threads',
  '1',
  '--quiet',
];

describe('scalelab run --shard, scalelab merge', () => {
  it('2 shards (one by $SLURM_ARRAY_TASK_ID) merged: the CSV of the whole run, byte for byte', async () => {
    const shards = path.join(workspace, 'shards');
    const a = capture();
    expect(
      await runCommand(
        ['latency-vs-utilization', ...small, '--shard', '0/2', '--out', shards, '--no-cache'],
        a.io,
      ),
    ).toBe(0);
    expect(a.out.join('\n')).toMatch(
      /shard 0\/2: 2 of 4 points; scalelab merge .* joins the 2 shards/,
    );
    const env = process.env.SLURM_ARRAY_TASK_ID;
    process.env.SLURM_ARRAY_TASK_ID = '1';
    try {
      expect(
        await runCommand(
          ['latency-vs-utilization', ...small, '--shard', 'env/2', '--out', shards, '--no-cache'],
          capture().io,
        ),
      ).toBe(0);
    } finally {
      if (env === undefined) delete process.env.SLURM_ARRAY_TASK_ID;
      else process.env.SLURM_ARRAY_TASK_ID = env;
    }
    expect(
      fs
        .readdirSync(shards)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual([
      'latency-vs-utilization.shard-0-of-2.json',
      'latency-vs-utilization.shard-1-of-2.json',
    ]);
    const merged = path.join(workspace, 'merged');
    const m = capture();
    expect(await mergeCommand([shards, '--out', merged], m.io)).toBe(0);
    expect(m.out.join('\n')).toMatch(/merged 2 shards of latency-vs-utilization \(4 rows\)/);
    const whole = path.join(workspace, 'whole');
    expect(
      await runCommand(
        ['latency-vs-utilization', ...small, '--out', whole, '--no-cache'],
        capture().io,
      ),
    ).toBe(0);
    expect(fs.readFileSync(path.join(merged, 'latency-vs-utilization.csv'), 'utf8')).toBe(
      fs.readFileSync(path.join(whole, 'latency-vs-utilization.csv'), 'utf8'),
    );
    expect(fs.existsSync(path.join(merged, 'latency-vs-utilization.html'))).toBe(true);
    expect(fs.existsSync(path.join(workspace, 'data', 'cache'))).toBe(false); // --no-cache stored nothing
  });

  it('the cache: a rerun reads every replication back, the same CSV', async () => {
    const first = path.join(workspace, 'first');
    const again = path.join(workspace, 'again');
    expect(
      await runCommand(['latency-vs-utilization', ...small, '--out', first], capture().io),
    ).toBe(0);
    const r = capture();
    expect(await runCommand(['latency-vs-utilization', ...small, '--out', again], r.io)).toBe(0);
    expect(r.out.join('\n')).toMatch(/8 of 8 replications read back from the cache/);
    expect(fs.readFileSync(path.join(again, 'latency-vs-utilization.csv'), 'utf8')).toBe(
      fs.readFileSync(path.join(first, 'latency-vs-utilization.csv'), 'utf8'),
    );
  });

  it('bad usage exits 2 with one line naming it', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--all', '--shard', '0/2'], /--shard slices the grid of one experiment/],
      [
        ['latency-vs-utilization', '--shard', '2/2'],
        /shard = "2\/2" is out of range: has index 2, but indices of 2 shards run from 0 to 1/,
      ],
      [['latency-vs-utilization', '--shard', 'x'], /shard = "x" is out of range: must be i\/n/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await runCommand(argv, c.io)).toBe(2);
      expect(c.err.join('\n')).toMatch(message);
    }
    const none = capture();
    expect(await mergeCommand([], none.io)).toBe(2);
    const missing = capture();
    const one = path.join(workspace, 'one');
    expect(
      await runCommand(
        ['latency-vs-utilization', ...small, '--shard', '1/3', '--out', one],
        capture().io,
      ),
    ).toBe(0);
    expect(await mergeCommand([one], missing.io)).toBe(2);
    expect(missing.err.join('\n')).toMatch(
      /scalelab merge: latency-vs-utilization: missing shards 0, 2 of 3/,
    );
  });
});
