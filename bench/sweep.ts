/**
 * Sweep speed-up on worker threads: one experiment's grid run with 1 thread and with every core,
 * in the same process run, from the compiled package (dist/, as users run it). Reports the wall
 * times, the speed-up t(1)/t(n) and its efficiency speed-up/n, and checks that the results are
 * identical. Part of `npm run bench`; also `node -r ts-node/register/transpile-only bench/sweep.ts`.
 *
 * Both sides are warm, as a notebook's second sweep is: a short run on this thread before the
 * 1-thread timing, and a short run on the workers before the n-thread timing (lib/experiment/pool.ts
 * keeps a run's workers for the next sweep of the same experiment). `speedupColdWorkers` is a
 * third run on freshly started workers (isolate, modules and JIT cold), as a first sweep is.
 */
import * as os from 'os';
import * as path from 'path';

export interface SweepBenchRow {
  name: string;
  threads: number;
  tasks: number;
  secondsOneThread: number;
  secondsThreads: number;
  speedup: number;
  /** Seconds and speed-up of a run on freshly started workers (a first sweep). */
  secondsColdWorkers: number;
  speedupColdWorkers: number;
  efficiency: number;
  identical: boolean;
}

export async function sweepBenchmark(): Promise<SweepBenchRow> {
  // the compiled package: its workers load dist/experiment/worker.js
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled package at run time, not lib/ through ts-node
  const scalelab = require(
    path.resolve(__dirname, '..', 'dist', 'index.js'),
  ) as typeof import('../lib');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled pool, as the package's users run it
  const pool = require(
    path.resolve(__dirname, '..', 'dist', 'experiment', 'pool.js'),
  ) as typeof import('../lib/experiment/pool');
  const experiment = scalelab.findExperiment('latency-vs-utilization');
  const params = { customers: 300000 };
  const threads = Math.max(2, os.availableParallelism?.() ?? os.cpus().length);
  const options = { seed: 1, replications: 4 };
  const time = async (n: number) => {
    const t0 = process.hrtime.bigint();
    const result = await experiment.runWithProvenance(params, { ...options, threads: n });
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, rows: result.rows };
  };
  const warm = (n: number) => experiment.run({ customers: 2000 }, { ...options, threads: n });
  pool.keepSweepWorkers(30000);
  await warm(1); // this thread's code paths
  const one = await time(1);
  await warm(threads); // starts the workers, which the timed run takes warm
  const many = await time(threads);
  pool.keepSweepWorkers(0); // ends them: the next run starts fresh workers
  const cold = await time(threads);
  const speedup = one.seconds / many.seconds;
  return {
    name: 'sweep latency-vs-utilization (28 points x 4 replications)',
    threads: threads,
    tasks: 28 * 4,
    secondsOneThread: one.seconds,
    secondsThreads: many.seconds,
    speedup: speedup,
    secondsColdWorkers: cold.seconds,
    speedupColdWorkers: one.seconds / cold.seconds,
    efficiency: speedup / threads,
    identical:
      JSON.stringify(one.rows) === JSON.stringify(many.rows) &&
      JSON.stringify(one.rows) === JSON.stringify(cold.rows),
  };
}

if (require.main === module) {
  sweepBenchmark().then((r) => {
    if (process.argv.includes('--json')) console.log(JSON.stringify(r));
    else
      console.log(
        `${r.name}: 1 thread ${r.secondsOneThread.toFixed(2)} s, ${r.threads} threads ${r.secondsThreads.toFixed(2)} s, speed-up ${r.speedup.toFixed(2)} (fresh workers ${r.speedupColdWorkers.toFixed(2)}) (efficiency ${(r.efficiency * 100).toFixed(0)}%), results identical: ${r.identical}`,
      );
  });
}
