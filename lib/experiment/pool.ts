/**
 * Runs sweep tasks on worker threads. Each worker loads the module that defines the experiment
 * once (lib/experiment/locate.ts) and runs the tasks it is handed; results are stored by task index, so the outcome does not depend on
 * the number of threads or the order tasks finish in.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Observation, Point } from './experiment';
import { deserializeError, type SerializedError } from '../errors';

export interface Task {
  index: number;
  experiment: string;
  params: Record<string, unknown>;
  point: Point;
  seed: number;
  /** The event budget of each simulation the task builds (Simulation.defaultEventBudget). */
  maxEvents?: number;
}

/** What each worker is started with: the file of the module that defines the experiment. */
export interface WorkerData {
  module: string;
}

export interface TaskResult {
  index: number;
  observations?: Observation[];
  /** The task's error as data: rebuilt as the same class (a ParameterError stays one). */
  error?: SerializedError;
}

const typeScript = /\.[cm]?tsx?$/;

/**
 * The worker script and its node flags: compiled JavaScript, or the TypeScript source under
 * ts-node/jest; ts-node is also registered when the experiment's module is TypeScript (a user's
 * ts-node script driving the compiled package), resolved from that module's folder.
 */
function workerSpec(module: string): { file: string; execArgv: string[] } {
  const source = __filename.endsWith('.ts');
  const file = path.join(__dirname, source ? 'worker.ts' : 'worker.js');
  if (!source && !typeScript.test(module)) return { file, execArgv: [] };
  let register: string;
  try {
    register = require.resolve('ts-node/register/transpile-only', { paths: [path.dirname(module), __dirname] });
  } catch {
    throw new Error(`sweep workers cannot load ${module}: it is TypeScript and ts-node is not installed (npm install ts-node, or run with threads: 1)`);
  }
  return { file, execArgv: ['-r', register] };
}

/**
 * Runs `tasks` on `threads` workers, each loading `module` (the file that defines the tasks'
 * experiment); calls `onResult` as each finishes. Rejects on the first
 * task error and stops every worker: a user error (ParameterError, WorkBudgetError...) is rebuilt
 * as the same error, so the message and exit code match a run on one thread; any other error is
 * named with its task.
 */
export function runOnWorkers(tasks: readonly Task[], threads: number, module: string, onResult: (result: TaskResult) => void): Promise<void> {
  const { file, execArgv } = workerSpec(module);
  const n = Math.max(1, Math.min(threads, tasks.length));
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let done = 0;
    let inFlight = 0;
    let failed = false;
    // the failures seen, kept until every task in flight has answered: the one reported is the
    // lowest task index, the one a run on one thread meets first (tasks are fed in index order)
    let firstFailure: { index: number; error: Error } | null = null;
    const workers: Worker[] = [];
    const stopAll = () => workers.forEach((w) => void w.terminate());
    const feed = (w: Worker) => {
      if (firstFailure === null && next < tasks.length) {
        inFlight++;
        w.postMessage(tasks[next++]);
      }
    };
    const settleFailure = () => {
      if (inFlight > 0 || failed || firstFailure === null) return;
      failed = true;
      stopAll();
      reject(firstFailure.error);
    };
    if (tasks.length === 0) return resolve();
    for (let i = 0; i < n; i++) {
      const w = new Worker(file, { execArgv, workerData: { module } satisfies WorkerData });
      workers.push(w);
      w.on('message', (result: TaskResult) => {
        if (failed) return;
        inFlight--;
        if (result.error !== undefined) {
          const t = tasks[result.index];
          const e = deserializeError(result.error);
          if (e.name === 'Error') e.message = `${t.experiment} at ${JSON.stringify(t.point)} (seed ${t.seed}): ${e.message}`;
          if (firstFailure === null || result.index < firstFailure.index) firstFailure = { index: result.index, error: e };
          settleFailure();
          return;
        }
        if (firstFailure !== null) {
          settleFailure();
          return;
        }
        onResult(result);
        done++;
        if (done === tasks.length) {
          stopAll();
          resolve();
        } else feed(w);
      });
      w.on('error', (e) => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(e);
      });
      w.on('exit', (code) => {
        if (!failed && done < tasks.length && code !== 0) {
          failed = true;
          stopAll();
          reject(new Error(`a sweep worker exited with code ${code}`));
        }
      });
      feed(w);
    }
  });
}
