/**
 * Lab 05's experiments agree with their closed forms inside family-wise confidence intervals
 * (test/labs/agreement.ts): sessions logged out per crash against λ·(k·R + (k − 1)·Z)/n
 * (Little's law on the sessions; subsystems.md §7.7, models-for-new-labs.md), none with a shared
 * store or a token; the new servers' share after a sticky scale-out against the decay of the old
 * sessions; and the autoscaling experiment's shape.
 */
import { findExperiment } from '../../lib/labs/catalog';
import {
  autoscaling,
  lab05Experiments,
  sessionsServerLoss,
  statefulImbalance,
} from '../../lib/labs/lab05';
import { checksFor, disagreements } from './agreement';

type Row = Record<string, unknown>;
const label = (r: Row) =>
  Object.entries(r)
    .filter(([k]) => ['sessionStore', 'servers', 'tau'].includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

describe('lab 05 experiments', () => {
  it('are in the catalog under their names', () => {
    for (const e of lab05Experiments) expect(findExperiment(e.name)).toBe(e);
    expect(findExperiment('sessions-server-loss')).toBe(sessionsServerLoss);
    expect(findExperiment('autoscaling')).toBe(autoscaling);
  });

  it('sessions-server-loss: a crash logs out the active sessions / n with sticky in-memory sessions, none with a store or a token', async () => {
    const t = await sessionsServerLoss.run(
      { stores: ['sticky in-memory'], servers: [2, 8], crashes: 6 },
      { seed: 21, replications: 5 },
    );
    const rows = t.objects() as Row[];
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining(['sessionStore', 'servers', 'loggedOutPerCrash', 'p95']),
    );
    const sticky = rows.filter((r) => r.sessionStore === 'sticky in-memory');
    const checks = [
      ...checksFor(sticky, 'loggedOutPerCrash', label),
      ...checksFor(rows, 'activeSessions', label),
    ];
    expect(checks).toHaveLength(2 + 2);
    expect(disagreements(checks)).toEqual([]);
    const others = await sessionsServerLoss.run(
      { stores: ['shared store', 'signed token'], servers: [4], crashes: 2 },
      { seed: 21, replications: 2 },
    );
    for (const r of others.objects() as Row[]) expect(r.loggedOutPerCrash).toBe(0);
    // about 1/n: doubling the servers halves the loss
    const at = (n: number) => sticky.find((r) => r.servers === n)!.loggedOutPerCrash as number;
    expect(at(2) / at(8)).toBeGreaterThan(3);
  });

  it('stateful-imbalance: new servers fill as (1 − e^(−τ/kZ))/8 with sticky sessions, 1/8 at once without', async () => {
    const t = await statefulImbalance.run({ horizon: 200 }, { seed: 4, replications: 5 });
    const rows = (t.objects() as Row[]).filter((r) => (r.tau as number) >= 50);
    const checks = [...checksFor(rows, 'shareNew', label), ...checksFor(rows, 'shareOld', label)];
    expect(checks.length).toBe(2 * 2 * 8);
    expect(disagreements(checks)).toEqual([]);
  });

  it('autoscaling: time rows per autoscaler, target and delay; the late scaler violates the SLO longer', async () => {
    const t = await autoscaling.run(
      { kinds: ['hpa'], targets: [60], delays: [30, 180], flashFor: 300 },
      { seed: 2, replications: 2 },
    );
    const rows = t.objects() as Row[];
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining([
        'kind',
        'target',
        'delay',
        't',
        'replicas',
        'utilisation',
        'p95',
        'sloViolationMinutes',
        'instanceHours',
      ]),
    );
    const first = (k: string, d: number) => rows.find((r) => r.kind === k && r.delay === d)!;
    for (const k of ['hpa'])
      expect(first(k, 180).sloViolationMinutes as number).toBeGreaterThanOrEqual(
        first(k, 30).sloViolationMinutes as number,
      );
    // the flash crowd (×3 from 600 s for 300 s) needs ⌈3 × 2 × 10 × 0.1 / 0.6⌉ = 10 servers: every autoscaler gets there
    for (const k of ['hpa'])
      expect(
        Math.max(...rows.filter((r) => r.kind === k).map((r) => r.replicas as number)),
      ).toBeGreaterThanOrEqual(10);
    expect(
      autoscaling.figures(
        t,
        autoscaling.resolve({ kinds: ['hpa'], targets: [60], delays: [30, 180], flashFor: 300 }),
      ),
    ).toHaveLength(4);
  });
});

describe('lab 05 failover-capacity', () => {
  it('n small servers: some capacity 1 − (1 − a)^n, mean capacity a, full capacity a^n; the big pair serves all or nothing', async () => {
    const { failoverCapacity } = await import('../../lib/labs/lab05');
    const t = await failoverCapacity.run(
      { servers: [2, 4], duration: 6000 },
      { seed: 8, replications: 4 },
    );
    const rows = t.objects() as Row[];
    const small = rows.filter((r) => r.layout === 'n small');
    const checks = ['availability', 'meanCapacity', 'fullCapacity'].flatMap((y) =>
      checksFor(small, y, label),
    );
    expect(checks).toHaveLength(6);
    expect(disagreements(checks)).toEqual([]);
    for (const r of rows.filter((x) => x.layout !== 'n small'))
      expect(r.meanCapacity).toBeCloseTo(r.availability as number, 12);
  });
});
