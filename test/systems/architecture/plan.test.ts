/**
 * The planner: its answer is feasible (analytically, and by simulation: the simulated p95's mean
 * under the target, since the p95 approximation errs high on these steps, see evaluation.test.ts;
 * for open load the p99 too), and no cheaper configuration exists in a brute-force search of a
 * small space (web servers, replicas, the balancer pair, and the cache's size in servers).
 *
 * Single failures, simulated against the analytic failed share: a balancer without its pair
 * refuses every request that is not a CDN hit, so the failed share is 1 − p_cdn exactly (each
 * request's class is drawn independently); the simulated share must lie within 4 binomial standard
 * errors of it. A web server of n is refused for the health check's 6 s: at least (1 − p_cdn)/n ·
 * 6/T fail (the requests inside it at the crash fail too).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  bruteForcePlan,
  planArchitecture,
  withConfig,
} from '../../../lib/systems/architecture/plan';
import { failureEffects } from '../../../lib/systems/architecture/plan-failures';
import { evaluateClosedWith } from '../../../lib/systems/architecture/analytic';
import { layoutOf } from '../../../lib/systems/architecture/layout';
import { parseArchitecture } from '../../../lib/systems/architecture/validate';
import { architecturesDir, scalingSteps } from '../../../lib/labs/lab12/steps';

function plan6p95(b: ReturnType<typeof withConfig>): number {
  return evaluateClosedWith(b, 600, 4).p95;
}

const small = { maxWebServers: 12, maxReplicas: 3, maxCacheServers: 3 };

describe('planArchitecture', () => {
  test.each([3, 5, 8])(
    'step %i: the plan is the brute-force optimum and feasible by simulation',
    (step) => {
      const a = scalingSteps()[step - 1];
      const users = step === 8 ? 2000 : 800;
      const plan = planArchitecture(a, {
        users: users,
        replications: 2,
        simulateFailures: false,
        ...small,
      });
      const brute = bruteForcePlan(a, { users: users, ...small });
      expect(plan.best).not.toBeNull();
      expect(brute.best).not.toBeNull();
      expect(plan.best!.cost).toBe(brute.best!.cost);
      expect(plan.best!.servers).toBe(brute.best!.servers);
      expect(plan.best!.feasible).toBe(true);
      expect(plan.evaluated).toBeLessThan(brute.evaluated);
      expect(plan.simulated!.p95).toBeLessThanOrEqual(a.target.p95);
      expect(plan.simulated!.overloaded).toEqual([]);
      expect(plan.failures.length).toBeGreaterThan(0);
    },
  );

  test('the cache size is a knob: a cheaper plan with a bigger cache than with more replicas', () => {
    const a = scalingSteps()[4];
    a.cache!.capacity = 2000;
    a.cache!.serverCapacity = 2000;
    a.database.readServiceTime = 0.1; // slow reads: the replicas are dear, hits save them
    const plan = planArchitecture(a, {
      users: 1200,
      replications: 0,
      maxWebServers: 20,
      maxReplicas: 3,
      maxCacheServers: 5,
    });
    const brute = bruteForcePlan(a, {
      users: 1200,
      maxWebServers: 20,
      maxReplicas: 3,
      maxCacheServers: 5,
    });
    expect(plan.best!.cost).toBe(brute.best!.cost);
    expect(plan.best!.cacheServers).toBeGreaterThan(1);
    // with the one cache server of the file the cheapest plan costs more
    const one = bruteForcePlan(a, {
      users: 1200,
      maxWebServers: 20,
      maxReplicas: 3,
      maxCacheServers: 1,
    });
    expect(one.best === null || one.best.cost > plan.best!.cost).toBe(true);
  });

  test('open load (open-load-api, requests/s at a p99): the brute-force optimum, feasible by simulation', () => {
    const a = parseArchitecture(
      fs.readFileSync(path.join(architecturesDir, 'open-load-api.json'), 'utf8'),
    );
    const space = { maxWebServers: 32, maxReplicas: 2, maxCacheServers: 3 };
    const plan = planArchitecture(a, {
      replications: 2,
      duration: 15,
      simulateFailures: false,
      ...space,
    });
    const brute = bruteForcePlan(a, space);
    expect(plan.loadKind).toBe('requests/s');
    expect(plan.best!.cost).toBe(brute.best!.cost);
    expect(plan.best!.servers).toBe(brute.best!.servers);
    expect(plan.simulated!.p99).toBeLessThanOrEqual(a.target.p99 as number);
    expect(plan.simulated!.p95).toBeLessThanOrEqual(a.target.p95);
  });

  test('a single host cannot reach 0.999: infeasible, with the reason', () => {
    const plan = planArchitecture(scalingSteps()[0], { users: 50, replications: 0 });
    expect(plan.feasible).toBe(false);
    expect(plan.reason).toMatch(/availability/);
  });
});

describe('single failures: analytic beside simulated', () => {
  test('step 6: the balancer without its pair fails 1 − p_cdn of the requests; a web server of 4 at least its share over the health check', () => {
    const b = withConfig(scalingSteps()[5], {
      webServers: 4,
      replicas: 1,
      pair: false,
      cacheServers: 1,
    });
    const window = 20;
    const effects = failureEffects(b, {
      load: 600,
      open: false,
      webServers: 4,
      window: window,
      warmup: 10,
      seed: 5,
    });
    const cdn = layoutOf(b, 4).classes.find((c) => c.cls === 'static-cdn')!.p;
    const lb = effects.find((f) => f.component === 'balancer')!;
    expect(lb.failedShare).toBeCloseTo(1 - cdn, 12);
    const requests = (600 / 7.1) * window; // users / (think + response) requests in the window, about
    const se = Math.sqrt((lb.failedShare * (1 - lb.failedShare)) / requests);
    expect(Math.abs(lb.simulated!.failedShare - lb.failedShare)).toBeLessThan(4 * se);
    const web = effects.find((f) => f.component === 'web server')!;
    expect(web.simulated!.failedShare).toBeGreaterThan(
      web.failedShare - 4 * Math.sqrt(web.failedShare / requests),
    );
    const cache = effects.find((f) => f.component === 'cache')!;
    expect(cache.simulated!.failedShare).toBe(0);
    // without the cache every read goes to the replica: the analytic p95 is worse than with it
    expect(cache.p95).toBeGreaterThan(plan6p95(b));
  });
});
