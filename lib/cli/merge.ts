/**
 * `scalelab merge DIR... [--out DIR]`: the shard results of one sweep (`scalelab run NAME --shard
 * I/N`, lib/experiment/shard.ts) back into the NAME.csv, NAME.json and NAME.html one machine
 * writes (lib/experiment/merge.ts). Shards that do not fit (another experiment, other parameters,
 * seed, replications or version, one missing or given twice) are refused with exit code 2,
 * naming the file and what differs; nothing is written then.
 */
import * as path from 'path';
import { MergeError, findShardFiles, mergeShards } from '../experiment/merge';
import { defaultResultsDir, writeResult } from '../experiment/results';
import { findExperiment } from './experiments';
import type { CommandIO } from './io';
import { booleanValue, flagHelp, helpFlag, parseCommandLine, stringValue } from './parse';
import type { FlagSpecs } from './parse';
import { UsageError, reportError } from './usage';

export const mergeFlags: FlagSpecs = {
  out: {
    type: 'string',
    value: 'DIR',
    doc: 'where to write NAME.csv, NAME.json and NAME.html (default data/results)',
  },
  ...helpFlag,
};

export const mergeHelp = `Usage: scalelab merge DIR|FILE... [--out DIR]

Merges the shard results of one sweep (NAME.shard-I-of-N.json, written by
scalelab run NAME --shard I/N) into NAME.csv, NAME.json and NAME.html, the same rows one machine
writes. Folders are searched for shard files, with their direct subfolders. Shards of another
experiment, other parameters, seed, replications, work budget or scalelab version, or a shard
missing or given twice, are refused, naming the file and what differs.

Options:
${flagHelp(mergeFlags)}

Examples:
  scalelab run latency-vs-utilization --set customers=2000 --reps 2 --shard 0/2
  scalelab run latency-vs-utilization --set customers=2000 --reps 2 --shard 1/2
  scalelab merge data/results/shards`;

/** `scalelab merge ...`. */
export async function mergeCommand(argv: string[], io: CommandIO): Promise<number> {
  const label = 'scalelab merge';
  try {
    const parsed = parseCommandLine(label, argv, mergeFlags);
    if (booleanValue(parsed, 'help')) {
      io.out(mergeHelp);
      return 0;
    }
    if (parsed.positionals.length === 0)
      throw new UsageError(
        'name the folders (or files) holding the shard results, e.g. scalelab merge data/results/shards',
      );
    const out = path.resolve(stringValue(parsed, 'out') ?? defaultResultsDir());
    const files = findShardFiles(parsed.positionals);
    const merged = mergeShards(files);
    const experiment = findExperiment(merged.provenance.experiment);
    const written = writeResult(experiment, merged, out);
    io.out(
      `merged ${files.length} shard${files.length === 1 ? '' : 's'} of ${experiment.name} (${merged.rows.length} rows): wrote ${path.relative(process.cwd(), written.csv) || written.csv}, ${path.basename(written.json)}, ${path.basename(written.html)}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof MergeError) {
      io.err(`${label}: ${e.message}`);
      return 2;
    }
    return reportError(label, e, io);
  }
}
