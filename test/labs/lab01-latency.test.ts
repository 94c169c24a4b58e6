import {
  latencyVsUtilization,
  serversForTarget,
  throughputVsCores,
  verticalVsHorizontal,
} from '../../lib/labs/lab01-latency';
import { customersAt } from '../../lib/labs/lab01/shared';
import { checksFor, disagreements, relativeHalfWidth } from './agreement';

type Row = Record<string, unknown>;
const label = (r: Row) =>
  Object.entries(r)
    .filter(([k]) => ['model', 'config', 'rho', 'cores', 'offered', 'servers'].includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

describe('lab 01 experiments agree with the closed forms inside their confidence intervals', () => {
  it('latency-vs-utilization: M/M/1, M/M/c, M/D/1 and M/G/1 means; M/M/1 and M/M/c p95 and p99', async () => {
    const t = await latencyVsUtilization.run(
      {
        utilisations: [0.3, 0.75],
        models: ['M/M/1', 'M/M/c', 'M/D/1', 'M/G/1 lognormal'],
        heavyScv: 2,
        customers: 20000,
      },
      { seed: 2024, replications: 10 },
    );
    const rows = t.objects() as Row[];
    expect(rows).toHaveLength(8);
    const checks = [
      ...checksFor(rows, 'W', label),
      ...checksFor(rows, 'p95', label, 0.01),
      ...checksFor(rows, 'p99', label, 0.01),
      ...checksFor(rows, 'U', label),
    ];
    expect(checks.length).toBe(8 + 4 + 4 + 8);
    expect(disagreements(checks)).toEqual([]);
    // the intervals are tight enough for the check to have power
    for (const r of rows)
      if (r.model !== 'M/G/1 lognormal') expect(relativeHalfWidth(r, 'W')).toBeLessThan(0.08);
    // Little's law on every point: L = lambda W, here through U = lambda x / c and X = lambda
    for (const r of rows)
      expect(
        Math.abs((r.X as number) - (r.X_theory as number)) / (r.X_theory as number),
      ).toBeLessThan(0.03);
  });

  it('vertical-vs-horizontal: the fast server, the pooled servers and the random split, and their ordering', async () => {
    const t = await verticalVsHorizontal.run(
      { utilisations: [0.2, 0.8], servers: 4, customers: 20000 },
      { seed: 7, replications: 8 },
    );
    const rows = t.objects() as Row[];
    expect(
      disagreements([...checksFor(rows, 'W', label), ...checksFor(rows, 'p95', label, 0.01)]),
    ).toEqual([]);
    const W = (config: string, rho: number) =>
      rows.find((r) => r.config === config && r.rho === rho)!.W as number;
    for (const rho of [0.2, 0.8]) {
      expect(W('one fast server', rho)).toBeLessThan(W('pooled servers', rho));
      expect(W('pooled servers', rho)).toBeLessThan(W('separate queues', rho));
    }
    // at low load the fast server is ~c times quicker than pooling; at high load the gap closes
    expect(W('pooled servers', 0.2) / W('one fast server', 0.2)).toBeGreaterThan(2.5);
    expect(W('pooled servers', 0.8) / W('one fast server', 0.8)).toBeLessThan(1.6);
  });

  it('throughput-vs-cores: X = lambda (1 - P_K), flat at n/x past saturation', async () => {
    const t = await throughputVsCores.run(
      { cores: [1, 4], loads: [0.5, 1.5], queueLimit: 16, customers: 20000 },
      { seed: 3, replications: 8 },
    );
    const rows = t.objects() as Row[];
    // a drop probability is checked where the run expects at least 10 drops (20000 requests);
    // below that the estimate is mostly 0 with a degenerate interval
    const dropChecks = checksFor(
      rows.filter((r) => (r.dropped_theory as number) * 20000 >= 10),
      'dropped',
      label,
    );
    expect(dropChecks.length).toBe(2);
    expect(disagreements([...checksFor(rows, 'X', label), ...dropChecks])).toEqual([]);
    for (const r of rows.filter((r) => (r.offered as number) > (r.capacity as number))) {
      expect(Math.abs((r.X as number) / (r.capacity as number) - 1)).toBeLessThan(0.05);
    }
  });

  it('servers-for-target: the model answer is the first c whose simulated p95 is under the target', async () => {
    const t = await serversForTarget.run(
      { arrivalRate: 35, serviceTime: 0.1, target: 0.4, around: 1, customers: 20000 },
      { seed: 5, replications: 10 },
    );
    const rows = t.objects() as Row[];
    const answer = rows[0].answer as number;
    expect(rows.map((r) => r.servers)).toEqual([answer - 1, answer, answer + 1]);
    expect(disagreements(checksFor(rows, 'pTarget', label, 0.01))).toEqual([]);
    const at = (c: number) => rows.find((r) => r.servers === c)!;
    expect(at(answer).pTarget_hi as number).toBeLessThan(0.4);
    expect(at(answer - 1).pTarget_lo as number).toBeGreaterThan(0.4);
  });

  it('refuses a target that no number of servers can meet, naming it', async () => {
    await expect(serversForTarget.run({ target: 0.25 })).rejects.toThrow(
      /^target = 0.25 is out of range: must be > 0.29957/,
    );
  });
});

describe('warm-up check by MSER-5 (issue 17 point 4)', () => {
  it('reports the MSER-5 truncation per point in the provenance, within the run, beside intervals that stay positive', async () => {
    const r = await latencyVsUtilization.runWithProvenance(
      { models: ['M/M/1'], utilisations: [0.5, 0.9], customers: 4000 },
      { replications: 3 },
    );
    const w = r.provenance.warmup!;
    expect(w.map((x) => x.point)).toEqual([
      { model: 'M/M/1', rho: 0.5 },
      { model: 'M/M/1', rho: 0.9 },
    ]);
    for (const x of w) {
      expect(x.method).toBe('MSER-5');
      expect(x.min).toBeGreaterThanOrEqual(0);
      // MSER-5 searches the first half of the series: the run is the warm-up (a tenth) plus the
      // requests measured, 4000 at ρ 0.5 and 4000 · (0.2/0.1)² = 16,000 at ρ 0.9 (customersAt)
      const measured = customersAt(4000, x.point.rho as number);
      expect(measured).toBe(x.point.rho === 0.9 ? 16000 : 4000);
      expect(x.max).toBeLessThanOrEqual(0.55 * 1.1 * measured + 50);
      expect(x.min).toBeLessThanOrEqual(x.median);
      expect(x.median).toBeLessThanOrEqual(x.max);
    }
    for (const row of r.rows) expect(row.p99_lo as number).toBeGreaterThan(0);
    expect(r.provenance.intervals!.p99.kind).toBe('quantile');
    expect(r.provenance.intervals!.overloaded.kind).toBe('proportion');
  });
});
