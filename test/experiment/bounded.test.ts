/** Issue 23 in the experiment framework: the work budget (point 1), errors across threads (6), input gaps (7). */
import {
  ParameterError,
  StalledTimeError,
  UnstableSystemError,
  WorkBudgetError,
  deserializeError,
  formatValue,
  serializeError,
} from '../../lib/errors';
import { defineExperiment } from '../../lib/experiment/experiment';
import { parseValue } from '../../lib/experiment/params';
import { theoryVsSimulation } from '../../lib/experiment/figures';
import { runExperiment, tableFromRows } from '../../lib/experiment/run';
import { simulateOpenQueue } from '../../lib/labs/scenarios';
import { Exponential } from '../../lib/random';
import { Simulation, Sink, Source, Station } from '../../lib/sim';

const spinner = defineExperiment({
  name: 'budget-probe',
  title: 'probe',
  description: 'an M/M/1 queue run for `duration`',
  params: {
    rate: { type: 'number', default: 1, min: 0, minOpen: true, max: 1e12, doc: 'arrival rate' },
    duration: { type: 'number', default: 100, min: 1, max: 1e12, doc: 'run length' },
  },
  replications: 1,
  metrics: ['n'],
  points: () => [{ k: 1 }],
  workEstimate: (_pt, p) => ({
    events: 2 * p.rate * p.duration,
    parameter: p.rate * p.duration > 1e6 ? 'rate' : 'duration',
  }),
  simulate: (_pt, p, seed) => {
    const sim = new Simulation({ seed });
    const st = new Station(sim, {
      name: 'q',
      service: new Exponential(2 * p.rate),
      to: new Sink(sim, { name: 'out' }),
    });
    new Source(sim, { name: 'src', interarrival: new Exponential(p.rate), to: st });
    sim.run({ until: p.duration });
    return { n: st.departures };
  },
  figures: () => [],
});

describe('the work budget', () => {
  test('a point whose estimate exceeds --max-events is refused before it runs, naming the parameter and the budget', async () => {
    await expect(runExperiment(spinner, { rate: 1e9 }, { maxEvents: 1e6 })).rejects.toThrow(
      WorkBudgetError,
    );
    await expect(runExperiment(spinner, { rate: 1e9 })).rejects.toThrow(
      /^rate: budget-probe at k=1 needs about 2\.00e\+11 events, over the budget of 1\.00e\+8/,
    );
  });

  test('raised on purpose it runs; the kernel enforces the budget too when the estimate is low', async () => {
    const t = await runExperiment(spinner, { rate: 10, duration: 100 }, { maxEvents: 5000 });
    expect(t.rows[0].n).toBeGreaterThan(800);
    const lying = { ...spinner, workEstimate: () => 10 } as typeof spinner;
    await expect(
      runExperiment(lying, { rate: 10, duration: 100 }, { maxEvents: 500 }),
    ).rejects.toThrow(/budget of 500 events/);
    expect(Simulation.defaultEventBudget).toBe(Infinity); // restored after the replication
  });

  test('the max-events option itself is checked', async () => {
    await expect(runExperiment(spinner, {}, { maxEvents: 0 })).rejects.toThrow(ParameterError);
  });
});

describe('errors cross worker threads as themselves', () => {
  test.each([
    new ParameterError('serviceTime', 1e-320, 'must be a number in (0, 3600]'),
    new UnstableSystemError(1.5, 'lambda = 3'),
    new StalledTimeError(2, 1000, ['src.arrive']),
    new WorkBudgetError('rate', 2e11, 1e8, 'x'),
  ])('%s', (e) => {
    const back = deserializeError(JSON.parse(JSON.stringify(serializeError(e))));
    expect(back.constructor).toBe(e.constructor);
    expect(back.message).toBe(e.message);
  });
});

describe('validation gaps (point 7)', () => {
  const numbers = { type: 'numbers', default: [1], min: 0, doc: '' } as const;
  test('an empty list entry is an error; a trailing comma is not', () => {
    expect(() => parseValue('users', numbers, '1,2,,3')).toThrow(/has an empty entry/);
    expect(parseValue('users', numbers, '1,2,')).toEqual([1, 2]);
    expect(() => parseValue('users', numbers, '[1,null,3]')).toThrow(ParameterError);
  });
  test('subnormal numbers are refused (their reciprocal overflows)', () => {
    expect(() =>
      parseValue(
        'serviceTime',
        { type: 'number', default: 1, min: 0, minOpen: true, doc: '' },
        '1e-320',
      ),
    ).toThrow(/serviceTime = 1e-320/);
  });
  test('messages quote a prefix of a long input, not all of it', () => {
    const long = 'x'.repeat(100_000);
    expect(formatValue(long).length).toBeLessThan(120);
    expect(new ParameterError('k', long, 'bad').message.length).toBeLessThan(200);
  });
});

describe('overload carried into lab tables and figures (point 3)', () => {
  test('an open queue offered 1.5 times its capacity is flagged by the scenario; the figure marks the point, not a steady state', () => {
    const over = simulateOpenQueue({
      arrivalRate: 1.5,
      service: new Exponential(1),
      warmup: 100,
      horizon: 2000,
      seed: 1,
    });
    expect(over.overloaded).toBe(true);
    const ok = simulateOpenQueue({
      arrivalRate: 0.5,
      service: new Exponential(1),
      warmup: 100,
      horizon: 2000,
      seed: 1,
    });
    expect(ok.overloaded).toBe(false);
    const t = tableFromRows([
      { rho: 0.5, W: 2, W_lo: 1.9, W_hi: 2.1, W_theory: 2, overloaded: 0 },
      { rho: 1.5, W: 118, W_lo: 100, W_hi: 130, W_theory: null, overloaded: 1 },
    ]);
    const fig = theoryVsSimulation(t, { x: 'rho', y: 'W' });
    const names = fig.data.map((d) => d.name);
    expect(names).toContain('overloaded: not a steady state');
    const sim = fig.data.find((d) => d.name === 'simulation') as unknown as {
      y: Array<number | null>;
    };
    expect(sim.y).toEqual([2, null]);
  });
});
