/**
 * Argument parsing for `scalelab model NAME --key value ... [--json] [--help]`: words become a map of
 * keys to raw strings, then each model reads typed values through {@link ModelArgs}.
 */
import { ParameterError } from '../errors';

/** A problem with the command line itself (unknown model or key, missing value). Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  readonly name: string | undefined;
  readonly values: Map<string, string>;
  readonly json: boolean;
  readonly help: boolean;
}

const FLAGS = new Set(['json', 'help']);

/** Splits argv into the model name, `--key value` / `--key=value` pairs and the boolean flags. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let name: string | undefined;
  const values = new Map<string, string>();
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '-h') {
      help = true;
      continue;
    }
    if (!word.startsWith('--')) {
      if (name === undefined) name = word;
      else throw new UsageError(`unexpected argument "${word}" (options are --key value)`);
      continue;
    }
    const eq = word.indexOf('=');
    const key = (eq >= 0 ? word.slice(2, eq) : word.slice(2)).trim();
    if (FLAGS.has(key) && eq < 0) {
      if (key === 'json') json = true;
      else help = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = word.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${key} needs a value`);
      value = argv[++i];
    }
    if (values.has(key)) throw new UsageError(`--${key} given twice`);
    values.set(key, value);
  }
  return { name, values, json, help };
}

/** Typed access to the values of one model's keys; records which keys were read. */
export class ModelArgs {
  private readonly used = new Set<string>();

  constructor(private readonly values: Map<string, string>) {}

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** The raw string, or undefined. */
  string(key: string): string | undefined {
    this.used.add(key);
    return this.values.get(key);
  }

  /** A required string. */
  requiredString(key: string): string {
    const v = this.string(key);
    if (v === undefined) throw new UsageError(`missing --${key}`);
    return v;
  }

  /** A number (required unless a fallback is given). "inf" and "infinity" read as Infinity. */
  number(key: string, fallback?: number): number {
    const raw = this.string(key);
    if (raw === undefined) {
      if (fallback === undefined) throw new UsageError(`missing --${key}`);
      return fallback;
    }
    return parseNumber(key, raw);
  }

  /** An optional number. */
  optionalNumber(key: string): number | undefined {
    return this.has(key) ? this.number(key) : undefined;
  }

  /** A comma-separated list of numbers. */
  list(key: string): number[] {
    const raw = this.requiredString(key);
    const parts = raw.split(',').map((s) => s.trim());
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // a trailing comma
    const empty = parts.indexOf('');
    if (empty >= 0) throw new ParameterError(`${key}[${empty}]`, raw, 'is an empty entry: must be a comma-separated list of numbers');
    return parts.map((s, i) => parseNumber(`${key}[${i}]`, s));
  }

  optionalList(key: string): number[] | undefined {
    return this.has(key) ? this.list(key) : undefined;
  }

  /** Throws a UsageError naming any key that the model did not read. */
  rejectUnused(allowed: readonly string[]): void {
    for (const key of this.values.keys()) {
      if (!this.used.has(key)) {
        if (allowed.includes(key)) throw new UsageError(`--${key} does not apply together with the other options given`);
        throw new UsageError(`unknown option --${key} (this model takes ${allowed.map((k) => '--' + k).join(', ')})`);
      }
    }
  }
}

function parseNumber(key: string, raw: string): number {
  const text = raw.trim().toLowerCase();
  if (text === 'inf' || text === 'infinity') return Infinity;
  const v = text === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) throw new ParameterError(key, raw, 'must be a number');
  // a subnormal loses precision and its reciprocal overflows (a mean of 1e-320 is a rate of Infinity)
  if (v !== 0 && Math.abs(v) < 2.2250738585072014e-308) throw new ParameterError(key, raw, 'must be 0 or of magnitude >= 2.2e-308 (a subnormal number)');
  return v;
}
