/**
 * Runs sweep tasks on worker threads. Each worker loads the module that defines the experiment
 * once (lib/experiment/locate.ts) and runs the tasks it is handed; results are stored by task index, so the outcome does not depend on
 * the number of threads or the order tasks finish in.
 *
 * Workers outlive a run by {@link keepSweepWorkers} (5 s): a fresh worker costs an isolate, the modules
 * (arquero alone is most of that) and a cold JIT, which weighed 10-25 % of a 2-thread sweep of
 * a few seconds, so the next sweep of the same experiment (a notebook's next cell, `--precision`'s
 * next round) takes them warm. Idle workers are unref'd (they never keep the process alive) and
 * end after that time or when another experiment's sweep starts; a failed run ends its workers.
 * Tasks build their simulations from their own seeds, so a reused worker gives the same numbers.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Observation, Point } from './experiment';
import { ParameterError, deserializeError, type SerializedError } from '../errors';

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

// How long workers stay after a run. Not under jest: a test process must end at once when its
// files are done (a worker ended at exit can take longer than jest waits on a loaded machine).
let idleWorkerMs = process.env.JEST_WORKER_ID === undefined ? 5000 : 0;

/**
 * How long sweep workers stay after a run, waiting for the next sweep of the same experiment
 * (default 5000 ms; 0 under jest). 0 ends the idle ones now.
 */
export function keepSweepWorkers(ms: number): void {
  if (!(ms >= 0 && ms <= 3600000))
    throw new ParameterError('ms', ms, 'must be a number of milliseconds in [0, 3600000]');
  idleWorkerMs = ms;
  if (ms === 0) endIdle();
}

// idle workers of one (worker script, flags, module, experiment): the worker caches the first
// experiment it loads, so a worker only serves the experiment it started with
let idle: { key: string; workers: Worker[]; timer: NodeJS.Timeout } | null = null;

/** Idle workers waiting for the next sweep, and the experiment they serve (for tests and tracing). */
export function idleWorkers(): { experiment: string; count: number } | null {
  return idle === null
    ? null
    : { experiment: JSON.parse(idle.key)[3] as string, count: idle.workers.length };
}

function endIdle(): void {
  if (idle === null) return;
  clearTimeout(idle.timer);
  for (const w of idle.workers) void w.terminate();
  idle = null;
}

/** Up to `n` idle workers of `key` (others' idle workers end). */
function takeIdle(key: string, n: number): Worker[] {
  if (idle === null) return [];
  if (idle.key !== key) {
    endIdle();
    return [];
  }
  const taken = idle.workers.splice(0, n);
  if (idle.workers.length === 0) endIdle();
  return taken;
}

/** Keeps finished workers for {@link keepSweepWorkers}' time, unref'd (or ends them). */
function release(key: string, workers: Worker[]): void {
  if (idleWorkerMs === 0) {
    for (const w of workers) void w.terminate();
    return;
  }
  if (idle !== null && idle.key !== key) endIdle();
  for (const w of workers) {
    w.removeAllListeners('message');
    w.removeAllListeners('error');
    w.removeAllListeners('exit');
    w.unref();
    // one that dies while idle leaves the list
    w.on('exit', () => {
      if (idle !== null) idle.workers = idle.workers.filter((x) => x !== w);
    });
    w.on('error', () => undefined);
  }
  if (idle === null) {
    const timer = setTimeout(endIdle, idleWorkerMs);
    timer.unref();
    idle = { key, workers: [...workers], timer };
  } else {
    idle.workers.push(...workers);
    idle.timer.refresh();
  }
}

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
    register = require.resolve('ts-node/register/transpile-only', {
      paths: [path.dirname(module), __dirname],
    });
  } catch {
    throw new Error(
      `sweep workers cannot load ${module}: it is TypeScript and ts-node is not installed (npm install ts-node, or run with threads: 1)`,
    );
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
export function runOnWorkers(
  tasks: readonly Task[],
  threads: number,
  module: string,
  onResult: (result: TaskResult) => void,
): Promise<void> {
  const { file, execArgv } = workerSpec(module);
  const n = Math.max(1, Math.min(threads, tasks.length));
  const key = JSON.stringify([file, execArgv, module, tasks.length > 0 ? tasks[0].experiment : '']);
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
    const reused = takeIdle(key, n);
    for (let i = 0; i < n; i++) {
      const w =
        i < reused.length
          ? reused[i]
          : new Worker(file, { execArgv, workerData: { module } satisfies WorkerData });
      w.ref();
      workers.push(w);
      w.on('message', (result: TaskResult) => {
        if (failed) return;
        inFlight--;
        if (result.error !== undefined) {
          const t = tasks[result.index];
          const e = deserializeError(result.error);
          if (e.name === 'Error')
            e.message = `${t.experiment} at ${JSON.stringify(t.point)} (seed ${t.seed}): ${e.message}`;
          if (firstFailure === null || result.index < firstFailure.index)
            firstFailure = { index: result.index, error: e };
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
          release(key, workers);
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
