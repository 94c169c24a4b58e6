/**
 * The one argument parser of every `scalelab` command, on node's `util.parseArgs` (tokens, then
 * checked here so that every problem is a {@link UsageError} naming the flag): an unknown flag
 * suggests the nearest known one (`--lamda`: did you mean --lambda?), a string flag without a
 * value, a value given to a boolean flag and a flag given twice (unless it is `multiple`) are
 * errors. `--flag value` and `--flag=value` both work; a value may start with one dash (`-1`).
 *
 * A command declares its flags once, as data ({@link FlagSpecs}); the same declaration prints the
 * options part of its `--help` ({@link flagHelp}). Adding a flag is one entry: see lib/cli/README.md.
 */
import { parseArgs } from 'util';
import { UsageError, hint } from './usage';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** One-letter alias, e.g. 'h' for -h. */
  short?: string;
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
  /** The value's placeholder in the help, e.g. 'N' or 'key=value'. */
  value?: string;
  /** One line for the help. */
  doc: string;
  /** Left out of the help (kept for compatibility). */
  hidden?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** `--help` / `-h`, which every command takes. */
export const helpFlag: FlagSpecs = { help: { type: 'boolean', short: 'h', doc: 'this help' } };

/** The values by flag name (a string, true, or a list for `multiple`), and the other words in order. */
export interface ParsedCommandLine {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` against `flags` for `command` (e.g. "scalelab run", used in messages). Words after
 * `--` are positionals. Throws UsageError.
 */
export function parseCommandLine(
  command: string,
  argv: readonly string[],
  flags: FlagSpecs,
): ParsedCommandLine {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
  > = {};
  for (const [name, f] of Object.entries(flags))
    options[name] = { type: f.type, ...(f.short ? { short: f.short } : {}), multiple: true };
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: ParsedCommandLine['values'] = {};
  const positionals: string[] = [];
  const names = Object.keys(flags);
  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind === 'option-terminator') continue;
    const spec = flags[t.name];
    if (!spec) {
      throw new UsageError(
        `unknown flag ${t.rawName}${hint(
          t.name,
          names.filter((n) => !flags[n].hidden),
          { max: 40, render: (n) => `--${n}` },
        )}`,
      );
    }
    const flag = `--${t.name}`;
    let value: string | boolean;
    if (spec.type === 'boolean') {
      if (t.inlineValue)
        throw new UsageError(`${flag} takes no value (got ${flag}=${t.value ?? ''})`);
      value = true;
    } else {
      // a following flag is not a value: `--out --quiet` is a missing folder, not a folder named --quiet
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--'))) {
        throw new UsageError(`${flag} needs a value${spec.value ? ` (${spec.value})` : ''}`);
      }
      value = t.value;
    }
    if (spec.multiple)
      values[t.name] = [...((values[t.name] as string[] | undefined) ?? []), String(value)];
    else if (values[t.name] !== undefined)
      throw new UsageError(`${flag} given twice; give it once`);
    else values[t.name] = value;
  }
  return { values, positionals };
}

/** The options part of a help text: one aligned line per flag, from the same declaration. */
export function flagHelp(flags: FlagSpecs): string {
  const shown = Object.entries(flags).filter(([, f]) => !f.hidden);
  const left = shown.map(
    ([name, f]) =>
      `${f.short ? `-${f.short}, ` : ''}--${name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`,
  );
  const width = Math.max(...left.map((s) => s.length));
  return shown.map(([, f], i) => `  ${left[i].padEnd(width)}  ${f.doc}`).join('\n');
}

/** A string flag's value, or undefined. */
export function stringValue(parsed: ParsedCommandLine, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A boolean flag: true when given. */
export function booleanValue(parsed: ParsedCommandLine, name: string): boolean {
  return parsed.values[name] === true;
}

/** A `multiple` flag's values, in order (empty when not given). */
export function listValue(parsed: ParsedCommandLine, name: string): string[] {
  const v = parsed.values[name];
  return Array.isArray(v) ? v : [];
}

/**
 * `key=value` words (`--set`, `--param`) as an ordered map; a word without `=` or a key given twice
 * is a UsageError naming the flag.
 */
export function keyValues(flag: string, words: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0)
      throw new UsageError(
        `${flag} needs key=value, got ${JSON.stringify(w.length > 60 ? w.slice(0, 57) + '...' : w)}`,
      );
    const key = w.slice(0, eq);
    if (out.has(key)) {
      throw new UsageError(
        `${flag} ${key} given twice (${JSON.stringify(out.get(key))} and ${JSON.stringify(w.slice(eq + 1))}); give each key once`,
      );
    }
    out.set(key, w.slice(eq + 1));
  }
  return out;
}
