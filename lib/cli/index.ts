/**
 * The `scalelab` command: one entry, a subcommand each (one file per command in lib/cli/, one
 * parser: parse.ts, one UsageError and exit code 2 for bad usage: usage.ts). Commands are loaded
 * lazily, so `scalelab model ...` does not pay for loading the simulators or the notebook client.
 */
import { version } from '../version';
import type { Command, CommandIO } from './io';
import { processIO } from './io';
import { hint } from './usage';

export type { Command, CommandIO };

interface CommandEntry {
  summary: string;
  load: () => Command;
}

/* eslint-disable @typescript-eslint/no-require-imports -- each command is loaded only when it runs */
const commands: Record<string, CommandEntry> = {
  list: {
    summary: "list the lab experiments (scalelab list NAME for one experiment's parameters)",
    load: () => (require('./list') as typeof import('./list')).listCommand,
  },
  run: {
    summary:
      'run experiments (scalelab run NAME --set k=v, or --all): table, CSV/JSON with provenance, figures',
    load: () => (require('./run') as typeof import('./run')).runCommand,
  },
  report: {
    summary: "write one HTML page with every experiment's figures and tables",
    load: () => (require('./report') as typeof import('./report')).reportCommand,
  },
  model: {
    summary:
      'closed-form queueing and scaling models: quick capacity answers (scalelab model --help)',
    load: () => (require('./model') as typeof import('./model')).modelCommand,
  },
  notebooks: {
    summary: 'execute the lab notebooks in the tslab kernel, with parameters, and export HTML',
    load: () => (require('./notebooks') as typeof import('./notebooks')).notebooksCommand,
  },
  plan: {
    summary:
      'the cheapest configuration of an architecture file meeting its target (scalelab plan FILE [--json] [--html OUT])',
    load: () => (require('./plan') as typeof import('./plan')).planCommand,
  },
  merge: {
    summary:
      'merge the shard results of one sweep (scalelab run NAME --shard I/N) into NAME.csv/.json/.html',
    load: () => (require('./merge') as typeof import('./merge')).mergeCommand,
  },
  jupyter: {
    summary: 'register a project-local tslab kernel spec and start Jupyter on the labs',
    load: () => (require('./jupyter') as typeof import('./jupyter')).jupyterCommand,
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Registers a command (for a command defined outside this folder); the name must be new. */
export function addCommand(name: string, summary: string, load: () => Command): void {
  if (commands[name]) throw new Error(`scalelab: the command ${name} exists already`);
  commands[name] = { summary, load };
}

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  return [
    `scalelab ${version}: a lab workbook for system-design capacity work`,
    '',
    'Usage: scalelab <command> [options]    (scalelab <command> --help for its options)',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    '  --version   print the version',
    '',
    'Examples:',
    '  scalelab list',
    '  scalelab model mmc --lambda 35 --mu 10 --c 5',
    '  scalelab run latency-vs-utilization --set utilisations=0.5,0.9 --set customers=2000 --reps 2',
  ].join('\n');
}

/** Runs the command line `argv` (the words after `scalelab`); resolves to the exit code. */
export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version);
    return 0;
  }
  const entry = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.err(
      `scalelab: unknown command "${name}"${hint(name, Object.keys(commands))}; see scalelab --help`,
    );
    return 2;
  }
  let command: Command;
  try {
    command = entry.load();
  } catch (e) {
    io.err(
      `scalelab ${name}: this command is not available in this build (${(e as Error).message.split('\n')[0]})`,
    );
    return 1;
  }
  return command(rest, io);
}
