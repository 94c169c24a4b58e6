/** Where a `scalelab` command writes: every command takes one, so tests can capture its output. */
export interface CommandIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Show progress bars (default: when stderr is a terminal). */
  progress?: boolean;
}

/** A command: the words after its name in, the exit code out (0 done, 1 failed, 2 bad usage). */
export type Command = (argv: string[], io: CommandIO) => Promise<number>;

/** The process's own streams, one line per call. */
export const processIO: CommandIO = {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
};
