/**
 * The catalog: every experiment of every lab, by name. `scalelab list`, `scalelab run` and the
 * report look experiments up here. A new lab adds its experiments to `labExperiments` below.
 */
import { ParameterError } from '../errors';
import { nearestKey } from '../systems/common/config';
import type { Experiment } from '../experiment/experiment';
import { lab01Experiments } from './lab01-latency';
import { lab02Experiments } from './lab02-think-time';
import { lab03Experiments } from './lab03-load-balancing';
import { lab06Experiments } from './lab06-replication';
import { lab08Experiments } from './lab08';
import { lab09Experiments } from './lab09-kafka';
import { lab11Experiments } from './lab11';
import { lab10Experiments } from './lab10';
import { lab07Experiments } from './lab07-caching';
import { lab05Experiments } from './lab05';
import { lab04Experiments } from './lab04';
import { measuredExperiments } from './measured';
import { lab12Experiments } from './lab12';

/** Every lab's experiments, in lab order. */
export const labExperiments: ReadonlyArray<Experiment<any>> = [
  ...lab01Experiments,
  ...lab02Experiments,
  ...lab03Experiments,
  ...lab06Experiments,
  ...lab08Experiments,
  ...lab09Experiments,
  ...lab11Experiments,
  ...lab10Experiments,
  ...lab07Experiments,
  ...lab05Experiments,
  ...lab04Experiments,
  ...lab12Experiments,
  ...measuredExperiments,
];

function checkUnique(list: readonly Experiment[]): readonly Experiment[] {
  const seen = new Set<string>();
  for (const e of list) {
    if (seen.has(e.name)) throw new Error(`two experiments are named "${e.name}"`);
    seen.add(e.name);
  }
  return list;
}

/** Every experiment, in lab order. */
export const catalog: readonly Experiment[] = checkUnique(labExperiments as readonly Experiment[]);

/**
 * The experiment called `name`; an unknown name is a ParameterError with the nearest name
 * (did you mean ...?), else the first valid ones.
 */
export function findExperiment(name: string): Experiment {
  const found = catalog.find((e) => e.name === name);
  if (found) return found;
  const names = catalog.map((e) => e.name);
  const near = nearestKey(name, names);
  const hint =
    near !== null
      ? `did you mean "${near}"?`
      : `valid: ${names.slice(0, 8).join(', ')}${names.length > 8 ? `, ... (${names.length} in all)` : ''}`;
  throw new ParameterError(
    'experiment',
    name.length > 80 ? name.slice(0, 77) + '...' : name,
    `is not in the catalog; ${hint} (scalelab list names them all)`,
  );
}
