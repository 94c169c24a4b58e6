/**
 * `scalelab list [NAME] [--verbose]`: the experiments, one short line each (name, lab, title);
 * with NAME or --verbose, their descriptions and parameters too.
 */
import { catalog, experimentHelp, findExperiment } from './experiments';
import type { CommandIO } from './io';
import { booleanValue, flagHelp, helpFlag, parseCommandLine } from './parse';
import type { FlagSpecs } from './parse';
import { UsageError, reportError } from './usage';
import { textTable } from '../text-table';

export const listFlags: FlagSpecs = {
  verbose: {
    type: 'boolean',
    short: 'v',
    doc: 'every experiment with its description and parameters',
  },
  ...helpFlag,
};

export const listHelp = `Usage: scalelab list [NAME] [--verbose]

Lists the experiments of every lab: name, lab, title. With NAME, that experiment's description
and parameters (default, unit, valid range, meaning); with --verbose, every experiment's.

Options:
${flagHelp(listFlags)}

Examples:
  scalelab list
  scalelab list latency-vs-utilization
  scalelab list --verbose`;

/** Widest line of the short list. */
const WIDTH = 99;

/** The short list: one line per experiment, titles cut to keep each line under 100 characters. */
export function shortList(): string {
  const nameWidth = Math.max('experiment'.length, ...catalog.map((e) => e.name.length));
  const room = WIDTH - nameWidth - 2 - 3 - 2;
  const cut = (s: string) => (s.length <= room ? s : s.slice(0, room - 1).trimEnd() + '…');
  return textTable(
    ['experiment', 'lab', 'title'],
    catalog.map((e) => [e.name, (e.lab ?? '').slice(0, 2), cut(e.title)]),
  );
}

/** `scalelab list ...`. */
export async function listCommand(argv: string[], io: CommandIO): Promise<number> {
  try {
    const parsed = parseCommandLine('scalelab list', argv, listFlags);
    if (booleanValue(parsed, 'help')) {
      io.out(listHelp);
      return 0;
    }
    if (parsed.positionals.length > 1)
      throw new UsageError(
        `unexpected ${parsed.positionals[1]} (usage: scalelab list [NAME] [--verbose])`,
      );
    if (parsed.positionals.length === 1) {
      io.out(experimentHelp(findExperiment(parsed.positionals[0])));
      return 0;
    }
    io.out(shortList());
    if (booleanValue(parsed, 'verbose')) for (const e of catalog) io.out(`\n${experimentHelp(e)}`);
    else
      io.out(
        `\n${catalog.length} experiments: scalelab list NAME for one's parameters, scalelab run NAME to run it.`,
      );
    return 0;
  } catch (e) {
    return reportError('scalelab list', e, io);
  }
}
