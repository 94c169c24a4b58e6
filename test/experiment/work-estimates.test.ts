/**
 * Issue 23, point 1, across the catalog: every simulated experiment estimates the events of each
 * point before it runs (lib/experiment/work.ts), the estimate is of the right order, and the
 * runaway inputs the fuzzer found are refused at once, naming the parameter, without simulating.
 */
import { WorkBudgetError } from '../../lib/errors';
import { DEFAULT_MAX_EVENTS, runExperiment, simulateTask } from '../../lib/experiment/run';
import type { Experiment } from '../../lib/experiment/experiment';
import { workOf } from '../../lib/experiment/work';
import { catalog, findExperiment } from '../../lib/labs/catalog';
import { Simulation } from '../../lib/sim/simulation';

/** The simulated experiments: the measured ones run real software in wall-clock time instead. */
const simulated = catalog.filter((e) => !(e as { requires?: unknown }).requires);

function estimateOf(
  e: Experiment,
  point: Record<string, unknown>,
  params: Record<string, unknown>,
): { events: number; parameter: string } {
  const w = e.workEstimate!(point as never, params as never);
  return typeof w === 'number' ? { events: w, parameter: 'parameters' } : w;
}

/** Events the kernel processes in `fn`, over every Simulation it runs. */
function countEvents(fn: () => void): number {
  const proto = Simulation.prototype as unknown as { run: (...a: unknown[]) => { events: number } };
  const original = proto.run;
  let events = 0;
  proto.run = function (this: unknown, ...a: unknown[]) {
    const r = original.apply(this, a);
    events += r.events;
    return r;
  };
  try {
    fn();
  } finally {
    proto.run = original;
  }
  return events;
}

describe('workOf', () => {
  test('sums the terms and names the largest', () => {
    expect(workOf({ 'rate × duration': 300, inter: 20 })).toEqual({
      events: 320,
      parameter: 'rate × duration',
    });
    expect(workOf({ a: 1, b: 5, c: 2 }).parameter).toBe('b');
  });
  test('a negative or NaN term makes the estimate non-finite, which the budget check refuses', () => {
    expect(Number.isNaN(workOf({ a: 1, b: -1 }).events)).toBe(true);
    expect(Number.isNaN(workOf({ a: NaN }).events)).toBe(true);
  });
});

describe('every simulated experiment estimates its work', () => {
  test.each(simulated.map((e) => [e.name, e] as const))(
    '%s: an estimate for every default point, finite and within the default budget',
    (_name, e) => {
      expect(typeof e.workEstimate).toBe('function');
      const params = e.resolve({});
      for (const point of e.points(params)) {
        const { events, parameter } = estimateOf(e, point, params);
        expect(Number.isFinite(events)).toBe(true);
        expect(events).toBeGreaterThan(0);
        expect(events).toBeLessThanOrEqual(DEFAULT_MAX_EVENTS);
        expect(parameter.length).toBeGreaterThan(0);
      }
    },
  );
});

describe('the estimates are of the right order', () => {
  // One replication of each experiment's first default point, events counted in the kernel.
  // What an estimate claims (lib/experiment/work.ts): an upper bound on the events a replication
  // processes, within a factor of 5, so the budget check never lets a run past the budget and
  // refuses only runs within 5 times of it. The test asserts exactly that: 1 ≤ estimate / counted
  // ≤ 5. Measured on 2026-12-02 (seed 12345): 1.003 (storm-word-count) to 4.21
  // (bottleneck-service); fanout-tail (0.80), rebalance-lag (0.88) and chain-availability (0.996)
  // were below 1 and got 3, 3 and 4 events per request instead of 2, 2 and 3. Runs under 10,000
  // events are too small to matter for the budget and are not compared (nor are the experiments
  // that compute without the kernel: key hashing and the cache replay).
  const rows: Array<[string, Experiment]> = simulated.map((e) => [e.name, e]);
  test.each(rows)('%s: 1 ≤ estimate / events counted ≤ 5', (_name, e) => {
    const params = e.resolve({});
    const points = e.points(params);
    for (const point of [points[0]]) {
      const events = countEvents(() =>
        simulateTask(e, { point, params, seed: 12345, maxEvents: DEFAULT_MAX_EVENTS }),
      );
      if (events < 10_000) continue;
      const ratio = estimateOf(e, point, params).events / events;
      expect(ratio).toBeGreaterThanOrEqual(1);
      expect(ratio).toBeLessThanOrEqual(5);
    }
  });
});

describe('runaway inputs are refused before anything runs', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['replication-lag', { writeRate: 1e6 }, /^writeRate × duration: replication-lag/],
    ['replication-lag', { burstRate: 1e6 }, /^burstRate × burstDuration: /],
    ['replication-write-latency', { writeRate: 1e6 }, /^writeRate × duration: /],
    ['replication-stale-reads', { duration: 1e6 }, /^readRate × duration: /],
    ['cache-response-time', { rate: 1e6 }, /^rate × duration: /],
    ['consumer-group-scaling', { produceRate: 1e6, measureS: 36000 }, /^produceRate × measureS: /],
    ['chain-availability', { duration: 1e7 }, /^rate × duration: /],
    ['storm-acking-failures', { rate: 1e5, measureS: 36000 }, /^rate × measureS: /],
  ];
  test.each(cases)('%s %j', async (name, overrides, message) => {
    const e = findExperiment(name);
    let simulated = 0;
    const spy = {
      ...e,
      simulate: (...a: Parameters<typeof e.simulate>) => (simulated++, e.simulate(...a)),
    } as Experiment;
    const refused = runExperiment(spy, overrides);
    await expect(refused).rejects.toThrow(WorkBudgetError);
    await expect(runExperiment(spy, overrides)).rejects.toThrow(message);
    expect(simulated).toBe(0);
  });
});
