/**
 * The catalog: every experiment of every lab, by name. `scalelab list`, `scalelab run`, the
 * report and the sweep workers all look experiments up here. Each lab adds its experiments to
 * lib/labs/index.ts.
 */
import { ParameterError } from '../errors';
import type { Experiment } from './experiment';
import { labExperiments } from '../labs';

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

/** The experiment called `name`; an unknown name is a ParameterError listing the valid ones. */
export function findExperiment(name: string): Experiment {
  const found = catalog.find((e) => e.name === name);
  if (!found) {
    throw new ParameterError('experiment', name, `is not in the catalog (valid: ${catalog.map((e) => e.name).join(', ') || 'none'})`);
  }
  return found;
}
