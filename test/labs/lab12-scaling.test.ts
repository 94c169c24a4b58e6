/**
 * Lab 12's experiment: web-app-scaling has the issue's columns (step, usersAtTarget, p95, servers,
 * bottleneck) and the summary table's (cost, availability), the capacity grows step by step, the
 * bottleneck moves as the notebook says, no point is overloaded, and the work estimate bounds the
 * run (issue 23).
 */
import { webAppScaling } from '../../lib/labs/lab12';

test('web-app-scaling: the columns, the growing capacity and the moving bottleneck', async () => {
  const t = await webAppScaling.run(
    { steps: [1, 2, 3, 4, 5], duration: 5 },
    { seed: 3, replications: 2 },
  );
  const rows = t.objects() as Array<Record<string, any>>;
  for (const c of [
    'step',
    'usersAtTarget',
    'p95',
    'servers',
    'bottleneck',
    'cost',
    'availability',
    'p95_theory',
    'overloaded',
  ])
    expect(rows[0]).toHaveProperty(c);
  const users = rows.map((r) => r.usersAtTarget);
  for (let i = 1; i < users.length; i++) expect(users[i]).toBeGreaterThan(users[i - 1]);
  expect(rows.map((r) => r.bottleneck)).toEqual(['web', 'web', 'primary', 'replicas', 'web']);
  expect(rows.map((r) => r.overloaded)).toEqual([0, 0, 0, 0, 0]);
});

test('web-app-scaling: a work estimate per point, growing with the duration (WorkBudgetError before a too long run)', () => {
  const p = webAppScaling.resolve({});
  const points = webAppScaling.points(p);
  const est = (d: number) =>
    points.map(
      (pt: Record<string, string | number | boolean>) =>
        webAppScaling.workEstimate!(pt, { ...p, duration: d }) as {
          events: number;
          parameter: string;
        },
    );
  const short = est(40);
  const long = est(4000);
  for (let i = 0; i < points.length; i++) {
    expect(short[i].parameter).toBe('duration');
    expect(long[i].events).toBeGreaterThan(short[i].events);
  }
  // step 8 at the default duration: well under the default budget of 1e8 events
  expect(short[7].events).toBeLessThan(1e8);
  expect(short[7].events).toBeGreaterThan(1e5);
});
