/**
 * Usage errors of every `scalelab` command: one class, printed as one line, exit code 2; and the
 * did-you-mean suggestion for a misspelt command, flag, model, experiment or `--set` key (the
 * smallest Levenshtein distance by fastest-levenshtein, offered when it is at most
 * max(2, a third of the word's length), as lib/systems/common/config.ts does for config keys).
 */
import { distance } from 'fastest-levenshtein';
import { isUserError, ParameterError } from '../errors';
import type { CommandIO } from './io';

/** A problem with the command line itself (unknown command or flag, missing value): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The known word nearest to `word`, or null when none is close. */
export function nearest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

/** "did you mean X?" when one is close, else "valid: a, b, c" (shortened past `max` entries). */
export function suggestion(
  word: string,
  known: readonly string[],
  { max = 12, render = (k: string) => k }: { max?: number; render?: (k: string) => string } = {},
): string {
  const near = nearest(word, known);
  if (near !== null) return `did you mean ${render(near)}?`;
  const shown = known.slice(0, max).map(render).join(', ');
  return `valid: ${shown}${known.length > max ? `, ... (${known.length} in all)` : ''}`;
}

/** `, did you mean X?` when one is close, else ` (valid: a, b, c)`: to follow "unknown flag --x". */
export function hint(
  word: string,
  known: readonly string[],
  options: { max?: number; render?: (k: string) => string } = {},
): string {
  const s = suggestion(word, known, options);
  return s.startsWith('did you mean') ? `, ${s}` : ` (${s})`;
}

/**
 * Prints `e` as one line prefixed by `label` (e.g. "scalelab run") and returns the exit code:
 * 2 for bad input (a UsageError, a ParameterError or another user error), 1 for anything else.
 */
export function reportError(label: string, e: unknown, io: CommandIO): number {
  const line = (s: string) => s.replace(/\s*\n\s*/g, ' ');
  if (e instanceof UsageError) {
    io.err(`${label}: ${line(e.message)}`);
    return 2;
  }
  if (e instanceof ParameterError) {
    io.err(`${label}: ${line(e.message)}`);
    return 2;
  }
  if (isUserError(e)) {
    io.err(`${label}: ${(e as Error).name}: ${line((e as Error).message)}`);
    return 2;
  }
  io.err(`${label}: ${line(e instanceof Error ? e.message : String(e))}`);
  return 1;
}
