/**
 * The `scalelab` command: one entry, a subcommand each. Subcommands are loaded lazily, so
 * `scalelab model ...` does not pay for loading the simulators or the notebook client.
 */
import { version } from './version';

import type { CommandIO } from './command-io';

export type { CommandIO };

type Command = (argv: string[], io: CommandIO) => Promise<number>;

interface CommandEntry {
  summary: string;
  load: () => Command;
}

const commands: Record<string, CommandEntry> = {
  list: {
    summary: 'list every lab experiment and its parameters',
    load: () => (require('./experiment/cli') as { listCommand: Command }).listCommand,
  },
  run: {
    summary: 'run experiments (scalelab run NAME --set k=v, or --all): table, CSV/JSON with provenance, figures',
    load: () => (require('./experiment/cli') as { runCommand: Command }).runCommand,
  },
  report: {
    summary: "write one HTML page with every experiment's figures and tables",
    load: () => (require('./experiment/cli') as { reportCommand: Command }).reportCommand,
  },
  model: {
    summary: 'closed-form queueing and scaling models: quick capacity answers (scalelab model --help)',
    load: () => (require('./queueing/cli') as { modelCommand: Command }).modelCommand,
  },
  notebooks: {
    summary: 'execute the lab notebooks in the tslab kernel, with parameters, and export HTML',
    load: () => (require('./notebook/cli') as { notebooksCommand: Command }).notebooksCommand,
  },
  plan: {
    summary: 'the cheapest configuration of an architecture file meeting its target (scalelab plan FILE [--json] [--html OUT])',
    load: () => (require('./systems/architecture/cli') as { planCommand: Command }).planCommand,
  },
  jupyter: {
    summary: 'register a project-local tslab kernel spec and start Jupyter on the labs',
    load: () => (require('./kernelspec') as { jupyterCommand: Command }).jupyterCommand,
  },
};

function usage(): string {
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
  ].join('\n');
}

/** Runs the command line `argv` (the words after `scalelab`); resolves to the exit code. */
export async function main(argv: string[], io: CommandIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.err(`scalelab: unknown command "${name}" (valid: ${Object.keys(commands).join(', ')}; see scalelab --help)`);
    return 2;
  }
  let command: Command;
  try {
    command = entry.load();
  } catch (e) {
    io.err(`scalelab ${name}: this command is not available in this build (${(e as Error).message.split('\n')[0]})`);
    return 1;
  }
  return command(rest, io);
}

const defaultIO: CommandIO = {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
};
