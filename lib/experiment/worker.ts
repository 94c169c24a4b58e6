/** A sweep worker: loads the module that defines the experiment (workerData), then runs one task at a time for runOnWorkers (pool.ts). */
import { parentPort, workerData } from 'worker_threads';
import { serializeError } from '../errors';
import type { Experiment } from './experiment';
import { loadExperiment, markSweepWorker } from './locate';
import type { Task, TaskResult, WorkerData } from './pool';
import { simulateTask } from './run';

markSweepWorker();
const file = (workerData as WorkerData).module;
let experiment: Experiment | undefined;

parentPort!.on('message', (task: Task) => {
  let reply: TaskResult;
  try {
    experiment ??= loadExperiment(file, task.experiment);
    reply = { index: task.index, observations: simulateTask(experiment, task) };
  } catch (e) {
    reply = { index: task.index, error: serializeError(e) };
  }
  parentPort!.postMessage(reply);
});
