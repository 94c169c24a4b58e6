import { thinkTimeCapacity, tierSeparation } from '../../lib/labs/lab02-think-time';
import { checksFor, disagreements } from './agreement';

type Row = Record<string, unknown>;
const label = (r: Row) => `${r.config ?? `Z=${r.Z}`} N=${r.N}`;

describe('lab 02 experiments agree with exact MVA inside their confidence intervals', () => {
  it('think-time-capacity: X and R from MVA; the response-time law holds on the simulation; bounds hold', async () => {
    const t = await thinkTimeCapacity.run(
      { users: [5, 30, 60, 120], thinkTimes: [2, 5], completions: 10000 },
      { seed: 11, replications: 8 },
    );
    const rows = t.objects() as Row[];
    expect(
      disagreements([
        ...checksFor(rows, 'X', label),
        ...checksFor(rows, 'R', label),
        ...checksFor(rows, 'U', label),
      ]),
    ).toEqual([]);
    for (const r of rows) {
      // R = N/X - Z on the simulation: equal up to end effects of the finite run
      expect(Math.abs((r.R_law as number) - (r.R as number))).toBeLessThan(
        0.02 * (r.R as number) + 0.005,
      );
      expect(r.X as number).toBeLessThanOrEqual((r.X_bound as number) * 1.01);
      expect(r.R as number).toBeGreaterThanOrEqual((r.R_bound as number) * 0.97);
    }
    expect(rows.find((r) => r.Z === 5)!.Nstar).toBeCloseTo(51, 10);
  });

  it('tier-separation: separating the database moves the bottleneck; a second web host helps until the database saturates', async () => {
    const t = await tierSeparation.run({ users: [10, 150] }, { seed: 13, replications: 8 });
    const rows = t.objects() as Row[];
    expect(
      disagreements([...checksFor(rows, 'X', label), ...checksFor(rows, 'U_db', label)]),
    ).toEqual([]);
    const X = (config: string, N: number) =>
      rows.find((r) => r.config === config && r.N === N)!.X as number;
    // one host saturates at 1/(D_web + D_db) = 20/s; two tiers at 1/D_web = 33.3/s; two web hosts at 1/D_db = 50/s
    expect(X('web and database on one host', 150)).toBeCloseTo(20, 0);
    expect(X('database on its own host', 150)).toBeGreaterThan(30);
    expect(X('two web hosts, one database host', 150)).toBeGreaterThan(
      X('database on its own host', 150),
    );
  });
});

describe('warm-up check by MSER-5 (issue 17 point 4)', () => {
  it('reports the MSER-5 truncation per point in the provenance; R_law may be negative, R may not', async () => {
    const { thinkTimeCapacity: e } = await import('../../lib/labs/lab02-think-time');
    const r = await e.runWithProvenance(
      { users: [1, 150], thinkTimes: [2], completions: 1000 },
      { replications: 3 },
    );
    expect(r.provenance.warmup!.map((x) => x.method)).toEqual(['MSER-5', 'MSER-5']);
    expect(r.provenance.intervals!.R_law.kind).toBe('real');
    for (const row of r.rows) expect(row.R_lo as number).toBeGreaterThan(0);
  });
});
