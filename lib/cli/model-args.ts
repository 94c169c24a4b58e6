/**
 * Typed values of `scalelab model NAME --key value ...`: the parsed flags (lib/cli/parse.ts, one
 * declared per key of the model) as raw strings, read as numbers or lists by each model.
 */
import { ParameterError } from '../errors';
import { UsageError } from './usage';

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
    if (empty >= 0)
      throw new ParameterError(
        `${key}[${empty}]`,
        raw,
        'is an empty entry: must be a comma-separated list of numbers',
      );
    return parts.map((s, i) => parseNumber(`${key}[${i}]`, s));
  }

  optionalList(key: string): number[] | undefined {
    return this.has(key) ? this.list(key) : undefined;
  }

  /** Throws a UsageError naming any key that the model did not read. */
  rejectUnused(allowed: readonly string[]): void {
    for (const key of this.values.keys()) {
      if (!this.used.has(key)) {
        if (allowed.includes(key))
          throw new UsageError(`--${key} does not apply together with the other options given`);
        throw new UsageError(
          `unknown option --${key} (this model takes ${allowed.map((k) => '--' + k).join(', ')})`,
        );
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
  if (v !== 0 && Math.abs(v) < 2.2250738585072014e-308)
    throw new ParameterError(
      key,
      raw,
      'must be 0 or of magnitude >= 2.2e-308 (a subnormal number)',
    );
  return v;
}
