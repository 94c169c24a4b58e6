/**
 * Sweep workers kept warm between runs (lib/experiment/pool.ts): the next sweep of the same
 * experiment takes the idle workers and gives the rows one thread gives; another experiment of
 * the same module never runs on them (a worker serves the experiment it loaded first).
 */
import { idleWorkers, keepSweepWorkers } from '../../lib/experiment/pool';
import { runUnexported, userExperiment } from '../fixtures/user-experiment';

describe('sweep workers kept between runs', () => {
  // jest's default is 0 (a test process ends at once); this test keeps them, then ends them
  afterAll(() => keepSweepWorkers(0));

  it('reuses idle workers for the same experiment only, with the rows of one thread', async () => {
    keepSweepWorkers(5000);
    const one = await userExperiment.runWithProvenance({}, { seed: 5, threads: 1 });
    const first = await userExperiment.runWithProvenance({}, { seed: 5, threads: 2 });
    expect(idleWorkers()).toEqual({ experiment: 'user-exponential-mean', count: 2 });
    const second = await userExperiment.runWithProvenance({ n: 300 }, { seed: 5, threads: 2 });
    const oneN = await userExperiment.runWithProvenance({ n: 300 }, { seed: 5, threads: 1 });
    expect(first.rows).toEqual(one.rows);
    expect(second.rows).toEqual(oneN.rows);
    expect(idleWorkers()).toEqual({ experiment: 'user-exponential-mean', count: 2 });
    // another experiment of the same module: fresh workers (the idle ones end), its own rows
    const two = await runUnexported(2);
    expect(idleWorkers()).toEqual({ experiment: 'user-unexported-mean', count: 2 });
    expect(two.objects()).toEqual((await runUnexported(1)).objects());
    keepSweepWorkers(0);
    expect(idleWorkers()).toBeNull();
    expect(() => keepSweepWorkers(-1)).toThrow(/ms/);
  });
});
