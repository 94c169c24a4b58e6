/** A sweep worker: runs one task at a time for runOnWorkers (pool.ts). */
import { parentPort } from 'worker_threads';
import { findExperiment } from './catalog';
import type { Task, TaskResult } from './pool';

parentPort!.on('message', (task: Task) => {
  let reply: TaskResult;
  try {
    const experiment = findExperiment(task.experiment);
    const out = experiment.simulate(task.point, task.params as never, task.seed);
    reply = { index: task.index, observations: Array.isArray(out) ? out : [out] };
  } catch (e) {
    reply = { index: task.index, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
