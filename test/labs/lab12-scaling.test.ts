/**
 * Lab 12's experiment: web-app-scaling has the issue's columns (step, usersAtTarget, p95, servers,
 * bottleneck), the capacity grows step by step, and the bottleneck moves as the notebook says.
 */
import { webAppScaling } from '../../lib/labs/lab12';

test('web-app-scaling: the columns, the growing capacity and the moving bottleneck', async () => {
  const t = await webAppScaling.run({ steps: [1, 2, 3, 4, 5], duration: 5 }, { seed: 3, replications: 2 });
  const rows = t.objects() as Array<Record<string, any>>;
  for (const c of ['step', 'usersAtTarget', 'p95', 'servers', 'bottleneck', 'p95_theory']) expect(rows[0]).toHaveProperty(c);
  const users = rows.map((r) => r.usersAtTarget);
  for (let i = 1; i < users.length; i++) expect(users[i]).toBeGreaterThan(users[i - 1]);
  expect(rows.map((r) => r.bottleneck)).toEqual(['web', 'web', 'primary', 'replicas', 'web']);
});
