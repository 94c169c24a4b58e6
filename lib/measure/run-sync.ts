/**
 * Runs one real measurement to completion from synchronous code (an experiment's `simulate`):
 * the checks that the component is installed first, in this process (a ComponentMissingError
 * naming the package), then `node driver.js REQUEST` as a child with spawnSync, its JSON answer
 * parsed. The child cleans up its own processes and folders; a child killed by a signal leaves
 * none behind (they are in its process groups, killed on its SIGTERM/SIGINT).
 */
import { spawnSync } from 'child_process';
import { ComponentMissingError } from './components';
import type { MeasureRequest } from './driver';
import { nodeScript } from './node-script';

export function runMeasurement<T>(request: MeasureRequest, timeoutSeconds = 300): T {
  const s = nodeScript('driver');
  const r = spawnSync(s.command, [...s.args, JSON.stringify(request)], {
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
    killSignal: 'SIGTERM',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw new Error(`measurement ${request.kind} could not run: ${r.error.message}`);
  let answer: { error?: string; name?: string; package?: string };
  try {
    answer = JSON.parse(r.stdout);
  } catch {
    throw new Error(
      `measurement ${request.kind} failed (exit ${r.status ?? r.signal}): ${r.stderr.trim().slice(0, 2000)}`,
    );
  }
  if (answer.error !== undefined) {
    if (answer.package) throw new ComponentMissingError(request.kind, answer.package ?? '?', []);
    throw new Error(`measurement ${request.kind} failed: ${answer.error}`);
  }
  return answer as T;
}
