/**
 * The experiments the commands know (the catalog, lib/labs/catalog.ts: `findExperiment` answers
 * an unknown name with the nearest one), and the help text of one experiment (its parameters: defaults, units, ranges).
 */
import type { Experiment } from '../experiment/experiment';
import { describeRange, formatDefault } from '../experiment/params';
import { catalog, findExperiment } from '../labs/catalog';
import { textTable } from '../text-table';

export { catalog, findExperiment };

/** The parameters of `e` as a table: name, default, unit, valid range, meaning. */
export function parameterTable(e: Experiment): string {
  return textTable(
    ['parameter', 'default', 'unit', 'valid', 'meaning'],
    Object.entries(e.params).map(([k, s]) => [
      k,
      formatDefault(s),
      s.unit ?? '',
      describeRange(s),
      s.doc,
    ]),
  );
}

/** `NAME: title`, the description and the parameter table. */
export function experimentHelp(e: Experiment): string {
  return `${e.name}: ${e.title}\n${e.description}\n\n${parameterTable(e)}\n\nDefault replications: ${e.replications}.`;
}
