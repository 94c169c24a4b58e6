// Lab 10's experiments against their oracles: word count exact under fields grouping
// (subsystems.md §5.5-5.6), the throughput bound min over components of executors × rate / tuples
// per spout tuple (§5.6), Little's X = s·M/L under max.spout.pending (models-for-new-labs.md).
import { labExperiments } from '../../lib/labs';
import { lab10Experiments, stormMaxSpoutPending, stormParallelism, stormWordCount } from '../../lib/labs/lab10';
import { checksFor, disagreements } from './agreement';

type Row = Record<string, number | string | null>;

describe('lab 10 experiments', () => {
  it('are in the catalog under their names', () => {
    const names = labExperiments.map((e) => e.name);
    for (const e of lab10Experiments) expect(names).toContain(e.name);
    expect(names).toEqual(expect.arrayContaining(['storm-word-count', 'storm-parallelism']));
  });

  it('storm-word-count: fields reports every word once with its exact count; shuffle over-reports', async () => {
    const t = await stormWordCount.run({ groupings: ['fields', 'shuffle'] }, { seed: 1, replications: 2 });
    const [fields, shuffle] = t.objects() as Row[];
    expect(fields.distinctWordsReported).toBe(fields.distinctWordsTrue);
    expect(fields.totalCount).toBe(fields.totalTrue);
    expect(fields.exactWords).toBe(1);
    expect(fields.maxTaskShare as number).toBeCloseTo(fields.maxTaskShare_theory as number, 12);
    expect(shuffle.totalCount).toBe(shuffle.totalTrue);
    expect(shuffle.distinctWordsReported as number).toBeGreaterThan(shuffle.distinctWordsTrue as number);
    expect(shuffle.exactWords as number).toBeLessThan(1);
    expect(stormWordCount.figures(t, stormWordCount.resolve({}))).toHaveLength(2);
  });

  it('storm-parallelism: throughput at the bound, below and above saturation', async () => {
    const t = await stormParallelism.run({ executors: [2, 12], warmupS: 1, measureS: 3 }, { seed: 2, replications: 3 });
    const rows = t.objects() as Row[];
    expect(disagreements(checksFor(rows, 'X', (r) => `p=${r.executors}`))).toEqual([]);
  });

  it("storm-max-spout-pending: Little's X = s·M/L; throughput never above the bottleneck", async () => {
    const t = await stormMaxSpoutPending.run({ pending: [2, 50], warmupS: 1, measureS: 3 }, { seed: 3, replications: 2 });
    for (const r of t.objects() as Row[]) {
      // X·L = s·M up to the trees straddling the window's ends: at most s·M/(X·T) relative
      const edge = (2 * (r.M as number)) / ((r.X as number) * 3);
      expect(Math.abs((r.littleX as number) - (r.X as number)) / (r.X as number)).toBeLessThan(2 * edge + 0.01);
      expect(r.X_hi as number).toBeGreaterThan(0);
    }
  });
});
