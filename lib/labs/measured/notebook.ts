/**
 * What a lab notebook's measured section shows: the experiment's latest result under
 * data/results/ (written by `scalelab run NAME`) when there is one; else, when the component is
 * installed, a short measurement now (`quick` parameters, a few seconds; null: none, say how); else nothing, with a
 * note naming the package to install. Never throws for a missing component.
 */
import type { ColumnTable } from 'arquero';
import { ParameterError } from '../../errors';
import type { Experiment } from '../../experiment/experiment';
import { haproxyMeasured } from './haproxy-measured';
import { haproxyMeasuredChecks } from './haproxy-measured-checks';
import { memcachedMeasured } from './memcached-measured';
import { postgresMeasured } from './postgres-measured';
import { readResult } from '../../experiment/results';
import { findHaproxy, findMemcached, findPostgres } from '../../measure/components';

const finders: Record<string, () => unknown> = {
  'haproxy-measured': findHaproxy,
  'haproxy-measured-checks': findHaproxy,
  'memcached-measured': findMemcached,
  'postgres-measured': findPostgres,
};

// The measured experiments themselves, not the catalog: the catalog imports the labs, whose index
// imports this folder, so reaching it from here would be an import circle.
const measured: ReadonlyArray<Experiment<any>> = [
  haproxyMeasured,
  haproxyMeasuredChecks,
  memcachedMeasured,
  postgresMeasured,
];

function measuredExperiment(name: string): Experiment<any> {
  const e = measured.find((x) => x.name === name);
  if (e === undefined)
    throw new ParameterError(
      'name',
      name,
      `must be a measured experiment: ${measured.map((x) => x.name).join(', ')}`,
    );
  return e;
}

export interface MeasuredForNotebook {
  table: ColumnTable | null;
  /** Where the rows came from, in a sentence (markdown). */
  note: string;
}

export async function measuredForNotebook(
  name: string,
  quick: Record<string, unknown> | null,
  options: { seed?: number; useStored?: boolean } = {},
): Promise<MeasuredForNotebook> {
  const experiment = measuredExperiment(name);
  if (options.useStored !== false) {
    const stored = readResult(name);
    if (stored) {
      const rows = stored.table.objects() as Array<Record<string, unknown>>;
      const m = rows.find((r) => r.source === 'measured');
      return {
        table: stored.table,
        note: `The rows of \`data/results/${name}.json\` (\`scalelab run ${name}\`, ${stored.provenance.date}, ${stored.provenance.elapsedSeconds.toFixed(0)} s${m ? `; ${m.component} on ${m.machine}` : ''}).`,
      };
    }
  }
  try {
    finders[name]?.();
  } catch (e) {
    return {
      table: null,
      note: `Not measured here: ${(e as Error).message}. Then \`npx scalelab run ${name}\` writes the full result this section shows.`,
    };
  }
  if (quick === null)
    return {
      table: null,
      note: `No result yet: \`npx scalelab run ${name}\` measures it (${experiment.title.toLowerCase()}) and this section then shows it.`,
    };
  const started = Date.now();
  const table = await experiment.run(quick, { seed: options.seed ?? 1 });
  const rows = table.objects() as Array<Record<string, unknown>>;
  const m = rows.find((r) => r.source === 'measured');
  return {
    table,
    note: `A short measurement just now (${((Date.now() - started) / 1000).toFixed(0)} s, ${JSON.stringify(quick)}${m ? `; ${m.component} on ${m.machine}` : ''}); \`npx scalelab run ${name}\` runs the full one and this section then shows it.`,
  };
}
