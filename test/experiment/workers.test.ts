/**
 * Sweep workers load the module that defines the experiment (issue 15 point 3): a user's own
 * experiment, outside the catalog, runs on two threads with the same rows as on one; one that no
 * worker can find is an error, never a silent run on one thread.
 */
import { runHidden, runUnexported, userExperiment } from '../fixtures/user-experiment';
import { ExperimentNotLocatableError, locateExperiment } from '../../lib/experiment/locate';
import { latencyVsUtilization } from '../../lib/labs/lab01-latency';
import * as path from 'path';
import { spawnSync } from 'child_process';

describe('sweep workers find the experiment by its module', () => {
  it('an exported user experiment: rows identical on 1 and 2 threads', async () => {
    expect(locateExperiment(userExperiment as never)).toBe(
      path.join(__dirname, '..', 'fixtures', 'user-experiment.ts'),
    );
    const one = await userExperiment.runWithProvenance({}, { seed: 5, threads: 1 });
    const two = await userExperiment.runWithProvenance({}, { seed: 5, threads: 2 });
    expect(two.provenance.threads).toBe(2);
    expect(two.rows).toEqual(one.rows);
    expect(one.rows).toHaveLength(4);
  });

  it('an unexported one defined with `module: __filename`: rows identical on 1 and 2 threads', async () => {
    const one = await runUnexported(1);
    const two = await runUnexported(2);
    expect(two.objects()).toEqual(one.objects());
  });

  it('one that cannot be located is an error, not a run on one thread', async () => {
    await expect(runHidden(2)).rejects.toThrow(ExperimentNotLocatableError);
    await expect(runHidden(2)).rejects.toThrow(/user-hidden-mean.*module: __filename/);
    await expect(runHidden(1)).resolves.toBeDefined();
  });

  it("a user's own script on the built package, run as the main module without a guard: same rows, printed once", () => {
    const r = spawnSync(
      process.execPath,
      [path.join(__dirname, '..', 'fixtures', 'user-script.js')],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([
      JSON.stringify({ threads: 2, same: true, rows: 3 }),
    ]);
  });

  it('a lab experiment is found in its own lab file, not the catalog or the package index', () => {
    expect(path.basename(locateExperiment(latencyVsUtilization as never))).toBe(
      'latency-vs-utilization.ts',
    );
  });
});
