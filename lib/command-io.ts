/** Where a `scalelab` subcommand writes: every command takes one, so tests can capture its output. */
export interface CommandIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Show progress bars (default: when stderr is a terminal). */
  progress?: boolean;
}
