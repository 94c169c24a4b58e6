/**
 * Failures and slow-downs through the shared FailureProcess, and Envoy's back-off: a replica's
 * scheduled slow-down multiplies its service times by slowdownFactor; a crash with onCrash 'fail'
 * fails calls at once (the balancer skips the replica), with 'keep' it hangs them until the
 * caller's timeout; the k-th retry waits U(0, (2^k − 1)·base_interval) capped at max_interval.
 */
import { Exponential } from '../../../lib/random/exponential';
import { RandomStreams } from '../../../lib/random';
import { simulateMicroservices } from '../../../lib/systems/microservices/system';
import { StepRuntime } from '../../../lib/systems/microservices/steps';
import { resolvePolicy } from '../../../lib/systems/microservices/resolve';
import { target } from '../../../lib/sim/target';

describe('microservices failures', () => {
  test('a slow-down multiplies service times by slowdownFactor while it lasts (M/M/∞-like leaf: mean ×10)', () => {
    const run = (slow: boolean) =>
      simulateMicroservices(
        {
          services: [
            {
              name: 'api',
              servers: 64,
              service: Exponential.withMean(0.01),
              slowdowns: slow ? { outages: [{ at: 0, duration: Infinity }] } : undefined,
              slowdownFactor: 10,
            },
          ],
          clients: { rate: 20 },
        },
        { seed: 1, duration: 200, warmup: 1 },
      );
    const fast = run(false);
    const slow = run(true);
    const n = slow.latency.count;
    expect(Math.abs(slow.latency.mean - 0.1)).toBeLessThan((3.3 * 0.1) / Math.sqrt(n));
    expect(Math.abs(fast.latency.mean - 0.01)).toBeLessThan(
      (3.3 * 0.01) / Math.sqrt(fast.latency.count),
    );
  });

  test("crash 'fail': calls fail at once while down; 'keep': they hang until the caller's timeout", () => {
    const run = (onCrash: 'fail' | 'keep') =>
      simulateMicroservices(
        {
          services: [
            {
              name: 'api',
              servers: 4,
              service: Exponential.withMean(0.01),
              onCrash: onCrash,
              failures: { outages: [{ at: 50, duration: 50 }] },
            },
          ],
          clients: { rate: 20, call: { timeout: 2 } },
        },
        { seed: 2, duration: 150, warmup: 0 },
      );
    const fail = run('fail');
    const keep = run('keep');
    expect(fail.errors / fail.requests).toBeGreaterThan(0.25); // a third of the window down
    expect(fail.timeouts).toBe(0);
    expect(fail.latencyAll.p50).toBeLessThan(0.1);
    expect(keep.timeouts / keep.requests).toBeGreaterThan(0.25);
    expect(keep.errors).toBe(0);
    expect(keep.services[0].availability).toBeCloseTo(100 / 150, 6);
    expect(fail.services[0].availability).toBeCloseTo(100 / 150, 6);
  });

  test('redundant replicas: a crashed replica is skipped by the balancer, so one of two down costs nothing', () => {
    const s = simulateMicroservices(
      {
        services: [
          {
            name: 'api',
            replicas: 2,
            servers: 4,
            service: Exponential.withMean(0.01),
            failures: undefined,
          },
        ],
        clients: { rate: 20 },
      },
      { seed: 3, duration: 100 },
    );
    expect(s.availability).toBe(1);
    const half = simulateMicroservices(
      {
        services: [
          {
            name: 'api',
            replicas: 2,
            servers: 4,
            service: Exponential.withMean(0.001),
            balance: 'roundrobin',
            failures: { mttf: 5, mttr: 5 },
          },
        ],
        clients: { rate: 20 },
      },
      { seed: 3, duration: 8000 },
    );
    // each replica up half the time: the service is down (both) a quarter of the time. One replica's
    // up-fraction over T has variance 2·u²·d² / ((u + d)³·T) (alternating renewal, exponential u, d);
    // the product of two independent halves has about 0.5·√2 times its standard deviation
    const sd = 0.5 * Math.SQRT2 * Math.sqrt((2 * 25 * 25) / (1000 * 8000));
    expect(Math.abs(1 - half.availability - 0.25)).toBeLessThan(3.3 * sd);
  });
});

describe("Envoy's jittered exponential back-off", () => {
  test('the k-th retry waits U(0, (2^k − 1)·base_interval), capped at max_interval', () => {
    const policy = resolvePolicy(
      {
        retry_policy: {
          num_retries: 5,
          retry_back_off: { base_interval: 0.025, max_interval: 0.25 },
        },
      },
      'p',
    );
    const streams = new RandomStreams(4);
    const step = new StepRuntime(
      0,
      { ...policy, targets: [0], need: 1, visits: 1, async: false, label: 'a → b' },
      target(() => undefined),
      streams.get('v'),
      streams.get('b'),
      'p',
    );
    for (const k of [1, 2, 3, 4, 5]) {
      const ceiling = Math.min((2 ** k - 1) * 0.025, 0.25);
      let sum = 0;
      let max = 0;
      const n = 20000;
      for (let i = 0; i < n; i++) {
        const d = step.backoff(k);
        sum += d;
        max = Math.max(max, d);
      }
      expect(max).toBeLessThanOrEqual(ceiling);
      // uniform on (0, ceiling): mean ceiling/2, standard error ceiling/sqrt(12 n)
      expect(Math.abs(sum / n - ceiling / 2)).toBeLessThan((3.3 * ceiling) / Math.sqrt(12 * n));
    }
    const naive = resolvePolicy(
      { retry_policy: { num_retries: 1, retry_back_off: { base_interval: 0 } } },
      'p',
    );
    expect(
      new StepRuntime(
        0,
        { ...naive, targets: [0], need: 1, visits: 1, async: false, label: '' },
        target(() => undefined),
        streams.get('v'),
        streams.get('b'),
        'p',
      ).backoff(3),
    ).toBe(0);
    expect(policy.num_retries).toBe(5);
    expect(resolvePolicy({ retry_policy: {} }, 'p')).toMatchObject({
      num_retries: 1,
      base_interval: 0.025,
      max_interval: 0.25,
    }); // Envoy's defaults
  });
});
