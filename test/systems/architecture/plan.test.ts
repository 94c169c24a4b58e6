/**
 * The planner: its answer is feasible (analytically, and by simulation: the simulated p95's mean
 * under the target, since the p95 approximation errs high on these steps, see evaluation.test.ts),
 * and no cheaper configuration exists in a brute-force search of a small space. `scalelab plan`
 * names a bad field by its JSON path, and prints JSON with --json.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bruteForcePlan, planArchitecture } from '../../../lib/systems/architecture/plan';
import { planCommand } from '../../../lib/systems/architecture/cli';
import { architecturesDir, scalingSteps } from '../../../lib/labs/lab12/steps';

const small = { maxWebServers: 12, maxReplicas: 3 };

describe('planArchitecture', () => {
  test.each([3, 5, 8])('step %i: the plan is the brute-force optimum and feasible by simulation', (step) => {
    const a = scalingSteps()[step - 1];
    const users = step === 8 ? 2000 : 800;
    const plan = planArchitecture(a, { users: users, replications: 3, ...small });
    const brute = bruteForcePlan(a, { users: users, ...small });
    expect(plan.best).not.toBeNull();
    expect(brute.best).not.toBeNull();
    expect(plan.best!.cost).toBe(brute.best!.cost);
    expect(plan.best!.servers).toBe(brute.best!.servers);
    expect(plan.best!.feasible).toBe(true);
    expect(plan.evaluated).toBeLessThan(brute.evaluated);
    expect(plan.simulated!.p95).toBeLessThanOrEqual(a.target.p95);
    expect(plan.failures.length).toBeGreaterThan(0);
  });

  test('a single host cannot reach 0.999: infeasible, with the reason', () => {
    const plan = planArchitecture(scalingSteps()[0], { users: 50, replications: 0 });
    expect(plan.feasible).toBe(false);
    expect(plan.reason).toMatch(/availability/);
  });
});

describe('scalelab plan', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
  };

  test('--json prints the plan', async () => {
    const c = io();
    const code = await planCommand([path.join(architecturesDir, '04-read-replicas.json'), '--users', '500', '--replications', '0', '--json'], c.io);
    expect(code).toBe(0);
    const plan = JSON.parse(c.out.join('\n'));
    expect(plan.name).toBe('read-replicas');
    expect(plan.best.feasible).toBe(true);
  });

  test('a bad file names the field', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plan-')), 'bad.json');
    const a = JSON.parse(fs.readFileSync(path.join(architecturesDir, '03-load-balancer.json'), 'utf8'));
    a.database.replcas = 2;
    fs.writeFileSync(file, JSON.stringify(a));
    const c = io();
    expect(await planCommand([file], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/database\.replcas = 2 is out of range: is not a known key; did you mean "replicas"\?/);
  });
});
