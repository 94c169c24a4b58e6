/** `scalelab report [--results DIR] [--out FILE]`: one HTML page of every stored experiment result. */
import * as path from 'path';
import { defaultResultsDir } from '../experiment/results';
import { writeReport } from '../experiment/report';
import { catalog } from './experiments';
import type { CommandIO } from './io';
import { booleanValue, flagHelp, helpFlag, parseCommandLine, stringValue } from './parse';
import type { FlagSpecs } from './parse';
import { UsageError, reportError } from './usage';

export const reportFlags: FlagSpecs = {
  results: { type: 'string', value: 'DIR', doc: 'where the results are (default data/results)' },
  out: { type: 'string', value: 'FILE', doc: 'the page to write (default DIR/report.html)' },
  ...helpFlag,
};

export const reportHelp = `Usage: scalelab report [--results DIR] [--out FILE]

Writes one HTML page with every experiment's figures and tables from the stored results
(run them first with scalelab run --all), plotly.js embedded once, readable offline.

Options:
${flagHelp(reportFlags)}

Examples:
  scalelab report
  scalelab report --results data/results --out data/results/report.html`;

/** `scalelab report ...`. */
export async function reportCommand(argv: string[], io: CommandIO): Promise<number> {
  const label = 'scalelab report';
  try {
    const parsed = parseCommandLine(label, argv, reportFlags);
    if (booleanValue(parsed, 'help')) {
      io.out(reportHelp);
      return 0;
    }
    if (parsed.positionals.length)
      throw new UsageError(
        `unexpected argument ${parsed.positionals[0]} (usage: scalelab report [--results DIR] [--out FILE])`,
      );
    const resultsDir = path.resolve(stringValue(parsed, 'results') ?? defaultResultsDir());
    const out = stringValue(parsed, 'out');
    const summary = writeReport({
      resultsDir,
      file: out === undefined ? undefined : path.resolve(out),
      experiments: catalog,
    });
    for (const u of summary.unreadable)
      io.err(`${label}: skipped ${path.relative(process.cwd(), u.file) || u.file}: ${u.reason}`);
    io.out(
      `wrote ${path.relative(process.cwd(), summary.file)}: ${summary.included.length} experiment(s)` +
        (summary.missing.length
          ? `; not run yet: ${summary.missing.join(', ')} (scalelab run --all)`
          : ''),
    );
    return summary.included.length === 0 && catalog.length > 0 ? 1 : 0;
  } catch (e) {
    return reportError(label, e, io);
  }
}
