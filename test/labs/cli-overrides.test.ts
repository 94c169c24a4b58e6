/** Every lab 01 and 02 experiment reruns from the command line with overrides (the built CLI). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const bin = path.resolve(__dirname, '..', '..', 'bin', 'scalelab.js');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-labs-'));

const overrides: Record<string, string[]> = {
  'latency-vs-utilization': ['utilisations=0.5,0.9', 'models=M/M/1,M/D/1', 'customers=2000'],
  'vertical-vs-horizontal': ['utilisations=0.5', 'servers=8', 'customers=2000'],
  'throughput-vs-cores': ['cores=2', 'loads=0.5,2', 'customers=2000'],
  'servers-for-target': ['arrivalRate=50', 'target=0.6', 'around=1', 'customers=2000'],
  'think-time-capacity': ['users=10,50', 'thinkTimes=3', 'completions=1000'],
  'tier-separation': ['users=20', 'configs=database on its own host', 'completions=1000'],
};

describe('lab 01 and 02 experiments from the command line', () => {
  it.each(Object.entries(overrides))(
    '%s runs with --set overrides, which the stored provenance records',
    (name, sets) => {
      const r = spawnSync(
        process.execPath,
        [
          bin,
          'run',
          name,
          ...sets.flatMap((s) => ['--set', s]),
          '--reps',
          '2',
          '--quiet',
          '--out',
          out,
        ],
        { encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const stored = JSON.parse(fs.readFileSync(path.join(out, `${name}.json`), 'utf8'));
      for (const s of sets) {
        const [key, value] = s.split('=');
        const recorded = stored.provenance.params[key];
        expect(Array.isArray(recorded) ? recorded.join(',') : String(recorded)).toBe(value);
      }
      expect(stored.rows.length).toBeGreaterThan(0);
    },
  );
});
