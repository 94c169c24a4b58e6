/** A sweep worker: runs one task at a time for runOnWorkers (pool.ts). */
import { parentPort } from 'worker_threads';
import { serializeError } from '../errors';
import { findExperiment } from '../labs/catalog';
import type { Task, TaskResult } from './pool';
import { simulateTask } from './run';

parentPort!.on('message', (task: Task) => {
  let reply: TaskResult;
  try {
    const experiment = findExperiment(task.experiment);
    reply = { index: task.index, observations: simulateTask(experiment, task) };
  } catch (e) {
    reply = { index: task.index, error: serializeError(e) };
  }
  parentPort!.postMessage(reply);
});
